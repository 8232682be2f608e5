import { describe, expect, it } from 'vitest';
import type { SignInView, TransactionView } from './api.js';
import {
  doorPhase,
  homeScreen,
  initialState,
  kioskReducer,
  needsAgreement,
  type KioskEvent,
  type KioskState,
} from './kiosk-state.js';

const session: SignInView = {
  signedIn: true,
  expiresAt: 0,
  person: { id: 'p1', givenName: 'Ana', role: 'student' },
  loans: [],
  charging: null,
  pickup: null,
  agreementRequired: false,
  choices: { borrow: { allowed: true }, swap: { allowed: true }, dropOff: { allowed: true } },
};
const borrow: TransactionView = {
  id: 't1',
  kind: 'borrow',
  status: 'in_progress',
  compartment: 3,
  purpose: 'take_loaner',
  dueAt: 1000,
};
const swap: TransactionView = {
  id: 't2',
  kind: 'swap',
  status: 'in_progress',
  compartment: 5,
  purpose: 'deposit_broken',
  dueAt: 2000,
};
const bank = [3, 5, 7, 9].map((number) => ({ number, door: 'closed' as const, presence: true, charging: false }));

const run = (...events: KioskEvent[]): KioskState => events.reduce(kioskReducer, initialState);
const signedIn: KioskEvent[] = [
  { type: 'station', station: { stationName: 'Library', online: true, compartments: bank } },
  { type: 'signed_in', session },
];

