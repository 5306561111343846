// SessionStore in SQL, the same statements on PostgreSQL and PGlite. Value
// checks (kinds, states, end reasons) are the database's CHECK constraints, so
// there is one list of what a row may hold, and it holds for every writer.

import type { Queryable } from './database';
import { SESSION_OUTCOMES, type EndReason, type NewSession, type SessionFilter, type SessionKind, type SessionMode, type SessionRecord, type SessionState, type SessionStore, type SessionUpdate } from './types';

export const DEFAULT_LIST_LIMIT = 100;
export const MAX_LIST_LIMIT = 1000;
export const INTERRUPTED_MESSAGE = 'Ephemera restarted while this session was open.';

// The database's clock, to the millisecond (what a Date holds).
const NOW = `date_trunc('milliseconds', now())`;
// Not every string is a uuid; asking PostgreSQL about one that is not is an error, not "no such row".
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const CREATE_ATTEMPTS = 10;

const sameCreationTime = (error: unknown) => {
  const { code, constraint } = (error ?? {}) as { code?: unknown; constraint?: unknown };
  return code === '23505' && constraint === 'sessions_created_at_idx'; // unique_violation
};

interface SessionRow {
  id: string;
  user_name: string;
  groups: string[];
  roles: SessionRecord['roles'];
  cluster: string;
  namespace: string | null;
  pod: string | null;
  node: string | null;
  kind: SessionKind;
  mode: SessionMode;
  container: string;
  image: string | null;
  profile: string | null;
  target: string | null;
  mounts: SessionRecord['mounts'];
  command: string[] | null;
  reason: string | null;
  break_glass: boolean;
  spec: unknown;
  limits: SessionRecord['limits'];
  server_id: string;
  state: SessionState;
  created_at: Date;
  started_at: Date | null;
  ended_at: Date | null;
  exit_code: number | null;
  end_reason: EndReason | null;
  end_message: string | null;
}

function toRecord(row: SessionRow): SessionRecord {
  return {
    id: row.id,
    user: row.user_name,
    groups: row.groups,
    roles: row.roles,
    cluster: row.cluster,
    namespace: row.namespace,
    pod: row.pod,
    node: row.node,
    kind: row.kind,
    mode: row.mode,
    container: row.container,
    image: row.image,
    profile: row.profile,
    target: row.target,
    mounts: row.mounts,
    command: row.command,
    reason: row.reason,
    breakGlass: row.break_glass,
    spec: row.spec,
    limits: row.limits,
    serverId: row.server_id,
    state: row.state,
    createdAt: row.created_at,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    exitCode: row.exit_code,
    endReason: row.end_reason,
    endMessage: row.end_message,
  };
}

// Parameters are sent as text: JSON as JSON text (node-postgres would turn a
// JavaScript array into a PostgreSQL array), times as ISO 8601.
const json = (value: unknown) => JSON.stringify(value ?? null);
const time = (value: Date | null) => (value === null ? null : value.toISOString());

/** The updatable fields: column, and how the value is sent. */
const UPDATABLE: { [K in keyof Required<SessionUpdate>]: { column: string; cast: string; value: (v: SessionUpdate[K]) => unknown } } = {
  state: { column: 'state', cast: 'text', value: (v) => v },
  startedAt: { column: 'started_at', cast: 'timestamptz', value: (v) => time(v ?? null) },
  endedAt: { column: 'ended_at', cast: 'timestamptz', value: (v) => time(v ?? null) },
  exitCode: { column: 'exit_code', cast: 'integer', value: (v) => v },
  endReason: { column: 'end_reason', cast: 'text', value: (v) => v },
  endMessage: { column: 'end_message', cast: 'text', value: (v) => v },
  pod: { column: 'pod', cast: 'text', value: (v) => v },
  container: { column: 'container', cast: 'text', value: (v) => v },
  serverId: { column: 'server_id', cast: 'text', value: (v) => v },
};

