import type { MessageOf, ServerMessage, StationMessage } from '@cubby/protocol';

/* The link's message types, named for what the station does with them. */

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A station message that the server answers with a `result`; the link adds `v` and `id`. */
export type LinkRequest = DistributiveOmit<MessageOf<StationMessage, 'auth' | 'request' | 'journal' | 'sign_out'>, 'v' | 'id'>;
export type UnlockCommand = MessageOf<ServerMessage, 'unlock'>;
export type TransactionUpdate = MessageOf<ServerMessage, 'transaction'>;
export type SetChargingCommand = MessageOf<ServerMessage, 'set_charging'>;
export type PolicySnapshot = MessageOf<ServerMessage, 'policy_snapshot'>;
export type ServerNotice = MessageOf<ServerMessage, 'message'>;
export type EventMessage = MessageOf<StationMessage, 'event'>;

export interface StationIdentity {
  stationId: string;
  stationName: string;
  /** The campus's time zone, from a server that sends it. */
  timeZone?: string;
}

export type StationLinkEvents = {
  online: [StationIdentity];
  offline: [];
  unlock: [UnlockCommand];
  transaction: [TransactionUpdate];
  set_charging: [SetChargingCommand];
  policy_snapshot: [PolicySnapshot];
  message: [ServerNotice];
};
