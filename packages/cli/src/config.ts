import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { generateSecret, loadServerConfig, type ServerConfig } from '@cubby/server';

/**
 * The only place that reads the environment. Builds the server configuration;
 * without CUBBY_SECRET, a secret is generated once into the data directory so
 * a school's single-machine install keeps its badge hashes across restarts.
 */
export interface CliConfig {
  dataDir: string;
  server: ServerConfig;
  /** Base URL stations and browsers use to reach the server. */
  publicUrl: string;
  demoStationPortBase: number;
}

export function loadCliConfig(defaults: Partial<ServerConfig> = {}): CliConfig {
  const env = process.env;
  const dataDir = resolve(env.CUBBY_DATA_DIR ?? './data');
  const secret = env.CUBBY_SECRET ?? secretFromDataDir(dataDir);
  const server = loadServerConfig(env, { secret, databaseUrl: join(dataDir, 'cubby.db'), ...defaults });
  const host = server.host === '0.0.0.0' ? '127.0.0.1' : server.host;
  return {
    dataDir,
    server,
    publicUrl: env.CUBBY_PUBLIC_URL ?? `http://${host}:${server.port}`,
    demoStationPortBase: Number(env.CUBBY_DEMO_STATION_PORT ?? 8181),
  };
}

/** For commands that only need the station side (no server secret). */
export function stationEnv(): { logLevel: string } {
  return { logLevel: process.env.LOG_LEVEL ?? 'info' };
}

function secretFromDataDir(dataDir: string): string {
  const file = join(dataDir, 'secret.key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = generateSecret();
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return secret;
}
