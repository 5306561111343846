// Nodes for one person on one cluster, from the shared watch cache. Nodes are
// cluster-scoped: the person must be allowed to list (or get) nodes, asked as
// them; the pods shown on a node are only those in namespaces they may see.

import { ForbiddenError, type ResourceAttributes } from './access';
import { toNodeDetail, toNodeRow, type NodeDetail, type NodeRow } from './node-view';
import { sortRows } from './pod-filter';
import type { PodRow } from './pod-view';
import type { Browse } from './pods';
import { visibleRows, visibilityFor } from './pods';
import type { CacheStatus } from './watch-cache';
import { UserFacingError } from '@/lib/http/errors';

export interface NodeListing {
  cluster: string;
  status: CacheStatus;
  rows: Array<NodeRow & { pods: number }>;
}

export interface NodePage {
  cluster: string;
  status: CacheStatus;
  detail: NodeDetail;
  /** Pods on the node in namespaces the person may see. */
  pods: PodRow[];
}

async function assertAllowed(browse: Browse, attrs: ResourceAttributes): Promise<void> {
  const decision = await browse.ask(attrs);
  if (!decision.allowed) throw new ForbiddenError(decision, browse.cluster, attrs);
}

/** Pods per node, counting only those the person may see. */
function podsPerNode(rows: readonly PodRow[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const row of rows) if (row.node) counts.set(row.node, (counts.get(row.node) ?? 0) + 1);
  return counts;
}

export async function listNodes(browse: Browse): Promise<NodeListing> {
  await assertAllowed(browse, { verb: 'list', resource: 'nodes' });
  const { rows: pods } = visibleRows(browse, await visibilityFor(browse), {});
  const counts = podsPerNode(pods);
  const rows = browse.cache
    .nodes()
    .map((node) => {
      const row = toNodeRow(node);
      return { ...row, pods: counts.get(row.name) ?? 0 };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
  return { cluster: browse.cluster, status: browse.cache.status(), rows };
}

export class NodeNotFoundError extends UserFacingError {
  override name = 'NodeNotFoundError';
  constructor(cluster: string, name: string) {
    super(`There is no node ${name} on ${cluster}. Pick one from the nodes page.`, 404, { cluster });
  }
}

export async function nodePage(browse: Browse, name: string): Promise<NodePage> {
  await assertAllowed(browse, { verb: 'get', resource: 'nodes', name });
  const node = browse.cache.node(name);
  if (!node) throw new NodeNotFoundError(browse.cluster, name);
  const { rows } = visibleRows(browse, await visibilityFor(browse), {});
  return { cluster: browse.cluster, status: browse.cache.status(), detail: toNodeDetail(node), pods: sortRows(rows.filter((row) => row.node === name)) };
}
