import { createContext, useContext } from 'react';
import { useTranslation } from 'react-i18next';
import { formatClock, formatDue } from '../i18n/format.js';

/** The station's campus time zone (App provides it from the station's status). */
export const CampusTimeZone = createContext<string | undefined>(undefined);

/** Times as the campus reads them, whatever zone the kiosk PC's clock is set to. */
export function useCampusTime(): { due: (dueAt: number) => string; clock: (at: number) => string } {
  const { t, i18n } = useTranslation();
  const zone = useContext(CampusTimeZone);
  return {
    due: (dueAt) => formatDue(t, i18n.language, dueAt, zone),
    clock: (at) => formatClock(i18n.language, at, zone),
  };
}
