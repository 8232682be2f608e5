/**
 * Simulated Kerong boards on a serial device, typed at from the terminal:
 *
 *   socat -d -d pty,raw,echo=0,link=/tmp/cubby-pty/station pty,raw,echo=0,link=/tmp/cubby-pty/board &
 *   npx tsx packages/station/src/drivers/kerong/sim-board-main.ts --serial /tmp/cubby-pty/board --boards 0,1
 *   cubby station --driver kerong --serial /tmp/cubby-pty/station --board-config bank.json …
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import type { Logger } from '../../logger.js';
import { isBoardTypeName } from './frames.js';
import { SimBoard } from './sim-board.js';

const help = `commands (board = DIP address, lock = 1…):
  open B L | close B L      force a door open / shut it
  put B L | take B L        a device in / out (infrared sensor)
  jam B L | unjam B L       a lock that will not open
  kill B | revive B         a board that stops / starts answering
  garble N | split on|off | slow MS
  show | help | quit`;

const { values } = parseArgs({
  options: {
    serial: { type: 'string' },
    boards: { type: 'string', default: '0' },
    type: { type: 'string', default: 'cu16' },
    baud: { type: 'string', default: '19200' },
  },
});
if (!values.serial || !isBoardTypeName(values.type)) {
  console.error('usage: sim-board-main --serial <device> [--boards 0,1] [--type cu16|cu48] [--baud 19200]');
  process.exit(2);
}
const addresses = values.boards.split(',').map((a) => Number(a.trim()));
const print = (obj: object | string, msg?: string): void =>
  console.log(msg ?? '', typeof obj === 'string' ? obj : JSON.stringify(obj));
const logger: Logger = { debug: () => {}, info: print, warn: print, error: print };
const board = await SimBoard.open({
  path: values.serial,
  boardType: values.type,
  addresses,
  baudRate: Number(values.baud),
  logger,
});
console.log(`simulated ${values.type} boards ${addresses.join(', ')} on ${values.serial}\n${help}`);

const show = (): void => {
  for (const address of addresses) {
    const doors = Array.from({ length: board.locksPerBoard }, (_, i) => (board.door(address, i + 1) === 'open' ? 'O' : '.'));
    console.log(`board ${address}: ${doors.join('')}  (O = open, lock 1 first)`);
  }
};
const actions: Record<string, (a: number, b: number, word: string | undefined) => void> = {
  open: (a, b) => board.forceOpen(a, b),
  close: (a, b) => board.closeDoor(a, b),
  put: (a, b) => board.setPresence(a, b, true),
  take: (a, b) => board.setPresence(a, b, false),
  jam: (a, b) => board.jam(a, b),
  unjam: (a, b) => board.unjam(a, b),
  kill: (a) => board.kill(a),
  revive: (a) => board.revive(a),
  garble: (a) => board.garbleReplies(a),
  split: (_a, _b, word) => board.splitReplies(word === 'on'),
  slow: (a) => board.delayReplies(a),
  show,
  help: () => console.log(help),
};

const lines = createInterface({ input: process.stdin, output: process.stdout, prompt: '> ' });
lines.prompt();
lines.on('line', (line) => {
  const [command = '', ...args] = line.trim().split(/\s+/);
  if (command === 'quit') return void lines.close();
  const action = actions[command];
  try {
    if (action) action(Number(args[0]), Number(args[1]), args[0]);
    else if (command) console.log(help);
  } catch (error) {
    console.log(String(error));
  }
  lines.prompt();
});
lines.on('close', () => void board.close().then(() => process.exit(0)));
