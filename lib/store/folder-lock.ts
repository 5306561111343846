// PGlite is PostgreSQL in this process, not a server: two processes with one
// folder open write over each other, and the folder is damaged for good
// (PGlite then aborts as it opens it). A lock file beside the folder, naming
// the holder's pid, turns that into a clear refusal. A lock whose process is
// gone (killed, crashed) is taken over.

import fs from 'node:fs';
import path from 'node:path';

/** `/x/data` → `/x/data.lock`: beside the folder, since PGlite's initdb wants the folder to itself. */
export const lockFileFor = (dataDir: string) => path.join(path.dirname(path.resolve(dataDir)), `${path.basename(path.resolve(dataDir))}.lock`);

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, it is just not ours to signal.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the folder's lock for this process; returns its release. Throws when another live process holds it. */
export function lockFolder(dataDir: string): () => void {
  const file = lockFileFor(dataDir);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  for (let attempt = 0; ; attempt++) {
    try {
      fs.writeFileSync(file, `${process.pid}\n`, { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw error;
      const holder = Number.parseInt(fs.readFileSync(file, 'utf8'), 10);
      if (Number.isInteger(holder) && holder !== process.pid && isAlive(holder)) {
        throw new Error(
          `${dataDir} is in use by another process (pid ${holder}, see ${file}): PGlite serves one process at a time. ` +
            'Stop that one, give this one its own EPHEMERA_DATA_DIR, or share a PostgreSQL server through EPHEMERA_DATABASE_URL.',
        );
      }
      fs.rmSync(file, { force: true }); // left by a process that is gone (or by this one, reopening)
    }
  }
  return () => {
    try {
      if (fs.readFileSync(file, 'utf8').trim() === String(process.pid)) fs.rmSync(file, { force: true });
    } catch {
      // Already gone.
    }
  };
}
