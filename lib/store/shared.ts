// The process's one store, opened on first use from the configuration
// (lib/config/env.ts: EPHEMERA_DATABASE_URL, else PGlite in EPHEMERA_DATA_DIR).
// Kept on globalThis: Next bundles route handlers into their own chunks and the
// custom server (server/main.ts) loads this file outside the bundle, so a
// module-level variable would exist once per bundle, and two PGlite instances
// on one folder would corrupt it.

import { config } from '@/lib/config/env';
import { openStore } from './index';
import type { Store } from './types';

const STORE = Symbol.for('ephemera.store');

type Holder = Record<symbol, Promise<Store> | undefined>;
const holder = () => globalThis as unknown as Holder;

/** The shared store, opened (and migrated) once per process; a failed open is retried on the next call. */
export function getStore(): Promise<Store> {
  const global = holder();
  const existing = global[STORE];
  if (existing) return existing;
  const { store } = config();
  const opening = openStore({
    ...(store.kind === 'postgres' ? { databaseUrl: store.url } : { dataDir: store.dataDir }),
    log: (message) => process.stdout.write(`Ephemera: ${message}\n`),
  });
  global[STORE] = opening;
  opening.catch(() => {
    if (global[STORE] === opening) global[STORE] = undefined;
  });
  return opening;
}

/** Closes the shared store if it was opened (at shutdown); the next getStore() opens it again. */
export async function closeStore(): Promise<void> {
  const global = holder();
  const opening = global[STORE];
  global[STORE] = undefined;
  const store = await opening?.catch(() => undefined);
  await store?.close();
}
