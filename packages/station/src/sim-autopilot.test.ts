import { afterEach, describe, expect, it } from 'vitest';
import type { UnlockedDoor } from './agent.js';
import { SimBank } from './drivers/sim.js';
import { SimAutopilot, type AutopilotMove, type SimAutopilotOptions } from './sim-autopilot.js';
import { TypedEmitter } from './typed-emitter.js';

/** Opens doors on the bank and announces them, as the agent does after an unlock command. */
class DoorOpener extends TypedEmitter<{ unlocked: [UnlockedDoor] }> {
  constructor(readonly bank: SimBank) {
    super();
  }

  async open(compartment: number, purpose: string | null): Promise<void> {
    await this.bank.unlock(compartment, 300);
    this.emit('unlocked', { compartment, purpose, transactionId: 'tx-1', commandId: `cmd-${compartment}` });
  }
}

const cleanups: (() => Promise<void> | void)[] = [];

function aStation(options: SimAutopilotOptions = {}) {
  const bank = new SimBank({
    compartments: [
      { number: 1, hasCharger: true, device: { battery: 90 } },
      { number: 2, hasCharger: true },
    ],
  });
  const opener = new DoorOpener(bank);
  const autopilot = new SimAutopilot(opener, bank, { actDelayMs: 0, ...options });
  cleanups.push(
    () => autopilot.stop(),
    () => bank.close(),
  );
  const nextMove = () => new Promise<AutopilotMove>((resolve) => autopilot.once('acted', resolve));
  return { bank, opener, autopilot, nextMove };
}

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe('SimAutopilot', () => {
  it('takes the loaner from a take_loaner door and closes the door', async () => {
    const { bank, opener, nextMove } = aStation();
    const move = nextMove();
    await opener.open(1, 'take_loaner');
    expect(await move).toEqual({ compartment: 1, purpose: 'take_loaner', transactionId: 'tx-1', action: 'took' });
    expect(bank.device(1)).toBeUndefined();
    expect(bank.door(1)).toBe('closed');
  });

  it.each(['return_loaner', 'deposit_broken', 'deposit_for_charge'])(
    'puts a device into a %s door and closes it',
    async (purpose) => {
      const { bank, opener, nextMove } = aStation({ depositBattery: 12 });
      const move = nextMove();
      await opener.open(2, purpose);
      expect((await move).action).toBe('put');
      expect(bank.device(2)).toEqual({ battery: 12 });
      expect(bank.door(2)).toBe('closed');
    },
  );

  it('takes an own or repaired device out of collect and pickup doors', async () => {
    const { bank, opener, nextMove } = aStation();
    const move = nextMove();
    await opener.open(1, 'pickup_repaired');
    expect((await move).action).toBe('took');
    expect(bank.device(1)).toBeUndefined();
  });

  it('leaves the loaner behind when told to, and still closes the door', async () => {
    const { bank, opener, nextMove } = aStation({ leaveLoanerBehind: 1 });
    const move = nextMove();
    await opener.open(1, 'take_loaner');
    expect((await move).action).toBe('left_behind');
    expect(bank.device(1)).toEqual({ battery: 90 });
    expect(bank.door(1)).toBe('closed');
  });

  it('closes a return door with nothing inside when told to return nothing', async () => {
    const { bank, opener, nextMove } = aStation({ returnNothing: 1 });
    const move = nextMove();
    await opener.open(2, 'return_loaner');
    expect((await move).action).toBe('put_nothing');
    expect(bank.device(2)).toBeUndefined();
    expect(bank.door(2)).toBe('closed');
  });

  it('waits actDelayMs before acting', async () => {
    const { bank, opener, nextMove } = aStation({ actDelayMs: 80 });
    const started = performance.now();
    const move = nextMove();
    await opener.open(1, 'take_loaner');
    expect(bank.door(1)).toBe('open');
    await move;
    expect(performance.now() - started).toBeGreaterThanOrEqual(70);
  });

  it('does nothing at a door someone else already closed', async () => {
    const { bank, opener, nextMove } = aStation({ actDelayMs: 30 });
    const move = nextMove();
    await opener.open(1, 'take_loaner');
    bank.closeDoor(1);
    expect((await move).action).toBe('door_was_closed');
    expect(bank.device(1)).toEqual({ battery: 90 });
  });

  it('forgets doors it has not acted on once stopped', async () => {
    const { bank, opener, autopilot } = aStation({ actDelayMs: 30 });
    await opener.open(1, 'take_loaner');
    autopilot.stop();
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(bank.door(1)).toBe('open');
    expect(opener.listenerCount('unlocked')).toBe(0);
  });
});
