import { Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { ChoiceButton } from '../../ui/ChoiceButton.js';
import type { IconName } from '../../ui/icons.js';
import { ScreenTitle } from '../../ui/ScreenTitle.js';

export interface Choice {
  key: string;
  label: string;
  hint?: string;
  icon?: IconName;
}

/** One question, a few big answers: the second (and last) tap before a door opens. */
export function ChoiceScreen({
  title,
  subtitle,
  choices,
  busy,
  onChoose,
  className,
  children,
}: {
  title: string;
  subtitle?: string;
  choices: Choice[];
  busy: boolean;
  onChoose: (key: string) => void;
  className?: string;
  children?: ReactNode;
}) {
  return (
    <Stack gap="lg" className={`screen ${className ?? ''}`}>
      <div>
        <ScreenTitle size="h2">{title}</ScreenTitle>
        {subtitle && <Text className="lead">{subtitle}</Text>}
      </div>
      {children}
      <div className="choices">
        {choices.map((c) => (
          <ChoiceButton key={c.key} icon={c.icon} label={c.label} hint={c.hint} disabled={busy} onClick={() => onChoose(c.key)} />
        ))}
      </div>
    </Stack>
  );
}
