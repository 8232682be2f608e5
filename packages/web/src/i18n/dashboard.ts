import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { dashboardEn } from './dashboard-en.js';
import { dashboardEs } from './dashboard-es.js';

/**
 * The dashboard's own i18next instance and sentences, so none of the kiosk's
 * words ride in its bundle and none of its words in the kiosk's.
 */
export const dashboardLanguages = ['en', 'es'] as const;
export type DashboardLanguage = (typeof dashboardLanguages)[number];
export const dashboardLanguageNames: Record<DashboardLanguage, string> = { en: 'English', es: 'Español' };

const storageKey = 'cubby.dashboard.language';

function savedLanguage(): DashboardLanguage {
  try {
    const saved = localStorage.getItem(storageKey);
    if (saved === 'en' || saved === 'es') return saved;
  } catch {
    // Storage blocked: the browser's language decides.
  }
  return navigator.language.toLowerCase().startsWith('es') ? 'es' : 'en';
}

export const dashboardI18n = i18next.createInstance();
void dashboardI18n.use(initReactI18next).init({
  resources: { en: { translation: dashboardEn }, es: { translation: dashboardEs } },
  lng: savedLanguage(),
  fallbackLng: 'en',
  initAsync: false,
  // One namespace; keys such as `permissions.fleet:read` hold a colon that must not split them.
  nsSeparator: false,
  interpolation: { escapeValue: false },
  react: { useSuspense: false },
});
document.documentElement.lang = dashboardI18n.language;

/** Switches the language, remembers it on this browser and tells assistive technology. */
export function setDashboardLanguage(language: DashboardLanguage): void {
  void dashboardI18n.changeLanguage(language);
  document.documentElement.lang = language;
  try {
    localStorage.setItem(storageKey, language);
  } catch {
    // Not remembered; the switch still works for this page.
  }
}
