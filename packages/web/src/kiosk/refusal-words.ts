import type { TFunction } from 'i18next';
import type { KioskChoice, NearbyStation } from '@cubby/protocol';

/** Refusals the menu has its own words for; any other code reads as "not here right now". */
const worded = new Set(['loan_limit_reached', 'no_loaner_available', 'no_device_on_record', 'offline_limit_reached']);

/** Where a loaner is, in a sentence: the nearest station first (same campus first, as the server ranked them). */
export function nearbySentence(t: TFunction, nearby: readonly NearbyStation[] | undefined): string | undefined {
  const first = nearby?.[0];
  if (!first) return undefined;
  const values = { stationName: first.stationName, campusName: first.campusName, count: first.available };
  return first.campusName ? t('menu.nearbyCampus', values) : t('menu.nearby', values);
}

/** Why a choice is not possible here, and where to go instead when another station can. */
export function refusalHint(t: TFunction, choice: KioskChoice): string {
  const code = choice.refusedFor ?? '';
  const why = t(worded.has(code) ? `menu.refused.${code}` : 'menu.refused.other');
  const elsewhere = nearbySentence(t, choice.nearby);
  return elsewhere ? `${why} ${elsewhere}` : why;
}
