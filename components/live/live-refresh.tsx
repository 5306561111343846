'use client';

// Keeps a server-rendered page current without polling: it listens to the
// cluster's live feed (the pods event stream, filtered) and asks Next to
// re-render the page — which reads the cluster again, as the user — when
// something it shows changed, or when the cluster goes away or comes back.

import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { rowsFingerprint, type PodRow } from '@/lib/k8s/pod-view';
import type { CacheStatus } from '@/lib/k8s/watch-cache';

export interface LiveRefreshProps {
  cluster: string;
  /** Query string of the feed (a pod filter, or rows=none). */
  feed: string;
  /** Re-render when a change concerns one of these pod keys; any change when absent. */
  keys?: string[];
  /** Re-render when one of these other kinds changed. */
  kinds?: Array<'nodes' | 'namespaces' | 'events'>;
  /** At most one re-render per this many ms. */
  throttleMs?: number;
  /** rowsFingerprint of the rows (of `keys`, or of the whole feed) the page was rendered from; re-render when the first snapshot differs. */
  fingerprint?: string;
}

export function LiveRefresh({ cluster, feed, keys, kinds = [], throttleMs = 1_000, fingerprint }: LiveRefreshProps) {
  const router = useRouter();
  const watchedKeys = keys?.join('\n');
  const watchedKinds = kinds.join(',');
  useEffect(() => {
    const source = new EventSource(`/api/clusters/${encodeURIComponent(cluster)}/pods/events?${feed}`);
    const wanted = watchedKeys === undefined ? null : new Set(watchedKeys.split('\n'));
    const kindSet = new Set(watchedKinds.split(',').filter(Boolean));
    let state: CacheStatus['state'] | undefined;
    let last = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const refresh = () => {
      const wait = last + throttleMs - Date.now();
      if (timer) return;
      timer = setTimeout(() => {
        timer = undefined;
        last = Date.now();
        router.refresh();
      }, Math.max(0, wait));
    };
    let snapshots = 0;
    source.addEventListener('snapshot', (event) => {
      const snapshot = JSON.parse((event as MessageEvent<string>).data) as { status: CacheStatus; rows: PodRow[] };
      state = snapshot.status.state;
      // The page was rendered before the feed started: if what it shows changed meanwhile, or the stream
      // reconnected (changes may have been missed), read again.
      const shown = rowsFingerprint(wanted ? snapshot.rows.filter((row) => wanted.has(row.key)) : snapshot.rows);
      if (++snapshots > 1 || (fingerprint !== undefined && shown !== fingerprint)) refresh();
    });
    source.addEventListener('change', (event) => {
      const changes = JSON.parse((event as MessageEvent<string>).data) as Array<{ type: string; key?: string; row?: { key: string } }>;
      if (!wanted || changes.some((change) => wanted.has(change.key ?? change.row?.key ?? ''))) refresh();
    });
    source.addEventListener('kinds', (event) => {
      const changed = JSON.parse((event as MessageEvent<string>).data) as string[];
      if (changed.some((kind) => kindSet.has(kind))) refresh();
    });
    source.addEventListener('status', (event) => {
      const status = JSON.parse((event as MessageEvent<string>).data) as CacheStatus;
      if (status.state !== state) refresh();
      state = status.state;
    });
    return () => {
      clearTimeout(timer);
      source.close();
    };
  }, [cluster, feed, watchedKeys, watchedKinds, throttleMs, fingerprint, router]);
  return null;
}
