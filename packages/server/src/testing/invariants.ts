import type { CubbyDb } from '@cubby/db';
import { sealAndVerify } from '@cubby/db/testing';

const openLoanStatuses = ['pending', 'active', 'overdue'];

/**
 * The locker invariants of ARCHITECTURE.md §3, checked over the whole
 * database once every transaction has settled. Returns the problems found,
 * so a failing test shows all of them at once.
 */
export async function lockerInvariantViolations(cubby: CubbyDb): Promise<string[]> {
  const problems: string[] = [];
  const [devices, compartments, loans, transactions] = await Promise.all([
    cubby.db.selectFrom('devices').select(['id', 'asset_tag', 'status', 'pool']).execute(),
    cubby.db.selectFrom('compartments').select(['id', 'station_id', 'number', 'status', 'device_id', 'transaction_id']).execute(),
    cubby.db.selectFrom('loans').select(['id', 'device_id', 'person_id', 'status']).execute(),
    cubby.db.selectFrom('kiosk_transactions').select(['id', 'status']).execute(),
  ]);

  const compartmentsOf = new Map<string, string[]>();
  for (const c of compartments) {
    if (c.device_id) compartmentsOf.set(c.device_id, [...(compartmentsOf.get(c.device_id) ?? []), `${c.station_id}#${c.number}`]);
    if (c.status === 'reserved' || c.status === 'open') problems.push(`compartment ${c.number} is still ${c.status}`);
    if (c.transaction_id !== null) problems.push(`compartment ${c.number} is still held by transaction ${c.transaction_id}`);
    if (c.status === 'loaded' && c.device_id === null) problems.push(`compartment ${c.number} is loaded with no device`);
    if (c.status === 'empty' && c.device_id !== null) problems.push(`compartment ${c.number} is empty but holds ${c.device_id}`);
  }
  const openLoansOf = new Map<string, number>();
  for (const l of loans) {
    if (openLoanStatuses.includes(l.status)) openLoansOf.set(l.device_id, (openLoansOf.get(l.device_id) ?? 0) + 1);
    if (l.status === 'pending') problems.push(`loan ${l.id} is still pending`);
  }
  for (const d of devices) {
    const places = compartmentsOf.get(d.id) ?? [];
    const open = openLoansOf.get(d.id) ?? 0;
    if (places.length > 1) problems.push(`device ${d.asset_tag} is in ${places.length} compartments`);
    if (open > 1) problems.push(`device ${d.asset_tag} has ${open} open loans`);
    if (places.length + open > 1) problems.push(`device ${d.asset_tag} is both in a compartment and on loan`);
    if (d.pool === 'loaner' && d.status === 'on_loan' && open !== 1)
      problems.push(`device ${d.asset_tag} is on_loan with ${open} open loans`);
    if (d.pool === 'loaner' && d.status === 'available' && places.length !== 1)
      problems.push(`device ${d.asset_tag} is available but not in a compartment`);
  }
  for (const t of transactions) if (t.status === 'in_progress') problems.push(`kiosk transaction ${t.id} never finished`);
  const chain = await sealAndVerify(cubby);
  if (!chain.ok) problems.push(`audit chain broken at ${chain.brokenAtSeq}: ${chain.reason}`);
  return problems;
}
