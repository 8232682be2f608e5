import { describe, expect, it } from 'vitest';
import { planDevices, type KnownDevice, type RosterDevice } from './devices-plan.js';

let n = 0;
const newId = () => `d-${++n}`;
const aRow = (over: Partial<RosterDevice> = {}): RosterDevice => ({
  assetTag: 'CB-1',
  serial: 'S1',
  model: 'Dell 3110',
  pool: 'assigned',
  siteId: 'site-a',
  ownerId: 'p1',
  purchaseDate: null,
  warrantyEnd: null,
  condition: 'good',
  notes: null,
  source: { file: 'devices.csv', line: 2 },
  ...over,
});
const known = (over: Partial<KnownDevice> = {}): KnownDevice => {
  const { source: _s, ...row } = aRow();
  return { ...row, id: 'd0', status: 'in_service', ...over };
};

describe('planDevices', () => {
  it('matches by asset tag, then by serial, and leaves an unchanged device alone', () => {
    expect(planDevices([known()], [aRow()], newId)).toMatchObject({ create: [], update: [], unchanged: 1 });
    const relabelled = planDevices([known()], [aRow({ assetTag: 'CB-9' })], newId);
    expect(relabelled.update).toEqual([{ id: 'd0', fields: { assetTag: 'CB-9' } }]);
    expect(planDevices([known()], [aRow({ assetTag: 'CB-2', serial: 'S2' })], newId).create).toHaveLength(1);
  });

  it('refuses a tag twice, an owned loaner, and a pool change while the device is out', () => {
    const plan = planDevices(
      [known({ status: 'on_loan' })],
      [
        aRow({ pool: 'loaner', ownerId: null }),
        aRow({ serial: 'S3', source: { file: 'devices.csv', line: 3 } }),
        aRow({ assetTag: 'L-1', serial: null, pool: 'loaner' }),
      ],
      newId,
    );
    expect(plan.problems.map((p) => `${p.line} ${p.column}: ${p.message}`)).toEqual([
      "2 pool: device 'CB-1' is on loan: its pool can change once it is back in service",
      "3 asset_tag: asset tag 'CB-1' is also on line 2",
      '2 owner_student_number: a loaner has no owner',
    ]);
  });
});
