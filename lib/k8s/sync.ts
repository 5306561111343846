// How long a request waits for a cluster's cache to fill, and what it says
// when it never did (the cluster is unreachable or refuses the dashboard).

import { UserFacingError } from '@/lib/http/errors';
import type { CacheStatus } from './watch-cache';

/** A request waits this long for a cache's first sync before answering without data. */
export const SYNC_WAIT_MS = 5_000;

/** 503: nothing to show yet, with the cache's own last error; the cache keeps retrying by itself. */
export function notSyncedError(cluster: string, status: CacheStatus): UserFacingError {
  const why = status.lastError ?? `${cluster} has not answered yet.`;
  return new UserFacingError(`Ephemera cannot read ${cluster} yet: ${why} It keeps retrying by itself.`, 503, { cluster, status });
}
