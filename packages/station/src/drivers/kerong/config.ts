import { readFile } from 'node:fs/promises';
import { boardTypes, isBoardTypeName, type BoardTypeName } from './frames.js';

/** Where one compartment's lock is wired: board address (DIP switches) and lock number on it. */
export interface CompartmentWiring {
  /** Compartment number as printed on the door (1–999). */
  number: number;
  /** Board address as set on its DIP switches (0–15). */
  board: number;
  /** Lock number on the board as printed at its connector, from 1 (sent on the wire as 0). */
  lock: number;
}

/** The bank's wiring and bus timing: the contents of a `--board-config` file. */
export interface KerongBoardConfig {
  boardType: BoardTypeName;
  compartments: CompartmentWiring[];
  /** How long one request waits for an answer. Default 200 ms. */
  requestTimeoutMs?: number;
  /** Further attempts after an unanswered request. Default 2. */
  retries?: number;
  /** Time between two polls of every board. Default 250 ms. */
  pollIntervalMs?: number;
  /** How long an unlock waits for the door to report open. Default 1500 ms. */
  openTimeoutMs?: number;
}

/** A board config file that cannot be used, with every problem found in it. */
export class BoardConfigError extends Error {
  readonly problems: readonly string[];

  constructor(source: string, problems: string[]) {
    super(`${source} is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'BoardConfigError';
    this.problems = problems;
  }
}

const timingLimits = {
  requestTimeoutMs: [10, 10_000],
  retries: [0, 10],
  pollIntervalMs: [20, 60_000],
  openTimeoutMs: [100, 60_000],
} as const satisfies Record<string, readonly [number, number]>;

const topLevelKeys = new Set(['boardType', 'compartments', ...Object.keys(timingLimits)]);
const wiringKeys = new Set(['number', 'board', 'lock']);

/** Checks a parsed JSON value and returns it typed, or throws one BoardConfigError listing every problem. */
export function parseBoardConfig(value: unknown, source = 'the board config'): KerongBoardConfig {
  const problems: string[] = [];
  if (!isRecord(value)) throw new BoardConfigError(source, ['it must be a JSON object']);
  for (const key of Object.keys(value)) {
    if (!topLevelKeys.has(key)) problems.push(`unknown setting "${key}" (known: ${[...topLevelKeys].join(', ')})`);
  }
  const boardType = value.boardType ?? 'cu16';
  if (!isBoardTypeName(boardType)) {
    problems.push(`boardType must be one of ${Object.keys(boardTypes).join(', ')}, got ${JSON.stringify(boardType)}`);
    throw new BoardConfigError(source, problems);
  }
  const type = boardTypes[boardType];
  const config: KerongBoardConfig = { boardType, compartments: [] };
  for (const [key, [min, max]] of Object.entries(timingLimits)) {
    if (value[key] === undefined) continue;
    if (isIntegerIn(value[key], min, max)) config[key as keyof typeof timingLimits] = value[key];
    else problems.push(`${key} must be an integer from ${min} to ${max}, got ${JSON.stringify(value[key])}`);
  }
  if (!Array.isArray(value.compartments) || value.compartments.length === 0) {
    problems.push('compartments must be a non-empty list of { "number", "board", "lock" }');
    throw new BoardConfigError(source, problems);
  }
  const numbers = new Map<number, number>();
  const locks = new Map<string, number>();
  value.compartments.forEach((entry: unknown, i: number) => {
    const at = `compartments[${i}]`;
    if (!isRecord(entry)) return void problems.push(`${at} must be an object like { "number": 1, "board": 0, "lock": 1 }`);
    for (const key of Object.keys(entry)) if (!wiringKeys.has(key)) problems.push(`${at} has an unknown key "${key}"`);
    const { number, board, lock } = entry;
    let isValid = true;
    const check = (ok: boolean, problem: string): void => {
      if (ok) return;
      isValid = false;
      problems.push(`${at}.${problem}`);
    };
    check(isIntegerIn(number, 1, 999), `number must be a door number from 1 to 999, got ${JSON.stringify(number)}`);
    check(
      isIntegerIn(board, 0, type.maxAddress),
      `board must be a board address from 0 to ${type.maxAddress}, got ${JSON.stringify(board)}`,
    );
    check(
      isIntegerIn(lock, 1, type.locksPerBoard),
      `lock must be from 1 to ${type.locksPerBoard} (a ${boardType} board has ${type.locksPerBoard} locks), got ${JSON.stringify(lock)}`,
    );
    if (!isValid) return;
    const wiring = { number, board, lock } as CompartmentWiring;
    const sameNumber = numbers.get(wiring.number);
    if (sameNumber !== undefined)
      problems.push(`${at}: compartment ${wiring.number} is already listed at compartments[${sameNumber}]`);
    const place = `${wiring.board}/${wiring.lock}`;
    const sameLock = locks.get(place);
    if (sameLock !== undefined) {
      problems.push(`${at}: board ${wiring.board} lock ${wiring.lock} is already used by compartments[${sameLock}]`);
    }
    numbers.set(wiring.number, i);
    locks.set(place, i);
    config.compartments.push(wiring);
  });
  if (problems.length > 0) throw new BoardConfigError(source, problems);
  return config;
}

/** Reads and checks a board config file; every failure is a BoardConfigError naming the file. */
export async function loadBoardConfig(path: string): Promise<KerongBoardConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new BoardConfigError(path, [`cannot read it: ${(error as Error).message}`]);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new BoardConfigError(path, [`it is not JSON: ${(error as Error).message}`]);
  }
  return parseBoardConfig(value, path);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isIntegerIn(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}
