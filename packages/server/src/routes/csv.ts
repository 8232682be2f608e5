import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * CSV export of a list: every matching row, streamed page by page so a
 * 150,000-device export never sits in memory. Text cells that a spreadsheet
 * would run as a formula (starting = + - @, tab or carriage return) get a
 * leading apostrophe (OWASP "CSV injection").
 */
export function wantsCsv(request: FastifyRequest, format: string | undefined): boolean {
  if (format) return format === 'csv';
  return /\btext\/csv\b/.test(request.headers.accept ?? '');
}

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: unknown[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}

export function sendCsv(reply: FastifyReply, name: string, rows: AsyncIterable<unknown[]>, header: string[]): FastifyReply {
  const date = new Date().toISOString().slice(0, 10);
  async function* lines(): AsyncGenerator<string> {
    yield csvLine(header);
    for await (const row of rows) yield csvLine(row);
  }
  return reply
    .header('content-type', 'text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${name}-${date}.csv"`)
    .send(Readable.from(lines()));
}
