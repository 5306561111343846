// A live feed of one person's pod list: a snapshot, then every change, from
// the shared watch cache, filtered by what that person may see and by their
// list's criteria. The transport (Server-Sent Events in the route) only
// carries the named events this writes:
//   snapshot  {"status":…,"visible":N,"rows":[…]}   the whole list; replaces what the page holds
//   change    [{"type":"upsert","row":…},{"type":"delete","key":"ns/name"},…]
//   status    the cache's status (synced / reconnecting, with the last error)
//   kinds     ["nodes","namespaces","events"]: which other kinds changed (no data: pages re-read as the person)
//   denied    {"error":…}  the person may no longer see the chosen namespace; the feed ends
// With `rows: false` the snapshot carries no rows and no changes follow: a
// status-and-kinds feed for pages that show something else (nodes).
// Access is asked again periodically (and when namespaces come and go); when
// the answer changes, a new snapshot replaces the old one.

import { compileFilter, type PodFilter } from './pod-filter';
import type { PodRow } from './pod-view';
import { visibilityFor, visibleRowsJson, type Browse } from './pods';
import { sameVisibility, sees, type PodVisibility } from './visibility';
import type { CacheUpdate } from './watch-cache';

export type FeedEvent = 'snapshot' | 'change' | 'status' | 'kinds' | 'denied';

export interface FeedSink {
  send(event: FeedEvent, data: string): void;
  /** A comment line that keeps idle connections (and proxies) open. */
  keepAlive(): void;
  /** The feed is over (denied); the transport should end. */
  end(): void;
}

export interface PodFeedOptions {
  browse: Browse;
  filter: PodFilter;
  /** Send rows (default) or only status and kinds. */
  rows?: boolean;
  /** How often access is asked again; access.ts caches answers for 30 s. */
  recheckMs?: number;
  keepAliveMs?: number;
}

export interface PodFeed {
  close(): void;
}

/**
 * Opens the feed: asks what the person may see (throws 403 when the chosen
 * namespace is not theirs, before anything is sent), sends the snapshot and
 * subscribes in the same tick, so no change falls between the two.
 */
export async function openPodFeed(options: PodFeedOptions, sink: FeedSink): Promise<PodFeed> {
  const { browse, filter } = options;
  const { cache } = browse;
  const matches = compileFilter(filter);
  let visibility: PodVisibility = await visibilityFor(browse);
  let closed = false;

  const wantRows = options.rows ?? true;
  const snapshot = () => {
    const { json, visible } = wantRows ? visibleRowsJson(browse, visibility, filter) : { json: '[]', visible: 0 };
    sink.send('snapshot', `{"status":${JSON.stringify(cache.status())},"visible":${visible},"rows":${json}}`);
  };

  const upsertOrDelete = (row: PodRow): string | undefined => {
    if (!sees(visibility, row.namespace) || (filter.namespace && row.namespace !== filter.namespace)) return undefined;
    return matches(row) ? `{"type":"upsert","row":${cache.podRowJson(row)}}` : JSON.stringify({ type: 'delete', key: row.key });
  };

  const onUpdate = (update: CacheUpdate) => {
    const parts: string[] = [];
    for (const change of wantRows ? update.pods : []) {
      if (change.type === 'upsert') {
        const part = upsertOrDelete(change.row);
        if (part) parts.push(part);
      } else {
        const namespace = change.key.slice(0, change.key.indexOf('/'));
        // A deletion names the pod: only for namespaces the person may see.
        if (sees(visibility, namespace) && (!filter.namespace || namespace === filter.namespace)) parts.push(JSON.stringify(change));
      }
    }
    if (parts.length > 0) sink.send('change', `[${parts.join(',')}]`);
    if (update.status) sink.send('status', JSON.stringify(update.status));
    if (update.kinds.size > 0) sink.send('kinds', JSON.stringify([...update.kinds]));
    if (update.kinds.has('namespaces')) void recheck();
  };

  const recheck = async () => {
    const next = await visibilityFor(browse);
    if (closed || sameVisibility(visibility, next)) return;
    visibility = next;
    try {
      snapshot();
    } catch (error) {
      sink.send('denied', JSON.stringify({ error: (error as Error).message }));
      close();
      sink.end();
    }
  };

  snapshot();
  const unsubscribe = cache.subscribe(onUpdate);
  const recheckTimer = setInterval(() => void recheck(), options.recheckMs ?? 30_000);
  const keepAliveTimer = setInterval(() => sink.keepAlive(), options.keepAliveMs ?? 15_000);

  const close = () => {
    if (closed) return;
    closed = true;
    unsubscribe();
    clearInterval(recheckTimer);
    clearInterval(keepAliveTimer);
  };
  return { close };
}
