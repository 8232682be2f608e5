import type { CompartmentReading, Credential, KioskAction, PolicySnapshotMessage, TransactionView } from '@cubby/protocol';
import type { SignInResult } from './agent.js';
import { randomUUID } from 'node:crypto';
import { isLockFault, type LockDriver } from './drivers/driver.js';
import type { OfflineJournal, OfflineKeys } from './journal.js';
import type { StationLink } from './link.js';
import type { Logger } from './logger.js';
import {
  chooseOfflineLoaner,
  chooseReturnDoor,
  isSnapshotGenuine,
  offlineChoices,
  recogniseOffline,
  refusal,
  type OfflineSession,
} from './offline-desk.js';

export interface OfflineModeOptions {
  journal: OfflineJournal;
  link: StationLink;
  driver: LockDriver;
  log: Logger;
  /** Shows a transaction's progress on the kiosk, as the server's pushes do online. */
  record: (transaction: TransactionView) => void;
  /** A snapshot older than this is not trusted for borrows. Default 24 h. */
  snapshotMaxAgeMs?: number;
  /** Entries per `journal` message. Default 100. */
  replayBatch?: number;
  requestTimeoutMs?: number;
  pulseMs?: number;
}

interface OfflineDoor {
  seq: number;
  key: string;
  kind: 'borrow' | 'return';
}

/**
 * What the station does on its own while its link is down: badge sign-in
 * against the signed policy snapshot, returns into any empty door and, within
 * the snapshot's limits, borrows. Every transaction is journalled before its
 * door opens and replayed, in order, once the link is back.
 */
export class OfflineMode {
  readonly #o: OfflineModeOptions;
  readonly #doors = new Map<number, OfflineDoor>();
  #replaying: Promise<void> | undefined;

  constructor(options: OfflineModeOptions) {
    this.#o = options;
  }

  /** Whether the station holds a snapshot it could serve borrows from. */
  get isReady(): boolean {
    return this.#o.journal.snapshot() !== undefined && this.#o.journal.keys() !== undefined;
  }

  /** Resolves once a replay in progress has finished; online requests wait for it so the server sees the journal first. */
  get settled(): Promise<void> {
    return this.#replaying ?? Promise.resolve();
  }

  /** Any door opening, online or not, makes the snapshot's word on that door stale. */
  noteDoorOpened(compartment: number): void {
    this.#o.journal.noteDoorOpened(compartment);
  }

  ownsDoor(compartment: number): boolean {
    return this.#doors.has(compartment);
  }

  /** After a restart: entries whose door has closed since are finished from the sensors; open ones are followed again. */
  async recover(): Promise<void> {
    const readings = new Map((await this.#o.driver.readings()).map((r) => [r.number, r]));
    for (const entry of this.#o.journal.entries()) {
      if (entry.closedAt !== null) continue;
      const reading = readings.get(entry.compartment);
      if (reading && reading.door === 'closed') this.#o.journal.finish(entry.seq, 'completed', reading.presence);
      else
        this.#doors.set(entry.compartment, {
          seq: entry.seq,
          key: entry.key,
          kind: entry.action.kind === 'borrow' ? 'borrow' : 'return',
        });
    }
  }

  /** `welcome` carried this station's keys: keep them for the next outage. */
  acceptKeys(stationId: string): void {
    const keys = this.#o.link.offlineKeys;
    if (keys) this.#o.journal.saveKeys({ stationId, ...keys });
  }

  acceptSnapshot(snapshot: PolicySnapshotMessage): void {
    const keys = this.#o.journal.keys();
    if (!keys || !isSnapshotGenuine(snapshot, keys)) {
      this.#o.log.warn('dropped a policy snapshot whose signature does not verify');
      return;
    }
    this.#o.journal.saveSnapshot(snapshot);
  }

