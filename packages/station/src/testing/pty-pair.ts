import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Two pseudo-terminals joined back to back by socat: bytes written to one are read from the other. */
export interface PtyPair {
  /** Where the driver under test opens its "serial adapter". */
  readonly driverEnd: string;
  /** Where the simulated boards listen. */
  readonly boardEnd: string;
  /** Stops socat and removes the links; safe to call twice. */
  close(): Promise<void>;
}

const readyLine = 'starting data transfer loop';

/**
 * Starts `socat pty,raw,echo=0 pty,raw,echo=0` and resolves once both ends exist. Fails (it
 * never skips) when socat is missing, so a machine without it cannot pass the driver tests.
 */
export async function openPtyPair(options: { ownProcessGroup?: boolean } = {}): Promise<PtyPair> {
  const dir = await mkdtemp(join(tmpdir(), 'cubby-pty-'));
  const driverEnd = join(dir, 'driver');
  const boardEnd = join(dir, 'board');
  const socat = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${driverEnd}`, `pty,raw,echo=0,link=${boardEnd}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
    // In its own process group, a Ctrl-C at the terminal reaches the program, which then closes
    // its driver before it stops socat, instead of socat vanishing under the driver.
    ...(options.ownProcessGroup ? { detached: true } : {}),
  });
  let output = '';
  const hasExited = (): boolean => socat.exitCode !== null || socat.signalCode !== null;
  const close = async (): Promise<void> => {
    if (socat.pid !== undefined && !hasExited()) {
      const exited = new Promise((resolve) => socat.once('exit', resolve));
      socat.kill('SIGTERM');
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`socat did not set up the pseudo-terminals in 5 s:\n${output}`)), 5_000);
      socat.once('error', (error: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        reject(
          error.code === 'ENOENT'
            ? new Error('socat is not installed; the Kerong driver tests need it: apt-get install socat')
            : error,
        );
      });
      socat.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`socat exited (${code}) before the pseudo-terminals were ready:\n${output}`));
      });
      socat.stderr.on('data', (chunk: Buffer) => {
        // Keep draining socat's log so it never blocks on a full pipe; remember only the start.
        if (output.length < 4_000) output += chunk.toString();
        if (output.includes(readyLine)) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
  } catch (error) {
    await close();
    throw error;
  }
  return { driverEnd, boardEnd, close };
}
