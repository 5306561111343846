// AuditLog in SQL, the same statements on PostgreSQL and PGlite. Appends are
// serialised by an advisory lock held for the insert's transaction, so
// replicas sharing one PostgreSQL database each read the true last event and
// the chain never forks; the hashing itself is lib/audit/chain.ts.

import { chainNext, chainStart, chainVerdict, verifyEvents, type AuditAction, type AuditEvent, type ChainVerdict, type NewAuditEvent, type RetentionCut } from '@/lib/audit/chain';
import type { Database, Queryable } from './database';
import type { AuditFilter, AuditLog } from './types';

export const DEFAULT_AUDIT_LIMIT = 100;
export const MAX_AUDIT_LIMIT = 1000;
/** Rows read per query by verify() and exportJsonLines(). */
export const AUDIT_PAGE = 500;

// Any constant, the same in every replica, and not the migrations' one.
const AUDIT_LOCK = 7_268_410_934;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface AuditRow {
  seq: string; // bigint, read as text: node-postgres and PGlite would otherwise disagree on its type (so ORDER BY names audit_events.seq, the number)
  at: Date;
  actor: string | null;
  action: AuditAction;
  cluster: string | null;
  namespace: string | null;
  target: string | null;
  session_id: string | null;
  details: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}

const COLUMNS = 'seq::text AS seq, at, actor, action, cluster, namespace, target, session_id, details, prev_hash, hash';

function toEvent(row: AuditRow): AuditEvent {
  return {
    seq: Number(row.seq),
    at: row.at,
    actor: row.actor,
    action: row.action,
    cluster: row.cluster,
    namespace: row.namespace,
    target: row.target,
    sessionId: row.session_id,
    details: row.details,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/** The event as one JSON line (export): the stored fields, time as ISO. */
export const eventJson = (event: AuditEvent) => JSON.stringify({ ...event, at: event.at.toISOString() });

export function sqlAuditLog(db: Database): AuditLog {
  const page = (after: number, limit: number, tx: Queryable = db) =>
    tx.query<AuditRow>(`SELECT ${COLUMNS} FROM audit_events WHERE seq > $1 ORDER BY audit_events.seq LIMIT $2`, [after, limit]).then((rows) => rows.map(toEvent));

  async function* all(): AsyncGenerator<AuditEvent> {
    let after = 0;
    for (;;) {
      const events = await page(after, AUDIT_PAGE);
      yield* events;
      if (events.length < AUDIT_PAGE) return;
      after = events[events.length - 1].seq;
    }
  }

  /** Appends in `tx`, taking the lock unless the caller holds it already. */
  async function appendLocked(tx: Queryable, event: NewAuditEvent, locked = false): Promise<AuditEvent> {
    if (event.sessionId != null && !UUID.test(event.sessionId)) throw new RangeError(`sessionId must be a UUID, not ${JSON.stringify(event.sessionId)}`);
    if (!locked) await tx.query(`SELECT pg_advisory_xact_lock(${AUDIT_LOCK})`);
    const [last] = await tx.query<Pick<AuditRow, 'seq' | 'hash'>>('SELECT seq::text AS seq, hash FROM audit_events ORDER BY audit_events.seq DESC LIMIT 1');
    // The database's clock, read under the lock, so times follow seq whichever replica appends;
    // to the millisecond, what a Date holds and so what the hash covers.
    const [{ now }] = await tx.query<{ now: Date }>(`SELECT date_trunc('milliseconds', clock_timestamp()) AS now`);
    const next = chainNext(event, last && { seq: Number(last.seq), hash: last.hash }, now);
    await tx.query(
      `INSERT INTO audit_events (seq, at, actor, action, cluster, namespace, target, session_id, details, prev_hash, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, $11)`,
      [next.seq, next.at.toISOString(), next.actor, next.action, next.cluster, next.namespace, next.target, next.sessionId, JSON.stringify(next.details), next.prevHash, next.hash],
    );
    return next;
  }

  return {
    append: (event: NewAuditEvent) => db.transaction((tx) => appendLocked(tx, event)),

    async deleteBefore(before, record) {
      if (before && Number.isNaN(before.getTime())) throw new RangeError('before must be a valid date');
      return db.transaction(async (tx) => {
        await tx.query(`SELECT pg_advisory_xact_lock(${AUDIT_LOCK})`);
        const [last] = before
          ? await tx.query<Pick<AuditRow, 'seq' | 'hash'>>('SELECT seq::text AS seq, hash FROM audit_events WHERE at < $1 ORDER BY audit_events.seq DESC LIMIT 1', [before.toISOString()])
          : [];
        const cut: RetentionCut | undefined = last && { auditDeletedThrough: Number(last.seq), auditLastDeletedHash: last.hash };
        const made = record(cut);
        if (cut && made?.action !== 'retention.run') throw new Error('removing audit events needs a retention.run event recording the cut');
        if (!made) return { deleted: 0 };
        const event = await appendLocked(tx, made, true);
        if (!cut) return { event, deleted: 0 };
        // By seq, not time: everything up to the cut goes, the event just appended (after it) stays.
        const [{ deleted }] = await tx.query<{ deleted: number }>(
          'WITH gone AS (DELETE FROM audit_events WHERE seq <= $1 RETURNING 1) SELECT count(*)::int AS deleted FROM gone',
          [cut.auditDeletedThrough],
        );
        return { event, deleted };
      });
    },

    async list(filter: AuditFilter = {}) {
      const limit = filter.limit ?? DEFAULT_AUDIT_LIMIT;
      if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be a whole number of at least 1, not ${limit}`);
      if (filter.sessionId !== undefined && !UUID.test(filter.sessionId)) return [];
      const where = ['seq > $1'];
      const params: unknown[] = [filter.after ?? 0];
      const add = (column: string, value: string | undefined) => {
        if (value === undefined) return;
        params.push(value);
        where.push(`${column} = $${params.length}`);
      };
      add('actor', filter.actor);
      add('action', filter.action);
      add('session_id', filter.sessionId);
      params.push(Math.min(limit, MAX_AUDIT_LIMIT));
      const rows = await db.query<AuditRow>(`SELECT ${COLUMNS} FROM audit_events WHERE ${where.join(' AND ')} ORDER BY audit_events.seq LIMIT $${params.length}`, params);
      return rows.map(toEvent);
    },

    async verify(): Promise<ChainVerdict> {
      let position = chainStart();
      let batch: AuditEvent[] = [];
      const check = () => {
        const result = verifyEvents(batch, position);
        batch = [];
        if ('ok' in result) return result;
        position = result;
        return undefined;
      };
      for await (const event of all()) {
        batch.push(event);
        if (batch.length === AUDIT_PAGE) {
          const broken = check();
          if (broken) return broken;
        }
      }
      const broken = check();
      if (broken) return broken;
      return chainVerdict(position);
    },

    events: all,

    async *exportJsonLines() {
      for await (const event of all()) yield `${eventJson(event)}\n`;
    },
  };
}
