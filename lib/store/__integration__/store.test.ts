// The same suite on both back ends: PGlite in memory, and a real PostgreSQL
// server that this file starts (postgres-server.ts). Then what only one back
// end can show: PGlite keeping its folder across a reopen, and replicas
// opening one PostgreSQL database at the same moment.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outputOf, parseCast } from '@/lib/recordings/asciicast';
import { Recorder } from '@/lib/recordings/recorder';
import { IN_MEMORY, openStore } from '../index';
import { MIGRATIONS } from '../migrations';
import { DEFAULT_LIST_LIMIT, INTERRUPTED_MESSAGE, MAX_LIST_LIMIT } from '../sessions';
import { END_REASONS, SESSION_KINDS, SESSION_MODES, SESSION_STATES, type NewSession, type SessionRecord, type Store } from '../types';
import { startPostgres, type PostgresServer } from './postgres-server';

let postgres: Promise<PostgresServer> | undefined;
/** Started on first use, so the PGlite suites run even when this one cannot. */
const postgresServer = () => (postgres ??= startPostgres());

afterAll(async () => {
  const server = await postgres?.catch(() => undefined);
  await server?.stop();
});

const BACKENDS: { name: string; open: () => Promise<Store> }[] = [
  { name: 'PGlite in memory', open: () => openStore({ dataDir: IN_MEMORY }) },
  { name: 'PostgreSQL', open: async () => openStore({ databaseUrl: (await postgresServer()).url }) },
];

/** A session with every field set; `cluster` is unique per test so tests never see each other's rows. */
function newSession(overrides: Partial<NewSession> = {}): NewSession {
  return {
    user: 'alice@example.com',
    groups: ['on-call'],
    roles: ['debugger'],
    cluster: 'dev',
    namespace: 'shop',
    pod: 'checkout-7f9c',
    node: null,
    kind: 'ephemeral',
    mode: 'interactive',
    container: 'debugger-x7k2p',
    image: 'busybox:1.36',
    profile: 'general',
    target: 'app',
    mounts: [{ name: 'data', mountPath: '/data', readOnly: true }],
    command: null,
    reason: null,
    breakGlass: false,
    spec: { name: 'debugger-x7k2p', image: 'busybox:1.36', stdin: true, tty: true },
    limits: { maxDurationSeconds: 3600, idleTimeoutSeconds: 900 },
    serverId: 'replica-a:3000',
    ...overrides,
  };
}

const ids = (sessions: SessionRecord[]) => sessions.map((session) => session.id);
const uniqueCluster = () => `cluster-${randomUUID().slice(0, 8)}`;

