import { Button, Group, Text, VisuallyHidden } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { languageNames, languages, setLanguage } from '../i18n/index.js';
import { Icon } from '../ui/icons.js';
import type { KioskState, PlainScreen } from './kiosk-state.js';

const backTo: Partial<Record<KioskState['screen']['name'], PlainScreen>> = {
  pin: 'idle',
  reason: 'menu',
  symptom: 'menu',
  dropOff: 'menu',
  return: 'menu',
  takeOut: 'technician',
  restockTag: 'technician',
  placeTag: 'technician',
};
const withSignOut = new Set([
  'menu',
  'reason',
  'symptom',
  'dropOff',
  'return',
  'technician',
  'takeOut',
  'restockTag',
  'placeTag',
]);

/** Top bar (station, language), the screen, and a bottom bar with Back / Sign out where they make sense. */
export function KioskFrame({
  state,
  warnSeconds,
  onNavigate,
  onSignOut,
  children,
}: {
  state: KioskState;
  /** Seconds until the inactivity sign-out, while it should be shown. */
  warnSeconds: number | null;
  onNavigate: (screen: PlainScreen) => void;
  onSignOut: () => void;
  children: ReactNode;
}) {
  const { t, i18n } = useTranslation();
  const name = state.screen.name;
  // A technician who opened their own (student) menu goes back to the technician menu.
  const back = name === 'menu' && state.session?.technician ? 'technician' : backTo[name];
  const showSignOut = state.session !== null && withSignOut.has(name);
  return (
    <div className="kiosk" data-screen={name} data-ready={state.compartments.length > 0 || undefined}>
      <header className="kiosk-top">
        <Text className="station-name">{state.stationName ?? t('app.station')}</Text>
        <Group gap="xs" role="group" aria-label={t('app.language')}>
          {languages.map((language) => (
            <Button
              key={language}
              lang={language}
              size="lg"
              variant={i18n.language === language ? 'filled' : 'default'}
              aria-pressed={i18n.language === language}
              onClick={() => setLanguage(language)}
              className="language"
            >
              {languageNames[language]}
            </Button>
          ))}
        </Group>
      </header>
      {!state.online && (
        <div className="offline" role="status">
          <Icon name="warning" size={28} /> {t('app.offline')}
        </div>
      )}
      <main className="kiosk-main">{children}</main>
      {warnSeconds !== null && (
        <div className="still-there" role="alert">
          {/* The count changes every second: said once, shown live. */}
          <span aria-hidden="true" className="still-there-text">
            {t('app.stillThere', { count: warnSeconds })}
          </span>
          {/* For screen readers only: Mantine's VisuallyHidden rule (main.tsx imports its CSS) clips it to nothing. */}
          <VisuallyHidden>{t('app.stillThereSoon')}</VisuallyHidden>
          {/* Any touch or key resets the timer, this button included. It never shrinks: the sentence wraps instead. */}
          <Button size="lg" className="still-there-button" onClick={() => undefined}>
            {t('app.moreTime')}
          </Button>
        </div>
      )}
      {(back || showSignOut) && (
        <footer className="kiosk-bottom">
          {back ? (
            <Button size="xl" variant="default" onClick={() => onNavigate(back)} leftSection={<Icon name="back" />}>
              {t('app.back')}
            </Button>
          ) : (
            <span />
          )}
          {showSignOut && (
            <Button size="xl" variant="default" onClick={onSignOut} leftSection={<Icon name="signOut" />}>
              {t('app.signOut')}
            </Button>
          )}
        </footer>
      )}
    </div>
  );
}
