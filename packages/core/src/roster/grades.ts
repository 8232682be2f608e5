/**
 * Grades a K-12 locker serves, from OneRoster's CEDS grade codes: infant,
 * preschool and pre-kindergarten codes, kindergarten and 1–12. CEDS also has
 * "13" (a post-graduate year) and "UG"/"Other"; a school's loaner program has
 * no use for them, so a row carrying one is more likely a typo than a student.
 */
const named = new Set(['IT', 'PR', 'PK', 'TK', 'KG']);

/** The grade as stored ("KG", "1" … "12"), or undefined when it is not a grade. */
export function normaliseGrade(raw: string): string | undefined {
  const value = raw.trim().toUpperCase();
  if (named.has(value)) return value;
  if (value === 'K') return 'KG';
  if (!/^\d{1,2}$/.test(value)) return undefined;
  const n = Number(value);
  return n >= 1 && n <= 12 ? String(n) : undefined;
}
