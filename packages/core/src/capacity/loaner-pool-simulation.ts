/**
 * A discrete-event simulation of one loaner pool: students ask for a loaner
 * at random (Poisson arrivals), keep it for a while and bring it back; a
 * request that finds every loaner out is turned away. It is the check on the
 * closed-form sizing (Erlang B must agree with it, whatever the loan-time
 * distribution) and the kernel the district simulator (`cubby simulate`)
 * builds on. Pure: the same seed gives the same run.
 */
export interface LoanerPoolRun {
  /** Requests per hour. */
  arrivalsPerHour: number;
  /** Mean hours a loaner is out. */
  meanLoanHours: number;
  /** How loan times spread around their mean: memoryless, or all the same length. */
  loanTime: 'exponential' | 'fixed';
  loaners: number;
  /** Requests counted (after the warm-up, which starts from a full pool). */
  requests: number;
  seed: number;
}

export interface LoanerPoolOutcome {
  requests: number;
  turnedAway: number;
  /** turnedAway ÷ requests. */
  turnedAwayShare: number;
  /** Mean loaners out, as a share of the pool (0 for an empty pool). */
  utilization: number;
}

/** mulberry32: a small, fast, seedable generator of numbers in [0, 1); good enough for simulation, not for secrets. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An exponentially distributed time with this mean. */
export function exponential(random: () => number, mean: number): number {
  return -Math.log(1 - random()) * mean;
}

export function simulateLoanerPool(run: LoanerPoolRun): LoanerPoolOutcome {
  const { arrivalsPerHour, meanLoanHours, loaners, requests } = run;
  if (!(arrivalsPerHour > 0) || !(meanLoanHours > 0)) throw new RangeError('arrivals and loan time must be > 0');
  if (!Number.isInteger(loaners) || loaners < 0 || !Number.isInteger(requests) || requests < 1)
    throw new RangeError('loaners and requests must be whole numbers');
  const random = seededRandom(run.seed);
  const loanHours = () => (run.loanTime === 'fixed' ? meanLoanHours : exponential(random, meanLoanHours));
  // Starting with every loaner in biases the first hours low: a tenth as many requests again go uncounted first.
  const warmUp = Math.ceil(requests / 10);
  const returns = new TimeQueue();
  let now = 0;
  let turnedAway = 0;
  let loanedHours = 0;
  let countedFrom = 0;
  for (let i = 0; i < warmUp + requests; i++) {
    now += exponential(random, 1 / arrivalsPerHour);
    if (i === warmUp) countedFrom = now;
    while (returns.size > 0 && returns.peek()! <= now) returns.pop();
    const counted = i >= warmUp;
    if (returns.size < loaners) {
      const hours = loanHours();
      returns.push(now + hours);
      if (counted) loanedHours += hours;
    } else if (counted) turnedAway++;
  }
  const span = now - countedFrom;
  // Loans still out at the end are counted whole: a bias of one loan time in a run of thousands.
  const utilization = loaners > 0 && span > 0 ? Math.min(1, loanedHours / (loaners * span)) : 0;
  return { requests, turnedAway, turnedAwayShare: turnedAway / requests, utilization };
}

/** A binary min-heap of times: the next loaner to come back. */
export class TimeQueue {
  private readonly items: number[] = [];
  get size() {
    return this.items.length;
  }
  peek(): number | undefined {
    return this.items[0];
  }
  push(value: number): void {
    const items = this.items;
    items.push(value);
    for (let i = items.length - 1; i > 0;) {
      const parent = (i - 1) >> 1;
      if (items[parent]! <= items[i]!) break;
      [items[parent], items[i]] = [items[i]!, items[parent]!];
      i = parent;
    }
  }
  pop(): number | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last !== undefined) {
      items[0] = last;
      for (let i = 0; ;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let least = i;
        if (l < items.length && items[l]! < items[least]!) least = l;
        if (r < items.length && items[r]! < items[least]!) least = r;
        if (least === i) break;
        [items[least], items[i]] = [items[i]!, items[least]!];
        i = least;
      }
    }
    return top;
  }
}
