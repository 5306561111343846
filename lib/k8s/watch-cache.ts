// One shared watch per cluster (DESIGN.md: "watch cache, one informer per
// cluster, shared by users"). With the dashboard's OWN credentials — the
// kubeconfig context, never a user — client-node informers list and watch
// pods, nodes, namespaces and events; every page, API route and live stream
// of this process reads from here, so fifty people looking at 10,000 pods
// cost the cluster one watch per kind. What each person may see of it is
// decided elsewhere (visibility.ts), per namespace, as that person.
//
// Started lazily on first use, one per cluster per process. client-node
// relists on 410 Gone; any other failure stops its informer, so this restarts
// it with a capped exponential backoff and says so in `status()` (synced /
// reconnecting, with the last error) until the cluster answers again.

import { ListWatch, Watch, type KubeConfig, type KubernetesObject, type CoreV1Event, type V1Namespace, type V1Node, type V1Pod } from '@kubernetes/client-node';
import { clusterConnection } from './clusters';
import { describeRequestError } from './errors';
import { PodRowIndex } from './pod-rows';
import type { PodRow } from './pod-view';
import { listAll } from './raw';
import { UnknownClusterError } from './user-client';

export const WATCHED_KINDS = ['pods', 'nodes', 'namespaces', 'events'] as const;
export type WatchedKind = (typeof WATCHED_KINDS)[number];

const PATHS: Record<WatchedKind, string> = {
  pods: '/api/v1/pods',
  nodes: '/api/v1/nodes',
  namespaces: '/api/v1/namespaces',
  events: '/api/v1/events',
};

export interface CacheStatus {
  /** starting: first list in progress; synced: every kind listed and watched; reconnecting: a list or watch failed, retrying. */
  state: 'starting' | 'synced' | 'reconnecting';
  /** When the cache was last fully synced (ISO); absent when it never was, so it holds nothing yet. */
  syncedAt?: string;
  /** When the cache entered this state (ISO). */
  since: string;
  /** What went wrong last, in words an operator can act on; kept after recovery until the next failure. */
  lastError?: string;
  /** Kinds not currently listed-and-watching. */
  waitingFor: WatchedKind[];
}

export type PodChange = { type: 'upsert'; row: PodRow } | { type: 'delete'; key: string };

/** What changed since the last update; delivered in batches (`flushMs`) so a burst costs one message per listener. */
export interface CacheUpdate {
  /** Increases with every update. */
  version: number;
  /** The latest change per pod, in the order they first changed. */
  pods: PodChange[];
  kinds: ReadonlySet<Exclude<WatchedKind, 'pods'>>;
  /** Present when the status changed. */
  status?: CacheStatus;
}

export type CacheListener = (update: CacheUpdate) => void;

export interface WatchCacheOptions {
  /** First retry after a failure; doubles up to `maxBackoffMs`. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** How long changes gather before listeners hear of them. */
  flushMs?: number;
  /** Where state changes are reported (a line each); stderr by default. */
  log?: (line: string) => void;
}

/** client-node's Watch, telling us when a watch request has been answered (the informer is live again). */
class ObservedWatch extends Watch {
  constructor(
    config: KubeConfig,
    private readonly established: () => void,
  ) {
    super(config);
  }

  override async watch(
    path: string,
    query: Record<string, string | number | boolean | undefined>,
    callback: (phase: string, object: unknown, watchObject?: unknown) => void,
    done: (error: unknown) => void,
  ): Promise<AbortController> {
    let failed = false;
    const controller = await super.watch(path, { ...query, allowWatchBookmarks: true }, callback, (error: unknown) => {
      if (error) failed = true;
      done(error);
    });
    if (!failed) this.established();
    return controller;
  }
}

interface Feed<T extends KubernetesObject> {
  informer: ListWatch<T>;
  live: boolean;
  failures: number;
  retry?: NodeJS.Timeout;
}

export class WatchCache {
  private readonly feeds: { [K in WatchedKind]: Feed<KubernetesObject> };
  private readonly rows = new PodRowIndex();
  private readonly listeners = new Set<CacheListener>();
  private pending = new Map<string, PodChange>();
  private pendingKinds = new Set<Exclude<WatchedKind, 'pods'>>();
  private pendingStatus = false;
  private flushTimer?: NodeJS.Timeout;
  private currentStatus: CacheStatus;
  private version = 0;
  private started = false;
  private stopped = false;
  private syncWaiters: Array<() => void> = [];
  private readonly options: Required<Omit<WatchCacheOptions, 'log'>> & Pick<WatchCacheOptions, 'log'>;

