import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from './errors.js';
import { normaliseBadge, validatePin, validateStudentNumber } from './credential.js';

function expectBadRequest(run: () => unknown): void {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(DomainError);
  expect((caught as DomainError).code).toBe('bad_request');
  expect((caught as DomainError).status).toBe(400);
}

const digits = fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 1, maxLength: 32 });
const hexDigits = fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF'), minLength: 4, maxLength: 32 });
const whitespace = fc.string({ unit: fc.constantFrom(' ', '\t', '\r', '\n'), maxLength: 3 });

describe('normaliseBadge', () => {
  it.each([
    ['1234567', '1234567'],
    ['  0001234\r\n', '1234'],
    ['\t12345678\n', '12345678'],
    ['0000', '0'],
    ['00ab12cd', '00AB12CD'],
    [' AbCd ', 'ABCD'],
    ['0'.repeat(28) + '4711', '4711'],
  ])('a scan of %j is read as badge %j', (raw, expected) => {
    expect(normaliseBadge(raw)).toBe(expected);
  });

  it.each(['', '    ', '123', 'XYZ1', '12 34', '12-34', '0x1234', '1'.repeat(33), '１２３４'])('%j is refused as junk', (raw) => {
    expectBadRequest(() => normaliseBadge(raw));
  });

  it('two readers that pad a decimal badge with different leading zeros give the same badge', () => {
    fc.assert(
      fc.property(digits, fc.nat(31), fc.nat(31), (number, padA, padB) => {
        const a = '0'.repeat(padA) + number;
        const b = '0'.repeat(padB) + number;
        fc.pre(a.length >= 4 && a.length <= 32 && b.length >= 4 && b.length <= 32);
        expect(normaliseBadge(a)).toBe(normaliseBadge(b));
        expect(normaliseBadge(a)).toMatch(/^(0|[1-9]\d*)$/);
      }),
    );
  });

  it('surrounding whitespace and letter case never change a badge', () => {
    fc.assert(
      fc.property(hexDigits, whitespace, whitespace, (badge, before, after) => {
        expect(normaliseBadge(before + badge + after)).toBe(normaliseBadge(badge.toUpperCase()));
      }),
    );
  });

  it('a badge with any hex letter keeps its leading zeros, since only decimal numbers are padded by readers', () => {
    expect(normaliseBadge('00F1')).toBe('00F1');
  });
});

describe('validatePin', () => {
  it.each(['1234', '000000', '12345678'])('%j is a valid PIN', (pin) => {
    expect(() => validatePin(pin)).not.toThrow();
  });

  it.each(['', '123', '123456789', '12a4', ' 1234', '1234 ', '12.4'])('%j is refused as a PIN', (pin) => {
    expectBadRequest(() => validatePin(pin));
  });

  it('exactly the strings of 4 to 8 digits are accepted', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'0123456789a '), maxLength: 10 }), (pin) => {
        const valid = /^\d{4,8}$/.test(pin);
        if (valid) expect(() => validatePin(pin)).not.toThrow();
        else expectBadRequest(() => validatePin(pin));
      }),
    );
  });
});

describe('validateStudentNumber', () => {
  it.each([
    ['S-1042', 'S-1042'],
    ['  20231234 \n', '20231234'],
    ['a'.repeat(32), 'a'.repeat(32)],
  ])('%j is accepted as student number %j', (raw, expected) => {
    expect(validateStudentNumber(raw)).toBe(expected);
  });

  it.each(['', '   ', 'a b', 'a_b', 'José', 'a'.repeat(33), "1'; drop table"])('%j is refused as a student number', (raw) => {
    expectBadRequest(() => validateStudentNumber(raw));
  });
});
