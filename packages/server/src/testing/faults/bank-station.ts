import { setTimeout as sleep } from 'node:timers/promises';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OfflineJournal, SimBank, StationAgent, StationLink, type UnlockedDoor } from '@cubby/station';
import { waitFor } from '../offline-station.js';
import type { AcknowledgementLedger } from './ledger.js';

/** A student of the scenario: holds a loaner or not, as their hands say (not as any kiosk said). */
export interface Student {
  badge: string;
  holding: boolean;
}

export interface BankStationOptions {
  stationId: string;
  token: string;
  /** Where the link goes: the server, or a relay that can cut it. */
  serverUrl: string;
  doors: number;
  /** Doors holding a loaner at the start. */
  loaded: number[];
  badges: string[];
}

/**
 * A real station agent in this process, on a sim bank, with its offline
 * journal in a file, and the students who use it. The scenario plays their
 * hands: a student only borrows with empty hands and only returns the loaner
 * they hold, puts it into the door that opened for them and closes it; a door
 * that opens with nobody waiting (its visitor gave up) is shut untouched by a
 * passer-by. So the bank never holds a device that did not exist, and what
 * the server believes can be compared with it.
 */
export class BankStation {
  readonly bank: SimBank;
  readonly students: Student[];
  /** How visits ended, by outcome ("completed", "refused:no_active_loan", …): to see what a run exercised. */
  readonly outcomes = new Map<string, number>();
  readonly #dir: string;
  readonly #options: BankStationOptions;
  #journal!: OfflineJournal;
  #link!: StationLink;
  #agent!: StationAgent;
  /** Doors unlocked for a transaction, waiting for its visitor to come and act. */
  readonly #unlocked = new Map<string, { compartment: number; timer: NodeJS.Timeout }>();
  readonly #waiting = new Map<string, (compartment: number) => void>();
  #busy: Promise<unknown> = Promise.resolve();

  constructor(options: BankStationOptions) {
    this.#options = options;
    this.#dir = mkdtempSync(join(tmpdir(), 'cubby-bank-station-'));
    this.bank = new SimBank({
      compartments: Array.from({ length: options.doors }, (_, i) => ({
        number: i + 1,
        hasCharger: true,
        ...(options.loaded.includes(i + 1) ? { device: { battery: 90 } } : {}),
      })),
      openTimeoutMs: 1_000,
    });
    this.students = options.badges.map((badge) => ({ badge, holding: false }));
  }

  get stationId(): string {
    return this.#options.stationId;
  }

  get link(): StationLink {
    return this.#link;
  }

  get agent(): StationAgent {
    return this.#agent;
  }

  get journal(): OfflineJournal {
    return this.#journal;
  }

