import { knownTimeZone } from '../i18n/format.js';
import type {
  CompartmentReading,
  KioskAction,
  NearbyStation,
  ProblemCode,
  SignInView,
  StationView,
  TransactionView,
} from './api.js';

/**
 * The kiosk screen as a pure state machine: `(state, event) → state`. The App
 * component turns clicks, scans and the agent's answers into events; nothing
 * here talks to the network, so every path (failover, swap steps, refusals)
 * is tested without a browser.
 */

export interface ProblemView {
  code: ProblemCode;
  nearby: NearbyStation[];
  /** A wrong PIN: tries the student number has left. */
  triesLeft?: number;
  /** A lockout (or the wrong PIN that started it): seconds until PIN sign-in works again, and when that was said. */
  retryAfter?: number;
  at?: number;
  /** The locker a technician's refusal is about, named in its sentence. */
  compartment?: number;
}

export interface DoorStep {
  transaction: TransactionView;
  /** 1-based; a swap has two doors (put the broken one in, take the loaner). */
  step: number;
  total: number;
  /** The door that would not open, when the station fell over to another one. */
  stuck: number | null;
  /** The current door has been seen open (so "closed" now means "done at this door"). */
  opened: boolean;
}

export type Screen =
  | { name: 'idle' }
  | { name: 'pin' }
  | { name: 'menu' }
  | { name: 'reason' }
  | { name: 'symptom' }
  | { name: 'dropOff' }
  | { name: 'return' }
  /** Technician mode: the technician menu, how many loaners to take out, and a scanned or typed asset tag. */
  | { name: 'technician' }
  | { name: 'takeOut' }
  | { name: 'restockTag' }
  | { name: 'placeTag' }
  | { name: 'bankCheck' }
  /** Technician mode: open a locker with a reason; a locker in or out of service (the last change said), and why. */
  | { name: 'openDoor' }
  | { name: 'doorService'; changed?: { compartment: number; outOfService: boolean } }
  | { name: 'serviceReason'; compartment: number; outOfService: boolean }
  | { name: 'agreement'; then: KioskAction }
  | ({ name: 'door' } & DoorStep)
  | { name: 'done'; transaction: TransactionView; compartment: number | null }
  | { name: 'problem'; problem: ProblemView };

export type ScreenName = Screen['name'];
/** Screens a button can go to directly. */
export type PlainScreen = Extract<
  Screen,
  {
    name:
      | 'idle'
      | 'pin'
      | 'menu'
      | 'reason'
      | 'symptom'
      | 'dropOff'
      | 'return'
      | 'technician'
      | 'takeOut'
      | 'restockTag'
      | 'placeTag'
      | 'bankCheck'
      | 'openDoor'
      | 'doorService';
  }
>['name'];

/** Acts that open many doors one after the other, all for the same thing (a technician's collection, a take-out). */
const manyDoors: ReadonlySet<string> = new Set(['technician_collect', 'take_loaners_out', 'bank_check_doors']);

/** Where "the menu" is for this person: a technician of this campus starts at the technician menu. */
export function homeScreen(session: SignInView | null): PlainScreen {
  return session?.technician ? 'technician' : 'menu';
}

export interface KioskState {
  screen: Screen;
  session: SignInView | null;
  /** Why the last sign-in did not work, shown on the idle or PIN screen. */
  notice: ProblemView | null;
  /** A request to the agent is under way; buttons wait. */
  busy: boolean;
  stationName: string | null;
  /** The campus's time zone, once the station has said it: every time on screen is shown in it. */
  timeZone: string | null;
  online: boolean;
  compartments: CompartmentReading[];
}

export type KioskEvent =
  | { type: 'station'; station: Pick<StationView, 'stationName' | 'timeZone' | 'online' | 'compartments'> }
  | { type: 'link'; online: boolean; stationName: string | null; timeZone?: string | undefined }
  | { type: 'door'; compartment: number; door: 'open' | 'closed' }
  | { type: 'navigate'; screen: PlainScreen }
  | { type: 'busy' }
  | { type: 'signed_in'; session: SignInView }
  | { type: 'signed_out'; notice?: ProblemView }
  | { type: 'refused'; problem: ProblemView }
  | { type: 'agreement_needed'; then: KioskAction }
  | { type: 'agreement_accepted' }
  /** Technician mode: a locker picked to go out of service (or back), and the change once the server made it. */
  | { type: 'pick_service_door'; compartment: number; outOfService: boolean }
  | { type: 'service_changed'; compartment: number; outOfService: boolean }
  /** `doors`: how many doors a many-door act will open (the collection's count, the take-out's), for "door 2 of 4". */
  | { type: 'started'; transaction: TransactionView; doors?: number }
  | { type: 'transaction'; transaction: TransactionView };

export const initialState: KioskState = {
  screen: { name: 'idle' },
  session: null,
  notice: null,
  busy: false,
  stationName: null,
  timeZone: null,
  online: true,
  compartments: [],
};

