import { useTranslation } from 'react-i18next';
import { Icon } from '../../ui/icons.js';
import type { ProblemView } from '../kiosk-state.js';

/** A refusal said kindly: what happened, then what to do. Announced at once. */
export function Notice({ problem }: { problem: ProblemView }) {
  const { t } = useTranslation();
  return (
    <div role="alert" className="notice" data-code={problem.code}>
      <Icon name="warning" size={40} className="notice-icon" />
      <div>
        <p className="notice-title">{t(`errors.${problem.code}.title`)}</p>
        <p className="notice-hint">{t(`errors.${problem.code}.hint`)}</p>
      </div>
    </div>
  );
}
