import { Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ChoiceButton } from '../../ui/ChoiceButton.js';
import { ScreenTitle } from '../../ui/ScreenTitle.js';
import type { TechnicianMenu } from '@cubby/protocol';
import type { KioskAction, SignInView } from '../api.js';
import type { PlainScreen } from '../kiosk-state.js';
import { ChoiceScreen } from './ChoiceScreen.js';

export interface TechnicianScreenProps {
  session: SignInView;
  menu: TechnicianMenu;
  busy: boolean;
  onNavigate: (screen: PlainScreen) => void;
  onAction: (action: KioskAction) => void;
}

/**
 * Technician mode: what a technician of this campus does at the locker, with
 * the counts the sign-in brought. Collecting opens its first door at once;
 * the others ask one thing first (a tag, how many), so each door is at most
 * two taps away.
 */
export function TechnicianScreen({ session, menu, busy, onNavigate, onAction }: TechnicianScreenProps) {
  const { t } = useTranslation();
  const { awaitingCollection, emptyCompartments, loanersHere, readyToPlace, differences } = menu;
  const tasksToLoad = menu.tasksToLoad ?? 0;
  return (
    <Stack gap="lg" className="screen menu technician">
      <div>
        <ScreenTitle>
          {session.person.givenName ? t('tech.hello', { name: session.person.givenName }) : t('tech.helloNoName')}
        </ScreenTitle>
        <Text className="lead">{t('tech.question')}</Text>
      </div>
      <div className="choices">
        <ChoiceButton
          icon="wrench"
          highlight={awaitingCollection > 0}
          label={t('tech.collect', { count: awaitingCollection })}
          hint={awaitingCollection > 0 ? t('tech.collectHint', { count: awaitingCollection }) : t('tech.collectNone')}
          unavailable={awaitingCollection === 0}
          disabled={busy}
          onClick={() => onAction({ kind: 'technician_collect' })}
        />
        <ChoiceButton
          icon="returning"
          label={t('tech.restock')}
          hint={emptyCompartments > 0 ? t('tech.restockHint', { count: emptyCompartments }) : t('tech.noEmptyLocker')}
          unavailable={emptyCompartments === 0}
          disabled={busy}
          onClick={() => onNavigate('restockTag')}
        />
        <ChoiceButton
          icon="collect"
          label={t('tech.takeOut')}
          hint={loanersHere > 0 ? t('tech.takeOutHint', { count: loanersHere }) : t('tech.noLoanerHere')}
          unavailable={loanersHere === 0}
          disabled={busy}
          onClick={() => onNavigate('takeOut')}
        />
        <ChoiceButton
          icon="check"
          label={t('tech.place')}
          hint={
            emptyCompartments === 0
              ? t('tech.noEmptyLocker')
              : tasksToLoad > 0
                ? t('tech.placeTasks', { count: tasksToLoad })
                : readyToPlace > 0
                  ? t('tech.placeHint', { count: readyToPlace })
                  : t('tech.placeNone')
          }
          unavailable={emptyCompartments === 0}
          disabled={busy}
          onClick={() => onNavigate('placeTag')}
        />
        <ChoiceButton
          icon="keypad"
          highlight={differences.length > 0}
          label={t('tech.bankCheck')}
          hint={t('tech.bankCheckHint', { count: differences.length })}
          disabled={busy}
          onClick={() => onNavigate('bankCheck')}
        />
        <ChoiceButton
          icon="collect"
          label={t('tech.openDoor')}
          hint={t('tech.openDoorHint', { count: menu.outOfServiceDoors?.length ?? 0 })}
          disabled={busy}
          onClick={() => onNavigate('openDoor')}
        />
        <ChoiceButton
          icon="laptop"
          label={t('tech.own')}
          hint={t('tech.ownHint')}
          disabled={busy}
          onClick={() => onNavigate('menu')}
        />
      </div>
    </Stack>
  );
}

/** How many loaners to take out: one, or every one here (a few in between when there are many). */
export function TakeOutScreen({
  loanersHere,
  busy,
  onAction,
}: {
  loanersHere: number;
  busy: boolean;
  onAction: (action: KioskAction) => void;
}) {
  const { t } = useTranslation();
  const counts = [...new Set([1, 5, 10].filter((n) => n < loanersHere)), loanersHere];
  return (
    <ChoiceScreen
      className="take-out"
      title={t('tech.takeOutTitle')}
      subtitle={t('tech.takeOutHint', { count: loanersHere })}
      busy={busy}
      choices={counts.map((n) => ({
        key: String(n),
        icon: 'collect',
        label: n === loanersHere ? t('tech.takeAll', { count: n }) : t('tech.takeSome', { count: n }),
      }))}
      onChoose={(key) => onAction({ kind: 'take_loaners_out', count: Number(key) })}
    />
  );
}

/**
 * The bank check, read from the sensors the sign-in brought: each locker
 * whose sensor disagrees with the records, in words a technician acts on.
 */
export function BankCheckScreen({
  differences,
  busy,
  onAction,
  onNavigate,
}: {
  differences: TechnicianMenu['differences'];
  busy: boolean;
  onAction: (action: KioskAction) => void;
  onNavigate: (screen: PlainScreen) => void;
}) {
  const { t } = useTranslation();
  return (
    <Stack gap="lg" className="screen bank-check">
      <div>
        <ScreenTitle>{t('tech.bankCheckTitle')}</ScreenTitle>
        <Text className="lead">{t('tech.bankCheckLead')}</Text>
      </div>
      {differences.length === 0 ? (
        <Text className="callout">{t('tech.bankCheckNone')}</Text>
      ) : (
        <ul className="differences">
          {differences.map((d) => (
            <li key={d.compartment} className="callout callout-warning">
              {d.sensed
                ? t('tech.unrecorded', { number: d.compartment })
                : d.recordedAssetTag
                  ? t('tech.recordedGone', { number: d.compartment, assetTag: d.recordedAssetTag })
                  : t('tech.recordedGoneNoTag', { number: d.compartment })}
            </li>
          ))}
        </ul>
      )}
      <ChoiceButton
        icon="keypad"
        label={t('tech.bankCheckOpen')}
        hint={t('tech.bankCheckOpenHint')}
        disabled={busy}
        onClick={() => onAction({ kind: 'bank_check_doors' })}
      />
      <ChoiceButton icon="back" label={t('tech.back')} onClick={() => onNavigate('technician')} />
    </Stack>
  );
}