export function kioskReducer(state: KioskState, event: KioskEvent): KioskState {
  switch (event.type) {
    case 'station': {
      const { timeZone, ...station } = event.station;
      return { ...state, ...station, timeZone: knownTimeZone(timeZone) ?? state.timeZone };
    }
    case 'link':
      return {
        ...state,
        online: event.online,
        stationName: event.stationName ?? state.stationName,
        timeZone: knownTimeZone(event.timeZone) ?? state.timeZone,
      };
    case 'door':
      return withDoor(state, event.compartment, event.door);
    case 'navigate':
      if (event.screen !== 'idle' && event.screen !== 'pin' && !state.session) return state;
      return { ...state, busy: false, screen: { name: event.screen }, notice: event.screen === 'pin' ? null : state.notice };
    case 'busy':
      return { ...state, busy: true };
    case 'signed_in':
      return { ...state, busy: false, notice: null, session: event.session, screen: { name: homeScreen(event.session) } };
    case 'signed_out':
      return { ...state, busy: false, session: null, notice: event.notice ?? null, screen: { name: 'idle' } };
    case 'refused':
      if (!state.session) return { ...state, busy: false, notice: event.problem };
      if (event.problem.code === 'session_expired') return kioskReducer(state, { type: 'signed_out', notice: event.problem });
      return { ...state, busy: false, screen: { name: 'problem', problem: event.problem } };
    case 'agreement_needed':
      return { ...state, busy: false, screen: { name: 'agreement', then: event.then } };
    case 'agreement_accepted':
      return state.session ? { ...state, session: { ...state.session, agreementRequired: false } } : state;
    case 'pick_service_door':
      if (!state.session?.technician) return state;
      return { ...state, screen: { name: 'serviceReason', compartment: event.compartment, outOfService: event.outOfService } };
    case 'service_changed':
      return withServiceChange(state, event);
    case 'started': {
      const { transaction } = event;
      const door: Screen = {
        name: 'door',
        transaction,
        step: 1,
        total: transaction.kind === 'swap' ? 2 : manyDoors.has(transaction.kind) ? Math.max(1, event.doors ?? 1) : 1,
        stuck: null,
        opened: false,
      };
      return followTransaction({ ...state, busy: false, screen: door }, transaction, true);
    }
    case 'transaction':
      return followTransaction(state, event.transaction, false);
  }
}

/** A locker went out of service (or back): the service screen says so, and the menu's list follows. */
function withServiceChange(state: KioskState, event: Extract<KioskEvent, { type: 'service_changed' }>): KioskState {
  const technician = state.session?.technician;
  if (!state.session || !technician) return state;
  const others = (technician.outOfServiceDoors ?? []).filter((n) => n !== event.compartment);
  const outOfServiceDoors = event.outOfService ? [...others, event.compartment].sort((a, b) => a - b) : others;
  const { compartment, outOfService } = event;
  return {
    ...state,
    busy: false,
    session: { ...state.session, technician: { ...technician, outOfServiceDoors } },
    screen: { name: 'doorService', changed: { compartment, outOfService } },
  };
}

/** A transaction moved on: the next door, a door that fell over, or its end. */
function followTransaction(state: KioskState, next: TransactionView, starting: boolean): KioskState {
  const screen = state.screen;
  if (screen.name !== 'door' || screen.transaction.id !== next.id) return state;
  const current = screen.transaction;
  if (next.status === 'completed') {
    const done = carried(next, current);
    return { ...state, screen: { name: 'done', transaction: done, compartment: current.compartment } };
  }
  if (next.status === 'failed') {
    const code = (next.error?.code ?? 'internal') as ProblemCode;
    return { ...state, screen: { name: 'problem', problem: { code, nearby: [] } } };
  }
  // An answer older than what the screen shows (the stuck door again) changes nothing.
  if (!starting && next.compartment !== null && next.compartment === screen.stuck && next.purpose === current.purpose)
    return state;
  let { step, stuck, opened, total } = screen;
  if (next.openDoors) {
    // Doors unlocked together: no door-by-door count; the list shrinks as each one shuts.
    return { ...state, screen: { ...screen, transaction: carried(next, current), stuck: null, opened: true } };
  }
  if (!starting && manyDoors.has(next.kind) && next.compartment !== current.compartment) {
    // The next door of a collection. One that was never seen open is a lock that jammed: the station moved on.
    stuck = opened ? null : current.compartment;
    step += 1;
    total = Math.max(total, step);
    opened = false;
  } else if (!starting && next.purpose !== current.purpose) {
    step = Math.min(step + 1, screen.total);
    stuck = null;
    opened = false;
  } else if (!starting && next.compartment !== current.compartment) {
    // Same step at another door: the lock of the first one did not open.
    stuck = current.compartment;
    opened = false;
  }
  if (next.compartment !== null && doorOf(state, next.compartment) === 'open') opened = true;
  return { ...state, screen: { ...screen, transaction: carried(next, current), step, total, stuck, opened } };
}

/** What an earlier update said and a later one left out (the due time, the loaner) stays known. */
function carried(next: TransactionView, current: TransactionView): TransactionView {
  const dueAt = next.dueAt ?? current.dueAt;
  const assetTag = next.assetTag ?? current.assetTag;
  return { ...next, ...(dueAt !== undefined ? { dueAt } : {}), ...(assetTag !== undefined ? { assetTag } : {}) };
}

function withDoor(state: KioskState, compartment: number, door: 'open' | 'closed'): KioskState {
  const compartments = state.compartments.map((c) => (c.number === compartment ? { ...c, door } : c));
  const screen = state.screen;
  if (screen.name === 'door' && door === 'open' && screen.transaction.compartment === compartment && !screen.opened) {
    return { ...state, compartments, screen: { ...screen, opened: true } };
  }
  return { ...state, compartments };
}

export function doorOf(state: Pick<KioskState, 'compartments'>, compartment: number): 'open' | 'closed' | undefined {
  return state.compartments.find((c) => c.number === compartment)?.door;
}

/** What the big heading says at an open door. */
export function doorPhase(state: KioskState, step: DoorStep): 'opening' | 'open' | 'checking' {
  const number = step.transaction.compartment;
  if (number === null || !step.opened) return 'opening';
  return doorOf(state, number) === 'closed' ? 'checking' : 'open';
}

/** Borrowing (alone or in a swap) hands out a loaner, so it needs the agreement first. */
export function needsAgreement(session: SignInView | null, action: KioskAction): boolean {
  return Boolean(session?.agreementRequired) && (action.kind === 'borrow' || action.kind === 'swap');
}
