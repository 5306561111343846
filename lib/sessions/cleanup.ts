// Nothing left behind: a node debug pod or a pod copy is deleted when its
// session ends, as the session's own user (impersonated from the stored name
// and groups, so the cluster's RBAC and audit log see that person, even after
// their browser is gone), and at start-up for the sessions a crashed process
// left open. Ephemeral containers cannot be removed: they are left to exit
// (stdinOnce ends the shell when the last person detaches), and the recycle
// page lists the pods that carry them.

import type { EphemeraUser } from '@/lib/auth/types';
import type { UserClusterClient } from '@/lib/k8s/user-client';
import type { SessionRecord, SessionStore } from '@/lib/store/types';
import { deletePod } from './send';

/** A client acting as `user` by impersonation (the stored user has no token to pass through). */
export type CleanupClientFor = (cluster: string, user: EphemeraUser) => UserClusterClient;

/** Whether the session created a pod of its own, to delete at the end. */
export function createdPod(record: Pick<SessionRecord, 'kind' | 'namespace' | 'pod'>): { namespace: string; name: string } | undefined {
  if ((record.kind !== 'node' && record.kind !== 'copy') || !record.namespace || !record.pod) return undefined;
  return { namespace: record.namespace, name: record.pod };
}

export const storedUser = (record: Pick<SessionRecord, 'user' | 'groups' | 'roles'>): EphemeraUser => ({ name: record.user, groups: record.groups, roles: record.roles });

/** Deletes the node debug pod or pod copy of `record`, as its user; nothing for other kinds. */
export async function deleteSessionPod(record: SessionRecord, clientFor: CleanupClientFor): Promise<void> {
  const pod = createdPod(record);
  if (!pod) return;
  await deletePod(clientFor(record.cluster, storedUser(record)), pod.namespace, pod.name);
}

export interface Recovery {
  /** The sessions found open and ended as interrupted. */
  interrupted: SessionRecord[];
  /** Pods deleted (namespace/name). */
  deleted: string[];
  /** What could not be deleted, and why. */
  failed: Array<{ pod: string; message: string }>;
}

/**
 * At start-up: every session `serverId` held that is still starting or
 * running was left by a process that stopped; end them as interrupted and
 * delete the pods they created.
 */
export async function recoverSessions(store: SessionStore, serverId: string, clientFor: CleanupClientFor): Promise<Recovery> {
  const interrupted = await store.interruptAll(serverId);
  const recovery: Recovery = { interrupted, deleted: [], failed: [] };
  for (const record of interrupted) {
    const pod = createdPod(record);
    if (!pod) continue;
    const where = `${pod.namespace}/${pod.name}`;
    try {
      await deleteSessionPod(record, clientFor);
      recovery.deleted.push(where);
    } catch (error) {
      recovery.failed.push({ pod: where, message: (error as Error).message });
    }
  }
  return recovery;
}
