import {
  canSeeSite,
  compartmentContent,
  DomainError,
  estimateCharge,
  isLendable,
  lendableAt,
  type ChargeSettings,
  type Principal,
} from '@cubby/core';
import {
  addCounts,
  availableLoanersByStation,
  noCounts,
  sitesInScope,
  stationCounts,
  stationGrid,
  stationsWithBacklog,
  toChargeFacts,
  type ChargeRow,
  type FleetCounts,
  type SiteScope,
} from '@cubby/db';
import type { Services } from './deps.js';
import { chargeRules } from './fleet-settings.js';
import { addReadiness, noReadiness, readinessByStation } from './loaner-readiness.js';

/**
 * The dashboard's fleet views: the district overview and one station's bank
 * as its real grid. Reads only; a campus outside the caller's answers 404.
 */
export async function fleetOverview(services: Services, principal: Principal, now = Date.now()) {
  return overviewOf(services, principal.siteIds, now);
}

/** One campus's part of the overview (its counts and stations); a campus outside the caller's is 404. */
export async function campusOverview(services: Services, principal: Principal, siteId: string, now = Date.now()) {
  const campus = canSeeSite(principal, siteId) ? (await overviewOf(services, [siteId], now)).campuses[0] : undefined;
  if (!campus) throw new DomainError('not_found', 'No such campus');
  return campus;
}

async function overviewOf(services: Services, scope: SiteScope, now: number) {
  const db = services.cubby.db;
  const [sites, stations, counts, loaners, rules] = await Promise.all([
    sitesInScope(db, scope),
    stationsWithBacklog(db, scope),
    stationCounts(db, scope, now),
    availableLoanersByStation(db, scope),
    chargeRules(services),
  ]);
  const readiness = readinessByStation(loaners, now, rules.policy.minChargePercent, rules.charge);
  const totals = noCounts();
  const campuses = sites.map((site) => {
    const campusTotals = noCounts();
    const campusReady = noReadiness();
    const own = stations
      .filter((st) => st.siteId === site.id)
      .map((st) => {
        const ready = readiness.get(st.id) ?? noReadiness();
        const c: FleetCounts = {
          ...(counts.get(st.id) ?? noCounts()),
          loanersAvailable: ready.lendable,
          loanersCharging: ready.charging,
          stationsOnline: st.connected ? 1 : 0,
          stationsOffline: st.connected ? 0 : 1,
        };
        addCounts(campusTotals, c);
        addReadiness(campusReady, ready);
        const { id, name, connected, lastSeenAt, backlog } = st;
        return { id, name, connected, lastSeenAt, backlog, counts: c, nextLendableAt: ready.nextLendableAt };
      });
    addCounts(totals, campusTotals);
    const { id, name, timeZone } = site;
    return { id, name, timeZone, totals: campusTotals, nextLendableAt: campusReady.nextLendableAt, stations: own };
  });
  return { generatedAt: now, totals, campuses };
}

/**
 * Where each door sits in the bank. A station without a configured grid gets
 * a near-square one (columns = ⌈√n⌉), numbered left to right, top to bottom;
 * rows grow if a door number would fall outside the configured grid.
 */
export function gridLayout(highestNumber: number, columns: number | null, rows: number | null) {
  const n = Math.max(highestNumber, 1);
  const cols = columns && columns > 0 ? columns : Math.ceil(Math.sqrt(n));
  const needed = Math.ceil(n / cols);
  return {
    columns: cols,
    rows: Math.max(rows ?? 0, needed),
    place: (number: number) => ({ row: Math.floor((number - 1) / cols) + 1, column: ((number - 1) % cols) + 1 }),
  };
}

