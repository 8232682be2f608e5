import { describe, expect, it } from 'vitest';
import { compartmentContent, type CompartmentContent, type CompartmentFacts } from './content.js';

const floor = 50;
const behind = (device: CompartmentFacts['device'], more: Partial<CompartmentFacts> = {}): CompartmentFacts => ({
  status: device ? 'loaded' : 'empty',
  presence: device !== null,
  charging: false,
  device,
  ...more,
});
const loaner = (batteryPercent: number) => ({ pool: 'loaner' as const, status: 'available' as const, batteryPercent });
const own = (status: 'awaiting_collection' | 'ready_for_pickup' | 'charging') => ({
  pool: 'assigned' as const,
  status,
  batteryPercent: 30,
});

describe('what a compartment holds', () => {
  it.each<[string, CompartmentFacts, CompartmentContent]>([
    ['a loaner at the floor is ready to lend', behind(loaner(50)), 'loaner_ready'],
    ['a charged loaner that is still charging is ready', behind(loaner(90), { charging: true }), 'loaner_ready'],
    ['a loaner below the floor on its charger is charging', behind(loaner(49), { charging: true }), 'loaner_charging'],
    ['a loaner below the floor not charging is low', behind(loaner(20)), 'loaner_low'],
    ['a broken device left for repair is not a loaner', behind(own('awaiting_collection')), 'awaiting_collection'],
    [
      'a broken loaner left for repair is waiting for collection too',
      behind({ ...loaner(90), status: 'awaiting_collection' }),
      'awaiting_collection',
    ],
    ['a repaired device waits for its owner', behind(own('ready_for_pickup')), 'awaiting_owner'],
    ["a student's own device charging", behind(own('charging'), { charging: true }), 'own_device_charging'],
    ['a door with nothing recorded and nothing seen is empty', behind(null), 'empty'],
    ['something seen but not recorded is an unknown item', behind(null, { presence: true, status: 'loaded' }), 'unknown_item'],
    ['an open door with nothing recorded is empty', behind(null, { presence: true, status: 'open' }), 'empty'],
    ['a loaner being taken mid-visit', behind({ ...loaner(90), status: 'on_loan' }, { status: 'open' }), 'other_device'],
    ['out of service wins over what is inside', behind(loaner(90), { status: 'out_of_service' }), 'out_of_service'],
    ['an empty door out of service', behind(null, { status: 'out_of_service' }), 'out_of_service'],
  ])('%s', (_, facts, expected) => {
    expect(compartmentContent(facts, floor)).toBe(expected);
  });

  it('the floor is the policy’s: the same loaner is ready under a lower floor', () => {
    expect(compartmentContent(behind(loaner(40)), 50)).toBe('loaner_low');
    expect(compartmentContent(behind(loaner(40)), 30)).toBe('loaner_ready');
  });
});
