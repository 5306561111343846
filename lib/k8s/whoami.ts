// "Who am I?": the signed-in user as Ephemera sees them (name, groups, roles,
// what the roles allow) and as each cluster sees them (SelfSubjectReview),
// with what each cluster lets them do in every namespace they may see
// (SelfSubjectRulesReview as a table, and the debug capabilities). One view
// model for the page and the JSON route. A cluster that cannot be asked gets
// its error, and the rest of the page still renders.

import type { V1SelfSubjectReview } from '@kubernetes/client-node';
import { allowedActions, type Action } from '@/lib/auth/roles';
import type { EphemeraUser, Role } from '@/lib/auth/types';
import type { ClusterAuthMode } from '@/lib/config/cluster-auth';
import { namespacesVisibleTo, rulesFor } from './access';
import { abortAfter, clusterConnection, clusterInventory } from './clusters';
import { namespacePermissions, type CapabilityName, type Permission } from './permissions';
import { rulesTable, type RulesTable } from './rules-table';
import { clusterClientFor, describeUserRequestError } from './user-client';

export interface WhoAmI {
  /** Never the ID token: this goes to the browser. */
  user: { name: string; displayName?: string; email?: string; groups: string[]; roles: Role[]; actions: Action[] };
  clusters: ClusterAccess[];
}

export interface ClusterAccess {
  name: string;
  authMode: ClusterAuthMode;
  /** The identity the cluster sees behind Ephemera's requests, from SelfSubjectReview. */
  seenAs?: { username: string; groups: string[] };
  /** Why this cluster could not be asked; the other fields are then empty. */
  error?: string;
  namespaces: NamespaceAccess[];
}

export interface NamespaceAccess {
  name: string;
  capabilities: Record<CapabilityName, Permission>;
  rules: RulesTable;
  /** The cluster could not list every rule (e.g. an external authorizer); the table may lack some. */
  incomplete: boolean;
  evaluationError?: string;
}

const TIMEOUT_MS = 5_000;

/** The names of the configured clusters, in the order the clusters page shows them. */
export function clusterNames(): string[] {
  const inventory = clusterInventory();
  return inventory.kind === 'configured' ? inventory.clusters.map((cluster) => cluster.name) : [];
}

/** The user as Ephemera sees them (pure). */
export function userSummary(user: EphemeraUser): WhoAmI['user'] {
  return {
    name: user.name,
    ...(user.displayName ? { displayName: user.displayName } : {}),
    ...(user.email ? { email: user.email } : {}),
    groups: user.groups,
    roles: user.roles,
    actions: allowedActions(user.roles),
  };
}

export async function whoAmI(user: EphemeraUser): Promise<WhoAmI> {
  return { user: userSummary(user), clusters: await Promise.all(clusterNames().map((cluster) => clusterAccess(user, cluster))) };
}

/** The user as `cluster` sees them, and what it lets them do in each namespace they may see; never throws. */
export async function clusterAccess(user: EphemeraUser, cluster: string): Promise<ClusterAccess> {
  const authMode = clusterConnection(cluster)?.authMode ?? 'impersonate';
  try {
    const client = clusterClientFor(cluster, user);
    let review: V1SelfSubjectReview;
    try {
      review = await client.authentication.createSelfSubjectReview(
        { body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' } },
        abortAfter(TIMEOUT_MS),
      );
    } catch (error) {
      return { name: cluster, authMode, error: describeUserRequestError(client, error, 'ask who you are (SelfSubjectReview)', TIMEOUT_MS), namespaces: [] };
    }
    const info = review.status?.userInfo;
    const namespaces = await namespacesVisibleTo(user, cluster);
    return {
      name: cluster,
      authMode,
      seenAs: { username: info?.username ?? '', groups: info?.groups ?? [] },
      namespaces: await Promise.all(namespaces.map((namespace) => namespaceAccess(user, cluster, namespace))),
    };
  } catch (error) {
    return { name: cluster, authMode, error: error instanceof Error ? error.message : String(error), namespaces: [] };
  }
}

async function namespaceAccess(user: EphemeraUser, cluster: string, namespace: string): Promise<NamespaceAccess> {
  const [capabilities, rules] = await Promise.all([namespacePermissions(user, cluster, namespace), rulesFor(user, cluster, namespace)]);
  return {
    name: namespace,
    capabilities,
    rules: rulesTable(rules.resourceRules, rules.nonResourceRules),
    incomplete: rules.incomplete,
    ...(rules.evaluationError ? { evaluationError: rules.evaluationError } : {}),
  };
}