export function sqlSessionStore(db: Queryable): SessionStore {
  async function get(id: string): Promise<SessionRecord | undefined> {
    if (!UUID.test(id)) return undefined;
    const [row] = await db.query<SessionRow>('SELECT * FROM sessions WHERE id = $1', [id]);
    return row && toRecord(row);
  }

  return {
    async create(session: NewSession) {
      const params = [
        session.user,
        json(session.groups),
        json(session.roles),
        session.cluster,
        session.namespace,
        session.pod,
        session.node,
        session.kind,
        session.mode,
        session.container,
        session.image,
        session.profile,
        session.target,
        json(session.mounts),
        session.command === null ? null : json(session.command),
        session.reason,
        session.breakGlass,
        json(session.spec),
        json(session.limits),
        session.serverId,
      ];
      // created_at is unique (paging by `before` relies on it): now, or 1 ms after
      // the newest session if that is later. Two replicas inserting at the same
      // moment can pick the same instant; the unique index refuses the second,
      // which then reads the first's row and takes the next millisecond.
      for (let attempt = 1; ; attempt++) {
        try {
          const [row] = await db.query<SessionRow>(
            `INSERT INTO sessions (user_name, groups, roles, cluster, namespace, pod, node, kind, mode, container,
               image, profile, target, mounts, command, reason, break_glass, spec, limits, server_id, created_at)
             VALUES ($1, $2::jsonb, $3::jsonb, $4, $5, $6, $7, $8, $9, $10,
               $11, $12, $13, $14::jsonb, $15::jsonb, $16, $17, $18::jsonb, $19::jsonb, $20,
               GREATEST(${NOW}, (SELECT max(created_at) + interval '1 millisecond' FROM sessions)))
             RETURNING *`,
            params,
          );
          return toRecord(row);
        } catch (error) {
          if (attempt >= CREATE_ATTEMPTS || !sameCreationTime(error)) throw error;
        }
      }
    },

    get,

    async update(id: string, update: SessionUpdate) {
      if (!UUID.test(id)) return undefined;
      const params: unknown[] = [id];
      const assignments: string[] = [];
      for (const key of Object.keys(UPDATABLE) as (keyof SessionUpdate)[]) {
        if (update[key] === undefined) continue;
        const { column, cast, value } = UPDATABLE[key] as { column: string; cast: string; value: (v: unknown) => unknown };
        params.push(value(update[key]));
        assignments.push(`${column} = $${params.length}::${cast}`);
      }
      // Ending without saying when means now.
      if (update.state === 'ended' && update.endedAt === undefined) assignments.push(`ended_at = ${NOW}`);
      if (assignments.length === 0) return get(id);

      // The WHERE clause, not an earlier read, keeps an ended session as it is:
      // two replicas racing to end one session cannot both write.
      const [row] = await db.query<SessionRow>(
        `UPDATE sessions SET ${assignments.join(', ')} WHERE id = $1 AND state <> 'ended' RETURNING *`,
        params,
      );
      return row ? toRecord(row) : get(id);
    },

    async list(filter: SessionFilter = {}) {
      const limit = filter.limit ?? DEFAULT_LIST_LIMIT;
      if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be a whole number from 1 to ${MAX_LIST_LIMIT} (got ${limit})`);
      if (filter.outcome !== undefined && !SESSION_OUTCOMES.includes(filter.outcome)) {
        throw new RangeError(`outcome must be one of ${SESSION_OUTCOMES.join(', ')} (got ${filter.outcome})`);
      }
      for (const key of ['from', 'to', 'before'] as const) {
        if (filter[key] !== undefined && Number.isNaN(filter[key].getTime())) throw new RangeError(`${key} must be a valid date`);
      }

      const params: unknown[] = [];
      const conditions: string[] = [];
      const where = (column: string, value: unknown) => {
        if (value === undefined) return;
        params.push(value);
        conditions.push(`${column} = $${params.length}`);
      };
      where('user_name', filter.user);
      where('cluster', filter.cluster);
      where('namespace', filter.namespace);
      where('pod', filter.pod);
      where('node', filter.node);
      where('kind', filter.kind);
      where('profile', filter.profile);
      where('state', filter.state);
      if (filter.outcome === 'starting' || filter.outcome === 'running') where('state', filter.outcome);
      else where('end_reason', filter.outcome);
      const createdAt = (operator: string, value: Date | undefined) => {
        if (value === undefined) return;
        params.push(value.toISOString());
        conditions.push(`created_at ${operator} $${params.length}::timestamptz`);
      };
      createdAt('>=', filter.from);
      createdAt('<', filter.to);
      if (filter.text !== undefined) {
        // Chunk by chunk: a word cut by a chunk's end (at most every half second of output) is not found.
        params.push(`%${filter.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
        conditions.push(`id IN (SELECT session_id FROM recording_chunks WHERE text ILIKE $${params.length})`);
      }
      createdAt('<', filter.before);
      params.push(Math.min(limit, MAX_LIST_LIMIT));

      const rows = await db.query<SessionRow>(
        `SELECT * FROM sessions ${conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : ''}
         ORDER BY created_at DESC, id DESC LIMIT $${params.length}`,
        params,
      );
      return rows.map(toRecord);
    },

    async interruptAll(serverId: string) {
      const rows = await db.query<SessionRow>(
        `UPDATE sessions
            SET state = 'ended', ended_at = ${NOW}, end_reason = 'interrupted', end_message = $2
          WHERE server_id = $1 AND state IN ('starting', 'running')
          RETURNING *`,
        [serverId, INTERRUPTED_MESSAGE],
      );
      return rows.map(toRecord).sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
    },

    async deleteEndedBefore(before: Date) {
      if (Number.isNaN(before.getTime())) throw new RangeError('before must be a valid date');
      // Recordings, their chunks and observers go with the session (ON DELETE CASCADE, migration 4).
      const [{ deleted }] = await db.query<{ deleted: number }>(
        `WITH gone AS (DELETE FROM sessions WHERE state = 'ended' AND ended_at < $1 RETURNING 1) SELECT count(*)::int AS deleted FROM gone`,
        [before.toISOString()],
      );
      return deleted;
    },
  };
}
