import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';

/** Each page names itself in the browser tab (WCAG 2.4.2), in the current language. */
export function usePageTitle(title: string): void {
  const { t } = useTranslation();
  const app = t('app.title');
  useEffect(() => {
    document.title = title ? `${title} · ${app}` : app;
  }, [title, app]);
}
