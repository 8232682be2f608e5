export * from './messages.js';
export * from './parse.js';
export * from './api/kiosk.js';
