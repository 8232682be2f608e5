export * from './problems.js';
export * from './grades.js';
export * from './fields.js';
export * from './people-plan.js';
export * from './devices-plan.js';
export * from './contacts-plan.js';
export * from './sites-plan.js';
