/**
 * The counting distributions capacity planning sizes loaner pools with
 * (`../shared/reference/capacity-planning.md`): Poisson for devices away at
 * repair and for steady day loans, a negative binomial when daily peaks vary
 * more than a Poisson would, and Erlang B for students turned away from a
 * pool of fixed size. Pure and exact enough for pools of a few hundred.
 */

/** Terms are summed until the upper tail is below this; far under any service level a district picks. */
const tailEpsilon = 1e-12;

/**
 * Erlang B: the probability that a request finds all `servers` busy (and is
 * turned away) when `offered` erlangs of load arrive — for loaners, the
 * number of devices away on average (failures per day × turnaround days).
 * The stable recursion B(0) = 1, B(k) = a·B(k−1) / (k + a·B(k−1)); it holds
 * whatever the distribution of the time away (insensitivity).
 */
export function erlangB(servers: number, offered: number): number {
  assertCount(servers, 'servers');
  assertLoad(offered, 'offered');
  let b = 1;
  for (let k = 1; k <= servers; k++) b = (offered * b) / (k + offered * b);
  return b;
}

/** The fewest servers whose Erlang B is at most `maxBlocking` (e.g. 0.01 for 99 % served). */
export function serversForBlocking(offered: number, maxBlocking: number): number {
  assertLoad(offered, 'offered');
  assertProbability(maxBlocking, 'maxBlocking');
  let b = 1;
  let k = 0;
  while (b > maxBlocking) {
    k++;
    b = (offered * b) / (k + offered * b);
  }
  return k;
}

/**
 * A count distribution given by its probabilities for 0, 1, 2, … up to where
 * the rest is negligible; its mean and variance are what it was fitted to.
 */
export interface CountDistribution {
  kind: 'poisson' | 'negative_binomial' | 'convolution';
  mean: number;
  variance: number;
  /** pmf[k] = P(X = k); the tail past the end is under 1e-12. */
  pmf: readonly number[];
}

/** Poisson with this mean (a mean of 0 is the count that is always 0). */
export function poisson(mean: number): CountDistribution {
  assertLoad(mean, 'mean');
  // In log space: e^-mean underflows for means over ~745.
  const pmf: number[] = [];
  let logP = -mean;
  let cdf = 0;
  for (let k = 0; ; k++) {
    if (k > 0) logP += Math.log(mean) - Math.log(k);
    const p = Math.exp(logP);
    pmf.push(p);
    cdf += p;
    if (k >= mean && 1 - cdf < tailEpsilon) break;
    if (mean === 0) break;
  }
  return { kind: 'poisson', mean, variance: mean, pmf };
}

/**
 * A negative binomial with this mean and variance (variance > mean): the
 * count of a Poisson whose rate itself varies from day to day (a gamma mix),
 * which is what bursty days (the first week back, test windows) look like.
 */
export function negativeBinomial(mean: number, variance: number): CountDistribution {
  assertLoad(mean, 'mean');
  if (!(variance > mean)) throw new RangeError('a negative binomial needs a variance above its mean');
  // P(X = k) = C(k + r − 1, k) p^r (1 − p)^k with p = mean / variance, r = mean² / (variance − mean).
  const p = mean / variance;
  const r = (mean * mean) / (variance - mean);
  const pmf: number[] = [];
  let logP = r * Math.log(p);
  let cdf = 0;
  for (let k = 0; ; k++) {
    if (k > 0) logP += Math.log(k - 1 + r) - Math.log(k) + Math.log(1 - p);
    const q = Math.exp(logP);
    pmf.push(q);
    cdf += q;
    if (k >= mean && 1 - cdf < tailEpsilon) break;
  }
  return { kind: 'negative_binomial', mean, variance, pmf };
}

/**
 * The distribution that fits a sample of counts (a campus's daily peak
 * concurrent loans) by its mean and variance: Poisson unless the sample
 * varies more than a Poisson does, then a negative binomial.
 */
export function fitCounts(sample: readonly number[]): CountDistribution {
  if (sample.length === 0) return poisson(0);
  for (const x of sample) assertCount(x, 'sample value');
  const mean = sample.reduce((a, b) => a + b, 0) / sample.length;
  const variance = sample.length > 1 ? sample.reduce((a, x) => a + (x - mean) ** 2, 0) / (sample.length - 1) : mean;
  return variance > mean ? negativeBinomial(mean, variance) : poisson(mean);
}

/** The distribution of X + Y for independent X and Y (loaners out for the day plus devices away at repair). */
export function sumOf(x: CountDistribution, y: CountDistribution): CountDistribution {
  const pmf = new Array<number>(x.pmf.length + y.pmf.length - 1).fill(0);
  for (const [i, px] of x.pmf.entries()) for (const [j, py] of y.pmf.entries()) pmf[i + j]! += px * py;
  return { kind: 'convolution', mean: x.mean + y.mean, variance: x.variance + y.variance, pmf };
}

/** P(X ≤ k). */
export function cdfAt(d: CountDistribution, k: number): number {
  if (k < 0) return 0;
  let sum = 0;
  for (let i = 0; i <= k && i < d.pmf.length; i++) sum += d.pmf[i]!;
  return Math.min(1, sum);
}

/** P(X > k): the chance the count is more than a pool of k can hold. */
export function tailAbove(d: CountDistribution, k: number): number {
  return Math.max(0, 1 - cdfAt(d, k));
}

/** The smallest k with P(X ≤ k) ≥ level. */
export function quantile(d: CountDistribution, level: number): number {
  assertProbability(level, 'level');
  let sum = 0;
  for (const [k, p] of d.pmf.entries()) {
    sum += p;
    // The float sum of the pmf can fall a hair short of 1 at its end.
    if (sum >= level - 1e-12) return k;
  }
  return d.pmf.length - 1;
}

/** Nearest-rank empirical quantile of a sample (the smallest value with at least `level` of the sample at or under it). */
export function sampleQuantile(sample: readonly number[], level: number): number {
  assertProbability(level, 'level');
  if (sample.length === 0) return 0;
  const sorted = [...sample].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(level * sorted.length) - 1)]!;
}

function assertCount(n: number, what: string): void {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`${what} must be a whole number ≥ 0, not ${n}`);
}

function assertLoad(x: number, what: string): void {
  if (!Number.isFinite(x) || x < 0) throw new RangeError(`${what} must be a finite number ≥ 0, not ${x}`);
}

function assertProbability(p: number, what: string): void {
  if (!(p > 0 && p < 1)) throw new RangeError(`${what} must be strictly between 0 and 1, not ${p}`);
}
