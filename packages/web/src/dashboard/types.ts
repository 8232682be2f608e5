/**
 * Shapes that exist only in the browser. Every server answer's type comes
 * from @cubby/protocol/api (`import type`), never a copy here.
 */

/** A list row as a generic table renders it, by column key. */
export type Row = Record<string, unknown>;

/** One server-sent event of /api/v1/live. */
export interface LiveEvent {
  type: string;
  at: number;
  siteId?: string | null;
  stationId?: string | null;
  connected?: boolean;
  kind?: string;
  compartmentNumber?: number | null;
  /** repair.created / repair.changed: the ticket and its device. */
  ticketId?: string;
  deviceId?: string;
}
