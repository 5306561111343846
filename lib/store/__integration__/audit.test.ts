// The audit log on both back ends: PGlite in memory and a real PostgreSQL
// server that this file starts. Each test gets an empty database of its own
// and a raw connection to it, to tamper with rows the way someone with
// database access could.

import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GENESIS_HASH, type NewAuditEvent } from '@/lib/audit/chain';
import { AUDIT_PAGE, sqlAuditLog } from '../audit';
import { pgliteDatabase, postgresDatabase, type Database } from '../database';
import { openStore } from '../index';
import { migrate } from '../migrations';
import type { AuditLog } from '../types';
import { startPostgres, type PostgresServer } from './postgres-server';

let postgres: Promise<PostgresServer> | undefined;
const postgresServer = () => (postgres ??= startPostgres());

afterAll(async () => {
  const server = await postgres?.catch(() => undefined);
  await server?.stop();
});

interface Fresh {
  audit: AuditLog;
  db: Database;
}

let databases = 0;
const BACKENDS: { name: string; open: () => Promise<Fresh> }[] = [
  {
    name: 'PGlite in memory',
    open: async () => {
      const db = pgliteDatabase(await PGlite.create());
      await migrate(db);
      return { db, audit: sqlAuditLog(db) };
    },
  },
  {
    name: 'PostgreSQL',
    open: async () => {
      const url = await (await postgresServer()).createDatabase(`audit_${(databases += 1)}`);
      const db = postgresDatabase(new pg.Pool({ connectionString: url }));
      await migrate(db);
      return { db, audit: sqlAuditLog(db) };
    },
  },
];

const SESSION = '0b7c2a4e-3f1d-4c5e-9a8b-7d6e5f4a3b2c';
const event = (n: number, overrides: Partial<NewAuditEvent> = {}): NewAuditEvent => ({
  actor: n % 3 === 0 ? null : n % 3 === 1 ? 'alice' : 'lena',
  action: n % 2 ? 'session.start' : 'auth.denied',
  cluster: 'dev',
  namespace: 'shop',
  target: `pod-${n}`,
  sessionId: n % 2 ? SESSION : null,
  details: { n, reason: 'ticket "OPS-1" — é', nested: { b: [1, 2.5, null], a: true } },
  ...overrides,
});

async function appendMany(audit: AuditLog, count: number) {
  for (let n = 1; n <= count; n += 1) await audit.append(event(n));
}