describe.each(BACKENDS)('sessions on $name', ({ open }) => {
  let store: Store;
  beforeAll(async () => {
    store = await open();
  });
  afterAll(async () => {
    await store?.close();
  });

  describe('create and get', () => {
    it('stores every field and gives the new session an id, state starting and a creation time', async () => {
      const before = Date.now();
      const input = newSession({ cluster: uniqueCluster() });
      const created = await store.sessions.create(input);
      expect(created).toEqual({
        ...input,
        id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
        state: 'starting',
        createdAt: expect.any(Date),
        startedAt: null,
        endedAt: null,
        exitCode: null,
        endReason: null,
        endMessage: null,
      });
      // The database's clock, not this process's; the two are one machine here.
      expect(Math.abs(created.createdAt.getTime() - before)).toBeLessThan(5_000);
      expect(await store.sessions.get(created.id)).toEqual(created);
    });

    it('answers undefined for an unknown id, and for a string that is not a UUID at all', async () => {
      expect(await store.sessions.get(randomUUID())).toBeUndefined();
      expect(await store.sessions.get('not-a-uuid')).toBeUndefined();
      expect(await store.sessions.update(randomUUID(), { state: 'running' })).toBeUndefined();
      expect(await store.sessions.update("'; DROP TABLE sessions; --", { state: 'running' })).toBeUndefined();
    });

    it('round-trips JSON: nested objects, arrays, unicode, quotes and numbers', async () => {
      const spec = {
        apiVersion: 'v1',
        metadata: { name: 'copy-of-checkout', labels: { 'app.kubernetes.io/name': 'kassé ☕' }, annotations: {} },
        spec: {
          containers: [
            { name: 'app', command: ['sh', '-c', 'echo "héllo \\ wörld" && sleep 1'], env: [{ name: 'EMOJI', value: '🚀✓' }] },
          ],
          securityContext: { runAsNonRoot: true, runAsUser: 65534, seccompProfile: null },
          tolerations: [],
        },
        weights: [0, -1, 1.5, 1e21],
      };
      const input = newSession({
        cluster: uniqueCluster(),
        user: 'zoë@例え.jp',
        groups: ['équipe-été', 'on-call'],
        roles: ['debugger', 'lead'],
        kind: 'copy',
        mode: 'oneshot',
        command: ['cat', '/etc/résumé.txt', 'It\'s "quoted"'],
        reason: 'INC-42: pod crashes with «permission denied» 💥',
        breakGlass: true,
        mounts: [],
        spec,
      });
      const created = await store.sessions.create(input);
      const read = await store.sessions.get(created.id);
      expect(read?.spec).toEqual(spec);
      expect(read).toMatchObject({ user: input.user, groups: input.groups, roles: input.roles, command: input.command, reason: input.reason, mounts: [] });
    });

    it('stores a spec that is not an object (an array, a string) as it is', async () => {
      for (const spec of [['a', { b: 1 }], 'just text', 7, true]) {
        const created = await store.sessions.create(newSession({ cluster: uniqueCluster(), spec }));
        expect((await store.sessions.get(created.id))?.spec).toEqual(spec);
      }
    });
  });

  describe('update', () => {
    it('applies only the fields given, and times keep their milliseconds', async () => {
      const created = await store.sessions.create(newSession({ cluster: uniqueCluster() }));
      const startedAt = new Date('2026-11-27T06:01:02.345Z');
      const running = await store.sessions.update(created.id, { state: 'running', startedAt, container: 'debugger-2' });
      expect(running).toEqual({ ...created, state: 'running', startedAt, container: 'debugger-2' });
      expect(await store.sessions.get(created.id)).toEqual(running);

      const moved = await store.sessions.update(created.id, { serverId: 'replica-b:3000', pod: null });
      expect(moved).toEqual({ ...running, serverId: 'replica-b:3000', pod: null });
      expect(await store.sessions.update(created.id, {})).toEqual(moved);
    });

    it('ends a session; ended without a time means now', async () => {
      const created = await store.sessions.create(newSession({ cluster: uniqueCluster() }));
      const ended = await store.sessions.update(created.id, { state: 'ended', endReason: 'exited', exitCode: 137, endMessage: 'The process was killed (OOMKilled).' });
      expect(ended).toMatchObject({ state: 'ended', endReason: 'exited', exitCode: 137, endMessage: 'The process was killed (OOMKilled).' });
      expect(ended!.endedAt!.getTime()).toBeGreaterThanOrEqual(created.createdAt.getTime());

      const endedAt = new Date('2026-11-27T06:30:00.000Z');
      const other = await store.sessions.create(newSession({ cluster: uniqueCluster() }));
      expect(await store.sessions.update(other.id, { state: 'ended', endReason: 'user-ended', endedAt })).toMatchObject({ endedAt });
    });

    it('never changes an ended session: the update is ignored and the stored row returned', async () => {
      const created = await store.sessions.create(newSession({ cluster: uniqueCluster() }));
      const ended = await store.sessions.update(created.id, { state: 'ended', endReason: 'idle-timeout' });
      for (const update of [{ state: 'running' as const }, { endReason: 'exited' as const, exitCode: 0 }, { endMessage: 'rewritten' }, { serverId: 'elsewhere' }]) {
        expect(await store.sessions.update(created.id, update)).toEqual(ended);
      }
      expect(await store.sessions.get(created.id)).toEqual(ended);
    });

    it('lets one of two racing "end" updates win, and both callers see the winner', async () => {
      const created = await store.sessions.create(newSession({ cluster: uniqueCluster() }));
      const [a, b] = await Promise.all([
        store.sessions.update(created.id, { state: 'ended', endReason: 'user-ended' }),
        store.sessions.update(created.id, { state: 'ended', endReason: 'max-duration' }),
      ]);
      const stored = await store.sessions.get(created.id);
      expect(['user-ended', 'max-duration']).toContain(stored!.endReason);
      expect(a).toEqual(stored);
      expect(b).toEqual(stored);
    });
  });

  describe('list', () => {
    let cluster: string;
    let all: SessionRecord[]; // newest first
    beforeAll(async () => {
      cluster = uniqueCluster();
      const rows: NewSession[] = [
        newSession({ cluster, user: 'alice', namespace: 'shop', pod: 'checkout-1', kind: 'ephemeral' }),
        newSession({ cluster, user: 'bob', namespace: 'shop', pod: 'checkout-1', kind: 'exec' }),
        newSession({ cluster, user: 'alice', namespace: 'shop', pod: 'cart-1', kind: 'copy', profile: 'netadmin' }),
        newSession({ cluster, user: 'alice', namespace: 'billing', pod: 'checkout-1', kind: 'ephemeral' }),
        newSession({ cluster, user: 'ada', namespace: 'default', pod: 'node-debugger-node-1-x7k2p', node: 'node-1', kind: 'node', profile: 'sysadmin' }),
        newSession({ cluster, user: 'bob', namespace: 'shop', pod: 'cart-1', node: 'node-1', kind: 'ephemeral', profile: 'netadmin' }),
      ];
      const created: SessionRecord[] = [];
      for (const row of rows) created.push(await store.sessions.create(row));
      await store.sessions.update(created[1].id, { state: 'running' });
      await store.sessions.update(created[2].id, { state: 'ended', endReason: 'exited', exitCode: 0 });
      await store.sessions.update(created[4].id, { state: 'ended', endReason: 'user-ended' });
      await store.sessions.update(created[5].id, { state: 'ended', endReason: 'exited', exitCode: 3 });
      all = await Promise.all(created.reverse().map(async (session) => (await store.sessions.get(session.id))!));
    });
    const pick = (predicate: (session: SessionRecord) => boolean) => ids(all.filter(predicate));

    it('lists newest first', async () => {
      const listed = await store.sessions.list({ cluster });
      expect(listed).toEqual(all);
      const times = listed.map((session) => session.createdAt.getTime());
      expect(times).toEqual([...times].sort((a, b) => b - a));
      // Without any filter too (other tests' rows are older or newer, never interleaved with ours out of order).
      const everything = await store.sessions.list();
      expect(ids(everything.filter((session) => session.cluster === cluster))).toEqual(ids(all));
    });

    it('filters by user, namespace, pod, kind and state, alone and together', async () => {
      expect(ids(await store.sessions.list({ cluster, user: 'alice' }))).toEqual(pick((s) => s.user === 'alice'));
      expect(ids(await store.sessions.list({ cluster, namespace: 'shop' }))).toEqual(pick((s) => s.namespace === 'shop'));
      expect(ids(await store.sessions.list({ cluster, pod: 'checkout-1' }))).toEqual(pick((s) => s.pod === 'checkout-1'));
      expect(ids(await store.sessions.list({ cluster, kind: 'node' }))).toEqual(pick((s) => s.kind === 'node'));
      expect(ids(await store.sessions.list({ cluster, state: 'running' }))).toEqual(pick((s) => s.state === 'running'));
      expect(ids(await store.sessions.list({ cluster, state: 'ended' }))).toEqual(pick((s) => s.state === 'ended'));
      expect(ids(await store.sessions.list({ cluster, namespace: 'shop', pod: 'checkout-1', user: 'alice' }))).toEqual(
        pick((s) => s.namespace === 'shop' && s.pod === 'checkout-1' && s.user === 'alice'),
      );
      expect(await store.sessions.list({ cluster, user: 'nobody' })).toEqual([]);
      expect(await store.sessions.list({ cluster: uniqueCluster() })).toEqual([]);
    });

    it('filters by node and profile, alone and with the others', async () => {
      expect(ids(await store.sessions.list({ cluster, node: 'node-1' }))).toEqual(pick((s) => s.node === 'node-1'));
      expect(ids(await store.sessions.list({ cluster, profile: 'netadmin' }))).toEqual(pick((s) => s.profile === 'netadmin'));
      expect(ids(await store.sessions.list({ cluster, profile: 'netadmin', user: 'bob' }))).toEqual(pick((s) => s.profile === 'netadmin' && s.user === 'bob'));
      expect(ids(await store.sessions.list({ cluster, node: 'node-1', kind: 'node' }))).toEqual(pick((s) => s.node === 'node-1' && s.kind === 'node'));
      expect(await store.sessions.list({ cluster, profile: 'baseline' })).toEqual([]);
    });

    it('filters by outcome: starting and running by state, the rest by end reason', async () => {
      expect(ids(await store.sessions.list({ cluster, outcome: 'starting' }))).toEqual(pick((s) => s.state === 'starting'));
      expect(ids(await store.sessions.list({ cluster, outcome: 'running' }))).toEqual(pick((s) => s.state === 'running'));
      expect(ids(await store.sessions.list({ cluster, outcome: 'exited' }))).toEqual(pick((s) => s.endReason === 'exited'));
      expect(pick((s) => s.endReason === 'exited')).toHaveLength(2);
      expect(ids(await store.sessions.list({ cluster, outcome: 'user-ended' }))).toEqual(pick((s) => s.endReason === 'user-ended'));
      expect(ids(await store.sessions.list({ cluster, outcome: 'exited', user: 'bob' }))).toEqual(pick((s) => s.endReason === 'exited' && s.user === 'bob'));
      expect(await store.sessions.list({ cluster, outcome: 'max-duration' })).toEqual([]);
      // With a state that contradicts it, nothing.
      expect(await store.sessions.list({ cluster, outcome: 'running', state: 'ended' })).toEqual([]);
    });

    it('filters by creation time: from inclusive, to exclusive, with before and the others', async () => {
      const oldestFirst = all.toReversed();
      const [first, second, third] = oldestFirst.map((session) => session.createdAt);
      expect(ids(await store.sessions.list({ cluster, from: second }))).toEqual(ids(all.slice(0, -1)));
      expect(ids(await store.sessions.list({ cluster, to: third }))).toEqual(ids(oldestFirst.slice(0, 2).toReversed()));
      expect(ids(await store.sessions.list({ cluster, from: second, to: third }))).toEqual([oldestFirst[1].id]);
      expect(ids(await store.sessions.list({ cluster, from: first, to: all[0].createdAt, before: third }))).toEqual(ids(oldestFirst.slice(0, 2).toReversed()));
      expect(ids(await store.sessions.list({ cluster, from: second, user: 'alice' }))).toEqual(pick((s) => s.createdAt >= second && s.user === 'alice'));
      expect(await store.sessions.list({ cluster, from: third, to: third })).toEqual([]);
      expect(await store.sessions.list({ cluster, from: new Date(all[0].createdAt.getTime() + 1) })).toEqual([]);
    });

    it('pages with limit and before, every session once', async () => {
      expect(ids(await store.sessions.list({ cluster, limit: 2 }))).toEqual(ids(all.slice(0, 2)));
      const seen: string[] = [];
      let before: Date | undefined;
      for (;;) {
        const page = await store.sessions.list({ cluster, limit: 2, before });
        if (page.length === 0) break;
        seen.push(...ids(page));
        before = page.at(-1)!.createdAt;
      }
      expect(seen).toEqual(ids(all));
      expect(ids(await store.sessions.list({ cluster, before: all[1].createdAt }))).toEqual(ids(all.slice(2)));
    });

    it('gives sessions created at the same moment distinct creation times, so paging misses none', async () => {
      const burst = uniqueCluster();
      const created = await Promise.all(Array.from({ length: 20 }, () => store.sessions.create(newSession({ cluster: burst }))));
      expect(new Set(created.map((session) => session.createdAt.getTime())).size).toBe(created.length);
      const pages: string[] = [];
      let before: Date | undefined;
      for (let page = await store.sessions.list({ cluster: burst, limit: 3 }); page.length > 0; page = await store.sessions.list({ cluster: burst, limit: 3, before })) {
        pages.push(...ids(page));
        before = page.at(-1)!.createdAt;
      }
      expect(pages.toSorted()).toEqual(ids(created).toSorted());
    });

    it('refuses a limit that is not a whole number of at least 1', async () => {
      for (const limit of [0, -1, 1.5, Number.NaN]) {
        await expect(store.sessions.list({ cluster, limit })).rejects.toThrow(RangeError);
      }
    });

    it('refuses an unknown outcome and an invalid date, naming them', async () => {
      await expect(store.sessions.list({ cluster, outcome: 'paused' as never })).rejects.toThrow(/^outcome must be one of starting, running, exited/);
      await expect(store.sessions.list({ cluster, from: new Date('not a date') })).rejects.toThrow('from must be a valid date');
      await expect(store.sessions.list({ cluster, to: new Date(Number.NaN) })).rejects.toThrow('to must be a valid date');
    });
  });

  it(`returns at most ${DEFAULT_LIST_LIMIT} by default and at most ${MAX_LIST_LIMIT} whatever the limit`, async () => {
    const cluster = uniqueCluster();
    for (let i = 0; i < MAX_LIST_LIMIT + 1; i++) await store.sessions.create(newSession({ cluster, container: `c-${i}` }));
    expect(await store.sessions.list({ cluster })).toHaveLength(DEFAULT_LIST_LIMIT);
    expect(await store.sessions.list({ cluster, limit: 5_000 })).toHaveLength(MAX_LIST_LIMIT);
    expect(await store.sessions.list({ cluster, limit: MAX_LIST_LIMIT + 1 })).toHaveLength(MAX_LIST_LIMIT);
  });

  describe('interruptAll', () => {
    it("ends only that server's starting and running sessions, and returns them", async () => {
      const cluster = uniqueCluster();
      const server = `replica-${randomUUID().slice(0, 8)}:3000`;
      const starting = await store.sessions.create(newSession({ cluster, serverId: server }));
      const running = await store.sessions.create(newSession({ cluster, serverId: server }));
      await store.sessions.update(running.id, { state: 'running', startedAt: new Date() });
      const ended = await store.sessions.create(newSession({ cluster, serverId: server }));
      const endedBefore = await store.sessions.update(ended.id, { state: 'ended', endReason: 'exited', exitCode: 0 });
      const elsewhere = await store.sessions.create(newSession({ cluster, serverId: `${server}-other` }));

      const interrupted = await store.sessions.interruptAll(server);
      expect(ids(interrupted)).toEqual([running.id, starting.id]);
      for (const session of interrupted) {
        expect(session).toMatchObject({ state: 'ended', endReason: 'interrupted', endMessage: INTERRUPTED_MESSAGE, endedAt: expect.any(Date) });
        expect(await store.sessions.get(session.id)).toEqual(session);
      }
      expect(await store.sessions.get(ended.id)).toEqual(endedBefore);
      expect(await store.sessions.get(elsewhere.id)).toEqual(elsewhere);
      expect(await store.sessions.interruptAll(server)).toEqual([]);
    });
  });

  describe("the database's CHECK constraints", () => {
    it('accept every kind, mode, state and end reason of types.ts (a new value needs a migration)', async () => {
      const cluster = uniqueCluster();
      for (const kind of SESSION_KINDS) for (const mode of SESSION_MODES) await store.sessions.create(newSession({ cluster, kind, mode }));
      const one = await store.sessions.create(newSession({ cluster }));
      for (const state of SESSION_STATES.filter((s) => s !== 'ended')) expect(await store.sessions.update(one.id, { state })).toMatchObject({ state });
      for (const endReason of END_REASONS) {
        const session = await store.sessions.create(newSession({ cluster }));
        expect(await store.sessions.update(session.id, { state: 'ended', endReason })).toMatchObject({ state: 'ended', endReason });
      }
    });

    it('reject values outside them', async () => {
      const cluster = uniqueCluster();
      const check = /check constraint/;
      await expect(store.sessions.create(newSession({ cluster, kind: 'debug' as never }))).rejects.toThrow(check);
      await expect(store.sessions.create(newSession({ cluster, mode: 'batch' as never }))).rejects.toThrow(check);
      await expect(store.sessions.create(newSession({ cluster, groups: 'on-call' as never }))).rejects.toThrow(check);
      const session = await store.sessions.create(newSession({ cluster }));
      await expect(store.sessions.update(session.id, { state: 'paused' as never })).rejects.toThrow(check);
      await expect(store.sessions.update(session.id, { endReason: 'crashed' as never })).rejects.toThrow(check);
      expect(await store.sessions.get(session.id)).toEqual(session);
      expect(ids(await store.sessions.list({ cluster }))).toEqual([session.id]);
    });
  });
});

