import {
  parseBatteryWearSettings,
  parseChargeSettings,
  type BatteryWearSettings,
  type ChargeSettings,
  type Principal,
} from '@cubby/core';
import { districtSettings, findFirstDistrict } from '@cubby/db';
import type { ChargingSettings } from '@cubby/protocol/api';
import { transact, type Services } from './deps.js';
import { replaceDistrictSetting } from './district-settings.js';

/**
 * How charge is estimated (district settings' `chargeEstimate`, read by the
 * kiosk, the dashboard and, through the policy snapshot, offline stations)
 * and when a battery counts as worn (`batteryWear`, read by the Google sync).
 */
export async function chargingSettings(services: Services): Promise<ChargingSettings> {
  const district = await findFirstDistrict(services.cubby.db);
  const settings: Record<string, unknown> = district ? districtSettings(district) : {};
  return {
    estimate: parseChargeSettings(settings.chargeEstimate as Partial<ChargeSettings> | undefined),
    batteryWear: parseBatteryWearSettings(settings.batteryWear as Partial<BatteryWearSettings> | undefined),
  };
}

export async function changeChargingSettings(
  services: Services,
  principal: Principal,
  input: ChargingSettings,
): Promise<ChargingSettings> {
  return transact(services, async (tx) => ({
    estimate: await replaceDistrictSetting(tx, principal, {
      key: 'chargeEstimate',
      action: 'charging.estimate_updated',
      value: input.estimate,
      parse: (v) => parseChargeSettings(v as Partial<ChargeSettings> | undefined),
    }),
    batteryWear: await replaceDistrictSetting(tx, principal, {
      key: 'batteryWear',
      action: 'charging.battery_wear_updated',
      value: input.batteryWear,
      parse: (v) => parseBatteryWearSettings(v as Partial<BatteryWearSettings> | undefined),
    }),
  }));
}
