import { describe, expect, it } from 'vitest';
import { testDialects } from '@cubby/db/testing';
import { runLinkCuts } from '../testing/faults/link-cuts.js';

/**
 * A short run of `npm run bench:faults`' link-cut scenario (same code, fewer
 * cuts): CUBBY_FAULT_CUTS and CUBBY_FAULT_SEED change it.
 */
describe.each(testDialects)('random link cuts during kiosk flows on %s', (dialect) => {
  it('lose and duplicate no acknowledged transaction and leave doors and invariants right', { timeout: 120_000 }, async () => {
    const outcome = await runLinkCuts({
      dialect,
      cuts: Number(process.env.CUBBY_FAULT_CUTS ?? 24),
      seed: Number(process.env.CUBBY_FAULT_SEED ?? 20261123),
    });
    expect(outcome.transactions).toBeGreaterThan(0);
    expect({
      lost: outcome.lost,
      duplicated: outcome.duplicated,
      doors: outcome.doorMismatches,
      invariants: outcome.invariantViolations,
      outOfService: outcome.outOfService,
    }).toEqual({ lost: [], duplicated: [], doors: [], invariants: [], outOfService: 0 });
  });
});
