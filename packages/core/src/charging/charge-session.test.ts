import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anyEventOf, expectMove, machineContract, terminalContract, transitionTable, walk } from '../testing/machine-contract.js';
import { checkCollectable, nextCharge, type ChargeEvent, type ChargeStatus } from './charge-session.js';

const statuses: readonly ChargeStatus[] = ['depositing', 'charging', 'collecting', 'collected', 'cancelled'];

type EventType = ChargeEvent['type'];

const allowed: Record<EventType, Partial<Record<ChargeStatus, ChargeStatus>>> = {
  deposited: { depositing: 'charging' },
  deposit_failed: { depositing: 'cancelled' },
  collect: { charging: 'collecting' },
  collected: { collecting: 'collected' },
  collect_failed: { collecting: 'charging' },
};

const eventTypes = Object.keys(allowed) as EventType[];
const anEvent = anyEventOf(eventTypes);
const minute = 60_000;

describe('charge session state machine', () => {
  it.each(transitionTable(statuses, allowed))('a $from session given $event $outcome', ({ from, event, to }) =>
    expectMove(nextCharge(from, { type: event }), to),
  );

  it('a device left inside at collection goes back to charging and can be collected on a later try', () => {
    const { steps, end } = walk(nextCharge, 'depositing', [
      { type: 'deposited' },
      { type: 'collect' },
      { type: 'collect_failed' },
      { type: 'collect' },
      { type: 'collected' },
    ]);
    expect(steps.map((s) => s.result)).toEqual(['charging', 'collecting', 'charging', 'collecting', 'collected']);
    expect(end).toBe('collected');
  });

  it('any sequence of events keeps the session in a declared state and refuses only with invalid_transition', () => {
    fc.assert(machineContract(nextCharge, statuses, anEvent), { numRuns: 500 });
  });

  it.each(['collected', 'cancelled'] as const)('a %s session accepts no further event', (terminal) => {
    fc.assert(terminalContract(nextCharge, terminal, anEvent));
  });

  it('a session that starts depositing never returns to depositing', () => {
    fc.assert(
      fc.property(fc.array(anEvent, { maxLength: 30 }), (events) => {
        expect(walk(nextCharge, 'depositing', events).steps.map((s) => s.result)).not.toContain('depositing');
      }),
    );
  });

  it('a device may be collected up to and including the moment the time limit runs out', () => {
    const depositedAt = Date.UTC(2024, 8, 2, 8, 0);
    expect(checkCollectable(depositedAt, depositedAt, 480)).toBeUndefined();
    expect(checkCollectable(depositedAt, depositedAt + 480 * minute, 480)).toBeUndefined();
    const late = checkCollectable(depositedAt, depositedAt + 480 * minute + 1, 480);
    expect(late).toMatchObject({ code: 'charge_expired', details: { limitMinutes: 480 } });
    expect(late?.status).toBe(409);
  });

  it('collection is refused exactly when more than the limit has passed since the deposit', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 42 }),
        fc.integer({ min: 0, max: 14 * 24 * 60 * minute }),
        fc.integer({ min: 1, max: 7 * 24 * 60 }),
        (depositedAt, elapsed, limitMinutes) => {
          const refusal = checkCollectable(depositedAt, depositedAt + elapsed, limitMinutes);
          expect(refusal !== undefined).toBe(elapsed > limitMinutes * minute);
        },
      ),
    );
  });
});