  constructor(
    readonly cluster: string,
    private readonly kubeConfig: KubeConfig,
    options: WatchCacheOptions = {},
  ) {
    this.options = { initialBackoffMs: 1_000, maxBackoffMs: 30_000, flushMs: 25, ...options };
    this.currentStatus = { state: 'starting', since: new Date().toISOString(), waitingFor: [...WATCHED_KINDS] };
    this.feeds = Object.fromEntries(WATCHED_KINDS.map((kind) => [kind, this.makeFeed(kind)])) as WatchCache['feeds'];
  }

  private makeFeed(kind: WatchedKind): Feed<KubernetesObject> {
    const watch = new ObservedWatch(this.kubeConfig, () => this.onLive(kind));
    const informer = new ListWatch<KubernetesObject>(PATHS[kind], watch, () => listAll(this.kubeConfig, PATHS[kind]), false);
    const feed: Feed<KubernetesObject> = { informer, live: false, failures: 0 };
    if (kind === 'pods') {
      informer.on('add', (pod) => this.upsertPod(pod as V1Pod));
      informer.on('update', (pod) => this.upsertPod(pod as V1Pod));
      informer.on('delete', (pod) => this.deletePod(pod as V1Pod));
    } else {
      const changed = () => this.changed(kind);
      informer.on('change', changed);
    }
    informer.on('error', (error: unknown) => this.onError(kind, error));
    return feed;
  }

