/** JSON columns come back as text from SQLite and parsed from PostgreSQL jsonb. */
export function parseJson<T = Record<string, unknown>>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}
