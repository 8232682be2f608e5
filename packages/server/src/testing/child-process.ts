import type { ChildProcess } from 'node:child_process';

/** Signals a child (SIGKILL: nothing of it runs again, as with a power cut) and resolves once it is gone. */
export async function stopChild(child: ChildProcess | undefined, signal: NodeJS.Signals): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}