  async boot(): Promise<void> {
    this.#journal = new OfflineJournal(join(this.#dir, 'journal.db'));
    this.#link = new StationLink({
      serverUrl: this.#options.serverUrl,
      token: this.#options.token,
      readings: () => this.bank.readings(),
      minBackoffMs: 20,
      maxBackoffMs: 200,
      welcomeTimeoutMs: 5_000,
      keepaliveMs: 1_000,
    });
    this.#agent = new StationAgent({ driver: this.bank, link: this.#link, journal: this.#journal, requestTimeoutMs: 5_000 });
    this.#agent.on('unlocked', this.#onUnlocked);
    await this.#agent.start();
    this.#link.start();
  }

  async shutdown(): Promise<void> {
    this.#agent.off('unlocked', this.#onUnlocked);
    for (const { timer } of this.#unlocked.values()) clearTimeout(timer);
    this.#unlocked.clear();
    await this.#agent.close();
    await this.#link.close();
    this.#journal.close();
  }

  async close(): Promise<void> {
    await this.shutdown();
    await this.bank.close();
    rmSync(this.#dir, { recursive: true, force: true });
  }

  /** Online and every journal entry answered by the server. */
  async settled(timeoutMs = 30_000): Promise<void> {
    await waitFor(
      () => this.#link.online && this.#journal.entries().length === 0,
      `station ${this.stationId} online with its journal replayed`,
      timeoutMs,
    );
    await this.#agent.replayJournal();
  }

  /**
   * One visit by one student, start to end; the kiosk serves one person at a
   * time, so visits at this station queue. Records what the kiosk was told.
   */
  visit(student: Student, ledger: AcknowledgementLedger): Promise<string> {
    const run = this.#busy.then(() => this.#visit(student, ledger));
    this.#busy = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  async #visit(student: Student, ledger: AcknowledgementLedger): Promise<string> {
    const agent = this.#agent;
    const kind = student.holding ? 'return' : 'borrow';
    let outcome = 'unknown';
    try {
      await agent.signIn({ badge: student.badge });
      const result = await agent.act(kind === 'borrow' ? { kind, reason: 'forgotten' } : { kind });
      const txn = result.transaction;
      const offline = result.offline === true;
      if (!txn || txn.status !== 'in_progress') {
        outcome = `${txn?.status ?? 'no_transaction'}:${txn?.error?.code ?? ''}`;
        return outcome;
      }
      // Offline the door is open once act answers; online the unlock comes over the link.
      const door = offline ? txn.compartment! : await this.#doorFor(txn.id, 3_000);
      if (door === undefined || this.bank.door(door) !== 'open') {
        outcome = 'gave_up_waiting_for_the_door'; // walks away
        return outcome;
      }
      if (kind === 'borrow') {
        if (this.bank.take(door)) student.holding = true;
      } else if (!this.bank.device(door)) {
        this.bank.put(door, 60);
        student.holding = false;
      }
      this.bank.closeDoor(door);
      const end = await agent.waitForTransaction(txn.id, undefined, 10_000);
      outcome = `${end.status}${end.error ? `:${end.error.code}` : ''}${offline ? ' (offline)' : ''}`;
      if (end.status === 'completed') ledger.add({ id: txn.id, kind, offline });
    } catch (error) {
      // Refused, timed out, or the link died under the request: nothing was promised.
      outcome = `refused:${(error as { code?: string }).code ?? String(error)}`;
    } finally {
      agent.signOut();
      this.outcomes.set(outcome, (this.outcomes.get(outcome) ?? 0) + 1);
    }
    return outcome;
  }

  #doorFor(transactionId: string, timeoutMs: number): Promise<number | undefined> {
    const unlocked = this.#unlocked.get(transactionId);
    if (unlocked) {
      clearTimeout(unlocked.timer);
      this.#unlocked.delete(transactionId);
      return Promise.resolve(unlocked.compartment);
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#waiting.delete(transactionId);
        resolve(undefined);
      }, timeoutMs);
      this.#waiting.set(transactionId, (compartment) => {
        clearTimeout(timer);
        this.#waiting.delete(transactionId);
        resolve(compartment);
      });
    });
  }

  readonly #onUnlocked = (door: UnlockedDoor): void => {
    const id = door.transactionId ?? door.commandId;
    const waiter = this.#waiting.get(id);
    if (waiter) return waiter(door.compartment);
    // The unlock may come before the request's answer; past that, nobody is coming.
    const timer = setTimeout(() => {
      this.#unlocked.delete(id);
      if (this.bank.door(door.compartment) === 'open') this.bank.closeDoor(door.compartment);
    }, 1_000);
    this.#unlocked.set(id, { compartment: door.compartment, timer });
  };
}

/**
 * The students of every station borrow and return until stopped; one who is
 * refused steps aside for a moment before anyone tries again (a tight retry
 * loop would be no student at all).
 */
export function studentsAtWork(
  stations: readonly BankStation[],
  ledger: AcknowledgementLedger,
  random: () => number,
): { stop(): Promise<void> } {
  let running = true;
  const visits = stations.map(async (station) => {
    while (running) {
      const outcome = await station.visit(station.students[Math.floor(random() * station.students.length)]!, ledger);
      await sleep(outcome.startsWith('refused') ? 100 + Math.floor(random() * 200) : Math.floor(random() * 30));
    }
  });
  return {
    async stop() {
      running = false;
      await Promise.all(visits);
    },
  };
}