  async signIn(credential: Credential): Promise<{ session: OfflineSession; result: SignInResult }> {
    const { snapshot, keys } = this.#trusted();
    const session = await recogniseOffline(credential, snapshot, keys);
    // Names stay on the server; the kiosk offers a return for each loan the snapshot counted.
    const loans = Array.from({ length: session.openLoans }, (_, i) => ({
      id: `offline-${i}`,
      assetTag: 'loaner',
      dueAt: 0,
      overdue: false,
    }));
    const readings = await this.#o.driver.readings();
    const result: SignInResult = {
      offline: true,
      person: { id: session.personId, givenName: '', role: 'student' },
      loans,
      charging: null,
      pickup: null,
      agreementRequired: false,
      choices: offlineChoices(() => this.#chooseLoaner(session, snapshot, readings)),
    };
    return { session, result };
  }

  async act(signedIn: OfflineSession, action: KioskAction): Promise<{ transaction: TransactionView; offline: true }> {
    if (action.kind !== 'borrow' && action.kind !== 'return') throw refusal('offline_not_possible');
    const { snapshot } = this.#trusted();
    // Decided with the snapshot the entry will name, as the server checks it: a snapshot that
    // arrived since the sign-in has the person's count now (or a new salt: sign in again).
    const listed = snapshot.credentials.find((c) => c.personId === signedIn.personId && c.hash === signedIn.credentialHash);
    if (!listed) throw refusal('offline', 'sign in again');
    const session = { ...signedIn, openLoans: listed.openLoans };
    const readings = await this.#o.driver.readings();
    const entries = this.#o.journal.entries();
    const chosen =
      action.kind === 'borrow'
        ? this.#chooseLoaner(session, snapshot, readings)
        : { compartment: chooseReturnDoor(entries, readings) };
    if (this.#doors.has(chosen.compartment)) throw refusal('no_compartment_available');
    const key = randomUUID();
    // Durable before the door opens: a power cut from here on loses nothing.
    const seq = this.#o.journal.open({
      key,
      at: Date.now(),
      credentialHash: session.credentialHash,
      personId: session.personId,
      action,
      compartment: chosen.compartment,
      ...('deviceId' in chosen ? { deviceId: chosen.deviceId } : {}),
      snapshotId: snapshot.snapshotId,
    });
    const purpose = action.kind === 'borrow' ? 'take_loaner' : 'return_loaner';
    const base = { id: key, kind: action.kind, compartment: chosen.compartment, purpose };
    // Owned from before the pulse, so the door's own events stay out of the online outbox.
    this.#doors.set(chosen.compartment, { seq, key, kind: action.kind });
    try {
      await this.#o.driver.unlock(chosen.compartment, this.#o.pulseMs ?? 300);
    } catch (error) {
      this.#doors.delete(chosen.compartment);
      const presence = (await this.#o.driver.readings()).find((r) => r.number === chosen.compartment)?.presence ?? false;
      this.#o.journal.finish(seq, 'failed', presence);
      this.#o.log.warn(
        { compartment: chosen.compartment, detail: isLockFault(error) ? error.detail : String(error) },
        'offline unlock failed',
      );
      const failed: TransactionView = {
        ...base,
        status: 'failed',
        compartment: null,
        purpose: null,
        error: { code: 'compartment_fault', title: 'The locker door did not open' },
      };
      this.#o.record(failed);
      return { transaction: failed, offline: true };
    }
    const view: TransactionView = { ...base, status: 'in_progress' };
    this.#o.record(view);
    return { transaction: view, offline: true };
  }

  /** The loaner an offline borrow would take now, or the refusal; the menu asks the same at sign-in. */
  #chooseLoaner(session: OfflineSession, snapshot: PolicySnapshotMessage, readings: CompartmentReading[]) {
    return chooseOfflineLoaner(
      session,
      snapshot,
      this.#o.journal.entries(),
      readings,
      this.#o.journal.touchedSinceSnapshot(),
      this.#o.journal.lentUnderSnapshot(),
    );
  }

  /** A door this mode opened has closed: the presence sensor says what happened. */
  onDoorClosed(compartment: number, presence: boolean): void {
    const door = this.#doors.get(compartment);
    if (!door) return;
    this.#doors.delete(compartment);
    this.#o.journal.finish(door.seq, 'completed', presence);
    const done = door.kind === 'borrow' ? !presence : presence;
    const error =
      door.kind === 'borrow'
        ? { code: 'loaner_not_taken', title: 'The loaner was left in the locker' }
        : { code: 'nothing_returned', title: 'No device was detected' };
    this.#o.record({
      id: door.key,
      kind: door.kind,
      status: done ? 'completed' : 'failed',
      compartment: null,
      purpose: null,
      ...(done ? {} : { error }),
    });
    if (this.#o.link.online) void this.replay();
  }

  /** Sends the journal to the server in order, in batches; entries leave only once answered. */
  replay(): Promise<void> {
    this.#replaying ??= this.#replayAll().finally(() => {
      this.#replaying = undefined;
    });
    return this.#replaying;
  }

  async #replayAll(): Promise<void> {
    const { journal, link, log } = this.#o;
    while (link.online) {
      const batch = journal.replayable(this.#o.replayBatch ?? 100);
      if (batch.length === 0) return;
      try {
        const answer = await link.request<{ applied: string[]; rejected: { key: string; reason: string }[] }>(
          { type: 'journal', entries: batch },
          this.#o.requestTimeoutMs ?? 10_000,
        );
        journal.settle(answer.applied, answer.rejected);
        if (answer.applied.length + answer.rejected.length === 0) return; // an answer for nothing: try again later
        if (answer.rejected.length > 0)
          log.warn({ rejected: answer.rejected }, 'the server refused offline transactions; kept aside for a technician');
      } catch (error) {
        // The link dropped or the server failed: everything stays journalled for the next try.
        log.warn({ err: String(error) }, 'journal replay interrupted');
        return;
      }
    }
  }

  #trusted(): { snapshot: PolicySnapshotMessage; keys: OfflineKeys } {
    const snapshot = this.#o.journal.snapshot();
    const keys = this.#o.journal.keys();
    // Checked again, not only on arrival: a snapshot kept on disk by an older agent is signed over other fields.
    if (!snapshot || !keys || !isSnapshotGenuine(snapshot, keys)) throw refusal('offline');
    if (Date.now() - snapshot.issuedAt > (this.#o.snapshotMaxAgeMs ?? 86_400_000))
      throw refusal('offline', 'the station has been offline too long to lend on its own');
    return { snapshot, keys };
  }
}
