export * from './messages.js';
export * from './parse.js';
export * from './api/index.js';
export * from './web-security.js';
