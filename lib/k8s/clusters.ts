// The clusters Ephemera is configured with, and whether each one answers.
// Pure mappers (kubeconfig → view models) come first; the I/O (reading
// kubeconfig files, asking GET /version) is at the bottom.

import fs from 'node:fs';
import {
  KubeConfig,
  Observable,
  VersionApi,
  type Cluster,
  type ConfigurationOptions,
  type Context,
  type ObservableMiddleware,
  type User,
  type VersionInfo,
} from '@kubernetes/client-node';
import { authModeFor, IMPERSONATE_EVERYWHERE, type ClusterAuthMode, type ClusterAuthSetting } from '@/lib/config/cluster-auth';
import { config, ConfigError, type ClusterSource } from '@/lib/config/env';
import { describeRequestError } from './errors';

/** One configured cluster as the UI shows it: one per kubeconfig context. */
export interface ClusterView {
  /** The kubeconfig context name, which is how Ephemera names the cluster. */
  name: string;
  /** The API server URL, or null when the context names a cluster entry that is missing. */
  server: string | null;
  /** The kubeconfig user entry's name; credentials never leave the server. */
  user: string;
  namespace: string;
}

export type ClusterStatus =
  | { reachable: true; version: string; gitVersion: string }
  | { reachable: false; error: string };

export type ClusterInventory =
  | { kind: 'configured'; source: string; clusters: ClusterView[] }
  | { kind: 'none'; searched: string[] };

/** The parts of a kubeconfig the mapping reads. */
export interface KubeconfigEntries {
  contexts: readonly Context[];
  clusters: readonly Cluster[];
}

const PROBE_TIMEOUT_MS = 3_000;

// ---------------------------------------------------------------- pure mapping

/**
 * Every context as a view model, restricted to `only` (EPHEMERA_CONTEXTS) when
 * given, in that list's order: the operator chose which clusters to show.
 */
export function toClusterViews(entries: KubeconfigEntries, only: readonly string[] | null, source: string): ClusterView[] {
  const byName = new Map(entries.contexts.map((context) => [context.name, context]));
  if (only) {
    const unknown = only.filter((name) => !byName.has(name));
    if (unknown.length > 0) {
      const known = entries.contexts.map((context) => context.name).join(', ') || 'none';
      throw new ConfigError(
        `EPHEMERA_CONTEXTS names ${unknown.join(', ')}, not a context in ${source}. Contexts there: ${known}.`,
      );
    }
  }
  const chosen = only ? only.map((name) => byName.get(name)!) : entries.contexts;
  return chosen.map((context) => ({
    name: context.name,
    server: entries.clusters.find((cluster) => cluster.name === context.cluster)?.server ?? null,
    user: context.user,
    namespace: context.namespace || 'default',
  }));
}

/** "v1.31" from a /version answer; managed clusters report minors like "31+". */
export function formatVersion(info: Pick<VersionInfo, 'major' | 'minor' | 'gitVersion'>): string {
  const major = info.major?.replace(/\D+$/, '');
  const minor = info.minor?.replace(/\D+$/, '');
  if (major && minor) return `v${major}.${minor}`;
  return /^v?\d+\.\d+/.exec(info.gitVersion ?? '')?.[0].replace(/^v?/, 'v') ?? info.gitVersion ?? 'unknown version';
}

/** A label for where the clusters came from, shown on the page and in startup logs. */
export function describeSource(source: Exclude<ClusterSource, { kind: 'none' }>): string {
  if (source.kind === 'in-cluster') return `in-cluster service account (${source.server})`;
  const from = source.from === 'default' ? 'the default location' : source.from;
  return `kubeconfig ${source.paths.join(', ')} (from ${from})`;
}

/**
 * kubectl's merge rule for several kubeconfig files: the first entry with a
 * given name wins. (client-node's own mergeConfig throws on a duplicate instead.)
 */
export function mergeKubeconfigs(files: readonly KubeConfig[]): { clusters: Cluster[]; users: User[]; contexts: Context[]; currentContext: string } {
  const firstByName = <T extends { name: string }>(lists: T[][]) => {
    const seen = new Map<string, T>();
    for (const item of lists.flat()) if (!seen.has(item.name)) seen.set(item.name, item);
    return [...seen.values()];
  };
  return {
    clusters: firstByName(files.map((kc) => kc.getClusters())),
    users: firstByName(files.map((kc) => kc.getUsers())),
    contexts: firstByName(files.map((kc) => kc.getContexts())),
    currentContext: files.find((kc) => kc.getCurrentContext())?.getCurrentContext() ?? '',
  };
}

// ---------------------------------------------------------------- I/O

/**
 * What the cluster layer needs to reach one cluster: the dashboard's own
 * credentials (server-side only; user actions wrap them, see user-client.ts)
 * and how to act as the signed-in user there.
 */
export interface ClusterConnection {
  cluster: ClusterView;
  kubeConfig: KubeConfig;
  authMode: ClusterAuthMode;
}

export interface ClusterRegistry {
  inventory: ClusterInventory;
  /** Asks the cluster behind context `name` for GET /version, giving up after `timeoutMs`. */
  probe(name: string, timeoutMs?: number): Promise<ClusterStatus>;
  /** The configured cluster called `name`, or undefined when there is none. */
  connection(name: string): ClusterConnection | undefined;
}

