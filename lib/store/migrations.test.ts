import { describe, expect, it } from 'vitest';
import type { Database } from './database';
import { migrate, MIGRATIONS } from './migrations';

const untouchable = new Proxy({} as Database, {
  get: () => {
    throw new Error('the database should not be touched');
  },
});

describe('migrations', () => {
  it('are numbered 1, 2, 3, … in order, with a name each', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, index) => index + 1));
    for (const migration of MIGRATIONS) expect(migration.name).toMatch(/^[a-z][a-z0-9-]*$/);
  });

  it('refuse to run from a list out of order, before touching the database', async () => {
    const sql = 'SELECT 1';
    await expect(migrate(untouchable, [{ version: 1, name: 'a', sql }, { version: 3, name: 'c', sql }])).rejects.toThrow(
      'migration "c" has version 3; versions must be 1, 2, 3, … in order',
    );
    await expect(migrate(untouchable, [{ version: 0, name: 'zero', sql }])).rejects.toThrow('versions must be 1, 2, 3');
  });
});
