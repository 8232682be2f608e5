import { Button, Stack, Text } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { Icon } from '../../ui/icons.js';
import { transactionKinds } from '@cubby/core/enumerations';
import { ScreenTitle } from '../../ui/ScreenTitle.js';
import type { NearbyStation, TransactionView } from '../api.js';
import { useCampusTime } from '../campus-time.js';
import { nearbySentence } from '../refusal-words.js';

// Every kind of visit has its own done words; an unknown one (a newer server) gets the plain ones.
const kinds: ReadonlySet<string> = new Set(transactionKinds);

type Summary = NonNullable<TransactionView['summary']>;

/** "4 collected. Locker 9 was empty — flagged." A technician's collection (or take-out), door by door. */
function summarySentences(t: TFunction, kind: string, summary: Summary): string[] {
  const doors = (list: number[]) => list.join(', ');
  if (summary.differences) return lookSentences(t, summary.differences, summary.jammedDoors);
  return [
    t(kind === 'take_loaners_out' ? 'done.takenOut' : 'done.collected', { count: summary.collected }),
    ...(summary.emptyDoors.length
      ? [t('done.emptyDoors', { count: summary.emptyDoors.length, doors: doors(summary.emptyDoors) })]
      : []),
    ...(summary.leftInside.length
      ? [t('done.leftInside', { count: summary.leftInside.length, doors: doors(summary.leftInside) })]
      : []),
    ...(summary.jammedDoors.length
      ? [t('done.jammedDoors', { count: summary.jammedDoors.length, doors: doors(summary.jammedDoors) })]
      : []),
  ];
}

/** A door opened with a reason, or a bank check opening each door: how what was inside differed from the records. */
function lookSentences(t: TFunction, differences: NonNullable<Summary['differences']>, jammed: number[]): string[] {
  const lines = differences.map((d) =>
    d.sensed
      ? t('done.differenceUnrecorded', { n: d.compartment })
      : d.recordedAssetTag
        ? t('done.differenceMissing', { n: d.compartment, assetTag: d.recordedAssetTag })
        : t('done.differenceMissingNoTag', { n: d.compartment }),
  );
  if (jammed.length) lines.push(t('done.jammedDoors', { count: jammed.length, doors: jammed.join(', ') }));
  return lines.length ? lines : [t('done.noDifference')];
}

/** The end of a visit: what happened, when a loaner is due, and a short countdown to sign-out. */
export function DoneScreen({
  transaction,
  compartment,
  secondsLeft,
  loanersNearby = null,
  onFinish,
}: {
  transaction: TransactionView;
  compartment: number | null;
  secondsLeft: number;
  /** After a drop-off with no loaner here: where one is; null when there is nothing to say. */
  loanersNearby?: NearbyStation[] | null;
  onFinish: () => void;
}) {
  const { t } = useTranslation();
  const time = useCampusTime();
  // A door opened with a reason whose lock jammed never opened: its summary says so, the plain words do the rest.
  const jammedOpen = transaction.kind === 'technician_open_door' && Boolean(transaction.summary?.jammedDoors.length);
  const kind = kinds.has(transaction.kind) && !jammedOpen ? transaction.kind : 'other';
  const due = transaction.dueAt ? time.due(transaction.dueAt) : '';
  // Borrow and swap hand out a loaner: named, so the student knows which one is theirs.
  const loaner = (kind === 'borrow' || kind === 'swap') && transaction.assetTag;
  return (
    <Stack align="center" gap="lg" className="screen done">
      <div className="done-art" aria-hidden="true">
        <Icon name="check" size={120} />
      </div>
      <ScreenTitle>{t('done.title')}</ScreenTitle>
      {loaner && <Text className="done-loaner">{t('done.loaner', { assetTag: loaner })}</Text>}
      <Text className="lead done-message">
        {t(kind === 'borrow' && !due ? 'done.borrowNoDue' : `done.${kind}`, { due, n: compartment ?? '' })}
      </Text>
      {kind === 'borrow' && <Text className="lead">{t('done.borrowTip')}</Text>}
      {transaction.summary && (
        <ul
          className={`done-summary${transaction.summary.differences ? ' done-differences' : ''}`}
          // A long list of differences scrolls inside the screen: focusable, so a keyboard scrolls it too.
          {...(transaction.summary.differences ? { tabIndex: 0, 'aria-label': t('done.differencesLabel') } : {})}
        >
          {summarySentences(t, kind, transaction.summary).map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      )}
      {kind === 'drop_off' && loanersNearby && (
        <Text className="lead">{nearbySentence(t, loanersNearby) ?? t('menu.noLoanerAnywhere')}</Text>
      )}
      <Text className="countdown" aria-live="off">
        {t('done.signingOut', { count: secondsLeft })}
      </Text>
      <Button size="xl" onClick={onFinish} leftSection={<Icon name="check" />}>
        {t('done.finish')}
      </Button>
    </Stack>
  );
}
