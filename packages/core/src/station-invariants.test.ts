/**
 * ARCHITECTURE §3 invariants, checked on a small pure model of one station:
 * random kiosk visits are driven through the real state machines, the loan
 * limit and the loaner ranking, and after every step no device is in two
 * places, no compartment holds two devices, no device has two open loans and
 * nobody holds more loaners than the policy allows.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nextCompartment, type CompartmentEvent, type CompartmentStatus } from './compartment/compartment.js';
import { isInCompartment, nextDevice, type DeviceEvent, type DeviceStatus } from './device/device.js';
import { isDomainError, type DomainError } from './errors.js';
import { isOpenLoan, nextLoan, type LoanEvent, type LoanStatus } from './loan/loan.js';
import { rankLoaners } from './loan/loaner-choice.js';
import { checkLoanLimit, parseLoanPolicy, type LoanPolicy } from './loan/policy.js';

interface Compartment {
  number: number;
  status: CompartmentStatus;
  /** What is physically inside: the invariant is that this never exceeds one. */
  contents: string[];
}
interface Loaner {
  id: string;
  status: DeviceStatus;
  batteryPercent: number;
  loanCount: number;
  lastLoanedAt: number | null;
}
interface Loan {
  personId: number;
  deviceId: string;
  status: LoanStatus;
}
interface Station {
  policy: LoanPolicy;
  compartments: Compartment[];
  loaners: Map<string, Loaner>;
  loans: Loan[];
  clock: number;
}

type Visit =
  | { kind: 'borrow'; person: number; outcome: 'taken' | 'left_inside' | 'lock_jammed' }
  | { kind: 'return'; person: number; deposited: boolean }
  | { kind: 'due_passed'; loan: number }
  | { kind: 'declared_lost'; loan: number }
  | { kind: 'door_jams'; door: number }
  | { kind: 'door_repaired'; door: number }
  | { kind: 'charge_changes'; door: number; percent: number };

/** Where the model expects a machine to agree, a refusal is a test failure. */
function must<S>(result: S | DomainError): S {
  if (isDomainError(result)) throw new Error(`model step refused: ${result.message}`);
  return result;
}

const compartmentOn = (c: Compartment, event: CompartmentEvent) => (c.status = must(nextCompartment(c.status, event)));
const deviceOn = (d: Loaner, event: DeviceEvent['type']) => (d.status = must(nextDevice(d.status, { type: event })));
const loanOn = (l: Loan, event: LoanEvent['type']) => (l.status = must(nextLoan(l.status, { type: event })));
const openLoansOf = (s: Station, person: number) => s.loans.filter((l) => l.personId === person && isOpenLoan(l.status));

function borrow(s: Station, person: number, outcome: 'taken' | 'left_inside' | 'lock_jammed'): void {
  if (checkLoanLimit(openLoansOf(s, person).length, s.policy)) return;
  const candidates = s.compartments.flatMap((c) => {
    const device = c.status === 'loaded' ? s.loaners.get(c.contents[0] ?? '') : undefined;
    return device?.status === 'available' ? [{ ...device, deviceId: device.id, compartmentNumber: c.number }] : [];
  });
  const choice = rankLoaners(candidates, s.policy.minChargePercent)[0];
  if (!choice) return;
  expect(choice.batteryPercent).toBeGreaterThanOrEqual(s.policy.minChargePercent);
  const door = s.compartments[choice.compartmentNumber - 1]!;
  const device = s.loaners.get(choice.deviceId)!;
  compartmentOn(door, { type: 'reserve' });
  deviceOn(device, 'lend');
  const loan: Loan = { personId: person, deviceId: device.id, status: 'pending' };
  s.loans.push(loan);
  if (outcome === 'lock_jammed') {
    // The kiosk flags the door and cancels; the loaner stays locked inside.
    compartmentOn(door, { type: 'take_out_of_service' });
    loanOn(loan, 'not_taken');
    deviceOn(device, 'lend_cancelled');
    return;
  }
  compartmentOn(door, { type: 'door_opened' });
  if (outcome === 'taken') door.contents = [];
  compartmentOn(door, { type: 'door_closed', presence: door.contents.length > 0 });
  if (outcome === 'taken') {
    loanOn(loan, 'taken');
    device.loanCount += 1;
    device.lastLoanedAt = s.clock;
  } else {
    loanOn(loan, 'not_taken');
    deviceOn(device, 'lend_cancelled');
  }
}

function giveBack(s: Station, person: number, deposited: boolean): void {
  const loan = s.loans.find((l) => l.personId === person && ['active', 'overdue', 'lost'].includes(l.status));
  const door = s.compartments.find((c) => c.status === 'empty');
  if (!loan || !door) return;
  compartmentOn(door, { type: 'reserve' });
  compartmentOn(door, { type: 'door_opened' });
  if (deposited) door.contents.push(loan.deviceId);
  compartmentOn(door, { type: 'door_closed', presence: door.contents.length > 0 });
  if (!deposited) return; // an empty "return" is not recorded
  loanOn(loan, 'returned');
  deviceOn(s.loaners.get(loan.deviceId)!, 'returned');
}

