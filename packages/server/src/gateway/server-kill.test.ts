import { describe, expect, it } from 'vitest';
import { testDialects } from '@cubby/db/testing';
import { runServerKills } from '../testing/faults/server-kills.js';

/**
 * A short run of `npm run bench:faults`' server-kill scenario (same code, fewer
 * kills): kill -9 of the server process during kiosk flows, restart on the same
 * database. CUBBY_FAULT_SEED and CUBBY_FAULT_KILLS change it.
 */
describe.each(testDialects)('server killed with SIGKILL under kiosk load on %s', (dialect) => {
  it(
    'loses and duplicates no acknowledged transaction; the audit chain is sealed and intact after the restart',
    { timeout: 180_000 },
    async () => {
      const outcome = await runServerKills({
        dialect,
        kills: Number(process.env.CUBBY_FAULT_KILLS ?? 3),
        seed: Number(process.env.CUBBY_FAULT_SEED ?? 20261123),
      });
      expect(outcome.transactions).toBeGreaterThan(0);
      expect({
        lost: outcome.lost,
        duplicated: outcome.duplicated,
        doors: outcome.doorMismatches,
        invariants: outcome.invariantViolations,
        outOfService: outcome.outOfService,
        unsealed: outcome.unsealedAtEnd,
      }).toEqual({ lost: [], duplicated: [], doors: [], invariants: [], outOfService: 0, unsealed: 0 });
    },
  );
});
