import { Text } from '@mantine/core';
import type { LoanReason, RepairSymptom } from '@cubby/core';
import { useTranslation } from 'react-i18next';
import { Icon, type IconName } from '../../ui/icons.js';
import type { KioskAction, SignInView } from '../api.js';
import { useCampusTime } from '../campus-time.js';
import { ChoiceScreen } from './ChoiceScreen.js';

const reasons = ['forgotten', 'broken', 'dead_battery', 'other'] as const satisfies readonly LoanReason[];
const reasonIcons: Record<LoanReason, IconName> = {
  forgotten: 'question',
  broken: 'wrench',
  dead_battery: 'battery',
  other: 'laptop',
};
// Core's RepairSymptom values; the Record type below makes a new one fail the build until it has words.
const symptoms: Record<RepairSymptom, true> = {
  screen: true,
  keyboard: true,
  battery: true,
  charging_port: true,
  wont_turn_on: true,
  liquid: true,
  other: true,
};

interface QuestionProps {
  busy: boolean;
  onAction: (action: KioskAction) => void;
}

/** Borrow: why? (forgot it / broken / battery dead / other) */
export function ReasonScreen({ busy, onAction }: QuestionProps) {
  const { t } = useTranslation();
  return (
    <ChoiceScreen
      className="reason"
      title={t('reason.title')}
      busy={busy}
      choices={reasons.map((r) => ({ key: r, icon: reasonIcons[r], label: t(`reason.${r}`) }))}
      onChoose={(reason) => onAction({ kind: 'borrow', reason: reason as LoanReason })}
    />
  );
}

/** Swap or drop-off: what is wrong with it? */
export function SymptomScreen({ busy, onAction, kind }: QuestionProps & { kind: 'swap' | 'drop_off' }) {
  const { t } = useTranslation();
  return (
    <ChoiceScreen
      className="symptom"
      title={t('symptom.title')}
      subtitle={t('symptom.subtitle')}
      busy={busy}
      choices={(Object.keys(symptoms) as RepairSymptom[]).map((s) => ({ key: s, label: t(`symptom.${s}`) }))}
      onChoose={(symptom) => onAction({ kind, symptom: symptom as RepairSymptom })}
    />
  );
}

/** Return, when there are several loans: which one (or scan its sticker). */
export function ReturnScreen({ busy, onAction, session }: QuestionProps & { session: SignInView }) {
  const { t } = useTranslation();
  const time = useCampusTime();
  return (
    <ChoiceScreen
      className="return"
      title={t('returning.title')}
      busy={busy}
      choices={session.loans.map((l) => ({
        key: l.assetTag,
        icon: 'returning',
        label: t('returning.item', { assetTag: l.assetTag }),
        hint: t('returning.due', { due: time.due(l.dueAt) }),
      }))}
      onChoose={(assetTag) => onAction({ kind: 'return', assetTag })}
    >
      <Text className="lead with-icon">
        <Icon name="barcode" size={40} /> {t('returning.scan')}
      </Text>
    </ChoiceScreen>
  );
}
