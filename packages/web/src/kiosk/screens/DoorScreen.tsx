import { Loader, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Icon } from '../../ui/icons.js';
import { ScreenTitle } from '../../ui/ScreenTitle.js';
import type { CompartmentReading } from '../api.js';
import type { DoorStep } from '../kiosk-state.js';
import { LockerMap } from '../locker-map.js';

const purposes = new Set([
  'take_loaner',
  'return_loaner',
  'deposit_broken',
  'deposit_for_charge',
  'collect_own',
  'pickup_repaired',
  'deposit_for_repair',
  'collect_flagged',
  'restock_loaner',
  'take_loaner_out',
  'place_repaired',
  'task_pick_up',
  'task_drop_off',
]);

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
  const { t } = useTranslation();
  const n = step.transaction.compartment ?? 0;
  const purpose = step.transaction.purpose ?? '';
  return (
    <div className="screen door">
      <Stack gap="md" className="door-text">
        {step.total > 1 && <Text className="step">{t('door.step', { step: step.step, total: step.total })}</Text>}
        {step.stuck !== null && (
          <div role="alert" className="notice notice-info">
            <Icon name="warning" size={36} className="notice-icon" />
            <p className="notice-title">{t('door.failover', { from: step.stuck, to: n })}</p>
          </div>
        )}
        <ScreenTitle live>
          {t(phase === 'open' ? 'door.open' : phase === 'checking' ? 'door.checking' : 'door.opening', { n })}
        </ScreenTitle>
        <Text className="instruction">{t(purposes.has(purpose) ? `door.${purpose}` : 'door.other')}</Text>
        <Text className="lead with-icon">
          <Loader size="sm" aria-hidden="true" /> {t('door.waiting')}
        </Text>
      </Stack>
      <LockerMap compartments={compartments} target={n} stuck={step.stuck} />
    </div>
  );
}
