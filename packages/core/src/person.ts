/** Who a person is at the kiosk (students borrow; staff and technicians will have technician mode). */
export const personRoles = ['student', 'staff', 'technician', 'admin'] as const;
export type PersonRole = (typeof personRoles)[number];
