// The schema's history, oldest first. Each migration is applied once, in its
// own transaction, and recorded in schema_migrations. A migration is never
// edited once merged: a change to the schema is a new, higher-numbered entry.
// The SQL lives here as strings, not .sql files, so Next's bundler has no file
// to copy and no path to resolve at run time.

import type { Database } from './database';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'sessions',
    // The value lists in the CHECKs are SESSION_KINDS, SESSION_MODES, SESSION_STATES
    // and END_REASONS of types.ts as they were then; adding a value there takes a
    // migration that replaces the constraint (a test catches a forgotten one).
    // Times are kept to the millisecond, what a JavaScript Date holds, and
    // creation times are unique (sessions.ts makes each at least 1 ms after the
    // last), so a createdAt read back, passed as `before`, pages without
    // skipping a session created in the same millisecond.
    sql: `
      CREATE TABLE sessions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_name text NOT NULL,
        groups jsonb NOT NULL CHECK (jsonb_typeof(groups) = 'array'),
        roles jsonb NOT NULL CHECK (jsonb_typeof(roles) = 'array'),
        cluster text NOT NULL,
        namespace text,
        pod text,
        node text,
        kind text NOT NULL CHECK (kind IN ('ephemeral', 'node', 'copy', 'exec', 'attach')),
        mode text NOT NULL CHECK (mode IN ('interactive', 'oneshot')),
        container text NOT NULL,
        image text,
        profile text,
        target text,
        mounts jsonb NOT NULL CHECK (jsonb_typeof(mounts) = 'array'),
        command jsonb CHECK (jsonb_typeof(command) = 'array'),
        reason text,
        break_glass boolean NOT NULL,
        spec jsonb NOT NULL,
        limits jsonb NOT NULL CHECK (jsonb_typeof(limits) = 'object'),
        server_id text NOT NULL,
        state text NOT NULL DEFAULT 'starting' CHECK (state IN ('starting', 'running', 'ended')),
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        started_at timestamptz,
        ended_at timestamptz,
        exit_code integer,
        end_reason text CHECK (end_reason IN ('exited', 'user-ended', 'idle-timeout', 'max-duration', 'start-failed', 'start-timeout', 'cluster-error', 'interrupted')),
        end_message text,
        CONSTRAINT sessions_ended_has_time CHECK (state <> 'ended' OR ended_at IS NOT NULL)
      );
      CREATE UNIQUE INDEX sessions_created_at_idx ON sessions (created_at DESC);
      CREATE INDEX sessions_user_idx ON sessions (user_name, created_at DESC);
      CREATE INDEX sessions_pod_idx ON sessions (cluster, namespace, pod, created_at DESC);
      CREATE INDEX sessions_state_idx ON sessions (state, created_at DESC);
      -- What a restarting replica looks for (interruptAll): its own open sessions.
      CREATE INDEX sessions_open_by_server_idx ON sessions (server_id) WHERE state <> 'ended';
    `,
  },
  {
    version: 2,
    name: 'end-reason-detached',
    // END_REASONS gained 'detached': nobody came back within the reconnect grace period.
    sql: `
      ALTER TABLE sessions DROP CONSTRAINT sessions_end_reason_check;
      ALTER TABLE sessions ADD CONSTRAINT sessions_end_reason_check
        CHECK (end_reason IN ('exited', 'user-ended', 'idle-timeout', 'max-duration', 'start-failed', 'start-timeout', 'cluster-error', 'interrupted', 'detached'));
    `,
  },
  {
    version: 3,
    name: 'audit-events',
    // The audit log (lib/store/audit.ts, lib/audit/chain.ts): append-only,
    // each row hash-chained to the one before. The action list is AUDIT_ACTIONS
    // of lib/audit/chain.ts as it was then; a new action takes a migration.
    // seq is assigned by the appender under an advisory lock, not by a
    // sequence, so it has no holes a rolled-back insert would leave.
    sql: `
      CREATE TABLE audit_events (
        seq bigint PRIMARY KEY CHECK (seq > 0),
        at timestamptz NOT NULL,
        actor text,
        action text NOT NULL CHECK (action IN ('auth.signin', 'auth.denied', 'session.start', 'session.refused', 'session.attach',
          'session.end', 'session.breakglass', 'pod.recycle', 'policy.load', 'audit.export')),
        cluster text,
        namespace text,
        target text,
        session_id uuid,
        details jsonb NOT NULL CHECK (jsonb_typeof(details) = 'object'),
        prev_hash text NOT NULL CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
        hash text NOT NULL UNIQUE CHECK (hash ~ '^[0-9a-f]{64}$')
      );
      CREATE INDEX audit_events_actor_idx ON audit_events (actor, seq);
      CREATE INDEX audit_events_session_idx ON audit_events (session_id, seq) WHERE session_id IS NOT NULL;
    `,
  },
  {
    version: 4,
    name: 'recordings',
    // Session recordings (lib/store/recordings.ts): a header row per session and
    // its asciicast event lines in chunks, written at least once a second. Both
    // go with their session (retention deletes sessions). Who is observing a
    // session live, seen within the last seconds, from any replica. END_REASONS
    // gained 'recording-failed'; AUDIT_ACTIONS 'recording.failed',
    // 'session.replay', 'session.observe' and 'retention.run'.
    sql: `
      CREATE TABLE recordings (
        session_id uuid PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
        header jsonb NOT NULL CHECK (jsonb_typeof(header) = 'object'),
        input boolean NOT NULL,
        started_at timestamptz NOT NULL DEFAULT now(),
        ended_at timestamptz,
        bytes bigint NOT NULL DEFAULT 0 CHECK (bytes >= 0),
        chunks integer NOT NULL DEFAULT 0 CHECK (chunks >= 0)
      );
      CREATE TABLE recording_chunks (
        session_id uuid NOT NULL REFERENCES recordings (session_id) ON DELETE CASCADE,
        seq integer NOT NULL CHECK (seq >= 0),
        events text NOT NULL,
        text text NOT NULL,
        bytes integer NOT NULL CHECK (bytes >= 0),
        stored_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (session_id, seq)
      );
      CREATE TABLE session_observers (
        session_id uuid NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        observer text NOT NULL,
        seen_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (session_id, observer)
      );
      ALTER TABLE sessions DROP CONSTRAINT sessions_end_reason_check;
      ALTER TABLE sessions ADD CONSTRAINT sessions_end_reason_check
        CHECK (end_reason IN ('exited', 'user-ended', 'idle-timeout', 'max-duration', 'start-failed', 'start-timeout', 'cluster-error', 'interrupted', 'detached',
          'recording-failed'));
      ALTER TABLE audit_events DROP CONSTRAINT audit_events_action_check;
      ALTER TABLE audit_events ADD CONSTRAINT audit_events_action_check
        CHECK (action IN ('auth.signin', 'auth.denied', 'session.start', 'session.refused', 'session.attach',
          'session.end', 'session.breakglass', 'pod.recycle', 'policy.load', 'audit.export', 'recording.failed', 'session.replay',
          'session.observe', 'retention.run'));
    `,
  },
];

