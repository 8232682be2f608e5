import { describe, expect, it } from 'vitest';
import { lockerColumns, lockerPosition } from './locker-map.js';

describe('locker map', () => {
  it.each([
    [3, 3],
    [8, 4],
    [12, 4],
    [20, 5],
    [40, 6],
  ])('a bank of %i doors is drawn %i doors wide', (count, columns) => {
    expect(lockerColumns(count)).toBe(columns);
  });

  it('says where a door is, counting rows from the top and columns from the left', () => {
    const numbers = Array.from({ length: 12 }, (_, i) => i + 1);
    expect(lockerPosition(numbers, 1)).toEqual({ row: 1, column: 1 });
    expect(lockerPosition(numbers, 7)).toEqual({ row: 2, column: 3 });
    expect(lockerPosition(numbers, 12)).toEqual({ row: 3, column: 4 });
  });
});
