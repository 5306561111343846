// Pods for one person on one cluster. Lists come from the shared watch cache
// (watch-cache.ts), filtered by what the person may see (visibility.ts); a
// single pod, its log and its deletion go to the cluster as the person
// (user-client.ts), so the cluster's RBAC decides and its audit log names them.

import type { V1Pod } from '@kubernetes/client-node';
import type { EphemeraUser } from '@/lib/auth/types';
import { ForbiddenError } from './access';
import { eventsAbout, type EventView } from './event-view';
import type { LogQuery } from './params';
import { compileFilter, type PodFilter } from './pod-filter';
import { toPodDetail, type PodDetail, type PodRow } from './pod-view';
import { podYaml } from './pod-yaml';
import { getJson, kubeFetch, userFacing } from './raw';
import type { UserClusterClient } from './user-client';
import { askAs, podVisibility, sees, type AccessQuestion, type PodVisibility } from './visibility';
import { watchCacheFor, type CacheStatus, type WatchCache } from './watch-cache';

/** What browsing one cluster as one person needs: the shared cache, and the cluster's answers for that person. */
export interface Browse {
  cluster: string;
  cache: WatchCache;
  ask: AccessQuestion;
}

/** The app's Browse for `user`: the process's cache for `cluster` (404 when unknown) and access.ts's cached reviews. */
export function browseAs(user: EphemeraUser, cluster: string): Browse {
  return { cluster, cache: watchCacheFor(cluster), ask: askAs(user, cluster) };
}

export interface PodListing {
  cluster: string;
  status: CacheStatus;
  /** The namespaces whose pods the person may see, for the namespace picker. */
  namespaces: string[];
  /** Pods the person may see in the chosen namespace (or all), before name, status and label criteria. */
  visible: number;
  /** Matching pods, by namespace and name. */
  rows: PodRow[];
}

/** The namespace's `list pods` refusal as a 403, with the cluster's reason. */
function hiddenNamespace(browse: Browse, visibility: PodVisibility, namespace: string): ForbiddenError {
  const attrs = { verb: 'list', resource: 'pods', namespace };
  const reason = visibility.reasons.get(namespace) ?? `${browse.cluster} does not allow you to list pods in namespace ${namespace}.`;
  return new ForbiddenError({ allowed: false, reason }, browse.cluster, attrs);
}

/** What the person may see: the namespaces (with the reviews behind them). */
export async function visibilityFor(browse: Browse): Promise<PodVisibility> {
  return podVisibility(browse.ask, browse.cache.namespaces());
}

/** The rows of the cache `visibility` lets through that match `filter`, by namespace and name; throws 403 for a namespace the person may not see. */
export function visibleRows(browse: Browse, visibility: PodVisibility, filter: PodFilter): { visible: number; rows: PodRow[] } {
  if (filter.namespace && !sees(visibility, filter.namespace)) throw hiddenNamespace(browse, visibility, filter.namespace);
  const matches = compileFilter(filter);
  const rows: PodRow[] = [];
  let visible = 0;
  for (const row of browse.cache.sortedPodRows()) {
    if (!sees(visibility, row.namespace) || (filter.namespace && row.namespace !== filter.namespace)) continue;
    visible++;
    if (matches(row)) rows.push(row);
  }
  return { visible, rows };
}

export async function listPods(browse: Browse, filter: PodFilter): Promise<PodListing> {
  const visibility = await visibilityFor(browse);
  const { visible, rows } = visibleRows(browse, visibility, filter);
  const namespaces = browse.cache.namespaces().filter((namespace) => sees(visibility, namespace));
  return { cluster: browse.cluster, status: browse.cache.status(), namespaces, visible, rows };
}

/** Whether `filter` picks whole namespaces only: its rows are then the cache's per-namespace JSON, joined. */
const wholeNamespaces = (filter: PodFilter) => !filter.q && !filter.status?.length && !filter.label && !filter.node && !filter.ephemeral;

/**
 * The rows `visibility` lets through that match `filter`, as a JSON array,
 * from serializations the cache keeps (per row, and per namespace): an
 * unfiltered list of 10,000 pods is a join of one string per namespace.
 */
