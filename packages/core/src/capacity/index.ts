export * from './distributions.js';
export * from './plan.js';
export * from './daily-peaks.js';
export * from './rebalance.js';
export * from './loaner-pool-simulation.js';
export * from './campus-simulation.js';