describe('PGlite in a folder', () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'ephemera-pglite-'));
  afterAll(() => fs.rmSync(folder, { recursive: true, force: true }));

  it('keeps sessions across close and reopen, and migrates only the first time', async () => {
    const dataDir = path.join(folder, 'data'); // created by openStore
    const firstLog: string[] = [];
    const first = await openStore({ dataDir, log: (message) => firstLog.push(message) });
    expect(first.backend).toBe('pglite');
    expect(firstLog).toEqual(MIGRATIONS.map((m) => `store: applied migration ${m.version} (${m.name})`));
    const created = await first.sessions.create(newSession({ spec: { note: 'survives ✓' } }));
    await first.close();

    const secondLog: string[] = [];
    const second = await openStore({ dataDir, log: (message) => secondLog.push(message) });
    try {
      expect(secondLog).toEqual([]);
      expect(await second.sessions.get(created.id)).toEqual(created);
    } finally {
      await second.close();
    }
  }, 120_000); // PGlite's first start in a folder runs initdb in WebAssembly: 15 s on a busy machine
});

describe('PostgreSQL shared by replicas', () => {
  it('runs each migration once when two replicas open one database at the same moment', async () => {
    const url = await (await postgresServer()).createDatabase('replicas');
    const log: string[] = [];
    const stores = await Promise.all([0, 1, 2].map(() => openStore({ databaseUrl: url, log: (message) => log.push(message) })));
    try {
      expect(stores.map((store) => store.backend)).toEqual(['postgres', 'postgres', 'postgres']);
      // Each migration once, by whichever replica got there first; the replicas log as they finish, so in any order.
      const byVersion = (line: string) => Number(/migration (\d+)/.exec(line)?.[1]);
      expect(log.toSorted((a, b) => byVersion(a) - byVersion(b))).toEqual(MIGRATIONS.map((m) => `store: applied migration ${m.version} (${m.name})`));

      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        const { rows } = await client.query('SELECT version FROM schema_migrations ORDER BY version');
        expect(rows.map((row) => row.version)).toEqual(MIGRATIONS.map((m) => m.version));
      } finally {
        await client.end();
      }

      const created = await stores[0].sessions.create(newSession());
      expect(await stores[1].sessions.get(created.id)).toEqual(created);
    } finally {
      await Promise.all(stores.map((store) => store.close()));
    }
  });

  it('says where it failed to connect, without the password', async () => {
    const error = await openStore({ databaseUrl: 'postgres://ephemera:s3cret@127.0.0.1:1/ephemera' }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/^Could not open the store \(PostgreSQL at 127\.0\.0\.1:1\/ephemera\): /);
    expect((error as Error).message).not.toContain('s3cret');
  });
});