describe.each(BACKENDS)('the audit log on $name', ({ open }) => {
  // A fresh database per test, opened outside the test's time: PGlite takes seconds to start on a busy machine.
  let fresh: Fresh;
  beforeEach(async () => {
    fresh = await open();
  }, 120_000);
  afterEach(async () => {
    await fresh?.db.close();
  });

  it(
    'chains appends: seq from 1, each prevHash the hash before, fields read back as written',
    async () => {
      const { audit } = fresh;
      const first = await audit.append(event(1));
      const second = await audit.append(event(2));
      expect(first).toMatchObject({ seq: 1, prevHash: GENESIS_HASH, actor: 'alice', action: 'session.start', sessionId: SESSION, target: 'pod-1' });
      expect(second).toMatchObject({ seq: 2, prevHash: first.hash, actor: 'lena', sessionId: null });
      expect(await audit.list()).toEqual([first, second]);
      expect(second.at.getTime()).toBeGreaterThanOrEqual(first.at.getTime());
    },
  );

  it(
    'lists with after, limit and filters on actor, action and session',
    async () => {
      const { audit } = fresh;
      await appendMany(audit, 9);
      const seqs = async (filter: Parameters<AuditLog['list']>[0]) => (await audit.list(filter)).map((e) => e.seq);
      expect(await seqs({ after: 5 })).toEqual([6, 7, 8, 9]);
      expect(await seqs({ after: 2, limit: 3 })).toEqual([3, 4, 5]);
      expect(await seqs({ actor: 'alice' })).toEqual([1, 4, 7]);
      expect(await seqs({ action: 'auth.denied' })).toEqual([2, 4, 6, 8]);
      expect(await seqs({ sessionId: SESSION, actor: 'alice' })).toEqual([1, 7]);
      expect(await seqs({ sessionId: 'not-a-uuid' })).toEqual([]);
      await expect(audit.list({ limit: 0 })).rejects.toThrow(RangeError);
    },
  );

  it(
    'verifies an empty log and an intact one across several pages',
    async () => {
      const { audit } = fresh;
      expect(await audit.verify()).toEqual({ ok: true, events: 0, lastHash: GENESIS_HASH });
      const count = AUDIT_PAGE + 3;
      await appendMany(audit, count);
      const [last] = await audit.list({ after: count - 1 });
      expect(await audit.verify()).toEqual({ ok: true, events: count, lastHash: last.hash });
    },
    120_000,
  );

  it(
    "finds a row whose details were edited, at that row's seq, by its hash",
    async () => {
      const { audit, db } = fresh;
      await appendMany(audit, 5);
      await db.exec(`UPDATE audit_events SET details = jsonb_set(details, '{reason}', '"nothing to see"') WHERE seq = 3`);
      expect(await audit.verify()).toMatchObject({ ok: false, brokenAt: 3, reason: 'hash' });
    },
  );

  it(
    'finds a deleted middle row at the row after it',
    async () => {
      const { audit, db } = fresh;
      await appendMany(audit, 5);
      await db.exec('DELETE FROM audit_events WHERE seq = 3');
      const verdict = await audit.verify();
      expect(verdict).toMatchObject({ ok: false, brokenAt: 4 });
      expect(['gap', 'link']).toContain((verdict as { reason: string }).reason);
    },
  );

  it(
    'refuses an action outside the list (the CHECK constraint) and a session id that is not a UUID',
    async () => {
      const { audit } = fresh;
      await expect(audit.append(event(1, { action: 'made.up' as never }))).rejects.toThrow();
      await expect(audit.append(event(1, { sessionId: 'abc' }))).rejects.toThrow(RangeError);
      expect(await audit.verify()).toEqual({ ok: true, events: 0, lastHash: GENESIS_HASH });
    },
  );

  it(
    'exports one JSON object per line, equal to what list() gives',
    async () => {
      const { audit } = fresh;
      await appendMany(audit, 7);
      let text = '';
      for await (const line of audit.exportJsonLines()) text += line;
      expect(text.endsWith('\n')).toBe(true);
      const lines = text.trimEnd().split('\n').map((line) => JSON.parse(line));
      const listed = await audit.list();
      expect(lines).toEqual(listed.map((e) => ({ ...e, at: e.at.toISOString() })));
    },
  );
});

describe('the audit log on PostgreSQL shared by replicas', () => {
  it('keeps one unbroken chain when two stores append 50 events each at the same time', async () => {
    const url = await (await postgresServer()).createDatabase('audit_replicas');
    const [a, b] = await Promise.all([openStore({ databaseUrl: url }), openStore({ databaseUrl: url })]);
    try {
      await Promise.all([
        ...Array.from({ length: 50 }, (_, n) => a.audit.append(event(n, { actor: 'replica-a' }))),
        ...Array.from({ length: 50 }, (_, n) => b.audit.append(event(n, { actor: 'replica-b' }))),
      ]);
      const verdict = await a.audit.verify();
      expect(verdict).toMatchObject({ ok: true, events: 100 });
      const events = await b.audit.list({ limit: 1000 });
      expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
      expect(events.filter((e) => e.actor === 'replica-a')).toHaveLength(50);
      // Times come from the database's clock under the lock: they never go back as seq goes up.
      for (let i = 1; i < events.length; i += 1) expect(events[i].at.getTime()).toBeGreaterThanOrEqual(events[i - 1].at.getTime());
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  }, 120_000);
});
