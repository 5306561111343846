// "May this user debug in namespace X?" — the question pages and routes ask,
// answered from both layers: Ephemera's role (the policy on top) and the
// cluster's RBAC (asked as the user; access.ts). Both must say yes; the reason
// says which one said no. The decision is pure (decidePermission); asking is below.

import { can as roleAllows, ROLE_ACTIONS, type Action } from '@/lib/auth/roles';
import { ROLES, type EphemeraUser, type Role } from '@/lib/auth/types';
import { can, ForbiddenError, inNamespace, type AccessDecision, type StandardCheck } from './access';

export interface Capability {
  /** What the UI calls it. */
  label: string;
  /** The Ephemera action (lib/auth/roles.ts) a role must allow. */
  action: Action;
  /** What the cluster must allow in the namespace, all of it. */
  checks: readonly StandardCheck[];
}

export const CAPABILITIES = {
  browse: { label: 'Browse pods', action: 'clusters.browse', checks: ['listPods'] },
  /** Workflows 1–3: add an ephemeral container, then attach to it. */
  debug: { label: 'Debug with an ephemeral container', action: 'sessions.start', checks: ['debug', 'attach'] },
  /** Workflow 7: exec into a container that is already there. */
  exec: { label: 'Exec into a container', action: 'sessions.start', checks: ['exec'] },
  /** Workflow 5: a copy of the pod, deleted when the session ends. */
  copyPod: { label: 'Debug a copy of a pod', action: 'sessions.start', checks: ['createPods', 'deletePods', 'attach'] },
  /** Workflow 4: a node debug pod in this namespace, deleted when the session ends. */
  debugNode: { label: 'Debug a node', action: 'debug.node', checks: ['createPods', 'deletePods', 'attach'] },
} as const satisfies Record<string, Capability>;

export type CapabilityName = keyof typeof CAPABILITIES;

export interface Permission {
  allowed: boolean;
  reason: string;
}

const listOf = (items: readonly string[]) =>
  items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;

/** Whether Ephemera's roles allow the capability, and if not, which roles would. */
export function rolePermission(capability: CapabilityName, roles: readonly Role[]): Permission {
  const { label, action } = CAPABILITIES[capability];
  if (roleAllows(roles, action)) return { allowed: true, reason: `Your Ephemera role allows: ${label.toLowerCase()}.` };
  const enough = ROLES.filter((role) => ROLE_ACTIONS[role].includes(action));
  const held = roles.length > 0 ? `you hold ${listOf([...roles])}` : 'your groups give you no Ephemera role';
  return { allowed: false, reason: `${label} needs Ephemera's ${listOf(enough)} role; ${held}.` };
}

/**
 * Both layers' verdicts as one. Role first: when the role says no, the
 * cluster need not be asked (`decisions` may be empty). Otherwise every check
 * of the capability must have an allowing decision; a missing one is a no.
 */
export function decidePermission(
  capability: CapabilityName,
  roles: readonly Role[],
  decisions: Partial<Record<StandardCheck, AccessDecision>>,
): Permission {
  const role = rolePermission(capability, roles);
  if (!role.allowed) return role;
  const denied = CAPABILITIES[capability].checks
    .map((check) => decisions[check] ?? { allowed: false, reason: `Not checked with the cluster: ${check}.` })
    .filter((decision) => !decision.allowed);
  if (denied.length > 0) return { allowed: false, reason: [...new Set(denied.map((decision) => decision.reason))].join(' ') };
  return { allowed: true, reason: `Allowed by your Ephemera role and by the cluster's RBAC.` };
}

/** May `user` do `capability` in `namespace` of `cluster`? Asks the cluster (cached) only when the role allows. */
export async function permissionTo(user: EphemeraUser, cluster: string, namespace: string, capability: CapabilityName): Promise<Permission> {
  if (!rolePermission(capability, user.roles).allowed) return decidePermission(capability, user.roles, {});
  const checks = CAPABILITIES[capability].checks;
  const answers = await Promise.all(checks.map((check) => can(user, cluster, inNamespace(check, namespace))));
  return decidePermission(capability, user.roles, Object.fromEntries(checks.map((check, i) => [check, answers[i]])));
}

/** Every capability in one namespace (the checks overlap; the cache asks each once). */
export async function namespacePermissions(user: EphemeraUser, cluster: string, namespace: string): Promise<Record<CapabilityName, Permission>> {
  const names = Object.keys(CAPABILITIES) as CapabilityName[];
  const permissions = await Promise.all(names.map((name) => permissionTo(user, cluster, namespace, name)));
  return Object.fromEntries(names.map((name, i) => [name, permissions[i]])) as Record<CapabilityName, Permission>;
}

/** For routes and WebSocket upgrades before they act: throws ForbiddenError (403) unless both layers say yes. */
export async function assertPermitted(user: EphemeraUser, cluster: string, namespace: string, capability: CapabilityName): Promise<void> {
  const permission = await permissionTo(user, cluster, namespace, capability);
  if (!permission.allowed) throw new ForbiddenError(permission, cluster);
}
