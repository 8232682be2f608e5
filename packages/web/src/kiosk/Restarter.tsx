import { Component, type ReactNode } from 'react';

/**
 * A kiosk has nobody to press reload: if the screen ever fails to draw,
 * say so briefly and start the page over (the agent keeps no half-state
 * that a reload could lose; a reload signs out).
 */
export class Restarter extends Component<{ children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override componentDidCatch(error: unknown): void {
    console.error('kiosk screen failed; restarting', error);
    setTimeout(() => window.location.reload(), 3000);
  }

  override render(): ReactNode {
    if (!this.state.failed) return this.props.children;
    return (
      <main className="restarting" role="alert">
        <p lang="en">Something went wrong. Restarting…</p>
        <p lang="es">Algo salió mal. Reiniciando…</p>
      </main>
    );
  }
}
