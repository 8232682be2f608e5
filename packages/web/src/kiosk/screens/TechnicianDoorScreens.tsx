import { Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { doorOpenReasons, doorServiceReasons } from '@cubby/core/enumerations';
import type { TechnicianMenu } from '@cubby/protocol';
import { ChoiceButton } from '../../ui/ChoiceButton.js';
import { ScreenTitle } from '../../ui/ScreenTitle.js';
import type { CompartmentReading, KioskAction } from '../api.js';
import type { PlainScreen } from '../kiosk-state.js';
import { LockerPicker, type PickerDoor } from '../locker-map.js';
import { ChoiceScreen } from './ChoiceScreen.js';

type OpenReason = (typeof doorOpenReasons)[number];
type ServiceReason = (typeof doorServiceReasons)[number];

/** The station's doors with what the sign-in knew of them: held by a visit, out of service, or free. */
function pickerDoors(compartments: CompartmentReading[], menu: TechnicianMenu): PickerDoor[] {
  const busy = new Set(menu.busyDoors ?? []);
  const out = new Set(menu.outOfServiceDoors ?? []);
  return compartments.map((c) => ({
    number: c.number,
    state: busy.has(c.number) ? 'busy' : out.has(c.number) ? 'out_of_service' : 'free',
  }));
}

/**
 * Open a locker with a reason: the reason first (checking its contents is
 * already picked), then one tap on the locker opens it — two taps from the
 * technician menu to an open door.
 */
export function OpenDoorScreen({
  compartments,
  menu,
  busy,
  onAction,
  onNavigate,
}: {
  compartments: CompartmentReading[];
  menu: TechnicianMenu;
  busy: boolean;
  onAction: (action: KioskAction) => void;
  onNavigate: (screen: PlainScreen) => void;
}) {
  const { t } = useTranslation();
  const [reason, setReason] = useState<OpenReason>('check_contents');
  return (
    <Stack gap="lg" className="screen open-door">
      <div>
        <ScreenTitle size="h2">{t('tech.openDoorTitle')}</ScreenTitle>
        <Text className="lead">{t('tech.openDoorLead')}</Text>
      </div>
      <div className="door-reasons" role="group" aria-label={t('tech.reasonLegend')}>
        <div className="door-reason-buttons">
          {doorOpenReasons.map((r) => (
            <button
              key={r}
              type="button"
              className="door-reason"
              aria-pressed={reason === r}
              disabled={busy}
              onClick={() => setReason(r)}
            >
              {t(`tech.openReason.${r}`)}
            </button>
          ))}
        </div>
      </div>
      <LockerPicker
        doors={pickerDoors(compartments, menu)}
        disabled={busy}
        pickable={(d) => d.state === 'free'}
        onPick={(d) => onAction({ kind: 'technician_open_door', compartment: d.number, reason })}
      />
      <div className="door-actions">
        <ChoiceButton
          icon="warning"
          label={t('tech.doorService')}
          hint={t('tech.doorServiceHint', { count: menu.outOfServiceDoors?.length ?? 0 })}
          disabled={busy}
          onClick={() => onNavigate('doorService')}
        />
        <ChoiceButton icon="back" label={t('tech.back')} disabled={busy} onClick={() => onNavigate('technician')} />
      </div>
    </Stack>
  );
}

/** A locker in or out of service: tap one to take it out, or an out-of-service one to put it back (then say why). */
export function DoorServiceScreen({
  compartments,
  menu,
  changed,
  busy,
  onPick,
  onNavigate,
}: {
  compartments: CompartmentReading[];
  menu: TechnicianMenu;
  changed: { compartment: number; outOfService: boolean } | undefined;
  busy: boolean;
  onPick: (compartment: number, outOfService: boolean) => void;
  onNavigate: (screen: PlainScreen) => void;
}) {
  const { t } = useTranslation();
  return (
    <Stack gap="lg" className="screen door-service">
      <div>
        <ScreenTitle size="h2">{t('tech.doorServiceTitle')}</ScreenTitle>
        <Text className="lead">{t('tech.doorServiceLead')}</Text>
      </div>
      {changed && (
        <Text className="callout" role="status">
          {t(changed.outOfService ? 'tech.serviceOutDone' : 'tech.serviceBackDone', { n: changed.compartment })}
        </Text>
      )}
      <LockerPicker
        doors={pickerDoors(compartments, menu)}
        disabled={busy}
        pickable={(d) => d.state !== 'busy'}
        onPick={(d) => onPick(d.number, d.state !== 'out_of_service')}
      />
      <div className="door-actions">
        <ChoiceButton icon="collect" label={t('tech.openDoor')} disabled={busy} onClick={() => onNavigate('openDoor')} />
        <ChoiceButton icon="back" label={t('tech.back')} disabled={busy} onClick={() => onNavigate('technician')} />
      </div>
    </Stack>
  );
}

/** Why the locker goes out of service (or back): each answer makes the change. */
export function ServiceReasonScreen({
  compartment,
  outOfService,
  busy,
  onAction,
  onNavigate,
}: {
  compartment: number;
  outOfService: boolean;
  busy: boolean;
  onAction: (action: KioskAction) => void;
  onNavigate: (screen: PlainScreen) => void;
}) {
  const { t } = useTranslation();
  const reasons: readonly ServiceReason[] = outOfService
    ? doorServiceReasons.filter((r) => r !== 'repaired')
    : ['repaired', 'other'];
  return (
    <ChoiceScreen
      className="service-reason"
      title={t(outOfService ? 'tech.serviceOutTitle' : 'tech.serviceBackTitle', { n: compartment })}
      subtitle={t('tech.serviceLead')}
      busy={busy}
      choices={reasons.map((r) => ({ key: r, icon: outOfService ? 'warning' : 'check', label: t(`tech.serviceReason.${r}`) }))}
      onChoose={(key) => onAction({ kind: 'technician_door_service', compartment, outOfService, reason: key as ServiceReason })}
    >
      <ChoiceButton icon="back" label={t('tech.back')} disabled={busy} onClick={() => onNavigate('doorService')} />
    </ChoiceScreen>
  );
}
