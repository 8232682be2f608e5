/** Every dashboard/HTTP API shape: a TypeBox schema and its static type of the same name. */
export * from './common.js';
export * from './problem.js';
export * from './auth.js';
export * from './lists.js';
export * from './fleet.js';
export * from './settings.js';
export * from './staff.js';
export * from './kiosk.js';
export * from './privacy.js';
export * from './people.js';
export * from './devices.js';
export * from './google.js';
export * from './imports.js';
export * from './repairs.js';
export * from './capacity.js';
export * from './email.js';
export * from './tasks.js';
