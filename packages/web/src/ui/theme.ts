import { createTheme } from '@mantine/core';

/**
 * Large type and high contrast for a shared touch screen. The filled shade is
 * the 8th of Mantine's blue so white text on it passes WCAG AA (4.5:1);
 * dimmed text uses gray 7 for the same reason.
 */
export const theme = createTheme({
  primaryColor: 'blue',
  primaryShade: 8,
  defaultRadius: 'lg',
  fontFamily: 'system-ui, "Segoe UI", Roboto, "Noto Sans", Ubuntu, Cantarell, "Helvetica Neue", Arial, sans-serif',
  headings: { fontWeight: '800' },
  other: { dimmed: 'var(--mantine-color-gray-7)' },
});
