import { Type, type TSchema } from '@sinclair/typebox';

/** Building blocks of the HTTP API's shapes. */
export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
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
