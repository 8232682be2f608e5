import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { OfflineJournal } from './journal.js';

describe('the offline journal', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const aFile = () => {
    const dir = mkdtempSync(join(tmpdir(), 'cubby-journal-test-'));
    dirs.push(dir);
    return join(dir, 'journal.db');
  };
  const anEntry = (key: string, compartment = 1) => ({
    key,
    at: 1_000,
    credentialHash: 'h',
    personId: 'p1',
    action: { kind: 'return' as const },
    compartment,
  });

  it('keeps entries, keys and snapshot across a reopen of the same file, in sequence order', () => {
    const path = aFile();
    const first = new OfflineJournal(path);
    const a = first.open(anEntry('a'));
    first.open(anEntry('b', 2));
    first.finish(a, 'completed', true);
    first.saveKeys({ stationId: 's', snapshotKey: 'k', badgeKey: 'b' });
    first.close();

    const again = new OfflineJournal(path);
    expect(again.entries().map((e) => [e.key, e.seq, e.closedAt === null])).toEqual([
      ['a', 1, false],
      ['b', 2, true],
    ]);
    // Only finished entries replay; the open door's entry waits.
    expect(again.replayable(10)).toMatchObject([{ key: 'a', presenceAfter: true, outcome: 'completed' }]);
    expect(again.keys()).toEqual({ stationId: 's', snapshotKey: 'k', badgeKey: 'b' });
    again.close();
  });

  it('its highest sequence never goes back, even after applied entries are removed', () => {
    const journal = new OfflineJournal(aFile());
    expect(journal.highestSeq()).toBe(0);
    for (const key of ['a', 'b']) journal.finish(journal.open(anEntry(key)), 'completed', true);
    journal.settle(['a', 'b'], []);
    expect(journal.entries()).toEqual([]);
    expect(journal.highestSeq()).toBe(2);
    expect(journal.open(anEntry('c'))).toBe(3);
    journal.close();
  });

  it('an answer removes applied entries and sets rejected ones aside; unanswered ones stay', () => {
    const journal = new OfflineJournal(aFile());
    for (const key of ['a', 'b', 'c']) journal.finish(journal.open(anEntry(key)), 'completed', true);
    journal.settle(['a'], [{ key: 'b', reason: 'no such person' }]);
    expect(journal.entries().map((e) => e.key)).toEqual(['c']);
    expect(journal.rejectedCount()).toBe(1);
    journal.close();
  });

  it('a door opened after the snapshot is remembered until the next snapshot', () => {
    const journal = new OfflineJournal(aFile());
    journal.noteDoorOpened(3);
    journal.noteDoorOpened(3);
    expect([...journal.touchedSinceSnapshot()]).toEqual([3]);
    journal.saveSnapshot({
      v: 1,
      id: 'x',
      type: 'policy_snapshot',
      issuedAt: 1,
      signature: 's',
      maxActiveLoans: 1,
      minChargePercent: 50,
      offlineBorrowLimit: 1,
      snapshotId: 'snap',
      hashing: { salt: 'salt-salt-salt-salt', n: 16, r: 1, p: 1 },
      credentials: [],
      loaners: [],
    });
    expect(journal.touchedSinceSnapshot().size).toBe(0);
    journal.close();
  });

  it('writes its files for its own user only: journal, -wal, -shm and keys 0600, a folder it makes 0700', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cubby-journal-test-'));
    dirs.push(dir);
    const path = join(dir, 'station', 'journal.db');
    const journal = new OfflineJournal(path);
    journal.finish(journal.open(anEntry('a')), 'completed', true);
    journal.saveKeys({ stationId: 's', snapshotKey: 'k', badgeKey: 'b' });
    const mode = (file: string) => statSync(file).mode & 0o777;
    expect(mode(join(dir, 'station'))).toBe(0o700);
    for (const file of [path, `${path}-wal`, `${path}-shm`, `${path}.keys`]) expect([file, mode(file)]).toEqual([file, 0o600]);
    journal.close();
  });

  it('keeps the offline keys out of the journal file, and moves them out of one an older agent wrote', () => {
    const path = aFile();
    const journal = new OfflineJournal(path);
    journal.saveKeys({ stationId: 's', snapshotKey: 'the-snapshot-key', badgeKey: 'the-badge-key' });
    journal.close();
    const withoutWal = readFileSync(path).toString('latin1') + readFileSync(`${path}-wal`, { flag: 'a+' }).toString('latin1');
    expect(withoutWal).not.toContain('the-badge-key');

    // A journal of the previous layout, with the keys in its offline_state table.
    const older = aFile();
    const db = new Database(older);
    db.exec('create table offline_state (name text primary key, value text not null)');
    db.prepare('insert into offline_state values (?, ?)').run(
      'keys',
      JSON.stringify({ stationId: 's', snapshotKey: 'k', badgeKey: 'b' }),
    );
    db.close();
    const upgraded = new OfflineJournal(older);
    expect(upgraded.keys()).toEqual({ stationId: 's', snapshotKey: 'k', badgeKey: 'b' });
    upgraded.close();
    const raw = new Database(older);
    expect(raw.prepare("select count(*) as n from offline_state where name = 'keys'").get()).toEqual({ n: 0 });
    raw.close();
  });
});

describe('what the journal counts as lent under a snapshot', () => {
  const snapshotOf = (snapshotId: string) => ({
    v: 1 as const,
    id: 'x',
    type: 'policy_snapshot' as const,
    snapshotId,
    issuedAt: 1,
    signature: 's',
    maxActiveLoans: 1,
    minChargePercent: 50,
    offlineBorrowLimit: 5,
    hashing: { salt: 'salt-salt-salt-salt', n: 16, r: 1, p: 1 },
    credentials: [],
    loaners: [],
  });

  it('a borrow the server applied still counts under the snapshot it was made with, and not under the next', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cubby-journal-test-'));
    const journal = new OfflineJournal(join(dir, 'journal.db'));
    journal.saveSnapshot(snapshotOf('s1'));
    const borrow = {
      at: 1,
      credentialHash: 'h',
      personId: 'ana',
      action: { kind: 'borrow' as const, reason: 'forgotten' as const },
    };
    journal.finish(journal.open({ ...borrow, key: 'took', compartment: 1, snapshotId: 's1' }), 'completed', false);
    journal.finish(journal.open({ ...borrow, key: 'left', compartment: 2, snapshotId: 's1' }), 'completed', true);
    journal.settle(['took', 'left'], []);
    expect(journal.entries()).toEqual([]);
    // The server counts Ana's replayed borrow against snapshot s1's limit: so does the station.
    expect(journal.lentUnderSnapshot()).toEqual({ total: 1, byPerson: { ana: 1 } });
    journal.saveSnapshot(snapshotOf('s2')); // s2's open-loan counts include it
    expect(journal.lentUnderSnapshot()).toEqual({ total: 0, byPerson: {} });
    journal.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
