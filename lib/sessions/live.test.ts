import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { IN_MEMORY, openStore } from '@/lib/store';
import type { NewSession, Store } from '@/lib/store/types';
import { endLiveSessions, endSession, forgetLiveSessions, liveSession, liveSessionIds, registerLive } from './live';
import type { ServerMessage } from './protocol';

let store: Store;
beforeAll(async () => {
  store = await openStore({ dataDir: IN_MEMORY });
});
afterAll(async () => store?.close());
afterEach(() => forgetLiveSessions());

const newSession = (): NewSession => ({
  user: 'alice', groups: ['oncall'], roles: ['debugger'], cluster: 'dev', namespace: 'shop', pod: 'web-0', node: null, kind: 'ephemeral', mode: 'interactive',
  container: 'debugger-x', image: 'busybox:1.36', profile: 'restricted', target: null, mounts: [], command: null, reason: null, breakGlass: false, spec: {},
  limits: { maxDurationSeconds: 3600, idleTimeoutSeconds: 900 }, serverId: 'test:1',
});

describe('the live registry', () => {
  it('keeps the history for late subscribers and tells subscribers as it happens', async () => {
    const { id } = await store.sessions.create(newSession());
    const live = registerLive(id, { store: store.sessions });
    live.publish({ type: 'progress', phase: 'waiting', reason: 'ContainerCreating', message: 'The container is being created. Wait a moment.' });
    const seen: ServerMessage[] = [];
    const unsubscribe = liveSession(id)!.subscribe((m) => seen.push(m));
    live.publish({ type: 'progress', phase: 'running' });
    unsubscribe();
    live.publish({ type: 'notice', message: 'after' });
    expect(seen).toEqual([{ type: 'progress', phase: 'running' }]);
    expect(liveSession(id)!.history().map((m) => m.type)).toEqual(['progress', 'progress', 'notice']);
    expect(liveSession('nope')).toBeUndefined();
  });

  it('endSession: stored once (the first end wins), ended published, timers and followers stopped, clean-up run once', async () => {
    const { id } = await store.sessions.create(newSession());
    let cleanups = 0;
    let stopped = 0;
    let fired = false;
    const live = registerLive(id, { store: store.sessions, cleanup: async () => void cleanups++ });
    live.onEnd(() => stopped++);
    live.after(50, () => (fired = true));
    expect(liveSessionIds()).toContain(id);

    const [first, second] = await Promise.all([endSession(id, 'exited', 'The container exited with code 0.', 0), endSession(id, 'user-ended', 'Ended by alice.')]);
    expect(first).toMatchObject({ state: 'ended', endReason: 'exited', exitCode: 0 });
    expect(second).toEqual(first);
    expect(liveSession(id)!.history()).toEqual([{ type: 'ended', reason: 'exited', exitCode: 0, message: 'The container exited with code 0.' }]);
    expect([cleanups, stopped]).toEqual([1, 1]);
    expect(liveSessionIds()).not.toContain(id);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(fired).toBe(false);
  });

  it('ends a session this process does not hold in the given store, cleaning up from the record', async () => {
    const { id } = await store.sessions.create({ ...newSession(), kind: 'node', pod: 'node-debugger-node-a-xxxxx', node: 'node-a' });
    const cleaned: string[] = [];
    const ended = await endSession(id, 'user-ended', 'Ended by ada.', null, { store: store.sessions, cleanup: async (record) => void cleaned.push(record.pod!) });
    expect(ended).toMatchObject({ state: 'ended', endReason: 'user-ended' });
    expect(cleaned).toEqual(['node-debugger-node-a-xxxxx']);
    expect(await endSession(id, 'user-ended', 'again')).toBeUndefined();
  });
});

describe('endLiveSessions', () => {
  it('ends every session this process holds', async () => {
    const ids = await Promise.all([1, 2].map(async () => (await store.sessions.create(newSession())).id));
    for (const id of ids) registerLive(id, { store: store.sessions });
    await endLiveSessions('interrupted', 'Ephemera was stopped while this session was open.');
    for (const id of ids) expect(await store.sessions.get(id)).toMatchObject({ state: 'ended', endReason: 'interrupted' });
    expect(liveSessionIds()).toEqual([]);
  });
});
