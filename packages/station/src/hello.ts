import { randomUUID } from 'node:crypto';
import { protocolVersion, type CompartmentReading, type MessageOf, type StationMessage } from '@cubby/protocol';

export type HelloMessage = MessageOf<StationMessage, 'hello'>;

export interface HelloOptions {
  stationId?: string | undefined;
  agentVersion?: string | undefined;
  /** The offline journal's highest sequence, when the station keeps one. */
  journalSeq?: number | undefined;
}

/**
 * The `hello` that opens each link: who the station is and what its sensors
 * read, less the doors whose story is still to be told by queued events or
 * the offline journal (the server must hear those first).
 */
export function helloMessage(
  readings: readonly CompartmentReading[],
  withheld: Iterable<number>,
  { stationId, agentVersion = '0.1.0', journalSeq }: HelloOptions,
): HelloMessage {
  const untold = new Set(withheld);
  return {
    v: protocolVersion,
    id: randomUUID(),
    type: 'hello',
    agentVersion,
    compartments: readings.filter((c) => !untold.has(c.number)),
    ...(stationId ? { stationId } : {}),
    ...(journalSeq !== undefined ? { journalSeq } : {}),
  };
}
