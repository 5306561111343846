// The terminal hubs (terminal-hub.ts) this process holds, by session: a
// browser that connects again (a reload, a dropped connection, a second tab)
// joins the session's hub instead of attaching to the cluster again. Kept on
// globalThis, as live.ts is and for the same reason: Next bundles route
// handlers apart from the custom server, and each would get its own Map.

import type { TerminalHub } from './terminal-hub';

const HUBS = Symbol.for('ephemera.sessions.terminal-hubs');
const hubs = (): Map<string, TerminalHub> => {
  const global = globalThis as unknown as Record<symbol, Map<string, TerminalHub> | undefined>;
  return (global[HUBS] ??= new Map());
};

/** Session `id`'s hub if this process has one that has not ended. */
export function terminalHub(id: string): TerminalHub | undefined {
  const hub = hubs().get(id);
  return hub && !hub.over ? hub : undefined;
}

export function keepTerminalHub(id: string, hub: TerminalHub): void {
  hubs().set(id, hub);
}

/** Forgets `hub` (only if it is still the one kept for `id`). */
export function forgetTerminalHub(id: string, hub: TerminalHub): void {
  if (hubs().get(id) === hub) hubs().delete(id);
}

/** How many hubs this process holds (benchmarks, tests). */
export function terminalHubCount(): number {
  return hubs().size;
}