  /** Starts the informers (once); the cache fills in the background. */
  start(): this {
    if (this.started) return this;
    this.started = true;
    for (const kind of WATCHED_KINDS) void this.feeds[kind].informer.start();
    return this;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.flushTimer);
    for (const feed of Object.values(this.feeds)) {
      clearTimeout(feed.retry);
      await feed.informer.stop();
    }
    this.listeners.clear();
    this.syncWaiters.splice(0).forEach((wake) => wake());
  }

  status(): CacheStatus {
    return { ...this.currentStatus, waitingFor: [...this.currentStatus.waitingFor] };
  }

  /**
   * Resolves once every kind is listed and watched, or as soon as a list or
   * watch fails (there is an error to show), or after `timeoutMs`; check `status()`.
   */
  whenSynced(timeoutMs: number): Promise<CacheStatus> {
    if (this.currentStatus.state !== 'starting' || this.stopped) return Promise.resolve(this.status());
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        resolve(this.status());
      };
      const timer = setTimeout(() => {
        this.syncWaiters = this.syncWaiters.filter((waiter) => waiter !== wake);
        resolve(this.status());
      }, timeoutMs);
      this.syncWaiters.push(wake);
    });
  }

  /** The number of the latest update listeners heard. */
  get currentVersion(): number {
    return this.version;
  }

  // ---------------------------------------------------------------- snapshots

  /** Every pod row by namespace, then name (or one namespace's): the order lists show, kept between requests. */
  sortedPodRows(namespace?: string): Generator<PodRow> {
    return this.rows.sorted(namespace);
  }

  /** The namespaces that have pods, sorted. */
  podNamespaces(): string[] {
    return this.rows.namespaces();
  }

  /** The rows of whole namespaces as one JSON array (pod-rows.ts keeps it between changes). */
  podNamespacesJson(namespaces: readonly string[]): { json: string; count: number } {
    return this.rows.namespacesJson(namespaces);
  }

  podRow(namespace: string, name: string): PodRow | undefined {
    return this.rows.get(namespace, name);
  }

  /** The row as JSON, serialized once per change however many lists and streams send it. */
  podRowJson(row: PodRow): string {
    return this.rows.rowJson(row);
  }

  pods(namespace?: string): readonly V1Pod[] {
    return this.feeds.pods.informer.list(namespace) as V1Pod[];
  }

  pod(namespace: string, name: string): V1Pod | undefined {
    return this.feeds.pods.informer.get(name, namespace) as V1Pod | undefined;
  }

  nodes(): readonly V1Node[] {
    return this.feeds.nodes.informer.list() as V1Node[];
  }

  node(name: string): V1Node | undefined {
    return this.feeds.nodes.informer.get(name) as V1Node | undefined;
  }

  namespaces(): string[] {
    return (this.feeds.namespaces.informer.list() as V1Namespace[]).map((namespace) => namespace.metadata?.name ?? '').filter(Boolean).sort();
  }

  events(namespace: string): readonly CoreV1Event[] {
    return this.feeds.events.informer.list(namespace) as CoreV1Event[];
  }

  // ---------------------------------------------------------------- the change feed

  /** Calls `listener` with every batch of changes; returns the unsubscribe function. */
  subscribe(listener: CacheListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get subscribers(): number {
    return this.listeners.size;
  }

  private upsertPod(pod: V1Pod): void {
    const row = this.rows.upsert(pod);
    this.queue(row.key, { type: 'upsert', row });
  }

  private deletePod(pod: V1Pod): void {
    const key = this.rows.delete(pod);
    this.queue(key, { type: 'delete', key });
  }

  private queue(key: string, change: PodChange): void {
    // A Map keeps the first insertion's position: deleting first moves a re-changed pod to the end.
    this.pending.delete(key);
    this.pending.set(key, change);
    this.scheduleFlush();
  }

  private changed(kind: Exclude<WatchedKind, 'pods'>): void {
    this.pendingKinds.add(kind);
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.flushTimer || this.stopped) return;
    this.flushTimer = setTimeout(() => this.flush(), this.options.flushMs);
  }

  private flush(): void {
    this.flushTimer = undefined;
    if (this.pending.size === 0 && this.pendingKinds.size === 0 && !this.pendingStatus) return;
    const update: CacheUpdate = {
      version: ++this.version,
      pods: [...this.pending.values()],
      kinds: this.pendingKinds,
      ...(this.pendingStatus ? { status: this.status() } : {}),
    };
    this.pending = new Map();
    this.pendingKinds = new Set();
    this.pendingStatus = false;
    for (const listener of this.listeners) {
      try {
        listener(update);
      } catch (error) {
        this.report(`a listener failed: ${(error as Error).stack ?? String(error)}`);
      }
    }
  }

  // ---------------------------------------------------------------- health

  private onLive(kind: WatchedKind): void {
    const feed = this.feeds[kind];
    feed.live = true;
    feed.failures = 0;
    const waitingFor = WATCHED_KINDS.filter((k) => !this.feeds[k].live);
    if (waitingFor.length > 0) {
      this.setStatus({ ...this.currentStatus, waitingFor });
      return;
    }
    if (this.currentStatus.state !== 'synced') {
      if (this.currentStatus.state === 'reconnecting') this.report('reconnected; lists and watches are live again');
      const now = new Date().toISOString();
      this.setStatus({ state: 'synced', since: now, syncedAt: now, waitingFor: [], ...(this.currentStatus.lastError ? { lastError: this.currentStatus.lastError } : {}) });
    }
    this.syncWaiters.splice(0).forEach((wake) => wake());
  }

  private onError(kind: WatchedKind, error: unknown): void {
    if (this.stopped) return;
    const feed = this.feeds[kind];
    feed.live = false;
    const delay = Math.min(this.options.maxBackoffMs, this.options.initialBackoffMs * 2 ** feed.failures);
    feed.failures++;
    const server = this.kubeConfig.getCurrentCluster()?.server ?? this.cluster;
    const reason = droppedConnection(error)
      ? `${server} closed the connection in the middle of the watch.`
      : describeRequestError(error, { server, action: `list and watch ${kind}`, timeoutMs: 60_000 });
    const lastError = `Watching ${kind} failed: ${reason}`;
    if (this.currentStatus.state !== 'reconnecting' || feed.failures === 1) this.report(`${lastError} Retrying in ${delay / 1000} s.`);
    const since = this.currentStatus.state === 'reconnecting' ? this.currentStatus.since : new Date().toISOString();
    this.setStatus({
      state: 'reconnecting',
      since,
      ...(this.currentStatus.syncedAt ? { syncedAt: this.currentStatus.syncedAt } : {}),
      lastError,
      waitingFor: WATCHED_KINDS.filter((k) => !this.feeds[k].live),
    });
    this.syncWaiters.splice(0).forEach((wake) => wake());
    clearTimeout(feed.retry);
    feed.retry = setTimeout(() => {
      feed.retry = undefined;
      if (!this.stopped) void feed.informer.start();
    }, delay);
  }

  private setStatus(status: CacheStatus): void {
    this.currentStatus = status;
    this.pendingStatus = true;
    this.scheduleFlush();
  }

  private report(line: string): void {
    (this.options.log ?? ((text: string) => process.stderr.write(`${text}\n`)))(`Ephemera: watch cache for ${this.cluster}: ${line}`);
  }
}

/** node-fetch's words when the socket under a streaming response goes away. */
function droppedConnection(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return code === 'ERR_STREAM_PREMATURE_CLOSE' || message === 'Premature close';
}

// ---------------------------------------------------------------- one per cluster per process

// On globalThis: Next bundles route handlers and pages into separate chunks,
// and server/ loads this file outside the bundle; all of them share one cache.
const CACHES = Symbol.for('ephemera.watchCaches');

function caches(): Map<string, WatchCache> {
  const global = globalThis as unknown as Record<symbol, Map<string, WatchCache> | undefined>;
  return (global[CACHES] ??= new Map());
}

/** The shared cache of the configured cluster `cluster`, started on first use; throws UnknownClusterError (404). */
export function watchCacheFor(cluster: string): WatchCache {
  let cache = caches().get(cluster);
  if (!cache) {
    const connection = clusterConnection(cluster);
    if (!connection) throw new UnknownClusterError(cluster);
    cache = new WatchCache(cluster, connection.kubeConfig).start();
    caches().set(cluster, cache);
  }
  return cache;
}
