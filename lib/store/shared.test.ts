import { afterAll, describe, expect, it, vi } from 'vitest';

describe('getStore', () => {
  afterAll(async () => {
    const { closeStore } = await import('./shared');
    await closeStore();
    vi.unstubAllEnvs();
  });

  it('opens one store per process, shared by every copy of the module (Next bundles one per route)', async () => {
    vi.stubEnv('EPHEMERA_DATABASE_URL', '');
    vi.stubEnv('EPHEMERA_DATA_DIR', 'memory://');
    const first = await import('./shared');
    const opening = first.getStore();
    expect(first.getStore()).toBe(opening);

    vi.resetModules(); // what a second bundle would be: a fresh copy of this file and its imports
    const second = await import('./shared');
    expect(second).not.toBe(first);
    expect(second.getStore()).toBe(opening);
    expect((await opening).backend).toBe('pglite');

    await second.closeStore();
    const reopened = first.getStore();
    expect(reopened).not.toBe(opening);
    await reopened;
  }, 120_000); // two PGlite starts: on a busy machine one has taken 10–40 s
});
