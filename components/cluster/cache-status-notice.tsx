import type { CacheStatus } from '@/lib/k8s/watch-cache';

/**
 * What the shared cache of a cluster is doing, when it is not simply synced:
 * still reading, or unreachable with the reason (it retries by itself). Pure
 * markup, for server and client components alike.
 */
export function CacheStatusNotice({ cluster, status }: { cluster: string; status: CacheStatus }) {
  if (status.state === 'synced') return null;
  if (status.state === 'starting') {
    return (
      <p role="status" className="rounded-md bg-zinc-100 px-3 py-2 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300">
        Reading {cluster}…
      </p>
    );
  }
  return (
    <div role="alert" aria-label={`${cluster} is unreachable`} className="space-y-1 rounded-md bg-amber-50 px-3 py-2 text-amber-900 ring-1 ring-amber-600/20 dark:bg-amber-400/10 dark:text-amber-200 dark:ring-amber-400/25">
      <p className="font-medium">
        {status.syncedAt ? `${cluster} is unreachable; showing what Ephemera last saw.` : `Ephemera cannot read ${cluster}.`}
      </p>
      {status.lastError && <p className="text-xs leading-snug">{status.lastError}</p>}
      <p className="text-xs leading-snug">It reconnects by itself; this page updates when it does.</p>
    </div>
  );
}