/** Reads the clusters from `source`; throws ConfigError (naming the variable and file) for an unreadable kubeconfig. */
export function loadClusters(
  source: ClusterSource,
  only: readonly string[] | null,
  auth: ClusterAuthSetting = IMPERSONATE_EVERYWHERE,
): ClusterRegistry {
  if (source.kind === 'none') {
    return {
      inventory: { kind: 'none', searched: source.searched },
      probe: async (name) => ({ reachable: false, error: `No configured cluster is named ${name}.` }),
      connection: () => undefined,
    };
  }
  const label = describeSource(source);
  const merged = source.kind === 'in-cluster' ? inClusterEntries(source) : readKubeconfigs(source);
  const clusters = toClusterViews(merged, only, label);
  const misnamed = Object.keys(auth.contexts).filter((name) => !clusters.some((cluster) => cluster.name === name));
  if (misnamed.length > 0) {
    throw new ConfigError(
      `EPHEMERA_CLUSTER_AUTH names ${misnamed.join(', ')}, not a cluster Ephemera shows. Clusters: ${clusters.map((cluster) => cluster.name).join(', ') || 'none'}.`,
    );
  }
  // One KubeConfig per context: client-node reads the current context at request
  // time, so a shared one cannot serve parallel probes; kept so credential
  // plugins' cached tokens are reused.
  const perContext = new Map(
    clusters.map((cluster) => {
      const kc = new KubeConfig();
      kc.loadFromOptions({ ...merged, currentContext: cluster.name });
      return [cluster.name, { cluster, kc }] as const;
    }),
  );

  const probe = async (name: string, timeoutMs = PROBE_TIMEOUT_MS): Promise<ClusterStatus> => {
    const entry = perContext.get(name);
    if (!entry) return { reachable: false, error: `No configured cluster is named ${name}.` };
    const { server } = entry.cluster;
    if (!server) return { reachable: false, error: `Context ${name} names a cluster entry that is not in the kubeconfig.` };
    try {
      const info = await entry.kc.makeApiClient(VersionApi).getCode({}, abortAfter(timeoutMs));
      return { reachable: true, version: formatVersion(info), gitVersion: info.gitVersion };
    } catch (error) {
      return { reachable: false, error: describeRequestError(error, { server, action: 'read /version', timeoutMs }) };
    }
  };
  const connection = (name: string): ClusterConnection | undefined => {
    const entry = perContext.get(name);
    return entry && { cluster: entry.cluster, kubeConfig: entry.kc, authMode: authModeFor(auth, name) };
  };
  return { inventory: { kind: 'configured', source: label, clusters }, probe, connection };
}

function readKubeconfigs(source: Extract<ClusterSource, { kind: 'kubeconfig' }>) {
  const from = source.from === 'default' ? '' : ` (from ${source.from})`;
  return mergeKubeconfigs(
    source.paths.map((file) => {
      const kc = new KubeConfig();
      try {
        kc.loadFromFile(file);
      } catch (error) {
        throw new ConfigError(`Cannot load the kubeconfig ${file}${from}: ${(error as Error).message}`);
      }
      return kc;
    }),
  );
}

/** The pod's own service account, shaped like a one-context kubeconfig. */
function inClusterEntries(source: Extract<ClusterSource, { kind: 'in-cluster' }>) {
  const namespace = fs.existsSync(source.namespaceFile) ? fs.readFileSync(source.namespaceFile, 'utf8').trim() : undefined;
  return {
    clusters: [{ name: 'in-cluster', server: source.server, caFile: source.caFile, skipTLSVerify: false }],
    // A token file, not the token: projected service-account tokens rotate, and client-node re-reads the file.
    users: [{ name: 'service-account', authProvider: { name: 'tokenFile', config: { tokenFile: source.tokenFile } } }],
    contexts: [{ name: 'in-cluster', cluster: 'in-cluster', user: 'service-account', namespace }],
    currentContext: 'in-cluster',
  };
}

let configured: ClusterRegistry | undefined;

/**
 * The process's clusters, from its configuration. The kubeconfig is read once
 * per process, as kubectl reads it once per command: restart after editing it.
 */
function registry(): ClusterRegistry {
  configured ??= loadClusters(config().clusterSource, config().contexts, config().clusterAuth);
  return configured;
}

/** The cluster called `name` with the dashboard's credentials; never hand its KubeConfig to the browser. */
export function clusterConnection(name: string): ClusterConnection | undefined {
  return registry().connection(name);
}

export function clusterInventory(): ClusterInventory {
  return registry().inventory;
}

export function probeCluster(name: string, timeoutMs?: number): Promise<ClusterStatus> {
  return registry().probe(name, timeoutMs);
}

/** Every configured cluster with its probe result, probed in parallel (the JSON API's answer). */
export async function clustersWithStatus(): Promise<
  | { configured: true; source: string; clusters: Array<ClusterView & { status: ClusterStatus }> }
  | { configured: false; searched: string[] }
> {
  const inventory = clusterInventory();
  if (inventory.kind === 'none') return { configured: false, searched: inventory.searched };
  const clusters = await Promise.all(inventory.clusters.map(async (cluster) => ({ ...cluster, status: await probeCluster(cluster.name) })));
  return { configured: true, source: inventory.source, clusters };
}

/** client-node has no timeout option; its fetch honours an AbortSignal set by a request middleware. */
export function abortAfter(ms: number): ConfigurationOptions<ObservableMiddleware> {
  const signal = AbortSignal.timeout(ms);
  return {
    middleware: [
      {
        pre: (request) => {
          request.setSignal(signal);
          return new Observable(Promise.resolve(request));
        },
        post: (response) => new Observable(Promise.resolve(response)),
      },
    ],
    middlewareMergeStrategy: 'append',
  };
}
