import { createTheme } from '@mantine/core';

/**
 * The kiosk's colours at desk size. The filled shade is Mantine's blue 8 so
 * white text on it passes WCAG AA (4.5:1); dimmed text is gray 7 for the same reason.
 */
export const dashboardTheme = createTheme({
  primaryColor: 'blue',
  primaryShade: 8,
  defaultRadius: 'md',
  fontFamily: 'system-ui, "Segoe UI", Roboto, "Noto Sans", Ubuntu, Cantarell, "Helvetica Neue", Arial, sans-serif',
  headings: { fontWeight: '750' },
});
