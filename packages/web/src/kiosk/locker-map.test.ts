import { describe, expect, it } from 'vitest';
import { doorList, lockerColumns, lockerPosition } from './locker-map.js';

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

  it('lists doors open together the way each language says a list', () => {
    expect(doorList('en', [3, 5, 7])).toBe('3, 5, and 7');
    expect(doorList('es', [3, 5, 7])).toBe('3, 5 y 7');
    expect(doorList('es', [4, 9])).toBe('4 y 9');
  });
});
