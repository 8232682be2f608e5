/**
 * What is wrong with an import file, where: the file, the line (1 is the
 * header; a quoted field spanning lines counts its first line) and the column
 * when one column is at fault. Any problem means nothing is written.
 */
export interface ImportProblem {
  file: string;
  line: number | null;
  column: string | null;
  message: string;
}

export function problem(file: string, line: number | null, column: string | null, message: string): ImportProblem {
  return { file, line, column, message };
}

/** "users.csv line 812: grade '13' is not a grade" — the sentence an operator reads. */
export function describeProblem(p: ImportProblem): string {
  return p.line === null ? `${p.file}: ${p.message}` : `${p.file} line ${p.line}: ${p.message}`;
}
