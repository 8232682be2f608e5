import { useTranslation } from 'react-i18next';
import { Icon } from '../../ui/icons.js';
import { useCampusTime } from '../campus-time.js';
import type { ProblemView } from '../kiosk-state.js';

/** A refusal said kindly: what happened, then what to do. Announced at once. */
export function Notice({ problem }: { problem: ProblemView }) {
  const { t } = useTranslation();
  const time = useCampusTime();
  const { code, triesLeft, retryAfter, at } = problem;
  // A lockout says until when (in the campus's time), and a wrong PIN how many tries are left, so neither surprises.
  const locked = retryAfter !== undefined && (code === 'locked_out' || (code === 'wrong_pin' && triesLeft === 0));
  const hint = locked
    ? t('pin.locked', { count: Math.ceil(retryAfter / 60), time: time.clock((at ?? Date.now()) + retryAfter * 1000) })
    : code === 'wrong_pin' && triesLeft
      ? `${t('errors.wrong_pin.hint')} ${t('pin.triesLeft', { count: triesLeft })}`
      : t(`errors.${code}.hint`);
  return (
    <div role="alert" className="notice" data-code={code}>
      <Icon name="warning" size={40} className="notice-icon" />
      <div>
        <p className="notice-title">{t(`errors.${locked ? 'locked_out' : code}.title`)}</p>
        <p className="notice-hint">{hint}</p>
      </div>
    </div>
  );
}