describe('kiosk state', () => {
  it('a refused sign-in stays on the idle screen with the reason', () => {
    const state = run({ type: 'busy' }, { type: 'refused', problem: { code: 'unknown_credential', nearby: [] } });
    expect(state.screen.name).toBe('idle');
    expect(state.notice?.code).toBe('unknown_credential');
    expect(state.busy).toBe(false);
  });

  it('a refused action shows the problem, and an expired session signs out with a notice', () => {
    const refused = run(...signedIn, { type: 'refused', problem: { code: 'loan_limit_reached', nearby: [] } });
    expect(refused.screen).toMatchObject({ name: 'problem', problem: { code: 'loan_limit_reached' } });
    const expired = run(...signedIn, { type: 'refused', problem: { code: 'session_expired', nearby: [] } });
    expect(expired).toMatchObject({ session: null, screen: { name: 'idle' }, notice: { code: 'session_expired' } });
  });

  it('the door screen says "opening" until the door is seen open, then "open", then "checking" once closed', () => {
    let state = run(...signedIn, { type: 'started', transaction: borrow });
    const phase = () => (state.screen.name === 'door' ? doorPhase(state, state.screen) : state.screen.name);
    expect(phase()).toBe('opening');
    state = kioskReducer(state, { type: 'door', compartment: 3, door: 'open' });
    expect(phase()).toBe('open');
    state = kioskReducer(state, { type: 'door', compartment: 3, door: 'closed' });
    expect(phase()).toBe('checking');
    state = kioskReducer(state, {
      type: 'transaction',
      transaction: { ...borrow, status: 'completed', compartment: null, purpose: null, dueAt: undefined },
    });
    expect(state.screen).toMatchObject({ name: 'done', compartment: 3, transaction: { kind: 'borrow', dueAt: 1000 } });
  });

  it('a door already open when the answer arrives counts as open', () => {
    const state = run(...signedIn, { type: 'door', compartment: 3, door: 'open' }, { type: 'started', transaction: borrow });
    expect(state.screen).toMatchObject({ name: 'door', opened: true });
  });

  it('the same step at another door means the first lock was stuck', () => {
    const state = run(
      ...signedIn,
      { type: 'started', transaction: borrow },
      { type: 'transaction', transaction: { ...borrow, compartment: 9 } },
    );
    expect(state.screen).toMatchObject({ name: 'door', stuck: 3, step: 1, opened: false, transaction: { compartment: 9 } });
    const stale = kioskReducer(state, { type: 'transaction', transaction: borrow });
    expect(stale).toBe(state);
  });

  it('a swap moves to its second door and counts the steps', () => {
    let state = run(...signedIn, { type: 'started', transaction: swap });
    expect(state.screen).toMatchObject({ name: 'door', step: 1, total: 2 });
    state = kioskReducer(state, { type: 'transaction', transaction: { ...swap, compartment: 7, purpose: 'take_loaner' } });
    expect(state.screen).toMatchObject({ name: 'door', step: 2, total: 2, stuck: null, transaction: { compartment: 7 } });
  });

  it('a failed transaction shows its error, and updates of other transactions are ignored', () => {
    let state = run(...signedIn, { type: 'started', transaction: borrow });
    state = kioskReducer(state, { type: 'transaction', transaction: { ...swap, status: 'failed' } });
    expect(state.screen.name).toBe('door');
    state = kioskReducer(state, {
      type: 'transaction',
      transaction: {
        ...borrow,
        status: 'failed',
        compartment: null,
        purpose: null,
        error: { code: 'loaner_not_taken', title: 'x' },
      },
    });
    expect(state.screen).toMatchObject({ name: 'problem', problem: { code: 'loaner_not_taken' } });
  });

  it('only signed-in people reach the menu, and signing out forgets the session', () => {
    expect(run({ type: 'navigate', screen: 'menu' }).screen.name).toBe('idle');
    const out = run(...signedIn, { type: 'navigate', screen: 'reason' }, { type: 'signed_out' });
    expect(out).toMatchObject({ session: null, screen: { name: 'idle' }, notice: null });
  });

  it('asks for the agreement before a loaner is handed out, and only then', () => {
    const must = { ...session, agreementRequired: true };
    expect(needsAgreement(must, { kind: 'borrow', reason: 'forgotten' })).toBe(true);
    expect(needsAgreement(must, { kind: 'swap', symptom: 'screen' })).toBe(true);
    expect(needsAgreement(must, { kind: 'return' })).toBe(false);
    expect(needsAgreement(session, { kind: 'borrow', reason: 'forgotten' })).toBe(false);
    const accepted = run({ type: 'signed_in', session: must }, { type: 'agreement_accepted' });
    expect(accepted.session?.agreementRequired).toBe(false);
  });

  it("keeps the campus's time zone from the station's status and link updates, ignoring a zone the browser does not know", () => {
    const station = { stationName: 'Library', online: true, compartments: bank };
    expect(run({ type: 'station', station }).timeZone).toBeNull();
    const known = run({ type: 'station', station: { ...station, timeZone: 'America/Chicago' } });
    expect(known.timeZone).toBe('America/Chicago');
    const bad = kioskReducer(known, { type: 'link', online: true, stationName: 'Library', timeZone: 'Mars/Olympus' });
    expect(bad.timeZone).toBe('America/Chicago');
    const moved = kioskReducer(known, { type: 'link', online: true, stationName: 'Library', timeZone: 'America/Denver' });
    expect(moved.timeZone).toBe('America/Denver');
  });

  it('the done screen keeps the loaner and due time an earlier update named', () => {
    let state = run(...signedIn, { type: 'started', transaction: borrow });
    state = kioskReducer(state, { type: 'transaction', transaction: { ...borrow, assetTag: 'LN-00042' } });
    const done = { id: 't1', kind: 'borrow', status: 'completed' as const, compartment: null, purpose: null };
    state = kioskReducer(state, { type: 'transaction', transaction: done });
    expect(state.screen).toMatchObject({ name: 'done', transaction: { assetTag: 'LN-00042', dueAt: 1000 } });
  });

  describe('technician mode', () => {
    const technician: SignInView = {
      ...session,
      person: { id: 'p2', givenName: 'Tom', role: 'technician' },
      technician: { awaitingCollection: 3, emptyCompartments: 4, loanersHere: 2, readyToPlace: 1, differences: [] },
    };
    const collect: TransactionView = {
      id: 't3',
      kind: 'technician_collect',
      status: 'in_progress',
      compartment: 3,
      purpose: 'collect_flagged',
    };

    it('a technician of this campus starts at the technician menu, and comes back to it', () => {
      const state = run({ type: 'signed_in', session: technician });
      expect(state.screen.name).toBe('technician');
      expect(homeScreen(technician)).toBe('technician');
      expect(homeScreen(session)).toBe('menu');
      // One tap to the tag screen; from there the scan opens a door.
      expect(kioskReducer(state, { type: 'navigate', screen: 'placeTag' }).screen.name).toBe('placeTag');
      // A technician of another campus gets the student menu (it says why there is no technician mode).
      const elsewhere = run({ type: 'signed_in', session: { ...session, technicianRefused: 'not_technician_here' } });
      expect(elsewhere.screen.name).toBe('menu');
    });

    it("a collection's doors count up one after the other; one never seen open is a jammed lock", () => {
      let state = run(
        { type: 'station', station: { stationName: 'Library', online: true, compartments: bank } },
        { type: 'signed_in', session: technician },
        { type: 'started', transaction: collect, doors: 3 },
      );
      expect(state.screen).toMatchObject({ name: 'door', step: 1, total: 3, stuck: null });
      state = kioskReducer(state, { type: 'door', compartment: 3, door: 'open' });
      state = kioskReducer(state, { type: 'door', compartment: 3, door: 'closed' });
      state = kioskReducer(state, { type: 'transaction', transaction: { ...collect, compartment: 5 } });
      expect(state.screen).toMatchObject({ name: 'door', step: 2, total: 3, stuck: null, opened: false });
      // Door 5 never opened: the station moved on to 7.
      state = kioskReducer(state, { type: 'transaction', transaction: { ...collect, compartment: 7 } });
      expect(state.screen).toMatchObject({ name: 'door', step: 3, total: 3, stuck: 5, transaction: { compartment: 7 } });
      const summary = { collected: 1, emptyDoors: [9], leftInside: [], jammedDoors: [5] };
      state = kioskReducer(state, {
        type: 'transaction',
        transaction: { ...collect, status: 'completed', compartment: null, purpose: null, summary },
      });
      expect(state.screen).toMatchObject({ name: 'done', transaction: { kind: 'technician_collect', summary } });
    });

    it('doors unlocked all at once: no door-by-door count, no stuck door, the open list follows the server', () => {
      let state = run(
        { type: 'station', station: { stationName: 'Library', online: true, compartments: bank } },
        { type: 'signed_in', session: technician },
        { type: 'started', transaction: { ...collect, openDoors: [3, 5, 7] }, doors: 3 },
      );
      expect(state.screen).toMatchObject({ name: 'door', stuck: null, opened: true, transaction: { openDoors: [3, 5, 7] } });
      // Door 3 shuts first: the next update names 5 and 7 (no step counted, 3 is not "stuck").
      state = kioskReducer(state, { type: 'door', compartment: 3, door: 'closed' });
      state = kioskReducer(state, { type: 'transaction', transaction: { ...collect, compartment: 5, openDoors: [5, 7] } });
      expect(state.screen).toMatchObject({
        name: 'door',
        step: 1,
        stuck: null,
        opened: true,
        transaction: { openDoors: [5, 7] },
      });
      state = kioskReducer(state, { type: 'transaction', transaction: { ...collect, compartment: 7, openDoors: [7] } });
      expect(state.screen).toMatchObject({ name: 'door', stuck: null, transaction: { compartment: 7, openDoors: [7] } });
      const summary = { collected: 3, emptyDoors: [], leftInside: [], jammedDoors: [] };
      state = kioskReducer(state, {
        type: 'transaction',
        transaction: { ...collect, status: 'completed', compartment: null, purpose: null, summary },
      });
      expect(state.screen).toMatchObject({ name: 'done', transaction: { summary } });
    });

    it('a locker taken out of service shows on the service screen, and the menu knows it; back in service, it no longer does', () => {
      let state = run({ type: 'signed_in', session: technician }, { type: 'navigate', screen: 'doorService' });
      state = kioskReducer(state, { type: 'pick_service_door', compartment: 4, outOfService: true });
      expect(state.screen).toEqual({ name: 'serviceReason', compartment: 4, outOfService: true });
      state = kioskReducer(state, { type: 'service_changed', compartment: 4, outOfService: true });
      expect(state.screen).toEqual({ name: 'doorService', changed: { compartment: 4, outOfService: true } });
      expect(state.session?.technician?.outOfServiceDoors).toEqual([4]);
      state = kioskReducer(state, { type: 'service_changed', compartment: 4, outOfService: false });
      expect(state.session?.technician?.outOfServiceDoors).toEqual([]);
    });

    it('a student cannot reach the service screens', () => {
      const state = run({ type: 'signed_in', session }, { type: 'pick_service_door', compartment: 4, outOfService: true });
      expect(state.screen.name).toBe('menu');
    });

    it('a bank check opening each door counts its doors like a collection', () => {
      const check: TransactionView = {
        id: 't9',
        kind: 'bank_check_doors',
        status: 'in_progress',
        compartment: 3,
        purpose: 'bank_check',
      };
      let state = run({ type: 'signed_in', session: technician }, { type: 'started', transaction: check, doors: 4 });
      expect(state.screen).toMatchObject({ name: 'door', step: 1, total: 4 });
      state = kioskReducer(state, { type: 'door', compartment: 3, door: 'open' });
      state = kioskReducer(state, { type: 'transaction', transaction: { ...check, compartment: 5 } });
      expect(state.screen).toMatchObject({ name: 'door', step: 2, total: 4, stuck: null });
    });
  });
});
