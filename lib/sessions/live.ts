// The sessions this process holds, while they live: what happened so far (the
// protocol's progress, notices, the end) for late subscribers such as a
// terminal that connects after Start, the timers that end a session (start
// timeout, maximum duration), what stops following the container, and the
// clean-up to run at the end. The terminal bridge (server/) subscribes and
// ends sessions here; the routes start and end them.
//
// Kept on globalThis: Next bundles each route handler into its own chunk, and
// the custom server loads this file outside the bundle; a module variable
// would give each its own registry, and the bridge would never find a session
// a route started.

import { sessionEnded } from '@/lib/audit/events';
import { recordAudit } from '@/lib/audit/record';
import type { EndReason, SessionRecord, SessionStore } from '@/lib/store/types';
import type { ServerMessage } from './protocol';

export type Listener = (message: ServerMessage) => void;

export interface LiveSession {
  /** Receives every message from now on; returns the unsubscribe. */
  subscribe(listener: Listener): () => void;
  /** Every message so far, oldest first (progress while starting, notices, the end). */
  history(): ServerMessage[];
}

/** What the starter gives the registry for one session. */
export interface LiveHooks {
  store: SessionStore;
  /** Deletes what the session created (a node debug pod, a pod copy); run once, at the end. */
  cleanup?: () => Promise<void>;
  /** Told about clean-up failures and the like. */
  log?: (line: string) => void;
}

/** The starter's handle on a live session. */
export interface LiveControl extends LiveSession {
  readonly id: string;
  publish(message: ServerMessage): void;
  /** Runs `end` after `ms` unless the session ends first. */
  after(ms: number, end: () => void): void;
  /** Called when the session ends (stop watching, close streams). */
  onEnd(stop: () => void): void;
  readonly ended: boolean;
}

interface Entry {
  control: LiveControl;
  hooks: LiveHooks;
  history: ServerMessage[];
  listeners: Set<Listener>;
  timers: Set<NodeJS.Timeout>;
  stops: Array<() => void>;
  ending?: Promise<SessionRecord | undefined>;
}

/** How long an ended session's history stays for a terminal that connects late. */
const KEEP_ENDED_MS = 60_000;
/** A flood of progress (an image pull retried for minutes) is not kept past this many messages; the first and the latest stay. */
const MAX_HISTORY = 200;

const REGISTRY = Symbol.for('ephemera.sessions.live');
const registry = (): Map<string, Entry> => {
  const global = globalThis as unknown as Record<symbol, Map<string, Entry> | undefined>;
  return (global[REGISTRY] ??= new Map());
};

/** Registers session `id` as held by this process. */
export function registerLive(id: string, hooks: LiveHooks): LiveControl {
  const entry: Entry = { hooks, history: [], listeners: new Set(), timers: new Set(), stops: [], control: undefined as unknown as LiveControl };
  const publish = (message: ServerMessage) => {
    if (entry.history.length >= MAX_HISTORY) entry.history.splice(1, 1);
    entry.history.push(message);
    for (const listener of [...entry.listeners]) {
      try {
        listener(message);
      } catch (error) {
        hooks.log?.(`session ${id}: a listener failed: ${(error as Error).message}`);
      }
    }
  };
  entry.control = {
    id,
    publish,
    subscribe: (listener) => {
      entry.listeners.add(listener);
      return () => entry.listeners.delete(listener);
    },
    history: () => [...entry.history],
    after: (ms, end) => {
      if (entry.ending) return;
      const timer = setTimeout(() => {
        entry.timers.delete(timer);
        end();
      }, ms);
      timer.unref();
      entry.timers.add(timer);
    },
    onEnd: (stop) => {
      if (entry.ending) stop();
      else entry.stops.push(stop);
    },
    get ended() {
      return entry.ending !== undefined;
    },
  };
  registry().set(id, entry);
  return entry.control;
}

/** The live session `id` if this process holds it (or held it a minute ago), else undefined. */
export function liveSession(id: string): LiveSession | undefined {
  const entry = registry().get(id);
  return entry ? { subscribe: entry.control.subscribe, history: entry.control.history } : undefined;
}

/** The ids of the sessions this process holds and that have not ended. */
export function liveSessionIds(): string[] {
  return [...registry()].filter(([, entry]) => !entry.ending).map(([id]) => id);
}

/** What to do with a session this process does not hold (another replica's, or one left by a crash). */
export interface EndElsewhere {
  store: SessionStore;
  /** The clean-up for a stored session (deleting its node debug pod or pod copy as its user). */
  cleanup?: (record: SessionRecord) => Promise<void>;
}

/**
 * Ends session `id`: the store records why (an ended session never changes
 * again, so the first end wins), `ended` is published, timers stop, and the
 * clean-up runs. Returns the stored record, or undefined when there is no such
 * session. For a session this process does not hold, `elsewhere` says which
 * store to update and how to clean up.
 */
export async function endSession(id: string, reason: EndReason, message: string, exitCode?: number | null, elsewhere?: EndElsewhere): Promise<SessionRecord | undefined> {
  const entry = registry().get(id);
  if (!entry) {
    if (!elsewhere) return undefined;
    const record = await elsewhere.store.get(id);
    if (!record || record.state === 'ended') return record;
    const ended = await elsewhere.store.update(id, { state: 'ended', endedAt: new Date(), endReason: reason, endMessage: message, exitCode: exitCode ?? null });
    if (ended) void recordAudit(sessionEnded(ended));
    if (ended && elsewhere.cleanup) await elsewhere.cleanup(ended);
    return ended;
  }
  entry.ending ??= (async () => {
    for (const timer of entry.timers) clearTimeout(timer);
    entry.timers.clear();
    for (const stop of entry.stops.splice(0)) {
      try {
        stop();
      } catch (error) {
        entry.hooks.log?.(`session ${id}: stopping failed: ${(error as Error).message}`);
      }
    }
    const record = await entry.hooks.store.update(id, { state: 'ended', endedAt: new Date(), endReason: reason, endMessage: message, exitCode: exitCode ?? null });
    if (record) void recordAudit(sessionEnded(record));
    // The store keeps the first end: publish what it kept.
    entry.control.publish({ type: 'ended', reason: record?.endReason ?? reason, exitCode: record?.exitCode ?? exitCode ?? null, message: record?.endMessage ?? message });
    if (entry.hooks.cleanup) {
      await entry.hooks.cleanup().catch((error: unknown) => entry.hooks.log?.(`session ${id}: clean-up failed: ${(error as Error).message}`));
    }
    const forget = setTimeout(() => registry().delete(id), KEEP_ENDED_MS);
    forget.unref();
    return record;
  })();
  return entry.ending;
}

/** Ends every session this process holds (a process shutting down); resolves when each is stored and cleaned up. */
export async function endLiveSessions(reason: EndReason, message: string): Promise<void> {
  await Promise.all(liveSessionIds().map((id) => endSession(id, reason, message).catch(() => undefined)));
}

/** Forgets every live session without ending them (tests; a process shutting down leaves them to recoverSessions). */
export function forgetLiveSessions(): void {
  for (const [, entry] of registry()) {
    for (const timer of entry.timers) clearTimeout(timer);
    for (const stop of entry.stops.splice(0)) stop();
  }
  registry().clear();
}
