// Shared by the browsing integration suites: the dev cluster's dashboard
// context (optionally through a proxy), a cache on it, and a Browse acting as
// any user through real impersonation and real SelfSubjectAccessReviews.

import { KubeConfig } from '@kubernetes/client-node';
import { kubectl, type RunningDevCluster } from '@/dev/cluster/__integration__/harness';
import type { EphemeraUser } from '@/lib/auth/types';
import { createAccessChecker } from '../access';
import { loadClusters } from '../clusters';
import type { Browse } from '../pods';
import { userClient, type UserClusterClient } from '../user-client';
import { WatchCache, type CacheUpdate, type WatchCacheOptions } from '../watch-cache';

export const CLUSTER = 'dev-dashboard';

/** The dashboard's own KubeConfig for the dev cluster, its server replaced by `server` when given (a proxy). */
export function dashboardKubeConfig(cluster: RunningDevCluster, server?: string): KubeConfig {
  const kc = loadClusters({ kind: 'kubeconfig', paths: [cluster.kubeconfig], from: 'EPHEMERA_KUBECONFIG' }, null).connection(CLUSTER)!.kubeConfig;
  if (!server) return kc;
  const moved = new KubeConfig();
  moved.loadFromOptions({
    clusters: kc.getClusters().map((entry) => ({ ...entry, server })),
    users: kc.getUsers(),
    contexts: kc.getContexts(),
    currentContext: CLUSTER,
  });
  return moved;
}

export function startCache(kubeConfig: KubeConfig, options: WatchCacheOptions = {}): WatchCache {
  return new WatchCache(CLUSTER, kubeConfig, { log: () => {}, ...options }).start();
}

/** A Browse as `user`, with its own (fresh) access cache; and the user's client for reads as them. */
export function browseAs(cache: WatchCache, kubeConfig: KubeConfig, user: EphemeraUser): { browse: Browse; client: UserClusterClient } {
  const clientFor = (cluster: string, who: EphemeraUser) => userClient(cluster, kubeConfig, who, 'impersonate');
  const checker = createAccessChecker({ clientFor });
  return { browse: { cluster: CLUSTER, cache, ask: (attrs) => checker.can(user, CLUSTER, attrs) }, client: clientFor(CLUSTER, user) };
}

/** Resolves with the first update for which `predicate` holds (rejects after `timeoutMs`). */
export function nextUpdate(cache: WatchCache, predicate: (update: CacheUpdate) => boolean, timeoutMs = 10_000): Promise<CacheUpdate> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`no matching cache update within ${timeoutMs} ms`));
    }, timeoutMs);
    const unsubscribe = cache.subscribe((update) => {
      if (!predicate(update)) return;
      clearTimeout(timer);
      unsubscribe();
      resolve(update);
    });
  });
}

/** Polls `check` until it returns true (for states, not timings). */
export async function eventually(check: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what} did not hold within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** kubectl as dev-admin, failing the test with kubectl's own words. */
export async function admin(cluster: RunningDevCluster, args: string[], input?: string): Promise<string> {
  const result = await kubectl(cluster, args, input === undefined ? {} : { input });
  if (result.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

export const podManifest = (namespace: string, name: string, labels: Record<string, string> = {}) =>
  JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels },
    spec: { nodeName: 'node-b', containers: [{ name: 'main', image: 'busybox:1.36', command: ['sleep', '3600'] }] },
  });
