// Recycling: deleting a pod that carries ephemeral containers so that its
// controller recreates it clean (the article's guardrail: ephemeral containers
// cannot be removed, so pods that carried a debugger are recycled). Who may:
// Ephemera's role must allow debugging (those who add ephemeral containers
// clean up after them; never a viewer), and the cluster must let the person
// delete pods in the namespace — asked as them, and enforced again by the
// cluster when the DELETE goes out as them.

import { can as roleAllows, type Action } from '@/lib/auth/roles';
import type { EphemeraUser } from '@/lib/auth/types';
import { UserFacingError } from '@/lib/http/errors';
import { ForbiddenError } from './access';
import type { Permission } from './permissions';
import { deletePodAs, readPodAs, visibilityFor, type Browse } from './pods';
import { controllerOf } from './pod-view';
import { sortRecycleRows, toRecycleRow, type RecycleRow } from './recycle-view';
import type { UserClusterClient } from './user-client';
import { sees } from './visibility';
import type { CacheStatus } from './watch-cache';

/** The Ephemera action a role must allow to recycle pods. */
export const RECYCLE_ACTION: Action = 'sessions.start';

export interface RecycleListing {
  cluster: string;
  status: CacheStatus;
  rows: RecycleRow[];
  /** Per namespace that has rows: may this person recycle there, and if not, why. */
  permissions: Record<string, Permission>;
}

/** Whether `user` may recycle pods in `namespace`: role first, then the cluster (as the user). */
export async function recyclePermission(user: EphemeraUser, browse: Browse, namespace: string): Promise<Permission> {
  if (!roleAllows(user.roles, RECYCLE_ACTION)) {
    return { allowed: false, reason: `Recycling pods needs an Ephemera role that may debug (debugger or admin); you hold ${user.roles.join(', ') || 'no role'}.` };
  }
  const decision = await browse.ask({ verb: 'delete', resource: 'pods', namespace });
  return decision.allowed ? { allowed: true, reason: 'Allowed by your Ephemera role and by the cluster’s RBAC.' } : decision;
}

/** The pods carrying ephemeral containers that `user` may see, longest-carried first, with who may recycle where. */
export async function recycleListing(user: EphemeraUser, browse: Browse): Promise<RecycleListing> {
  const visibility = await visibilityFor(browse);
  const rows = sortRecycleRows(
    browse.cache
      .pods()
      .filter((pod) => sees(visibility, pod.metadata?.namespace ?? ''))
      .flatMap((pod) => toRecycleRow(pod) ?? []),
  );
  const namespaces = [...new Set(rows.map((row) => row.namespace))];
  const permissions = await Promise.all(namespaces.map((namespace) => recyclePermission(user, browse, namespace)));
  return { cluster: browse.cluster, status: browse.cache.status(), rows, permissions: Object.fromEntries(namespaces.map((namespace, i) => [namespace, permissions[i]])) };
}

/** 409: the pod is not one to recycle, or not the one the person looked at. */
export class RecycleConflictError extends UserFacingError {
  override name = 'RecycleConflictError';
  constructor(message: string, cluster: string) {
    super(message, 409, { cluster });
  }
}

/**
 * Recycles pod `namespace/name` as `user`: only the pod with `uid` (the one
 * they confirmed), only if it carries ephemeral containers, only if a
 * controller will recreate it.
 */
export async function recyclePod(user: EphemeraUser, client: UserClusterClient, browse: Browse, namespace: string, name: string, uid: string): Promise<void> {
  const permission = await recyclePermission(user, browse, namespace);
  if (!permission.allowed) throw new ForbiddenError(permission, browse.cluster, { verb: 'delete', resource: 'pods', namespace, name });
  const pod = await readPodAs(client, namespace, name);
  const where = `${namespace}/${name}`;
  if (pod.metadata?.uid !== uid) {
    throw new RecycleConflictError(`Pod ${where} was replaced since you looked at it (it is a new pod now); reload and check again.`, browse.cluster);
  }
  if ((pod.spec?.ephemeralContainers ?? []).length === 0) {
    throw new RecycleConflictError(`Pod ${where} carries no ephemeral containers; there is nothing to recycle.`, browse.cluster);
  }
  if (!controllerOf(pod)) {
    throw new RecycleConflictError(`Pod ${where} has no controller to recreate it: deleting it would lose it. Recycle it by hand if that is what you want.`, browse.cluster);
  }
  await deletePodAs(client, namespace, name, uid);
}
