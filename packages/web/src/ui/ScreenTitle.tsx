import { Title } from '@mantine/core';
import { useEffect, useRef, type ReactNode } from 'react';

/**
 * Each screen's heading. It takes focus when the screen appears, so a screen
 * reader announces the new screen and Tab starts from its top; a screen whose
 * first field should take typing at once (the PIN screen) says `takeFocus={false}`.
 */
export function ScreenTitle({
  children,
  size = 'h1',
  live,
  takeFocus = true,
}: {
  children: ReactNode;
  size?: 'h1' | 'h2';
  live?: boolean;
  takeFocus?: boolean;
}) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (takeFocus) ref.current?.focus({ preventScroll: true });
  }, [takeFocus]);
  return (
    // `live`: a heading that changes in place ("Opening locker 3…" → "Locker 3 is open") is announced.
    <Title order={1} size={size} ref={ref} tabIndex={-1} className="screen-title" aria-live={live ? 'polite' : undefined}>
      {children}
    </Title>
  );
}
