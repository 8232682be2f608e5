import { Type, type IntegerOptions, type SchemaOptions, type TSchema } from '@sinclair/typebox';

/** Building blocks of the HTTP API's shapes. */
export const Nullable = <T extends TSchema>(t: T, options?: SchemaOptions) => Type.Union([t, Type.Null()], options);
export const Time = Type.Integer({ description: 'epoch milliseconds (UTC)' });

/**
 * One of a core enumeration (`deviceStatuses`, …): `enum` in the OpenAPI
 * document, the enumeration's union as the static type.
 */
export const OneOf = <const T extends readonly string[]>(values: T, options: { description?: string } = {}) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });

/** A keyset-paged list: `nextCursor` is null on the last page. */
export const PageOf = <T extends TSchema>(item: T) =>
  Type.Object({ items: Type.Array(item), nextCursor: Nullable(Type.String()) });
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** An unpaged list (users, API tokens). */
export const ItemsOf = <T extends TSchema>(item: T) => Type.Object({ items: Type.Array(item) });

export const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });

/**
 * An integer that arrives as text (a query string or a path), bounded.
 * Ajv's coercion turns "Infinity" and "1e309" into Infinity and then skips
 * minimum and maximum, which it applies to finite numbers only (ajv#2212,
 * fastify#6718): the inner `type: integer` sees the coerced number and
 * refuses a non-finite one. The bound defaults to what a bigint column and a
 * JavaScript number both hold exactly.
 */
export const TextInteger = (options: IntegerOptions & { minimum: number }) =>
  Type.Integer({ maximum: Number.MAX_SAFE_INTEGER, ...options, allOf: [{ type: 'integer' }] });
