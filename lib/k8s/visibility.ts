// Which namespaces' pods a person may see of the shared cache: the cluster
// decides, asked as that person (SelfSubjectAccessReview for `list pods`,
// through access.ts, cached briefly). One cluster-wide question first — a
// ClusterRoleBinding answers it for viewers and admins in one review — then
// one per namespace. A question that cannot be answered is a no (access.ts
// fails closed), so an unreachable cluster shows nothing rather than too much.

import type { EphemeraUser } from '@/lib/auth/types';
import { can, type AccessDecision, type ResourceAttributes } from './access';

/** Asks the cluster, as one person, whether they may do one thing. */
export type AccessQuestion = (attrs: ResourceAttributes) => Promise<AccessDecision>;

/** The app's question for `user` on `cluster`: access.ts's cached can(). */
export const askAs =
  (user: EphemeraUser, cluster: string): AccessQuestion =>
  (attrs) =>
    can(user, cluster, attrs);

export interface PodVisibility {
  /** May list pods in every namespace, present and future. */
  everywhere: boolean;
  /** The namespaces (of those asked about) whose pods may be listed; every one of them when `everywhere`. */
  namespaces: ReadonlySet<string>;
  /** Why a namespace is hidden, for the one the person asked for by name. */
  reasons: ReadonlyMap<string, string>;
}

export function sees(visibility: PodVisibility, namespace: string): boolean {
  return visibility.everywhere || visibility.namespaces.has(namespace);
}

/** What `ask`'s person may see among `namespaces`. */
export async function podVisibility(ask: AccessQuestion, namespaces: readonly string[]): Promise<PodVisibility> {
  const clusterWide = await ask({ verb: 'list', resource: 'pods' });
  if (clusterWide.allowed) return { everywhere: true, namespaces: new Set(namespaces), reasons: new Map() };
  const decisions = await Promise.all(namespaces.map((namespace) => ask({ verb: 'list', resource: 'pods', namespace })));
  return {
    everywhere: false,
    namespaces: new Set(namespaces.filter((_, i) => decisions[i].allowed)),
    reasons: new Map(namespaces.flatMap((namespace, i) => (decisions[i].allowed ? [] : [[namespace, decisions[i].reason] as const]))),
  };
}

/** Whether two answers show the same namespaces (a live stream re-sends its snapshot only when not). */
export function sameVisibility(a: PodVisibility, b: PodVisibility): boolean {
  if (a.everywhere !== b.everywhere || a.namespaces.size !== b.namespaces.size) return false;
  for (const namespace of a.namespaces) if (!b.namespaces.has(namespace)) return false;
  return true;
}
