import type { Credential as CoreCredential } from '@cubby/core';
import { Value } from '@sinclair/typebox/value';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { Credential } from '../messages.js';
import { KioskProblem, KioskSignIn, KioskUpdate, SignedIn, SignInRequest, StationInfo } from './kiosk.js';

const offer = {
  person: { id: 'p1', givenName: 'Ana', role: 'student' },
  loans: [{ id: 'l1', assetTag: 'LN-1', dueAt: 1, overdue: false }],
  charging: null,
  pickup: { compartment: 3 },
  agreementRequired: false,
  choices: {
    borrow: { allowed: false, refusedFor: 'no_loaner_available', nearby: [{ stationName: 'Gym', available: 2 }] },
    swap: { allowed: false, refusedFor: 'no_loaner_available' },
    dropOff: { allowed: true, nearby: [{ stationName: 'North Gym', available: 1, campusName: 'North Campus' }] },
  },
};

describe('kiosk API schemas', () => {
  it("describe core's credential exactly, and refuse a badge and a PIN together", () => {
    expectTypeOf<Credential>().toEqualTypeOf<CoreCredential>();
    expect(Value.Check(SignInRequest, { badge: '1001' })).toBe(true);
    expect(Value.Check(SignInRequest, { studentNumber: 'S1', pin: '2468' })).toBe(true);
    expect(Value.Check(SignInRequest, { badge: '1001', pin: '2468' })).toBe(false);
  });

  it("take the server's sign-in with its token, and the kiosk's without it, online or offline", () => {
    expect(Value.Check(SignedIn, { session: 's', expiresAt: 5, ...offer })).toBe(true);
    expect(Value.Check(SignedIn, { expiresAt: 5, ...offer })).toBe(false);
    expect(Value.Check(KioskSignIn, { signedIn: true, expiresAt: 5, ...offer })).toBe(true);
    expect(Value.Check(KioskSignIn, { signedIn: true, offline: true, ...offer, charging: null, pickup: null })).toBe(true);
    expect(Value.Check(KioskSignIn, { signedIn: true, ...offer, person: { id: 'p1', given_name: 'Ana' } })).toBe(false);
    // What the menu may offer is part of every sign-in, and says yes or no.
    expect(Value.Check(KioskSignIn, { signedIn: true, ...offer, choices: undefined })).toBe(false);
    expect(Value.Check(KioskSignIn, { signedIn: true, ...offer, choices: { ...offer.choices, swap: {} } })).toBe(false);
  });

  it('name every streamed update by its type, and give the station its settings', () => {
    expect(Value.Check(KioskUpdate, { type: 'door', compartment: 2, door: 'open' })).toBe(true);
    expect(Value.Check(KioskUpdate, { type: 'door', compartment: 2, door: 'ajar' })).toBe(false);
    expect(Value.Check(KioskUpdate, { type: 'link', online: false, stationId: null, stationName: null })).toBe(true);
    const status = { stationId: 's1', stationName: 'Library', online: true, offlineReady: false, signedIn: false };
    expect(Value.Check(StationInfo, { ...status, compartments: [], kiosk: { language: 'es' } })).toBe(true);
    expect(Value.Check(StationInfo, { ...status, compartments: [] })).toBe(false);
  });

  it('keep the extension members of a problem next to the standard ones', () => {
    const body = { type: 'urn:cubby:problem:no_loaner_available', title: 'None', status: 409, code: 'no_loaner_available' };
    expect(Value.Check(KioskProblem, { ...body, nearby: [{ stationName: 'Gym', available: 2 }], limit: 1 })).toBe(true);
    expect(Value.Check(KioskProblem, { ...body, status: '409' })).toBe(false);
  });
});
