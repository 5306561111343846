// `npm run retention`: runs the retention job once (lib/retention) against the
// store the environment names (EPHEMERA_DATABASE_URL, else PGlite in
// EPHEMERA_DATA_DIR, default ./.ephemera/data), with the ages of the
// configuration file's `retention:` section, and prints what it removed.
// Exit 0: done (or nothing configured); 2: configuration or store problem;
// 1: the run failed. PGlite is one process at a time: stop Ephemera first when
// it uses the embedded store.

import { config, ConfigError } from '@/lib/config/env';
import { loadConfigFile, type RetentionConfig } from '@/lib/config/file';
import { describeRetention, retentionConfigured, runRetention } from '@/lib/retention/retention';
import { openStore, type Store } from '@/lib/store';

async function main(): Promise<number> {
  let retention: RetentionConfig;
  let store: Store;
  try {
    const { configFile, store: location } = config();
    const file = loadConfigFile(configFile);
    retention = file.config.retention;
    if (!retentionConfigured(retention)) {
      process.stdout.write(`retention: ${file.found ? configFile.shownAs : 'the configuration'} has no retention: section, so everything is kept\n`);
      return 0;
    }
    store = await openStore(location.kind === 'postgres' ? { databaseUrl: location.url } : { dataDir: location.dataDir });
  } catch (error) {
    process.stderr.write(`retention: ${error instanceof ConfigError ? error.message : (error as Error).message}\n`);
    return 2;
  }
  try {
    process.stdout.write(`${describeRetention(await runRetention(store, retention))}\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`retention: the run failed: ${(error as Error).message}\n`);
    return 1;
  } finally {
    await store.close();
  }
}

process.exitCode = await main();
