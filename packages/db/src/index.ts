export * from './schema.js';
export * from './connect.js';
export * from './migrate.js';
export * from './transaction.js';
export * from './audit.js';
export * from './json.js';
