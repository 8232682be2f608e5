import { Type, type Static } from '@sinclair/typebox';
import { devicePools, retireReasons, wipeMethods } from '@cubby/core';
import { Nullable, OneOf, Time } from './common.js';
import { AuditEvent, Device } from './lists.js';

/** The dashboard's device page (GET /api/v1/devices/:id) and the forms that add and edit a device. */
export const BatteryReading = Type.Object({
  percent: Type.Integer(),
  source: OneOf(['reported', 'estimated'] as const, {
    description: 'reported: a measured level (a charging board, the device); estimated: from the charge curve',
  }),
  measuredAt: Nullable(Time),
  charging: Type.Boolean({ description: 'on a powered charger in a compartment now' }),
});
export type BatteryReading = Static<typeof BatteryReading>;

export const DeviceProfile = Type.Object({
  device: Device,
  ownerName: Nullable(Type.String({ description: 'null without people:read or when it has no owner' })),
  stationName: Nullable(Type.String()),
  /** Its home campus's time zone (else the district's), for local times. */
  timeZone: Type.String(),
  battery: BatteryReading,
});
export type DeviceProfile = Static<typeof DeviceProfile>;

export const DeviceTimeline = Type.Object({ items: Type.Array(AuditEvent), nextCursor: Nullable(Type.String()) });
export type DeviceTimeline = Static<typeof DeviceTimeline>;

const Text = (max: number) => Type.String({ minLength: 1, maxLength: max, pattern: '\\S' });

export const DeviceInput = Type.Object(
  {
    assetTag: Text(64),
    serial: Nullable(Text(64)),
    model: Text(100),
    pool: OneOf(devicePools),
    siteId: Nullable(Type.String({ maxLength: 64 })),
    condition: Text(100),
    warrantyEnd: Nullable(Time),
  },
  { additionalProperties: false },
);
export type DeviceInput = Static<typeof DeviceInput>;

/** The pool changes only through assignment (a student's own device) or while the device is not in use. */
export const DeviceChange = Type.Partial(DeviceInput, { additionalProperties: false });
export type DeviceChange = Static<typeof DeviceChange>;

export const DeviceAssignment = Type.Object({ personId: Type.String({ maxLength: 64 }) }, { additionalProperties: false });
export type DeviceAssignment = Static<typeof DeviceAssignment>;

/** The device lifecycle outside the locker (docs/dashboard-api.md "Devices"): each step audited with its actor. */
export const DeviceWipe = Type.Object(
  { method: OneOf(wipeMethods), note: Type.Optional(Text(500)) },
  { additionalProperties: false },
);
export type DeviceWipe = Static<typeof DeviceWipe>;

export const DeviceRetirement = Type.Object(
  {
    reason: OneOf(retireReasons),
    certificateRef: Type.Optional(Nullable(Text(200))),
    note: Type.Optional(Text(500)),
  },
  { additionalProperties: false },
);
export type DeviceRetirement = Static<typeof DeviceRetirement>;

export const DeviceNote = Type.Object({ note: Type.Optional(Text(500)) }, { additionalProperties: false });
export type DeviceNote = Static<typeof DeviceNote>;

/** Many devices at once from the device list; all or nothing. */
export const DeviceBulkAction = Type.Object(
  {
    deviceIds: Type.Array(Type.String({ maxLength: 64 }), { minItems: 1, maxItems: 500, uniqueItems: true }),
    action: Type.Union([
      Type.Object({ type: Type.Literal('move_campus'), siteId: Type.String({ maxLength: 64 }) }, { additionalProperties: false }),
      Type.Object(
        { type: Type.Literal('retire'), reason: OneOf(retireReasons), certificateRef: Type.Optional(Nullable(Text(200))) },
        { additionalProperties: false },
      ),
      Type.Object({ type: Type.Literal('wipe'), method: OneOf(wipeMethods) }, { additionalProperties: false }),
    ]),
  },
  { additionalProperties: false },
);
export type DeviceBulkAction = Static<typeof DeviceBulkAction>;

export const DeviceBulkResult = Type.Object({ items: Type.Array(Device) });
export type DeviceBulkResult = Static<typeof DeviceBulkResult>;
