// The little the store asks of a database, met by both back ends: node-postgres
// (a pool, for PostgreSQL servers) and PGlite (PostgreSQL compiled to
// WebAssembly, in this process). Everything above this file is one SQL dialect.

import type { Pool, PoolClient } from 'pg';
import type { PGlite, Transaction } from '@electric-sql/pglite';

export interface Queryable {
  /** One statement, `$1`-style parameters. */
  query<Row>(sql: string, params?: unknown[]): Promise<Row[]>;
  /** Several statements separated by semicolons, no parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface Database extends Queryable {
  readonly backend: 'postgres' | 'pglite';
  /** Runs `work` in one transaction on one connection: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export function postgresDatabase(pool: Pool): Database {
  const on = (client: Pool | PoolClient): Queryable => ({
    async query<Row>(sql: string, params?: unknown[]) {
      return (await client.query(sql, params)).rows as Row[];
    },
    async exec(sql: string) {
      // Without parameters node-postgres uses the simple query protocol, which accepts several statements.
      await client.query(sql);
    },
  });
  return {
    backend: 'postgres',
    ...on(pool),
    async transaction(work) {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        const result = await work(on(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch((rollbackError: Error) => {
          broken = rollbackError; // a connection that cannot roll back goes back to no one
        });
        throw error;
      } finally {
        client.release(broken);
      }
    },
    close: () => pool.end(),
  };
}

export function pgliteDatabase(db: PGlite): Database {
  const on = (client: PGlite | Transaction): Queryable => ({
    async query<Row>(sql: string, params?: unknown[]) {
      return (await client.query<Row>(sql, params)).rows;
    },
    async exec(sql: string) {
      await client.exec(sql);
    },
  });
  return {
    backend: 'pglite',
    ...on(db),
    // PGlite has one connection; its transaction() queues other queries until this one ends.
    transaction: (work) => db.transaction((tx) => work(on(tx))),
    close: () => db.close(),
  };
}
