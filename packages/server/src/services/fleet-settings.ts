import { randomInt } from 'node:crypto';
import {
  canSeeSite,
  DomainError,
  parseChargeSettings,
  parseLoanPolicy,
  type ChargeSettings,
  type LoanPolicy,
  type Principal,
} from '@cubby/core';
import {
  districtSettings,
  findFirstDistrict,
  findSite,
  findStation,
  insertSite,
  insertStation,
  newId,
  redeemEnrollmentCode,
  revokeStationCredentials,
  setEnrollmentCode,
  stationsWithBacklog,
  toSite,
  updateSite,
  type Tx,
} from '@cubby/db';
import type { NewSite, NewStation } from '@cubby/protocol/api';
import { hashToken, newToken } from '../secrets.js';
import { transact, type Services } from './deps.js';
import { replaceDistrictSetting } from './district-settings.js';

/**
 * Settings from the dashboard: campuses, stations and their credentials, the
 * district's loan policy. Each change is audited with who made it. Site
 * admins change only their own campuses and cannot add one.
 */
const actor = (p: Principal) => ({ actorType: 'user' as const, actorId: p.id });
const by = (p: Principal) => ({ kind: p.kind, name: p.name });
export const enrollmentCodeLifetimeMs = 24 * 60 * 60 * 1000;

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

async function theDistrict(tx: Pick<Tx, 'db'>) {
  const district = await findFirstDistrict(tx.db);
  if (!district) throw new DomainError('not_found', 'No district is set up yet');
  return district;
}

async function siteInScope(tx: Tx, principal: Principal, siteId: string) {
  const site = await findSite(tx.db, siteId);
  if (!site || !canSeeSite(principal, site.id)) throw new DomainError('not_found', 'No such campus');
  return site;
}

async function stationInScope(tx: Tx, principal: Principal, stationId: string) {
  const station = await findStation(tx.db, stationId);
  if (!station || !canSeeSite(principal, station.site_id)) throw new DomainError('not_found', 'No such station');
  return station;
}

export type SiteInput = NewSite;

function checkTimeZone(zone: string | undefined) {
  if (zone !== undefined && !isTimeZone(zone)) throw new DomainError('bad_request', `"${zone}" is not an IANA time zone`);
}

export async function createSite(services: Services, principal: Principal, input: SiteInput) {
  if (principal.siteIds !== null) throw new DomainError('forbidden', 'Only a district-wide administrator adds campuses');
  checkTimeZone(input.timeZone);
  return transact(services, async (tx) => {
    const district = await theDistrict(tx);
    const site = {
      id: newId(),
      district_id: district.id,
      name: input.name,
      time_zone: input.timeZone,
      school_day_end: input.schoolDayEnd,
      created_at: tx.now,
    };
    await insertSite(tx.db, site);
    tx.audit({
      ...actor(principal),
      action: 'site.created',
      entityType: 'site',
      entityId: site.id,
      data: { name: site.name, timeZone: site.time_zone, schoolDayEnd: site.school_day_end, by: by(principal) },
    });
    return toSite(site);
  });
}

export async function changeSite(services: Services, principal: Principal, siteId: string, input: Partial<SiteInput>) {
  checkTimeZone(input.timeZone);
  return transact(services, async (tx) => {
    const before = await siteInScope(tx, principal, siteId);
    const set = {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.timeZone !== undefined ? { time_zone: input.timeZone } : {}),
      ...(input.schoolDayEnd !== undefined ? { school_day_end: input.schoolDayEnd } : {}),
    };
    await updateSite(tx.db, siteId, set);
    tx.audit({
      ...actor(principal),
      action: 'site.updated',
      entityType: 'site',
      entityId: siteId,
      data: { from: before, changes: set, by: by(principal) },
    });
    return toSite({ ...before, ...set });
  });
}

export type StationInput = NewStation;

export async function createStation(services: Services, principal: Principal, input: StationInput) {
  if ((input.columns === undefined) !== (input.rows === undefined))
    throw new DomainError('bad_request', 'give both columns and rows, or neither');
  if (input.columns !== undefined && input.columns * input.rows! < input.compartments) {
    throw new DomainError(
      'bad_request',
      `a ${input.columns} × ${input.rows} grid has no room for ${input.compartments} compartments`,
    );
  }
  const stationId = await transact(services, async (tx) => {
    await siteInScope(tx, principal, input.siteId);
    const id = newId();
    const doors = Array.from({ length: input.compartments }, (_, i) => ({
      id: newId(),
      number: i + 1,
      has_charger: input.chargers === false ? (0 as const) : (1 as const),
    }));
    await insertStation(
      tx.db,
      {
        id,
        site_id: input.siteId,
        name: input.name,
        grid_columns: input.columns ?? null,
        grid_rows: input.rows ?? null,
        created_at: tx.now,
      },
      doors,
    );
    tx.audit({
      ...actor(principal),
      action: 'station.created',
      entityType: 'station',
      entityId: id,
      stationId: id,
      data: {
        siteId: input.siteId,
        name: input.name,
        compartments: input.compartments,
        columns: input.columns ?? null,
        rows: input.rows ?? null,
        by: by(principal),
      },
    });
    return id;
  });
  // The same shape as an item of GET /stations.
  const [st] = await stationsWithBacklog(services.cubby.db, null, stationId);
  const { siteName: _site, gridColumns, gridRows, ...station } = st!;
  return { ...station, columns: gridColumns, rows: gridRows };
}

