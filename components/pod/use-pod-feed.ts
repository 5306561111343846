'use client';

// The live pod list in the browser: the server's first rows until the feed's
// snapshot arrives, then the snapshot with every change applied as it comes
// (lib/k8s/pod-feed.ts). Changes are applied in a Map and the sorted list is
// rebuilt at most once per animation frame, however fast they arrive.

import { useEffect, useMemo, useRef, useState } from 'react';
import { sortRows } from '@/lib/k8s/pod-filter';
import type { PodRow } from '@/lib/k8s/pod-view';
import type { CacheStatus } from '@/lib/k8s/watch-cache';

export type Connection = 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface PodFeedState {
  /** Sorted by namespace and name. */
  rows: PodRow[];
  /** The snapshot has arrived: `rows` is everything, not the server's first page. */
  complete: boolean;
  status: CacheStatus;
  connection: Connection;
  /** Why the feed ended for good (access withdrawn, signed out). */
  problem?: string;
}

type Change = { type: 'upsert'; row: PodRow } | { type: 'delete'; key: string };

export function usePodFeed(cluster: string, namespace: string | undefined, initial: { rows: PodRow[]; status: CacheStatus }): PodFeedState {
  const rowsByKey = useRef<Map<string, PodRow> | null>(null);
  const [version, setVersion] = useState(0);
  const [complete, setComplete] = useState(false);
  const [status, setStatus] = useState(initial.status);
  const [connection, setConnection] = useState<Connection>('connecting');
  const [problem, setProblem] = useState<string>();

  useEffect(() => {
    const query = namespace ? `?namespace=${encodeURIComponent(namespace)}` : '';
    const source = new EventSource(`/api/clusters/${encodeURIComponent(cluster)}/pods/events${query}`);
    let frame = 0;
    const render = () => {
      if (frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        setVersion((v) => v + 1);
      });
    };
    source.onopen = () => setConnection('open');
    source.onerror = () => setConnection(source.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting');
    source.addEventListener('snapshot', (event) => {
      const snapshot = JSON.parse((event as MessageEvent<string>).data) as { status: CacheStatus; rows: PodRow[] };
      rowsByKey.current = new Map(snapshot.rows.map((row) => [row.key, row]));
      setStatus(snapshot.status);
      setComplete(true);
      render();
    });
    source.addEventListener('change', (event) => {
      const map = rowsByKey.current;
      if (!map) return;
      for (const change of JSON.parse((event as MessageEvent<string>).data) as Change[]) {
        if (change.type === 'upsert') map.set(change.row.key, change.row);
        else map.delete(change.key);
      }
      render();
    });
    source.addEventListener('status', (event) => setStatus(JSON.parse((event as MessageEvent<string>).data) as CacheStatus));
    source.addEventListener('denied', (event) => {
      setProblem((JSON.parse((event as MessageEvent<string>).data) as { error: string }).error);
      source.close();
      setConnection('closed');
    });
    return () => {
      cancelAnimationFrame(frame);
      source.close();
      rowsByKey.current = null;
      setComplete(false);
      setConnection('connecting');
    };
  }, [cluster, namespace]);

  const rows = useMemo(
    () => (complete && rowsByKey.current ? sortRows([...rowsByKey.current.values()]) : initial.rows),
    // `version` stands for the Map's contents, which React cannot see change.
    [complete, version, initial.rows],
  );
  return { rows, complete, status, connection, ...(problem ? { problem } : {}) };
}
