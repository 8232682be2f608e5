import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BoardConfigError, loadBoardConfig, parseBoardConfig } from './config.js';

const door = (number: number, board: number, lock: number) => ({ number, board, lock });

describe('parseBoardConfig', () => {
  it('a valid config comes back typed, with its timings', () => {
    const value = { boardType: 'cu16', pollIntervalMs: 100, compartments: [door(1, 0, 1), door(2, 0, 2), door(17, 1, 1)] };
    expect(parseBoardConfig(value)).toEqual(value);
  });

  it('the board type defaults to cu16', () => {
    expect(parseBoardConfig({ compartments: [door(1, 0, 1)] }).boardType).toBe('cu16');
  });

  it('a CU48 allows locks up to 48', () => {
    expect(parseBoardConfig({ boardType: 'cu48', compartments: [door(48, 0, 48)] }).compartments).toEqual([door(48, 0, 48)]);
  });

  const refusals: [string, unknown, RegExp][] = [
    ['not an object', [], /must be a JSON object/],
    [
      'an unknown board type',
      { boardType: 'cu99', compartments: [door(1, 0, 1)] },
      /boardType must be one of cu16, cu48, got "cu99"/,
    ],
    ['no compartments', { boardType: 'cu16' }, /compartments must be a non-empty list/],
    [
      'a lock beyond the board',
      { compartments: [door(1, 0, 17)] },
      /compartments\[0\]\.lock must be from 1 to 16 \(a cu16 board has 16 locks\), got 17/,
    ],
    ['lock 0 (locks are numbered from 1)', { compartments: [door(1, 0, 0)] }, /compartments\[0\]\.lock must be from 1 to 16/],
    [
      'an address beyond the DIP switches',
      { compartments: [door(1, 16, 1)] },
      /compartments\[0\]\.board must be a board address from 0 to 15, got 16/,
    ],
    [
      'a door number of 0',
      { compartments: [door(0, 0, 1)] },
      /compartments\[0\]\.number must be a door number from 1 to 999, got 0/,
    ],
    [
      'a compartment listed twice',
      { compartments: [door(1, 0, 1), door(1, 0, 2)] },
      /compartments\[1\]: compartment 1 is already listed at compartments\[0\]/,
    ],
    [
      'two compartments on one lock',
      { compartments: [door(1, 0, 1), door(2, 0, 1)] },
      /compartments\[1\]: board 0 lock 1 is already used by compartments\[0\]/,
    ],
    ['a misspelt setting', { compartments: [door(1, 0, 1)], pollInterval: 100 }, /unknown setting "pollInterval"/],
    [
      'a misspelt wiring key',
      { compartments: [{ number: 1, board: 0, lock: 1, lok: 2 }] },
      /compartments\[0\] has an unknown key "lok"/,
    ],
    [
      'a timing that is not a number',
      { compartments: [door(1, 0, 1)], retries: '2' },
      /retries must be an integer from 0 to 10, got "2"/,
    ],
  ];

  it.each(refusals)('refuses %s with a message that says where', (_name, value, message) => {
    expect(() => parseBoardConfig(value)).toThrow(BoardConfigError);
    expect(() => parseBoardConfig(value)).toThrow(message);
  });

  it('lists every problem at once, not only the first', () => {
    const error = (() => {
      try {
        parseBoardConfig({ compartments: [door(1, 0, 99), door(2, 99, 1)], retries: -1 });
      } catch (e) {
        return e as BoardConfigError;
      }
      throw new Error('expected a BoardConfigError');
    })();
    expect(error.problems).toHaveLength(3);
  });
});

describe('loadBoardConfig', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cubby-board-config-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads a config file', async () => {
    const path = join(dir, 'good.json');
    await writeFile(path, JSON.stringify({ boardType: 'cu16', compartments: [door(1, 0, 1)] }));
    expect(await loadBoardConfig(path)).toEqual({ boardType: 'cu16', compartments: [door(1, 0, 1)] });
  });

  it('a missing file, broken JSON and bad content each name the file', async () => {
    const broken = join(dir, 'broken.json');
    await writeFile(broken, '{ "compartments": [');
    const wrong = join(dir, 'wrong.json');
    await writeFile(wrong, '{ "compartments": [] }');
    await expect(loadBoardConfig(join(dir, 'missing.json'))).rejects.toThrow(/missing\.json is not valid:\n {2}- cannot read it/);
    await expect(loadBoardConfig(broken)).rejects.toThrow(/broken\.json is not valid:\n {2}- it is not JSON/);
    await expect(loadBoardConfig(wrong)).rejects.toThrow(
      /wrong\.json is not valid:\n {2}- compartments must be a non-empty list/,
    );
  });
});
