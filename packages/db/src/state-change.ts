import { DomainError } from '@cubby/core';

/**
 * Every status change is a conditional update from the state the caller read
 * (or just wrote): no row changed means someone else moved it first, a
 * `conflict` the caller never ignores.
 */
export function expectChanged(numUpdatedRows: bigint | number, entity: string, id: string, from: string): void {
  if (Number(numUpdatedRows) !== 1)
    throw new DomainError('conflict', `${entity} ${id} was no longer ${from}`, { entity, id, from });
}
