// Opens the store: PostgreSQL when given a postgres:// URL (replicas share it),
// else PGlite in a folder on disk (the embedded default) or in memory. The
// schema is brought up to date before the store is handed out.

import fs from 'node:fs';
import { pgliteDatabase, postgresDatabase, type Database } from './database';
import { lockFolder } from './folder-lock';
import { migrate, MIGRATIONS } from './migrations';
import { sqlAuditLog } from './audit';
import { sqlRecordingStore } from './recordings';
import { sqlSessionStore } from './sessions';
import type { Store } from './types';

export * from './types';

/** PGlite's own name for "no folder": nothing survives close(). */
export const IN_MEMORY = 'memory://';

export interface StoreOptions {
  /** postgres:// or postgresql://; takes precedence over dataDir. */
  databaseUrl?: string;
  /** PGlite's folder (created if missing), or `memory://`. One process at a time: PGlite is not a server. */
  dataDir?: string;
  /** Told what opening did (migrations applied); silent by default. */
  log?: (message: string) => void;
}

export function isPostgresUrl(value: string): boolean {
  return /^postgres(ql)?:\/\//i.test(value);
}

export async function openStore(options: StoreOptions): Promise<Store> {
  const db = await openDatabase(options);
  try {
    const applied = await migrate(db);
    for (const version of applied) {
      const { name } = MIGRATIONS[version - 1];
      options.log?.(`store: applied migration ${version} (${name})`);
    }
  } catch (error) {
    await db.close().catch(() => {});
    throw new Error(`Could not open the store (${describe(options)}): ${(error as Error).message}`, { cause: error });
  }
  return { backend: db.backend, sessions: sqlSessionStore(db), recordings: sqlRecordingStore(db), audit: sqlAuditLog(db), close: () => db.close() };
}

/** Where the store is, for messages: never the URL's password. */
function describe({ databaseUrl, dataDir }: StoreOptions): string {
  if (databaseUrl === undefined) return dataDir === IN_MEMORY ? 'PGlite in memory' : `PGlite in ${dataDir}`;
  try {
    const url = new URL(databaseUrl);
    return `PostgreSQL at ${url.host || 'the default host'}${url.pathname}`;
  } catch {
    return 'PostgreSQL';
  }
}

async function openDatabase({ databaseUrl, dataDir }: StoreOptions): Promise<Database> {
  if (databaseUrl !== undefined) {
    if (!isPostgresUrl(databaseUrl)) throw new Error('databaseUrl must start with postgres:// or postgresql://');
    const { Pool } = await import('pg');
    const pool = new Pool({ connectionString: databaseUrl });
    // An idle connection that the server drops emits 'error' on the pool; unheard, that would end the process.
    // (pool.end() resolves before its sockets are closed, so after close() the same event means nothing.)
    pool.on('error', (error) => {
      if (!pool.ending) process.stderr.write(`Ephemera: store: idle PostgreSQL connection lost: ${error.message}\n`);
    });
    return postgresDatabase(pool);
  }
  if (dataDir === undefined) throw new Error(`openStore needs a databaseUrl or a dataDir (a folder, or ${IN_MEMORY})`);
  // Loaded only here: a PostgreSQL deployment never loads PGlite's WebAssembly.
  const { PGlite } = await import('@electric-sql/pglite');
  if (dataDir === IN_MEMORY) return pgliteDatabase(await PGlite.create(dataDir));
  fs.mkdirSync(dataDir, { recursive: true });
  const release = lockFolder(dataDir);
  let db: Database;
  try {
    db = pgliteDatabase(await PGlite.create(dataDir));
  } catch (error) {
    release();
    throw new Error(
      `PGlite could not open ${dataDir} (${(error as Error).message}). The folder may be damaged — two processes using it at once does that. ` +
        'Move it aside to start with an empty store, or point EPHEMERA_DATA_DIR elsewhere.',
      { cause: error },
    );
  }
  return { ...db, close: () => db.close().finally(release) };
}
