import { describe, expect, it } from 'vitest';
import { runCubby } from '../testing/commands.js';

describe('cubby simulate', { timeout: 120_000 }, () => {
  it('prints a term at the lockers, per station, with the loaners a 99 % service needs', () => {
    const { code, stdout } = runCubby(
      ['simulate', '--students', '1500', '--forget-rate', '0.012', '--station', 'Library:12:20', '--station', 'Front Hall:6:12'],
      {},
    );
    expect(code).toBe(0);
    expect(stdout).toMatch(/^90 school days, 1500 students, 2 station\(s\), seed 1$/m);
    expect(stdout).toMatch(/^Library\s+\d+\s+\d+\s+0\s+[\d.]+ min/m);
    expect(stdout).toMatch(/^Front Hall\s+\d+/m);
    expect(stdout).toMatch(/loaners for 99 % served: \d+ \(\d+ for day loans \+ \d+ for swaps\); the stations hold 18/);
  });

  it('the same seed gives the same term; a bigger pool turns fewer away', () => {
    const run = (loaners: number) => {
      const { code, stdout } = runCubby(['simulate', '--json', '--station', `Library:${loaners}:${loaners + 10}`], {});
      expect(code).toBe(0);
      return JSON.parse(stdout) as { outcome: { requests: number; turnedAway: number }; plan: { recommended: number } };
    };
    const small = run(8);
    expect(run(8)).toEqual(small);
    const big = run(30);
    expect(big.outcome.requests).toBe(small.outcome.requests);
    expect(big.outcome.turnedAway).toBeLessThan(small.outcome.turnedAway);
    expect(big.plan.recommended).toBe(small.plan.recommended);
  });

  it('refuses what cannot be, saying why', () => {
    const rate = runCubby(['simulate', '--forget-rate', '2'], {});
    expect(rate.code).toBe(1);
    expect(rate.out).toContain('a share between 0 and 1');
    const doors = runCubby(['simulate', '--station', 'Library:30:20'], {});
    expect(doors.code).toBe(1);
    expect(doors.out).toContain('the loaners fit behind the doors');
    const day = runCubby(['simulate', '--school-day', '15:00-08:00'], {});
    expect(day.code).toBe(1);
    expect(day.out).toContain('the school day must end after it starts');
  });
});
