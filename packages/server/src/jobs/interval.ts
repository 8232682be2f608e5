import type { Logger } from 'pino';

/** A background job that can be awaited (tests) and stopped (server close). */
export interface Job {
  /** Resolves once the pass under way (if any) is done. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Runs `pass` every `intervalMs`, one pass at a time (a slow pass delays
 * the next rather than overlapping it), never after `stop`. A pass that
 * throws is logged as `failure` and the schedule goes on.
 */
export function everyInterval(
  intervalMs: number,
  log: Logger,
  failure: string,
  pass: (stopped: () => boolean) => Promise<void>,
): Job {
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const timer = setInterval(() => {
    running = running.then(() =>
      stopped ? undefined : pass(() => stopped).catch((error: unknown) => log.error({ err: error }, failure)),
    );
  }, intervalMs);
  timer.unref();
  return {
    async idle() {
      await running;
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
