import { Loader, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { stepPurposes } from '@cubby/core/enumerations';
import { Icon } from '../../ui/icons.js';
import { ScreenTitle } from '../../ui/ScreenTitle.js';
import type { CompartmentReading } from '../api.js';
import type { DoorStep } from '../kiosk-state.js';
import { doorList, LockerMap } from '../locker-map.js';

// Every door purpose has its own words (core's list); an unknown one (a newer server) gets the plain ones.
const purposes: ReadonlySet<string> = new Set(stepPurposes);

/** "Locker 7 is open": which door, what to do there, and that we wait for it to close. */
export function DoorScreen({
  step,
  phase,
  compartments,
}: {
  step: DoorStep;
  phase: 'opening' | 'open' | 'checking';
  compartments: CompartmentReading[];
}) {
  const { t, i18n } = useTranslation();
  const n = step.transaction.compartment ?? 0;
  const purpose = step.transaction.purpose ?? '';
  // Several doors unlocked together: they are all open, and each shuts in its own time.
  const many = (step.transaction.openDoors?.length ?? 0) > 1 ? step.transaction.openDoors! : undefined;
  return (
    <div className="screen door">
      <Stack gap="md" className="door-text">
        {step.total > 1 && !many && <Text className="step">{t('door.step', { step: step.step, total: step.total })}</Text>}
        {step.stuck !== null && (
          <div role="alert" className="notice notice-info">
            <Icon name="warning" size={36} className="notice-icon" />
            <p className="notice-title">{t('door.failover', { from: step.stuck, to: n })}</p>
          </div>
        )}
        <ScreenTitle live>
          {many
            ? t('door.openMany', { doors: doorList(i18n.language, many) })
            : t(phase === 'open' ? 'door.open' : phase === 'checking' ? 'door.checking' : 'door.opening', { n })}
        </ScreenTitle>
        <Text className="instruction">
          {many
            ? t(`door.all.${purpose}`, { defaultValue: t('door.all.other') })
            : t(purposes.has(purpose) ? `door.${purpose}` : 'door.other')}
        </Text>
        <Text className="lead with-icon">
          <Loader size="sm" aria-hidden="true" /> {t(many ? 'door.waitingMany' : 'door.waiting')}
        </Text>
      </Stack>
      <LockerMap compartments={compartments} targets={many ?? [n]} stuck={step.stuck} />
    </div>
  );
}