function visit(s: Station, v: Visit): void {
  s.clock += 60_000;
  const doorAt = (n: number) => s.compartments[n % s.compartments.length]!;
  switch (v.kind) {
    case 'borrow':
      return borrow(s, v.person, v.outcome);
    case 'return':
      return giveBack(s, v.person, v.deposited);
    case 'due_passed':
    case 'declared_lost': {
      const loan = s.loans[v.loan % s.loans.length];
      if (!loan) return;
      const result = nextLoan(loan.status, { type: v.kind });
      if (isDomainError(result)) return expect(result.code).toBe('invalid_transition');
      if (v.kind === 'declared_lost') deviceOn(s.loaners.get(loan.deviceId)!, 'lost');
      loan.status = result;
      return;
    }
    case 'door_jams':
      compartmentOn(doorAt(v.door), { type: 'take_out_of_service' });
      return;
    case 'door_repaired': {
      const door = doorAt(v.door);
      const result = nextCompartment(door.status, { type: 'return_to_service', presence: door.contents.length > 0 });
      if (isDomainError(result)) return expect(result.code).toBe('invalid_transition');
      door.status = result;
      return;
    }
    case 'charge_changes': {
      const device = s.loaners.get(doorAt(v.door).contents[0] ?? '');
      if (device) device.batteryPercent = v.percent;
      return;
    }
  }
}

function expectInvariants(s: Station, people: number): void {
  for (const c of s.compartments) {
    expect(c.contents.length).toBeLessThanOrEqual(1);
    if (c.status === 'empty') expect(c.contents).toEqual([]);
    if (c.status === 'loaded') expect(c.contents).toHaveLength(1);
  }
  for (const device of s.loaners.values()) {
    const inDoors = s.compartments.filter((c) => c.contents.includes(device.id)).length;
    const open = s.loans.filter((l) => l.deviceId === device.id && isOpenLoan(l.status));
    const withStudent = open.filter((l) => l.status !== 'pending').length;
    expect(inDoors + withStudent).toBeLessThanOrEqual(1);
    expect(open.length).toBeLessThanOrEqual(1);
    expect(inDoors === 1).toBe(isInCompartment(device.status));
    expect(device.status === 'on_loan').toBe(withStudent === 1);
  }
  expect(s.loans.filter((l) => l.status === 'pending')).toEqual([]);
  for (let person = 0; person < people; person++) {
    expect(openLoansOf(s, person).length).toBeLessThanOrEqual(s.policy.maxActiveLoans);
  }
}

/** A station with `doors` compartments, the first ones stocked with loaners charged as listed. */
function aStationWith(plan: { doors: number; charges: number[]; maxActiveLoans: number; minChargePercent: number }): Station {
  const stocked = plan.charges.slice(0, plan.doors);
  const loaners = new Map(
    stocked.map((batteryPercent, i): [string, Loaner] => [
      `loaner-${i + 1}`,
      { id: `loaner-${i + 1}`, status: 'available', batteryPercent, loanCount: 0, lastLoanedAt: null },
    ]),
  );
  const compartments = Array.from({ length: plan.doors }, (_, i): Compartment => {
    const contents = i < stocked.length ? [`loaner-${i + 1}`] : [];
    return { number: i + 1, status: contents.length > 0 ? 'loaded' : 'empty', contents };
  });
  const policy = parseLoanPolicy({ maxActiveLoans: plan.maxActiveLoans, minChargePercent: plan.minChargePercent });
  return { policy, compartments, loaners, loans: [], clock: 0 };
}

const aStationPlan = fc.record({
  doors: fc.integer({ min: 1, max: 6 }),
  charges: fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 1, maxLength: 6 }),
  maxActiveLoans: fc.oneof(fc.constant(1), fc.integer({ min: 0, max: 3 })),
  // Mostly the default floor, sometimes any, so both lending and "too flat" happen often.
  minChargePercent: fc.oneof(fc.constant(50), fc.integer({ min: 0, max: 100 })),
});

const people = 3;
const aPerson = fc.nat(people - 1);
const aVisit: fc.Arbitrary<Visit> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('borrow' as const),
      person: aPerson,
      outcome: fc.constantFrom('taken' as const, 'left_inside' as const, 'lock_jammed' as const),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('return' as const), person: aPerson, deposited: fc.boolean() }) },
  fc.record({ kind: fc.constantFrom('due_passed' as const, 'declared_lost' as const), loan: fc.nat() }),
  fc.record({ kind: fc.constantFrom('door_jams' as const, 'door_repaired' as const), door: fc.nat() }),
  fc.record({ kind: fc.constant('charge_changes' as const), door: fc.nat(), percent: fc.integer({ min: 0, max: 100 }) }),
);

describe('station invariants', () => {
  it('after every kiosk visit no device is in two places, no door holds two devices, and no one exceeds the loan limit', () => {
    fc.assert(
      fc.property(aStationPlan, fc.array(aVisit, { maxLength: 80, size: 'max' }), (plan, visits) => {
        const station = aStationWith(plan);
        expectInvariants(station, people);
        for (const v of visits) {
          visit(station, v);
          expectInvariants(station, people);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('a station with two charged loaners and a limit of one lends one of them to a student and refuses the second borrow', () => {
    const station = aStationWith({ doors: 2, charges: [80, 100], maxActiveLoans: 1, minChargePercent: 50 });
    visit(station, { kind: 'borrow', person: 0, outcome: 'taken' });
    visit(station, { kind: 'borrow', person: 0, outcome: 'taken' });
    expect(station.loans.map((l) => [l.deviceId, l.status])).toEqual([['loaner-2', 'active']]);
    expect(station.compartments.map((c) => c.status)).toEqual(['loaded', 'empty']);
    expectInvariants(station, people);
  });
});
