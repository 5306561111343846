// Pods carrying ephemeral containers, for the recycle page. An ephemeral
// container can never be removed from its pod (the article's caveat): the way
// back to a clean pod is deleting it and letting its controller recreate it.
// A pod no controller owns would be gone for good, so it is never offered. Pure.

import type { V1Pod } from '@kubernetes/client-node';
import { isoTime } from './duration';
import { controllerOf, ephemeralCount, podKey, type EphemeralCount, type OwnerView } from './pod-view';
import { podSummary } from './pod-status';

export interface RecycleRow {
  key: string;
  uid: string;
  name: string;
  namespace: string;
  node: string;
  status: string;
  ephemeral: EphemeralCount;
  /** The ephemeral containers, in the order they were added. */
  containers: Array<{ name: string; image: string; state: 'running' | 'waiting' | 'terminated' | 'unknown' }>;
  /** When the oldest ephemeral container started; undefined while none has. */
  oldestStartedAt?: string;
  owner?: OwnerView;
  /** A controller will recreate it: deleting it is a recycle, not a loss. */
  recyclable: boolean;
}

export function toRecycleRow(pod: V1Pod): RecycleRow | undefined {
  const specs = pod.spec?.ephemeralContainers ?? [];
  if (specs.length === 0) return undefined;
  const statuses = pod.status?.ephemeralContainerStatuses ?? [];
  const starts = statuses
    .map((status) => isoTime(status.state?.running?.startedAt ?? status.state?.terminated?.startedAt))
    .filter((time): time is string => time !== undefined)
    .sort((a, b) => Date.parse(a) - Date.parse(b));
  const owner = controllerOf(pod);
  const namespace = pod.metadata?.namespace ?? '';
  const name = pod.metadata?.name ?? '';
  return {
    key: podKey(namespace, name),
    uid: pod.metadata?.uid ?? '',
    name,
    namespace,
    node: pod.spec?.nodeName ?? '',
    status: podSummary(pod).status,
    ephemeral: ephemeralCount(pod),
    containers: specs.map((spec) => {
      const state = statuses.find((status) => status.name === spec.name)?.state;
      return {
        name: spec.name,
        image: spec.image ?? '',
        state: state?.running ? 'running' : state?.terminated ? 'terminated' : state?.waiting ? 'waiting' : 'unknown',
      };
    }),
    ...(starts[0] ? { oldestStartedAt: starts[0] } : {}),
    ...(owner ? { owner } : {}),
    recyclable: owner !== undefined,
  };
}

/** Oldest ephemeral container first: the pods that have carried a debugger longest. */
export function sortRecycleRows(rows: RecycleRow[]): RecycleRow[] {
  const time = (row: RecycleRow) => (row.oldestStartedAt ? Date.parse(row.oldestStartedAt) : Number.POSITIVE_INFINITY);
  return rows.sort((a, b) => time(a) - time(b) || a.key.localeCompare(b.key));
}
