import { Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ChoiceButton } from '../../ui/ChoiceButton.js';
import { ScreenTitle } from '../../ui/ScreenTitle.js';
import type { KioskChoices } from '@cubby/protocol';
import type { KioskAction, SignInView } from '../api.js';
import { useCampusTime } from '../campus-time.js';
import type { PlainScreen } from '../kiosk-state.js';
import { nearbySentence, refusalHint } from '../refusal-words.js';

export interface MenuScreenProps {
  session: SignInView;
  busy: boolean;
  onNavigate: (screen: PlainScreen) => void;
  onAction: (action: KioskAction) => void;
}

/**
 * "My Chromebook is broken": a swap when a loaner can go with it; else a
 * drop-off for repair that says where a loaner is; else refused, with why.
 */
function BrokenDeviceChoice({
  choices,
  busy,
  onNavigate,
}: Pick<MenuScreenProps, 'busy' | 'onNavigate'> & { choices: KioskChoices }) {
  const { t } = useTranslation();
  const { swap, dropOff } = choices;
  if (swap.allowed || !dropOff.allowed)
    return (
      <ChoiceButton
        icon="swap"
        label={t('menu.swap')}
        hint={swap.allowed ? t('menu.swapHint') : refusalHint(t, swap)}
        unavailable={!swap.allowed}
        disabled={busy}
        onClick={() => onNavigate('symptom')}
      />
    );
  const hint =
    swap.refusedFor === 'no_loaner_available'
      ? `${t('menu.dropOffHint')} ${nearbySentence(t, dropOff.nearby) ?? t('menu.noLoanerAnywhere')}`
      : t('menu.dropOffKeepLoaner');
  return (
    <ChoiceButton icon="wrench" label={t('menu.dropOff')} hint={hint} disabled={busy} onClick={() => onNavigate('dropOff')} />
  );
}

/**
 * What this person can do here, most likely first. One tap opens a door
 * (return, charge, collect, pickup) or asks one question (borrow, swap,
 * drop-off). What the server (or, offline, the station) says cannot be done
 * here is shown with its reason, not offered and refused a screen later.
 */
export function MenuScreen({ session, busy, onNavigate, onAction }: MenuScreenProps) {
  const { t } = useTranslation();
  const time = useCampusTime();
  const { loans, charging, pickup, choices, task } = session;
  const firstLoan = loans[0];
  const overdue = loans.filter((l) => l.overdue);
  return (
    <Stack gap="lg" className="screen menu">
      <div>
        <ScreenTitle>
          {/* Offline, names stay on the server: the kiosk greets without one. */}
          {session.person.givenName ? t('menu.hello', { name: session.person.givenName }) : t('menu.helloNoName')}
        </ScreenTitle>
        <Text className="lead">{t('menu.question')}</Text>
      </div>
      {session.technicianRefused && (
        <Text className="callout callout-warning" data-code={session.technicianRefused}>
          {t(`errors.${session.technicianRefused}.title`)}. {t(`errors.${session.technicianRefused}.hint`)}
        </Text>
      )}
      {overdue.map((l) => (
        <Text key={l.id} className="callout callout-warning">
          {t('menu.overdue', { assetTag: l.assetTag, due: time.due(l.dueAt) })}
        </Text>
      ))}
      <div className="choices">
        {/* A single-use task IT set up for this person here comes first: one tap opens exactly its door. */}
        {task && (
          <ChoiceButton
            icon={task.kind === 'pick_up' ? 'collect' : 'returning'}
            highlight
            label={t(task.kind === 'pick_up' ? 'menu.taskPickUp' : 'menu.taskDropOff')}
            hint={
              task.kind === 'pick_up'
                ? t('menu.taskPickUpHint', { n: task.compartment })
                : t('menu.taskDropOffHint', { assetTag: task.assetTag ?? '' })
            }
            disabled={busy}
            onClick={() => onAction({ kind: 'task', taskId: task.id })}
          />
        )}
        {pickup && (
          <ChoiceButton
            icon="wrench"
            highlight={!task}
            label={t('menu.pickup')}
            hint={t('menu.pickupHint', { n: pickup.compartment })}
            disabled={busy}
            onClick={() => onAction({ kind: 'pickup' })}
          />
        )}
        {firstLoan && (
          <ChoiceButton
            icon="returning"
            highlight={!pickup && !task}
            label={t('menu.return')}
            hint={loans.length === 1 ? t('menu.returnHint', { assetTag: firstLoan.assetTag }) : undefined}
            disabled={busy}
            onClick={() => (loans.length === 1 ? onAction({ kind: 'return' }) : onNavigate('return'))}
          />
        )}
        <ChoiceButton
          icon="laptop"
          label={t('menu.borrow')}
          hint={choices.borrow.allowed ? t('menu.borrowHint') : refusalHint(t, choices.borrow)}
          unavailable={!choices.borrow.allowed}
          disabled={busy}
          onClick={() => onNavigate('reason')}
        />
        {/* During an outage the station decides alone, and only borrows and returns. */}
        {!session.offline && <BrokenDeviceChoice choices={choices} busy={busy} onNavigate={onNavigate} />}
        {session.offline ? null : charging ? (
          charging.collectable && (
            <ChoiceButton
              icon="collect"
              label={t('menu.collect')}
              hint={t('menu.collectHint', { n: charging.compartment })}
              disabled={busy}
              onClick={() => onAction({ kind: 'collect' })}
            />
          )
        ) : (
          <ChoiceButton
            icon="charge"
            label={t('menu.charge')}
            hint={t('menu.chargeHint')}
            disabled={busy}
            onClick={() => onAction({ kind: 'charge' })}
          />
        )}
      </div>
      {charging && !charging.collectable && (
        <Text className="callout callout-warning">{t('menu.chargeTooLong', { n: charging.compartment })}</Text>
      )}
      {firstLoan && <Text className="tip">{t('menu.scanTip')}</Text>}
    </Stack>
  );
}