// Any constant would do; it only has to be the same for every replica. Both
// PostgreSQL and PGlite accept pg_advisory_xact_lock (PGlite, with one
// connection, has nothing to wait for).
const MIGRATION_LOCK = 7_268_410_933;
const LOCK = `SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`;

/**
 * Brings the schema up to date and returns the versions this call applied.
 * Replicas that start together on one PostgreSQL database take turns through
 * the advisory lock, and each re-reads schema_migrations once it holds it, so
 * every migration runs exactly once.
 */
export async function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  checkOrder(migrations);
  const done = await db.transaction(async (tx) => {
    await tx.query(LOCK);
    await tx.exec(`
      CREATE TABLE IF NOT EXISTS schema_migrations (
        version integer PRIMARY KEY,
        name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
    return tx.query<{ version: number }>('SELECT version FROM schema_migrations');
  });
  const alreadyApplied = new Set(done.map((row) => row.version));

  const applied: number[] = [];
  for (const migration of migrations) {
    if (alreadyApplied.has(migration.version)) continue;
    const ran = await db.transaction(async (tx) => {
      await tx.query(LOCK);
      const seen = await tx.query('SELECT 1 FROM schema_migrations WHERE version = $1', [migration.version]);
      if (seen.length > 0) return false; // another replica got there first
      await tx.exec(migration.sql);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
      return true;
    });
    if (ran) applied.push(migration.version);
  }
  return applied;
}

function checkOrder(migrations: readonly Migration[]): void {
  migrations.forEach((migration, index) => {
    if (!Number.isInteger(migration.version) || migration.version !== index + 1) {
      throw new Error(`migration "${migration.name}" has version ${migration.version}; versions must be 1, 2, 3, … in order`);
    }
  });
}
