/**
 * CPU time by process, read from /proc (Linux), so a run on a shared machine
 * can still say what one flow costs each part: the server, the simulated
 * stations (this process) and the PostgreSQL backends. CPU seconds per flow
 * barely move with the machine's load, unlike flows per second.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Linux's USER_HZ: /proc reports CPU time in these ticks on every common kernel. */
const ticksPerSecond = 100;

function procStat(pid: number): { ppid: number; cpuSeconds: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name, which may itself hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(fields[1]), cpuSeconds: (Number(fields[11]) + Number(fields[12])) / ticksPerSecond };
  } catch {
    return undefined; // gone, or not Linux
  }
}

/** CPU seconds of a process and every process directly below it (a postmaster and its backends). */
export function cpuSecondsOf(pid: number, withChildren = false): number {
  let total = procStat(pid)?.cpuSeconds ?? 0;
  if (!withChildren) return total;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = procStat(Number(entry));
    if (stat?.ppid === pid) total += stat.cpuSeconds;
  }
  return total;
}

/** The postmaster's pid of a cluster's data directory (the first line of postmaster.pid). */
export function postmasterPid(dataDir: string): number {
  return Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
}
