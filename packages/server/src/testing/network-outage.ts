import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * A TCP relay between a station and the server that can drop every
 * connection and refuse new ones, like a school's network going down.
 */
export class NetworkOutage {
  private constructor(
    private readonly server: Server,
    private readonly sockets: Set<Socket>,
    private readonly state: { down: boolean },
    readonly url: string,
  ) {}

  static async between(target: string): Promise<NetworkOutage> {
    const { hostname, port } = new URL(target);
    const sockets = new Set<Socket>();
    const state = { down: false };
    const server = createServer((inbound) => {
      if (state.down) return inbound.destroy();
      const outbound = connect(Number(port), hostname);
      for (const [a, b] of [
        [inbound, outbound],
        [outbound, inbound],
      ] as const) {
        sockets.add(a);
        a.on('error', () => b.destroy());
        a.on('close', () => {
          sockets.delete(a);
          b.destroy();
        });
      }
      inbound.pipe(outbound).pipe(inbound);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    return new NetworkOutage(
      server,
      sockets,
      state,
      `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
    );
  }

  get isDown(): boolean {
    return this.state.down;
  }

  cut(): void {
    this.state.down = true;
    for (const s of this.sockets) s.destroy();
  }

  restore(): void {
    this.state.down = false;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
