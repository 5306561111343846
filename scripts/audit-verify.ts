// `npm run audit:verify`: checks the audit log's hash chain in the store the
// environment names (EPHEMERA_DATABASE_URL, else PGlite in EPHEMERA_DATA_DIR,
// default ./.ephemera/data) and says whether it is intact or where it breaks.
// Exit 0: intact; 1: broken; 2: the store could not be opened. PGlite is one
// process at a time: stop Ephemera first when it uses the embedded store.

import { config, ConfigError } from '@/lib/config/env';
import { openStore } from '@/lib/store';

async function main(): Promise<number> {
  let store;
  try {
    const location = config().store;
    store = await openStore(location.kind === 'postgres' ? { databaseUrl: location.url } : { dataDir: location.dataDir });
  } catch (error) {
    process.stderr.write(`audit:verify: ${error instanceof ConfigError ? error.message : (error as Error).message}\n`);
    return 2;
  }
  try {
    const verdict = await store.audit.verify();
    if (verdict.ok) {
      process.stdout.write(`audit chain intact: ${verdict.events} events, last hash ${verdict.lastHash}\n`);
      return 0;
    }
    process.stdout.write(`audit chain BROKEN at event ${verdict.brokenAt} (${verdict.reason}): ${verdict.message}\n`);
    return 1;
  } finally {
    await store.close();
  }
}

process.exitCode = await main();
