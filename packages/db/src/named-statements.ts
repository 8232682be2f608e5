import type pg from 'pg';

/**
 * PostgreSQL parses and plans every unnamed statement anew. The kiosk's hot
 * path sends the same few dozen statements over and over, so each connection
 * prepares a statement the first time it sends it (by a name its text is
 * given once per process) and from then on only binds and executes it.
 * Only DML and reads are named; transaction control and DDL go as they are.
 * The names are bounded: texts past the limit (long IN lists, multi-row
 * inserts of many sizes) are sent unnamed, as before.
 */
export class StatementNames {
  readonly #names = new Map<string, string>();

  constructor(private readonly limit = 500) {}

  /** The name for this statement text, or undefined to send it unnamed. */
  nameOf(text: string): string | undefined {
    let name = this.#names.get(text);
    if (name !== undefined) return name;
    if (this.#names.size >= this.limit || !/^\s*(select|insert|update|delete|with)\b/i.test(text)) return undefined;
    name = `cubby_${this.#names.size + 1}`;
    this.#names.set(text, name);
    return name;
  }
}

/** The pool Kysely draws from, whose clients send named statements (see StatementNames). */
export function namingStatements(pool: pg.Pool, names = new StatementNames()): pg.Pool {
  const connect = pool.connect.bind(pool) as () => Promise<pg.PoolClient>;
  // One wrapper per client, so Kysely (which keys its connections by client) reuses its own.
  const wrappers = new WeakMap<pg.PoolClient, pg.PoolClient>();
  const named = async () => {
    const client = await connect();
    let wrapper = wrappers.get(client);
    if (!wrapper) {
      const query = queryNaming(client, names);
      wrapper = new Proxy(client, {
        get(target, prop, receiver) {
          if (prop === 'query') return query;
          const value = Reflect.get(target, prop, receiver);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
      wrappers.set(client, wrapper);
    }
    return wrapper;
  };
  return new Proxy(pool, {
    get(target, prop, receiver) {
      if (prop === 'connect') return named;
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

function queryNaming(client: pg.PoolClient, names: StatementNames) {
  return (...args: unknown[]) => {
    const [text, values] = args;
    const name = typeof text === 'string' ? names.nameOf(text) : undefined;
    if (name === undefined) return (client.query as (...a: unknown[]) => unknown)(...args);
    return client.query({ name, text: text as string, values: values as unknown[] });
  };
}
