type LogFn = (objOrMsg: object | string, msg?: string) => void;

/** The part of a pino logger the station uses; pino itself fits, so does a test stub. */
export interface Logger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
}

const ignore: LogFn = () => {};

export const silentLogger: Logger = { debug: ignore, info: ignore, warn: ignore, error: ignore };
