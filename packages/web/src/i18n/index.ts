import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en.js';
import { es } from './es.js';

export const languages = ['en', 'es'] as const;
export type Language = (typeof languages)[number];

/** Each language's name in itself, for the switch on screen. */
export const languageNames: Record<Language, string> = { en: 'English', es: 'Español' };

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (languages as readonly string[]).includes(value);
}

/**
 * Both languages are bundled (a few kilobytes): the kiosk must switch at once,
 * and it may run while the network to the server is down.
 */
export const i18n = i18next.createInstance();
void i18n
  .use(initReactI18next)
  // Spanish times end in "p. m.": a sentence ending on one must not get a second full stop.
  .use({ type: 'postProcessor', name: 'oneFullStop', process: (value: string) => value.replace(/\.\.(?=\s|$)/g, '.') })
  .init({
    postProcess: ['oneFullStop'],
    resources: { en: { translation: en }, es: { translation: es } },
    lng: 'en',
    fallbackLng: 'en',
    initAsync: false,
    interpolation: { escapeValue: false },
    react: { useSuspense: false },
  });

/** Switches the screen's language and tells assistive technology about it. */
export function setLanguage(language: Language): void {
  if (i18n.language !== language) void i18n.changeLanguage(language);
  document.documentElement.lang = language;
}
