import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import type { TSchema } from '@sinclair/typebox';
import { ServerMessage, StationMessage } from './messages.js';

const stationCheck = TypeCompiler.Compile(StationMessage);
const serverCheck = TypeCompiler.Compile(ServerMessage);

export type ParseResult<T> = { ok: true; message: T } | { ok: false; error: string; id?: string };

const maxMessageBytes = 256 * 1024;

function parseWith<T>(raw: string, check: TypeCheck<TSchema>): ParseResult<T> {
  if (raw.length > maxMessageBytes) return { ok: false, error: 'message too large' };
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { ok: false, error: 'message is not valid JSON' };
  }
  const id = typeof (value as { id?: unknown })?.id === 'string' ? (value as { id: string }).id : undefined;
  if ((value as { v?: unknown })?.v !== 1) {
    return { ok: false, error: `unsupported protocol version ${JSON.stringify((value as { v?: unknown })?.v)}`, id };
  }
  if (!check.Check(value)) {
    const first = check.Errors(value).First();
    return { ok: false, error: first ? `${first.path || '/'}: ${first.message}` : 'message does not match the protocol', id };
  }
  return { ok: true, message: value as T };
}

/** Validates a message from a station; the server never trusts its shape. */
export function parseStationMessage(raw: string): ParseResult<StationMessage> {
  return parseWith<StationMessage>(raw, stationCheck);
}

export function parseServerMessage(raw: string): ParseResult<ServerMessage> {
  return parseWith<ServerMessage>(raw, serverCheck);
}
