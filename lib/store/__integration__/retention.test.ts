// Retention on both back ends (PGlite in memory, a real PostgreSQL server this
// file starts): ended sessions go with their recordings, the oldest audit
// events go with a retention.run event that keeps the chain verifiable, and
// tampering after a cut is still found.

import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NewAuditEvent } from '@/lib/audit/chain';
import { runRetention } from '@/lib/retention/retention';
import { sqlAuditLog } from '../audit';
import { pgliteDatabase, postgresDatabase, type Database } from '../database';
import { migrate } from '../migrations';
import { sqlRecordingStore } from '../recordings';
import { sqlSessionStore } from '../sessions';
import type { NewSession, Store } from '../types';
import { startPostgres, type PostgresServer } from './postgres-server';

let postgres: Promise<PostgresServer> | undefined;
const postgresServer = () => (postgres ??= startPostgres());

afterAll(async () => {
  const server = await postgres?.catch(() => undefined);
  await server?.stop();
});

type Fresh = Pick<Store, 'sessions' | 'recordings' | 'audit'> & { db: Database };

const storeOn = async (db: Database): Promise<Fresh> => {
  await migrate(db);
  return { db, sessions: sqlSessionStore(db), recordings: sqlRecordingStore(db), audit: sqlAuditLog(db) };
};

let databases = 0;
const BACKENDS: { name: string; open: () => Promise<Fresh> }[] = [
  { name: 'PGlite in memory', open: async () => storeOn(pgliteDatabase(await PGlite.create())) },
  {
    name: 'PostgreSQL',
    open: async () => {
      const url = await (await postgresServer()).createDatabase(`retention_${(databases += 1)}`);
      return storeOn(postgresDatabase(new pg.Pool({ connectionString: url })));
    },
  },
];

const newSession = (pod: string): NewSession => ({
  user: 'alice@example.com',
  groups: ['on-call'],
  roles: ['debugger'],
  cluster: 'dev',
  namespace: 'shop',
  pod,
  node: null,
  kind: 'ephemeral',
  mode: 'interactive',
  container: 'debugger-x7k2p',
  image: 'busybox:1.36',
  profile: 'general',
  target: 'app',
  mounts: [],
  command: null,
  reason: null,
  breakGlass: false,
  spec: {},
  limits: { maxDurationSeconds: 3600, idleTimeoutSeconds: 900 },
  serverId: 'replica-a:3000',
});

const HEADER = { version: 2 as const, width: 80, height: 24, timestamp: 1_795_000_000 };
const DAY = 86_400_000;
const signIn = (n: number): NewAuditEvent => ({ actor: 'alice', action: 'auth.signin', details: { n } });

/** Five events, then (a few milliseconds later) three more; returns the instant between them. */
async function oldAndNewEvents(audit: Fresh['audit']): Promise<Date> {
  for (let n = 1; n <= 5; n += 1) await audit.append(signIn(n));
  const [fifth] = await audit.list({ after: 4 });
  await sleep(5);
  for (let n = 6; n <= 8; n += 1) await audit.append(signIn(n));
  return new Date(fifth.at.getTime() + 1);
}

const retentionRun = (cut: unknown): NewAuditEvent => ({ actor: null, action: 'retention.run', details: { ...(cut as object) } });

