import argon2 from 'argon2';
import { newId } from '@cubby/db';
import type { Keys } from '@cubby/server';
import type { DemoDistrict } from './seed.js';

const givenNames = [
  'Ava',
  'Liam',
  'Sofia',
  'Noah',
  'Mia',
  'Mateo',
  'Zoe',
  'Elijah',
  'Isabella',
  'Lucas',
  'Amara',
  'Ethan',
  'Camila',
  'Kai',
  'Harper',
  'Diego',
  'Nora',
  'Jayden',
  'Lily',
  'Omar',
];
const familyNames = [
  'Garcia',
  'Nguyen',
  'Smith',
  'Johnson',
  'Martinez',
  'Lee',
  'Brown',
  'Hernandez',
  'Patel',
  'Davis',
  'Lopez',
  'Wilson',
  'Kim',
  'Clark',
  'Lewis',
];

export interface DemoStudentsInput {
  keys: Keys;
  districtId: string;
  siteIds: string[];
  count: number;
  random: () => number;
  now: number;
}

/**
 * Students spread over the campuses, each with their own Chromebook; the first
 * few get a PIN for the PIN-pad path, and the first eight are listed for the banner.
 */
export async function demoStudents({ keys, districtId, siteIds, count, random, now }: DemoStudentsInput) {
  const people = [];
  const devices = [];
  const homes: { id: string; siteId: string; ownDeviceId: string }[] = [];
  const badges: DemoDistrict['badges'] = [];
  for (let i = 0; i < count; i++) {
    const id = newId();
    const siteId = siteIds[i % siteIds.length]!;
    const badge = String(4_100_000 + i * 7);
    const studentNumber = String(20_000 + i);
    const givenName = givenNames[Math.floor(random() * givenNames.length)]!;
    const familyName = familyNames[Math.floor(random() * familyNames.length)]!;
    const pin = i < 10 ? '1234' : undefined;
    people.push({
      id,
      district_id: districtId,
      site_id: siteId,
      role: 'student' as const,
      external_id: `sis-${studentNumber}`,
      student_number: studentNumber,
      given_name: givenName,
      family_name: familyName,
      grade: String(6 + (i % 7)),
      badge_hash: keys.badgeHash(badge),
      offline_badge_hash: keys.offlineBadgeHash(badge),
      pin_hash: pin ? await argon2.hash(pin, { type: argon2.argon2id }) : null,
      agreement_accepted_at: null,
      active: 1 as const,
      created_at: now,
    });
    const ownDeviceId = newId();
    homes.push({ id, siteId, ownDeviceId });
    devices.push({
      id: ownDeviceId,
      district_id: districtId,
      site_id: siteId,
      asset_tag: `CB-${String(10_000 + i)}`,
      serial: `5CD${Math.floor(random() * 1e7)}`,
      model: i % 3 === 0 ? 'Lenovo 300e Gen 4' : 'Dell Chromebook 3110',
      pool: 'assigned' as const,
      owner_id: id,
      status: 'in_service' as const,
      condition: 'good',
      battery_percent: Math.floor(20 + random() * 80),
      loan_count: 0,
      last_loaned_at: null,
      warranty_end: now + 400 * 86_400_000,
      created_at: now,
      updated_at: now,
    });
    if (i < 8) badges.push({ badge, name: `${givenName} ${familyName}`, studentNumber, ...(pin ? { pin } : {}) });
  }
  return { people, devices, homes, badges };
}
