import { Transform, type Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { problem, type ImportProblem } from '@cubby/core';

/** A CSV row by its header's names, with the line it starts on (the header is line 1). */
export interface CsvRow {
  line: number;
  values: Record<string, string>;
}

/** A file that cannot be read at all (wrong encoding, broken quoting): nothing of it is used. */
export class UnreadableFile extends Error {
  constructor(readonly problem: ImportProblem) {
    super(problem.message);
  }
}

/**
 * Bytes to text, refusing anything that is not UTF-8: a roster saved as
 * Latin-1 or Windows-1252 would otherwise import "JosÃ©" for "José". A
 * UTF-8 byte-order mark is fine (csv-parse drops it); UTF-16 is named.
 */
function utf8Only(file: string): Transform {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let lines = 1;
  let first = true;
  return new Transform({
    readableObjectMode: true,
    transform(chunk: Buffer, _encoding, done) {
      if (first && chunk.length >= 2 && ((chunk[0] === 0xff && chunk[1] === 0xfe) || (chunk[0] === 0xfe && chunk[1] === 0xff)))
        return done(new UnreadableFile(problem(file, null, null, 'is UTF-16: save it as UTF-8 (CSV UTF-8) and import it again')));
      first = false;
      let text: string;
      try {
        text = decoder.decode(chunk, { stream: true });
      } catch {
        const loose = new TextDecoder('utf-8').decode(chunk);
        const at = lines + (loose.slice(0, loose.indexOf('\uFFFD')).match(/\n/g)?.length ?? 0);
        const message = 'is not UTF-8 (it looks like Latin-1 or Windows-1252): save it as UTF-8 (CSV UTF-8) and import it again';
        return done(new UnreadableFile(problem(file, at, null, message)));
      }
      lines += text.match(/\n/g)?.length ?? 0;
      done(null, text);
    },
    flush(done) {
      try {
        const rest = decoder.decode();
        done(null, rest || undefined);
      } catch {
        done(new UnreadableFile(problem(file, lines, null, 'ends in the middle of a character: it is not UTF-8')));
      }
    },
  });
}

/** Told every `progressEvery` rows of a file, and at its end. */
export type Progress = (file: string, rows: number) => void;
const progressEvery = 10_000;

/**
 * Streams a CSV file's rows (CRLF or LF, with or without a byte-order mark),
 * one at a time, so a 100,000-student file is never held whole. Checks that
 * the header names every required column and that each row has as many
 * fields as the header.
 */
export async function* csvRows(
  input: Readable,
  file: string,
  required: readonly string[],
  problems: ImportProblem[],
  progress?: Progress,
): AsyncGenerator<CsvRow> {
  const parser = parse({ bom: true, relax_column_count: true, skip_empty_lines: true, info: true, trim: false });
  const decoded = input.pipe(utf8Only(file));
  decoded.on('error', (error) => parser.destroy(error));
  input.on('error', (error) => parser.destroy(error));
  decoded.pipe(parser);
  let header: string[] | undefined;
  let rows = 0;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (!header) {
        header = record.map((h) => h.trim());
        const missing = required.filter((c) => !header!.includes(c));
        if (missing.length) {
          problems.push(
            problem(
              file,
              1,
              missing[0]!,
              `the column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `'${m}'`).join(', ')} ${missing.length > 1 ? 'are' : 'is'} missing`,
            ),
          );
          return;
        }
        continue;
      }
      if (record.length !== header.length) {
        problems.push(problem(file, info.lines, null, `has ${record.length} fields where the header has ${header.length}`));
        continue;
      }
      const values: Record<string, string> = {};
      for (let i = 0; i < header.length; i++) values[header[i]!] = record[i]!;
      if (++rows % progressEvery === 0) progress?.(file, rows);
      yield { line: info.lines, values };
    }
  } catch (error) {
    if (error instanceof UnreadableFile) throw error;
    const message = error instanceof Error ? error.message.replace(/^Invalid \w+:\s*/, '') : String(error);
    throw new UnreadableFile(problem(file, null, null, `cannot be read as CSV: ${message}`));
  } finally {
    input.destroy();
  }
  if (!header) problems.push(problem(file, null, null, 'is empty'));
  progress?.(file, rows);
}