export async function stationGridView(services: Services, principal: Principal, stationId: string) {
  const db = services.cubby.db;
  const [station] = await stationsWithBacklog(db, principal.siteIds, stationId);
  if (!station || !canSeeSite(principal, station.siteId)) throw new DomainError('not_found', 'No such station');
  const [grid, rules] = await Promise.all([stationGrid(db, stationId), chargeRules(services)]);
  const now = Date.now();
  const withNames = principal.permissions.has('people:read');
  const layout = gridLayout(Math.max(0, ...grid.compartments.map((c) => c.number)), station.gridColumns, station.gridRows);
  const compartments = grid.compartments.map((c) => {
    const alert = grid.alerts.find((a) => a.compartment_id === c.id);
    const holder = withNames ? holderOf(grid, c) : null;
    const device = c.device_id
      ? {
          id: c.device_id,
          assetTag: c.asset_tag!,
          model: c.model!,
          pool: c.pool!,
          status: c.device_status!,
          ...gridCharge(c, now, rules),
        }
      : null;
    // On a powered charger: switched on by the server (a charge session) or wired, with a device inside.
    const charging = c.charging === 1 || (c.has_charger === 1 && c.device_id !== null && c.charging_since != null);
    const facts = { status: c.status, presence: c.presence === 1, charging, device };
    return {
      id: c.id,
      number: c.number,
      ...layout.place(c.number),
      status: c.status,
      content: compartmentContent(facts, rules.policy.minChargePercent),
      door: c.door,
      presence: facts.presence,
      charging: facts.charging,
      hasCharger: c.has_charger === 1,
      device,
      holder,
      alert: alert?.kind ?? null,
    };
  });
  return {
    station: {
      id: station.id,
      name: station.name,
      siteId: station.siteId,
      siteName: station.siteName,
      connected: station.connected,
      lastSeenAt: station.lastSeenAt,
      backlog: station.backlog,
    },
    columns: layout.columns,
    rows: layout.rows,
    compartments,
  };
}

type Grid = Awaited<ReturnType<typeof stationGrid>>;
const personName = (p: { given_name: string; family_name: string }) => `${p.given_name} ${p.family_name}`;
const time = (v: number | string | null | undefined) => (v === null || v === undefined ? null : Number(v));

/**
 * Who has what is behind the door, in this order: a kiosk visit using it, a
 * device charging in it, a repaired device waiting for its owner, or a loaner
 * taken from it that is not back.
 */
function holderOf(grid: Grid, c: Grid['compartments'][number]) {
  const visit = c.transaction_id ? grid.visits.find((v) => v.id === c.transaction_id) : undefined;
  if (visit) return { personId: visit.person_id, name: personName(visit), since: time(visit.created_at), dueAt: null };
  const charge = grid.charging.find((s) => s.compartment_id === c.id);
  if (charge)
    return {
      personId: charge.person_id,
      name: personName(charge),
      since: time(charge.deposited_at ?? charge.created_at),
      dueAt: null,
    };
  const owner = c.device_status === 'ready_for_pickup' ? grid.owners.find((o) => o.id === c.owner_id) : undefined;
  if (owner) return { personId: owner.id, name: personName(owner), since: null, dueAt: null };
  // The latest open loan of a loaner taken from this door that is not back in it.
  const loan = grid.loans.filter((l) => l.compartment_id === c.id && l.device_id !== c.device_id).at(-1);
  if (loan)
    return {
      personId: loan.person_id,
      name: personName(loan),
      since: time(loan.started_at ?? loan.created_at),
      dueAt: time(loan.due_at),
    };
  return null;
}

/** The device's best charge reading, where it comes from and, for a loaner below the floor, when it gets there. */
function gridCharge(c: ChargeRow, now: number, rules: { policy: { minChargePercent: number }; charge: ChargeSettings }) {
  const facts = toChargeFacts(c);
  const reading = estimateCharge(facts, now, rules.charge);
  const floor = rules.policy.minChargePercent;
  return {
    batteryPercent: reading.percent,
    charge: {
      source: reading.source,
      ...(reading.source === 'reported' ? { ageMs: reading.ageMs } : {}),
      lendableAt: isLendable(reading.percent, floor) ? null : lendableAt(facts, now, floor, rules.charge),
    },
  };
}