describe.each(BACKENDS)('retention on $name', ({ open }) => {
  let fresh: Fresh;
  beforeEach(async () => {
    fresh = await open();
  }, 120_000);
  afterEach(async () => {
    await fresh?.db.close();
  });

  it('deletes only sessions that ended before the date, with their recordings, chunks and observers', async () => {
    const { sessions, recordings, db } = fresh;
    const now = Date.now();
    const old = await sessions.create(newSession('old'));
    await recordings.begin(old.id, HEADER, { input: false });
    await recordings.append(old.id, { seq: 0, events: '[0.1,"o","hi"]\n', text: 'hi', bytes: 2 });
    await recordings.observing(old.id, 'lena');
    await sessions.update(old.id, { state: 'ended', endedAt: new Date(now - 10 * DAY), endReason: 'exited', exitCode: 0 });
    const recent = await sessions.create(newSession('recent'));
    await sessions.update(recent.id, { state: 'ended', endedAt: new Date(now - DAY), endReason: 'user-ended' });
    const running = await sessions.create(newSession('running'));
    await sessions.update(running.id, { state: 'running' });

    expect(await sessions.deleteEndedBefore(new Date(now - 5 * DAY))).toBe(1);
    expect(await sessions.get(old.id)).toBeUndefined();
    expect(await recordings.get(old.id)).toBeUndefined();
    const left = async (table: string) => (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0].n;
    expect([await left('recordings'), await left('recording_chunks'), await left('session_observers')]).toEqual([0, 0, 0]);
    expect((await sessions.list()).map((s) => s.pod).sort()).toEqual(['recent', 'running']);
    // However old, a session that has not ended stays.
    expect(await sessions.deleteEndedBefore(new Date(now + DAY))).toBe(1);
    expect((await sessions.list()).map((s) => s.pod)).toEqual(['running']);
  });

  it('deletes the audit events before the date after appending the event that records the cut, and the rest verifies', async () => {
    const { audit } = fresh;
    const before = await oldAndNewEvents(audit);
    const [fifth] = await audit.list({ after: 4 });
    const { event, deleted } = await audit.deleteBefore(before, retentionRun);
    expect(deleted).toBe(5);
    expect(event).toMatchObject({ seq: 9, action: 'retention.run', details: { auditDeletedThrough: 5, auditLastDeletedHash: fifth.hash } });
    expect((await audit.list()).map((e) => e.seq)).toEqual([6, 7, 8, 9]);
    expect(await audit.verify()).toEqual({ ok: true, events: 4, lastHash: event!.hash, removedThrough: 5 });
  });

  it('appends nothing and deletes nothing when nothing is old enough and the run has nothing to say', async () => {
    const { audit } = fresh;
    await oldAndNewEvents(audit);
    expect(await audit.deleteBefore(new Date(Date.now() - DAY), () => undefined)).toEqual({ deleted: 0 });
    expect(await audit.deleteBefore(undefined, () => undefined)).toEqual({ deleted: 0 });
    expect(await audit.verify()).toMatchObject({ ok: true, events: 8 });
  });

  it('refuses to delete events without a retention.run event recording it, and keeps them', async () => {
    const { audit } = fresh;
    const before = await oldAndNewEvents(audit);
    await expect(audit.deleteBefore(before, () => undefined)).rejects.toThrow('retention.run');
    await expect(audit.deleteBefore(before, () => signIn(9))).rejects.toThrow('retention.run');
    expect(await audit.verify()).toMatchObject({ ok: true, events: 8 });
  });

  it('verifies after a second cut that removes the first retention.run event', async () => {
    const { audit } = fresh;
    await audit.deleteBefore(await oldAndNewEvents(audit), retentionRun);
    await sleep(5);
    await audit.append(signIn(10));
    const { deleted, event } = await audit.deleteBefore(new Date(Date.now() + 1000), retentionRun);
    // Everything up to the run's own event: the earlier run's event (seq 9) and seq 10 went too.
    expect(deleted).toBe(5);
    expect(await audit.verify()).toEqual({ ok: true, events: 1, lastHash: event!.hash, removedThrough: 10 });
  });

  describe('tampering after a cut', () => {
    beforeEach(async () => {
      await fresh.audit.deleteBefore(await oldAndNewEvents(fresh.audit), retentionRun);
    });

    it('finds an edited remaining row', async () => {
      await fresh.db.exec(`UPDATE audit_events SET actor = 'mallory' WHERE seq = 7`);
      expect(await fresh.audit.verify()).toMatchObject({ ok: false, brokenAt: 7, reason: 'hash' });
    });

    it('finds a row deleted beyond the cut: the retention run does not vouch for it', async () => {
      await fresh.db.exec('DELETE FROM audit_events WHERE seq = 6');
      expect(await fresh.audit.verify()).toMatchObject({ ok: false, brokenAt: 7, reason: 'gap' });
    });

    it("finds a retention event whose details were forged to cover more", async () => {
      const [seventh] = await fresh.audit.list({ after: 6, limit: 1 });
      await fresh.db.exec('DELETE FROM audit_events WHERE seq = 6');
      await fresh.db.query(`UPDATE audit_events SET details = $1::jsonb WHERE seq = 9`, [JSON.stringify({ auditDeletedThrough: 6, auditLastDeletedHash: seventh.prevHash })]);
      expect(await fresh.audit.verify()).toMatchObject({ ok: false, brokenAt: 9, reason: 'hash' });
    });

    it('finds the retention event itself deleted', async () => {
      await fresh.db.exec('DELETE FROM audit_events WHERE seq = 9');
      expect(await fresh.audit.verify()).toMatchObject({ ok: false, brokenAt: 6, reason: 'gap' });
    });
  });

  it('runRetention removes old sessions and events and leaves exactly one retention.run event with the counts', async () => {
    const { sessions, audit } = fresh;
    const before = await oldAndNewEvents(audit);
    const now = new Date(before.getTime() + 30 * DAY);
    const old = await sessions.create(newSession('old'));
    await sessions.update(old.id, { state: 'ended', endedAt: new Date(now.getTime() - 10 * DAY), endReason: 'exited' });
    const result = await runRetention({ sessions, audit }, { sessions: 7 * 86_400, auditEvents: 30 * 86_400 }, now);
    expect(result).toEqual({
      plan: { sessionsBefore: new Date(now.getTime() - 7 * DAY), auditBefore: before },
      sessionsDeleted: 1,
      auditDeleted: 5,
      auditDeletedThrough: 5,
      event: expect.objectContaining({ seq: 9, action: 'retention.run' }),
    });
    const runs = await audit.list({ action: 'retention.run' });
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({
      actor: null,
      details: { sessionsBefore: result.plan.sessionsBefore!.toISOString(), sessionsDeleted: 1, auditBefore: before.toISOString(), auditDeletedThrough: 5 },
    });
    expect(await audit.verify()).toMatchObject({ ok: true, removedThrough: 5 });
    // A second run finds nothing and leaves no event.
    expect(await runRetention({ sessions, audit }, { sessions: 7 * 86_400, auditEvents: 30 * 86_400 }, now)).toMatchObject({ sessionsDeleted: 0, auditDeleted: 0, event: undefined });
    expect(await audit.list({ action: 'retention.run' })).toHaveLength(1);
  });
});
