import type { Permission } from '@cubby/core';

/** The settings sections, each shown only with the permission that can change it. */
export const settingsSections = [
  { key: 'sites', permission: 'sites:write' },
  { key: 'stations', permission: 'sites:write' },
  { key: 'policy', permission: 'policy:write' },
  { key: 'charging', permission: 'policy:write' },
  { key: 'users', permission: 'users:write' },
  { key: 'tokens', permission: 'tokens:write' },
  { key: 'retention', permission: 'privacy:erase' },
  { key: 'google', permission: 'integrations:write' },
  { key: 'email', permission: 'integrations:write' },
] as const satisfies readonly { key: string; permission: Permission }[];

export type SettingsSection = (typeof settingsSections)[number]['key'];