describe.each(BACKENDS)('recordings on $name', ({ open }) => {
  let store: Store;
  beforeAll(async () => {
    store = await open();
  });
  afterAll(async () => {
    await store?.close();
  });

  const header = { version: 2 as const, width: 80, height: 24, timestamp: 1_795_000_000, title: 'shop/checkout-7f9c · debugger-x7k2p' };
  const castText = async (id: string) => {
    const lines = await store.recordings.cast(id);
    let text = '';
    for await (const line of lines!) text += line;
    return text;
  };

  it('begins once: a second begin returns the first recording unchanged', async () => {
    const session = await store.sessions.create(newSession({ cluster: uniqueCluster() }));
    const first = await store.recordings.begin(session.id, header, { input: false });
    expect(first).toEqual({ sessionId: session.id, header, input: false, startedAt: expect.any(Date), endedAt: null, bytes: 0, chunks: 0 });
    expect(await store.recordings.begin(session.id, { ...header, width: 200 }, { input: true })).toEqual(first);
  });

  it('stores chunks in order with their totals, refuses a seq twice, and reads back the whole cast', async () => {
    const session = await store.sessions.create(newSession({ cluster: uniqueCluster() }));
    await store.recordings.begin(session.id, header, { input: true });
    await store.recordings.append(session.id, { seq: 0, events: '[0.1,"o","$ ls\\r\\n"]\n', text: '$ ls\n', bytes: 6 });
    await store.recordings.append(session.id, { seq: 1, events: '[0.5,"r","100x30"]\n[0.6,"o","é\\r\\n"]\n', text: 'é\n', bytes: 4 });
    await expect(store.recordings.append(session.id, { seq: 1, events: '[9,"o","again"]\n', text: 'again', bytes: 5 })).rejects.toThrow('chunk 1');
    expect(await store.recordings.get(session.id)).toMatchObject({ bytes: 10, chunks: 2, endedAt: null });
    expect((await store.recordings.chunks(session.id)).map((chunk) => chunk.seq)).toEqual([0, 1]);
    expect((await store.recordings.chunks(session.id, { after: 0 })).map((chunk) => chunk.text)).toEqual(['é\n']);
    expect(await castText(session.id)).toBe(`${JSON.stringify(header)}\n[0.1,"o","$ ls\\r\\n"]\n[0.5,"r","100x30"]\n[0.6,"o","é\\r\\n"]\n`);
    await store.recordings.finish(session.id);
    const finished = await store.recordings.get(session.id);
    expect(finished?.endedAt).toBeInstanceOf(Date);
    await store.recordings.finish(session.id);
    expect((await store.recordings.get(session.id))?.endedAt).toEqual(finished?.endedAt);
  });

  it('reads a long recording back a page at a time, every chunk once', async () => {
    const session = await store.sessions.create(newSession({ cluster: uniqueCluster() }));
    await store.recordings.begin(session.id, header, { input: false });
    for (let seq = 0; seq < 450; seq++) await store.recordings.append(session.id, { seq, events: `[${seq},"o","${seq};"]\n`, text: `${seq};`, bytes: String(seq).length + 1 });
    const { events } = parseCast(await castText(session.id));
    expect(outputOf(events)).toBe(Array.from({ length: 450 }, (_, seq) => `${seq};`).join(''));
  });

  it('a Recorder writing to the store replays byte for byte what the terminal was sent', async () => {
    const session = await store.sessions.create(newSession({ cluster: uniqueCluster() }));
    const info = await store.recordings.begin(session.id, header, { input: false });
    const recorder = new Recorder({
      sink: { append: (chunk) => store.recordings.append(session.id, chunk), finish: () => store.recordings.finish(session.id) },
      startedAt: info.startedAt,
      recordInput: false,
      flushIntervalMs: 5,
      onFailure: (error) => {
        throw error;
      },
    });
    const sent = Buffer.concat(Array.from({ length: 300 }, (_, i) => Buffer.from(`line ${i}: \x1b[1mbold\x1b[0m ✓ ${'x'.repeat(i % 50)}\r\n`)));
    for (let offset = 0; offset < sent.length; offset += 777) {
      recorder.output(sent.subarray(offset, offset + 777)); // cuts through multi-byte characters
      if (offset % (777 * 20) === 0) await new Promise((resolve) => setTimeout(resolve, 6));
    }
    await recorder.close();
    const stored = await store.recordings.get(session.id);
    expect(stored).toMatchObject({ bytes: sent.length, endedAt: expect.any(Date) });
    expect(stored!.chunks).toBeGreaterThan(1);
    expect(Buffer.from(outputOf(parseCast(await castText(session.id)).events), 'utf8').equals(sent)).toBe(true);
  });

  it('finds sessions by the text their recordings showed, case-insensitively, with % and _ taken literally', async () => {
    const cluster = uniqueCluster();
    const [shown, other] = await Promise.all([store.sessions.create(newSession({ cluster })), store.sessions.create(newSession({ cluster }))]);
    for (const [session, text] of [[shown, 'Permission denied 100%_sure\n'], [other, 'all fine here\n']] as const) {
      await store.recordings.begin(session.id, header, { input: false });
      await store.recordings.append(session.id, { seq: 0, events: `[0.1,"o",${JSON.stringify(text)}]\n`, text, bytes: text.length });
    }
    const found = async (text: string) => (await store.sessions.list({ cluster, text })).map((session) => session.id);
    expect(await found('permission DENIED')).toEqual([shown.id]);
    expect(await found('100%_s')).toEqual([shown.id]);
    expect(await found('100%%')).toEqual([]);
    expect(await found('a_l fine')).toEqual([]);
    expect(await found('fine')).toEqual([other.id]);
  });

  it('knows no recording for an unknown session or a string that is not a UUID', async () => {
    expect(await store.recordings.get(randomUUID())).toBeUndefined();
    expect(await store.recordings.get('not-a-uuid')).toBeUndefined();
    expect(await store.recordings.cast(randomUUID())).toBeUndefined();
    expect(await store.recordings.chunks('not-a-uuid')).toEqual([]);
  });
});
