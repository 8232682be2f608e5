import type { ListDef, ViewDef } from './list-def.js';

/**
 * The view and sort a user last chose on a list, kept in this browser
 * (localStorage, one entry per list), so the list opens the way they left it.
 * The address still wins: a shared or bookmarked link shows what it says.
 */
export interface ListChoice {
  view?: string;
  sort?: string;
  order?: 'asc' | 'desc';
}

const keyOf = (def: ListDef) => `cubby.list.${def.path}`;

export function rememberedChoice(def: ListDef): ListChoice {
  try {
    const stored: unknown = JSON.parse(localStorage.getItem(keyOf(def)) ?? '{}');
    if (!stored || typeof stored !== 'object') return {};
    const { view, sort, order } = stored as Record<string, unknown>;
    const sorts = def.columns.map((c) => c.sort).filter(Boolean);
    return {
      ...(typeof view === 'string' && def.views?.some((v) => v.key === view) ? { view } : {}),
      ...(typeof sort === 'string' && sorts.includes(sort) ? { sort } : {}),
      ...(order === 'asc' || order === 'desc' ? { order } : {}),
    };
  } catch {
    return {}; // storage refused (private mode) or an entry not ours: the list's own default
  }
}

/** Keeps a change of view or sort, and answers the whole remembered choice. */
export function rememberChoice(def: ListDef, change: ListChoice): ListChoice {
  const next = { ...rememberedChoice(def), ...change };
  try {
    localStorage.setItem(keyOf(def), JSON.stringify(next));
  } catch {
    // storage refused: the choice lasts as long as the page
  }
  return next;
}

/**
 * The view and sort the list shows: the address's, else the remembered
 * choice, else the list's default (open items first, newest first).
 */
export function effectiveChoice(
  def: ListDef,
  search: URLSearchParams,
  remembered: ListChoice,
): Omit<ListChoice, 'view'> & { view: ViewDef | undefined } {
  const view = def.views?.find((v) => v.key === (search.get('view') ?? remembered.view)) ?? def.views?.[0];
  const sort = search.get('sort');
  if (sort) {
    const order = search.get('order');
    return { view, sort, ...(order === 'asc' || order === 'desc' ? { order } : {}) };
  }
  if (remembered.sort) return { sort: remembered.sort, order: remembered.order, view };
  return { view, ...(view?.defaultSort ?? def.defaultSort ?? {}) };
}
