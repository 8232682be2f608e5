#!/usr/bin/env node
import { Command } from 'commander';
import { registerAdminCommands } from './commands/admin.js';
import { registerDemoCommands } from './commands/demo.js';
import { registerImportCommands } from './commands/import.js';
import { registerPrivacyCommands } from './commands/privacy.js';
import { registerServeCommand } from './commands/serve.js';
import { registerSimulateCommand } from './commands/simulate.js';
import { registerStationCommand } from './commands/station.js';
import { registerSyncCommands } from './commands/sync.js';

const program = new Command('cubby').description('Cubby smart-locker platform').showHelpAfterError();
registerServeCommand(program);
registerStationCommand(program);
registerDemoCommands(program);
registerAdminCommands(program);
registerPrivacyCommands(program);
registerSyncCommands(program);
registerImportCommands(program);
registerSimulateCommand(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
