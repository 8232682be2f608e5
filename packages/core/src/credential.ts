import { DomainError } from './errors.js';

/**
 * A credential typed at a kiosk: a badge/barcode scan, or student number + PIN.
 * On the wire it is protocol's `Credential` schema, whose static type a test holds equal to this.
 */
export type Credential = { badge: string } | { studentNumber: string; pin: string };

/**
 * Badge readers and barcode scanners type the number with stray whitespace and
 * sometimes leading zeros that differ between readers; normalise before hashing.
 */
export function normaliseBadge(raw: string): string {
  const trimmed = raw.trim().toUpperCase();
  if (!/^[0-9A-F]{4,32}$/.test(trimmed)) {
    throw new DomainError('bad_request', 'A badge number is 4–32 digits or hex characters');
  }
  return /^[0-9]+$/.test(trimmed) ? trimmed.replace(/^0+(?=\d)/, '') : trimmed;
}

export function validatePin(pin: string): void {
  if (!/^[0-9]{4,8}$/.test(pin)) throw new DomainError('bad_request', 'A PIN is 4 to 8 digits');
}

export function validateStudentNumber(value: string): string {
  const trimmed = value.trim();
  if (!/^[A-Za-z0-9-]{1,32}$/.test(trimmed)) throw new DomainError('bad_request', 'Student number is not valid');
  return trimmed;
}
