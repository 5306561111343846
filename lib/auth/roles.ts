// Ephemera's roles: which SSO groups give which role (ephemera.yaml, auth.roles),
// and what each role may do (DESIGN.md, "Users and what each does"). Pure.
// Roles are a policy layer on top of the cluster's RBAC, never a replacement:
// an action allowed here still goes to the cluster as the user.

import { ROLES, type Role } from './types';

/** Everything a role can allow, one name per thing the UI or an API route gates. */
export const ACTIONS = [
  /** Clusters, namespaces, pods, nodes, events. */
  'clusters.browse',
  /** Who ran which debug session, when, on what, and how it ended. */
  'sessions.viewMetadata',
  'sessions.start',
  /** Attach or re-attach to a session one started. */
  'sessions.attachOwn',
  /** One-shot commands from an approved image (guardrail 4). */
  'diagnostics.run',
  'sessions.replayOwn',
  'sessions.replayAny',
  /** Watch someone else's live session, read-only. */
  'sessions.observe',
  'audit.read',
  'audit.export',
  /** The `sysadmin` profile. */
  'debug.breakGlass',
  'debug.node',
  /** `kubectl debug --copy-to --replace`. */
  'debug.podCopyReplace',
  'policy.view',
] as const;
export type Action = (typeof ACTIONS)[number];

const VIEWER: readonly Action[] = ['clusters.browse', 'sessions.viewMetadata'];

/** What each role allows on its own; a person holds the union over their roles. */
export const ROLE_ACTIONS: Readonly<Record<Role, readonly Action[]>> = {
  viewer: VIEWER,
  debugger: [...VIEWER, 'sessions.start', 'sessions.attachOwn', 'diagnostics.run', 'sessions.replayOwn'],
  lead: [...VIEWER, 'sessions.replayOwn', 'sessions.replayAny', 'sessions.observe', 'audit.read', 'audit.export'],
  admin: ACTIONS,
};

/** The mapping from ephemera.yaml: role → groups that give it. */
export type RoleMapping = Readonly<Record<Role, readonly string[]>>;

/** Every role any of `groups` gives, in ROLES order. Group names match exactly (case matters, as in Kubernetes RBAC). */
export function rolesForGroups(groups: readonly string[], mapping: RoleMapping): Role[] {
  const held = new Set(groups);
  return ROLES.filter((role) => mapping[role].some((group) => held.has(group)));
}

/** Whether someone with `roles` may do `action`. No roles, nothing. */
export function can(roles: readonly Role[], action: Action): boolean {
  return roles.some((role) => ROLE_ACTIONS[role].includes(action));
}

/** Whether `roles` give at least what `role` gives: admin covers every role, and every role covers viewer. */
export function covers(roles: readonly Role[], role: Role): boolean {
  return ROLE_ACTIONS[role].every((action) => can(roles, action));
}

/** Everything `roles` allow, in ACTIONS order. */
export function allowedActions(roles: readonly Role[]): Action[] {
  return ACTIONS.filter((action) => can(roles, action));
}
