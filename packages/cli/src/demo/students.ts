import type { CsvRow } from './roster-files.js';
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
  /** Each campus's OneRoster sourcedId and name, in order: students are spread over them. */
  campuses: { sourcedId: string; name: string }[];
  count: number;
  random: () => number;
  now: number;
}

/**
 * Students spread over the campuses as users.csv rows (a badge in userIds, the
 * student number in identifier), each with their own Chromebook as a device
 * CSV row; the first few get a PIN for the PIN-pad path (set after the import,
 * which never carries PINs), and the first eight are listed for the banner.
 */
export function demoStudents({ campuses, count, random, now }: DemoStudentsInput) {
  const users: CsvRow[] = [];
  const devices: CsvRow[] = [];
  /** What an import does not carry: each own device's battery reading. */
  const batteries = new Map<string, number>();
  const pins = new Map<string, string>();
  const badges: DemoDistrict['badges'] = [];
  const warrantyEnd = new Date(now + 400 * 86_400_000).toISOString().slice(0, 10);
  for (let i = 0; i < count; i++) {
    const campus = campuses[i % campuses.length]!;
    const badge = String(4_100_000 + i * 7);
    const studentNumber = String(20_000 + i);
    const givenName = givenNames[Math.floor(random() * givenNames.length)]!;
    const familyName = familyNames[Math.floor(random() * familyNames.length)]!;
    const pin = i < 10 ? '1234' : undefined;
    if (pin) pins.set(studentNumber, pin);
    users.push({
      sourcedId: `sis-${studentNumber}`,
      status: 'active',
      enabledUser: 'true',
      orgSourcedIds: campus.sourcedId,
      role: 'student',
      userIds: `{badge:${badge}}`,
      givenName,
      familyName,
      identifier: studentNumber,
      grades: String(6 + (i % 7)),
    });
    const assetTag = `CB-${String(10_000 + i)}`;
    devices.push({
      asset_tag: assetTag,
      serial: `5CD${Math.floor(random() * 1e7)}`,
      model: i % 3 === 0 ? 'Lenovo 300e Gen 4' : 'Dell Chromebook 3110',
      pool: 'assigned',
      campus: campus.name,
      owner_student_number: studentNumber,
      warranty_end: warrantyEnd,
      condition: 'good',
    });
    batteries.set(assetTag, Math.floor(20 + random() * 80));
    if (i < 8) badges.push({ badge, name: `${givenName} ${familyName}`, studentNumber, ...(pin ? { pin } : {}) });
  }
  return { users, devices, batteries, pins, badges };
}
