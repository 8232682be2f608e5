/** For exhaustive switches: a new screen breaks the build where it must be drawn. */
export function assertNever(value: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(value)}`);
}