/** 12 characters from an alphabet without look-alikes (no 0/O, 1/I/L): about 60 bits, typed once at the kiosk PC. */
function enrollmentCode(): string {
  const alphabet = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
  const chars = Array.from({ length: 12 }, () => alphabet[randomInt(alphabet.length)]);
  return `${chars.slice(0, 4).join('')}-${chars.slice(4, 8).join('')}-${chars.slice(8).join('')}`;
}

const normaliseCode = (code: string) => code.toUpperCase().replace(/[^0-9A-Z]/g, '');

export async function issueEnrollmentCode(services: Services, principal: Principal, stationId: string) {
  const code = enrollmentCode();
  return transact(services, async (tx) => {
    await stationInScope(tx, principal, stationId);
    const expiresAt = tx.now + enrollmentCodeLifetimeMs;
    await setEnrollmentCode(tx.db, stationId, hashToken(normaliseCode(code)), expiresAt);
    // Never the code itself: the audit log is read by more people than may enroll a station.
    tx.audit({
      ...actor(principal),
      action: 'station.enrollment_code_issued',
      entityType: 'station',
      entityId: stationId,
      stationId,
      data: { expiresAt, by: by(principal) },
    });
    return { code, expiresAt };
  });
}

/** The station agent's side: a valid code, once, becomes the station's token. */
export async function enrollStation(services: Services, code: string) {
  const token = newToken('cst');
  return transact(services, async (tx) => {
    const station = await redeemEnrollmentCode(tx.db, hashToken(normaliseCode(code)), hashToken(token), tx.now);
    if (!station)
      throw new DomainError('enrollment_code_invalid', 'This enrollment code is not valid, was used already or has expired');
    tx.audit({
      actorType: 'station',
      actorId: station.id,
      action: 'station.enrolled',
      entityType: 'station',
      entityId: station.id,
      stationId: station.id,
    });
    // A link still open with the previous token ends: the credential it proved is gone.
    tx.emit({ type: 'station.revoked', stationId: station.id });
    return { stationId: station.id, stationName: station.name, token };
  });
}

export async function revokeStation(services: Services, principal: Principal, stationId: string) {
  await transact(services, async (tx) => {
    const station = await stationInScope(tx, principal, stationId);
    await revokeStationCredentials(tx.db, stationId);
    tx.audit({
      ...actor(principal),
      action: 'station.revoked',
      entityType: 'station',
      entityId: stationId,
      stationId,
      data: { hadToken: station.token_hash !== null, wasConnected: station.connected === 1, by: by(principal) },
    });
    tx.emit({ type: 'station.revoked', stationId });
  });
}

export async function loanPolicy(services: Services): Promise<LoanPolicy> {
  const district = await theDistrict({ db: services.cubby.db });
  return parseLoanPolicy(districtSettings(district).loanPolicy as Partial<LoanPolicy> | undefined);
}

/** The loan policy's charge floor and how charge is estimated (district settings' `chargeEstimate`). */
export async function chargeRules(services: Services): Promise<{ policy: LoanPolicy; charge: ChargeSettings }> {
  const district = await findFirstDistrict(services.cubby.db);
  const settings: Record<string, unknown> = district ? districtSettings(district) : {};
  return {
    policy: parseLoanPolicy(settings.loanPolicy as Partial<LoanPolicy> | undefined),
    charge: parseChargeSettings(settings.chargeEstimate as Partial<ChargeSettings> | undefined),
  };
}

export async function changeLoanPolicy(
  services: Services,
  principal: Principal,
  input: Partial<LoanPolicy>,
): Promise<LoanPolicy> {
  return transact(services, (tx) =>
    replaceDistrictSetting(tx, principal, {
      key: 'loanPolicy',
      action: 'policy.updated',
      value: input,
      parse: (v) => parseLoanPolicy(v as Partial<LoanPolicy> | undefined), // refuses out-of-range values with bad_request
    }),
  );
}
