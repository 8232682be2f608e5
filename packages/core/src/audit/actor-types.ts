/** Who an audit event says acted: a dashboard user, a person at a kiosk, a station, or Cubby itself. */
export const auditActorTypes = ['person', 'station', 'system', 'user'] as const;
export type AuditActorType = (typeof auditActorTypes)[number];
