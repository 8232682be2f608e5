import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { stopChild } from '../child-process.js';
import { freePort } from '@cubby/db/pg-cluster';
import type { FaultDatabase } from './database.js';

const childEntry = fileURLToPath(new URL('./server-child.ts', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../../../', import.meta.url));

export const faultSecret = 'fault-secret-fault-secret-fault-secret-00';

/**
 * The server in a child process (server-child.ts) that can be SIGKILLed and
 * started again on the same database and port, as after a crash of the host.
 */
export class ServerProcess {
  private child: ChildProcess | undefined;
  private readonly configPath: string;
  url = '';

  private constructor(
    private readonly port: number,
    dir: string,
    database: FaultDatabase,
    env: Record<string, string>,
  ) {
    this.configPath = join(dir, 'server.json');
    this.url = `http://127.0.0.1:${port}`;
    writeFileSync(
      this.configPath,
      JSON.stringify({
        url: database.url,
        ...(database.schema ? { schema: database.schema } : {}),
        port,
        env: {
          CUBBY_SECRET: faultSecret,
          CUBBY_POLICY_SNAPSHOT_DELAY_MS: '250',
          CUBBY_POLICY_SNAPSHOT_SECONDS: '1',
          ...(process.env.CUBBY_TEST_LOG ? { CUBBY_TEST_LOG: process.env.CUBBY_TEST_LOG } : {}),
          ...env,
        },
      }),
    );
  }

  static async on(database: FaultDatabase, dir: string, env: Record<string, string> = {}): Promise<ServerProcess> {
    return new ServerProcess(await freePort(), dir, database, env);
  }

  get running(): boolean {
    return this.child !== undefined;
  }

  /** Starts the server and resolves once it listens. */
  async start(): Promise<void> {
    const child = spawn(process.execPath, ['--import', 'tsx', childEntry, this.configPath], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    this.child = child;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('server child did not start within 60 s')), 60_000);
      child.once('exit', (code) => reject(new Error(`server child exited with ${code}`)));
      createInterface({ input: child.stdout! }).once('line', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    child.removeAllListeners('exit');
  }

  /** SIGKILL: no shutdown hook runs; open transactions die with their connections. */
  async kill(): Promise<void> {
    await this.stopWith('SIGKILL');
  }

  async stop(): Promise<void> {
    await this.stopWith('SIGTERM');
  }

  private async stopWith(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    this.child = undefined;
    await stopChild(child, signal);
  }
}
