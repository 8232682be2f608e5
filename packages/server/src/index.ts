export * from './app.js';
export * from './config.js';
export * from './secrets.js';
export * from './bus.js';
export * from './problems.js';
export type { Services } from './services/deps.js';
export { signIn } from './services/kiosk-session.js';
export { startTransaction } from './services/kiosk/start.js';
export { hashPassword } from './services/staff-auth.js';
