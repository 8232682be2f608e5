export { seedDemoDistrict, type DemoDistrict } from './demo/seed.js';
export { runServer } from './commands/serve.js';
