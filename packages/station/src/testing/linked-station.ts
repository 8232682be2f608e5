import { StationAgent, type StationAgentOptions } from '../agent.js';
import { SimBank, type SimBankConfig } from '../drivers/sim.js';
import { StationLink } from '../link.js';
import { ProtocolServer, type ProtocolServerOptions } from './protocol-server.js';

export interface LinkedStationSetup {
  server?: Partial<ProtocolServerOptions>;
  bank?: Partial<SimBankConfig>;
  agent?: Partial<StationAgentOptions>;
}

export interface LinkedStation {
  server: ProtocolServer;
  bank: SimBank;
  link: StationLink;
  agent: StationAgent;
  close(): Promise<void>;
}

const token = 'linked-station-token';

/**
 * A real agent on a three-compartment sim bank (1: charged loaner, 2: empty,
 * 3: empty, no charger), linked over a real socket to a protocol server, online.
 */
export async function aLinkedStation(setup: LinkedStationSetup = {}): Promise<LinkedStation> {
  const server = await ProtocolServer.start({ token, ...setup.server });
  const bank = new SimBank({
    compartments: [
      { number: 1, hasCharger: true, device: { battery: 95 } },
      { number: 2, hasCharger: true },
      { number: 3, hasCharger: false },
    ],
    openTimeoutMs: 100,
    ...setup.bank,
  });
  const link = new StationLink({
    serverUrl: server.url,
    token,
    readings: () => bank.readings(),
    minBackoffMs: 20,
    maxBackoffMs: 100,
  });
  const agent = new StationAgent({ driver: bank, link, ...setup.agent });
  const close = async (): Promise<void> => {
    await agent.close();
    await link.close();
    await bank.close();
    await server.close();
  };
  await agent.start();
  const online = new Promise<void>((resolve) => link.once('online', () => resolve()));
  link.start();
  await online;
  return { server, bank, link, agent, close };
}
