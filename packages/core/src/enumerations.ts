/**
 * Core's enumerations and nothing else: plain `as const` arrays the dashboard
 * may import as values (`@cubby/core/enumerations`) for its filters and forms,
 * while it imports only types from the rest of core. Each array is defined
 * beside its state machine; this file only gathers them.
 */
export { auditActorTypes } from './audit/actor-types.js';
export { chargeStatuses } from './charging/charge-session.js';
export { compartmentStatuses } from './compartment/compartment.js';
export { compartmentContents } from './compartment/content.js';
export { bankDifferenceKinds } from './compartment/bank-difference.js';
export { devicePools, deviceStatuses } from './device/device.js';
export { retireReasons, wipeMethods } from './device/lifecycle.js';
export { loanReasons, loanStatuses } from './loan/loan.js';
export { repairDashboardEvents, repairStatuses, repairSymptoms, warrantyStates } from './repair/repair-ticket.js';
export { taskFilters, taskKinds, taskStates } from './task/task.js';
export { doorOpenReasons, doorServiceReasons, stepPurposes, transactionKinds, transactionStatuses } from './kiosk/transaction.js';
export { personRoles } from './person.js';
export { permissions, staffRoles, tokenPermissions } from './access/roles.js';
export { jobStates } from './jobs/job.js';
export { emailDeliveryFilters, emailLanguages, emailTemplates } from './notifications/email-templates.js';