export function visibleRowsJson(browse: Browse, visibility: PodVisibility, filter: PodFilter): { json: string; count: number; visible: number } {
  if (filter.namespace && !sees(visibility, filter.namespace)) throw hiddenNamespace(browse, visibility, filter.namespace);
  const { cache } = browse;
  if (wholeNamespaces(filter)) {
    const { json, count } = cache.podNamespacesJson(filter.namespace ? [filter.namespace] : cache.podNamespaces().filter((name) => sees(visibility, name)));
    return { json, count, visible: count };
  }
  const { visible, rows } = visibleRows(browse, visibility, filter);
  return { json: `[${rows.map((row) => cache.podRowJson(row)).join(',')}]`, count: rows.length, visible };
}

/** The list route's answer: cache status, the namespaces the person may see, counts, and the matching rows. */
export async function podListJson(browse: Browse, filter: PodFilter): Promise<string> {
  const visibility = await visibilityFor(browse);
  const { json, count, visible } = visibleRowsJson(browse, visibility, filter);
  const namespaces = browse.cache.namespaces().filter((namespace) => sees(visibility, namespace));
  const head = JSON.stringify({ cluster: browse.cluster, status: browse.cache.status(), namespaces, visible, count });
  return `${head.slice(0, -1)},"rows":${json}}`;
}

// ---------------------------------------------------------------- one pod, as the person

const READ_TIMEOUT_MS = 10_000;

const podPath = (namespace: string, name: string) => `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(name)}`;

const serverOf = (client: UserClusterClient) => client.kubeConfig.getCurrentCluster()?.server ?? client.cluster;

/** GET the pod as the person; 403/404 keep the cluster's words. */
export async function readPodAs(client: UserClusterClient, namespace: string, name: string): Promise<V1Pod> {
  try {
    return await getJson<V1Pod>(client.kubeConfig, podPath(namespace, name), { timeoutMs: READ_TIMEOUT_MS });
  } catch (error) {
    throw userFacing(error, { cluster: client.cluster, server: serverOf(client), action: `read pod ${namespace}/${name}`, timeoutMs: READ_TIMEOUT_MS });
  }
}

export interface PodPage {
  detail: PodDetail;
  /** The pod as YAML, redacted (pod-yaml.ts). */
  yaml: string;
  /** The pod's events, or why they are not shown. */
  events: { shown: true; items: EventView[] } | { shown: false; reason: string };
}

/** Everything the pod page shows: the pod read as the person, and its events from the cache if they may list events there. */
export async function podPage(client: UserClusterClient, browse: Browse, namespace: string, name: string): Promise<PodPage> {
  const [pod, mayListEvents] = await Promise.all([readPodAs(client, namespace, name), browse.ask({ verb: 'list', resource: 'events', namespace })]);
  const events: PodPage['events'] = mayListEvents.allowed
    ? { shown: true, items: eventsAbout(browse.cache.events(namespace), { namespace, kind: 'Pod', name, uid: pod.metadata?.uid }) }
    : { shown: false, reason: mayListEvents.reason };
  return { detail: toPodDetail(pod), yaml: podYaml(pod), events };
}

/** The container's log as the person, as a stream (following it when asked); 400/403/404 keep the cluster's words. */
export async function podLogAs(client: UserClusterClient, namespace: string, name: string, query: LogQuery, signal: AbortSignal): Promise<NodeJS.ReadableStream> {
  const params = new URLSearchParams();
  if (query.container) params.set('container', query.container);
  if (query.previous) params.set('previous', 'true');
  if (query.follow) params.set('follow', 'true');
  if (query.tailLines) params.set('tailLines', String(query.tailLines));
  try {
    const response = await kubeFetch(client.kubeConfig, `${podPath(namespace, name)}/log?${params}`, { signal, ...(query.follow ? {} : { timeoutMs: 30_000 }) });
    return response.body;
  } catch (error) {
    const container = query.container ? ` container ${query.container}` : '';
    throw userFacing(error, { cluster: client.cluster, server: serverOf(client), action: `read the log of pod ${namespace}/${name}${container}` });
  }
}

/** DELETE the pod as the person, only if it is still the one with `uid` (a StatefulSet reuses names). */
export async function deletePodAs(client: UserClusterClient, namespace: string, name: string, uid: string): Promise<void> {
  try {
    await kubeFetch(client.kubeConfig, podPath(namespace, name), {
      method: 'DELETE',
      body: { apiVersion: 'v1', kind: 'DeleteOptions', preconditions: { uid } },
      timeoutMs: READ_TIMEOUT_MS,
    });
  } catch (error) {
    throw userFacing(error, { cluster: client.cluster, server: serverOf(client), action: `delete pod ${namespace}/${name}`, timeoutMs: READ_TIMEOUT_MS });
  }
}
