import { UnstyledButton } from '@mantine/core';
import { Icon, type IconName } from './icons.js';

export interface ChoiceButtonProps {
  icon?: IconName;
  label: string;
  hint?: string | undefined;
  onClick: () => void;
  disabled?: boolean;
  /** The one thing this person most likely came for. */
  highlight?: boolean;
  /** Not possible here now: shown (its hint says why) but cannot be pressed. */
  unavailable?: boolean;
}

/** A whole-width touch target (never under 88 px tall) with a big label and an optional hint. */
export function ChoiceButton({ icon, label, hint, onClick, disabled, highlight, unavailable }: ChoiceButtonProps) {
  return (
    <UnstyledButton
      className={`choice${highlight ? ' choice-highlight' : ''}`}
      onClick={onClick}
      disabled={disabled || unavailable}
      data-disabled={(disabled && !unavailable) || undefined}
      data-unavailable={unavailable || undefined}
    >
      {icon && <Icon name={icon} size={40} className="choice-icon" />}
      <span className="choice-text">
        <span className="choice-label">{label}</span>
        {hint && <span className="choice-hint">{hint}</span>}
      </span>
    </UnstyledButton>
  );
}
