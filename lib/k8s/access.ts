// What the cluster lets the signed-in user do, asked AS that user (through the
// impersonating or pass-through client): SelfSubjectAccessReview for one
// action, SelfSubjectRulesReview for everything in a namespace. Answers are
// cached briefly (AccessCache); a cluster that cannot be asked means "no"
// (fail closed), with the reason, and is asked again next time.
// Pure mapping first, I/O below.

import { CoreV1Api, type V1SubjectRulesReviewStatus } from '@kubernetes/client-node';
import type { EphemeraUser } from '@/lib/auth/types';
import { UserFacingError } from '@/lib/http/errors';
import { AccessCache } from './access-cache';
import { abortAfter, clusterConnection } from './clusters';
import { describeRequestError } from './errors';
import { clusterClientFor, describeUserRequestError, UnknownClusterError, type UserClusterClient } from './user-client';

/** One action on one kind of resource: SelfSubjectAccessReview's resourceAttributes. */
export interface ResourceAttributes {
  verb: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  /** API group; "" (the default) is the core group. */
  group?: string;
}

export interface AccessDecision {
  allowed: boolean;
  /** Why, in words for the UI: the RBAC rule that allowed it, or what is missing, or why nobody could ask. */
  reason: string;
}

/** What a user may do in one namespace: SelfSubjectRulesReview's status. */
export type NamespaceRules = V1SubjectRulesReviewStatus & { namespace: string };

/** The actions DESIGN.md's UI checks, without a namespace: use `inNamespace`. */
export const STANDARD_CHECKS = {
  /** Add an ephemeral container (workflows 1–3). */
  debug: { verb: 'patch', resource: 'pods', subresource: 'ephemeralcontainers' },
  /** Attach a terminal to a debug container. */
  attach: { verb: 'create', resource: 'pods', subresource: 'attach' },
  /** Exec into an existing container (workflow 7). */
  exec: { verb: 'create', resource: 'pods', subresource: 'exec' },
  /** Node debug pods and pod copies (workflows 4, 5). */
  createPods: { verb: 'create', resource: 'pods' },
  /** Cleaning up node debug pods and pod copies. */
  deletePods: { verb: 'delete', resource: 'pods' },
  /** See the namespace's pods at all. */
  listPods: { verb: 'list', resource: 'pods' },
} as const satisfies Record<string, ResourceAttributes>;

export type StandardCheck = keyof typeof STANDARD_CHECKS;

export function inNamespace(check: StandardCheck, namespace: string): ResourceAttributes {
  return { ...STANDARD_CHECKS[check], namespace };
}

// ---------------------------------------------------------------- pure mapping

/** "patch pods/ephemeralcontainers in namespace pxc", "list nodes cluster-wide", "get deployments.apps "web" in namespace shop". */
export function describeAction(attrs: ResourceAttributes): string {
  const resource = `${attrs.resource}${attrs.subresource ? `/${attrs.subresource}` : ''}${attrs.group ? `.${attrs.group}` : ''}`;
  const name = attrs.name ? ` "${attrs.name}"` : '';
  const scope = attrs.namespace ? `in namespace ${attrs.namespace}` : 'cluster-wide';
  return `${attrs.verb} ${resource}${name} ${scope}`;
}

/** The cache key: the same question from the same identity on the same cluster. */
export function accessKey(kind: 'access' | 'rules', cluster: string, user: Pick<EphemeraUser, 'name' | 'groups'>, question: ResourceAttributes | string): string {
  const groups = [...new Set(user.groups)].sort();
  const asked =
    typeof question === 'string'
      ? question
      : [question.verb, question.group ?? '', question.resource, question.subresource ?? '', question.namespace ?? '', question.name ?? ''];
  return JSON.stringify([kind, cluster, user.name, groups, asked]);
}

/** A SelfSubjectAccessReview status as a decision the UI can show. */
export function toDecision(
  cluster: string,
  user: Pick<EphemeraUser, 'name'>,
  attrs: ResourceAttributes,
  status: { allowed: boolean; denied?: boolean; reason?: string; evaluationError?: string } | undefined,
): AccessDecision {
  const detail = [status?.reason, status?.evaluationError].filter(Boolean).join('; ');
  if (status?.allowed) return { allowed: true, reason: detail || `${cluster} allows ${user.name} to ${describeAction(attrs)}.` };
  return {
    allowed: false,
    reason: `${cluster} does not allow ${user.name} to ${describeAction(attrs)}${detail ? ` (${detail})` : ''}. Ask a cluster administrator for a RoleBinding if you need it.`,
  };
}

// ---------------------------------------------------------------- errors

/** The cluster (or Ephemera's policy) says no: 403, with what was asked. */
export class ForbiddenError extends UserFacingError {
  override name = 'ForbiddenError';
  constructor(
    readonly decision: AccessDecision,
    readonly cluster?: string,
    readonly attributes?: ResourceAttributes,
  ) {
    super(decision.reason, 403, { cluster, ...(attributes ? { action: describeAction(attributes) } : {}) });
  }
}

/** The cluster could not be asked (down, TLS, credentials): 502, with what went wrong. */
export class ClusterRequestError extends UserFacingError {
  override name = 'ClusterRequestError';
  constructor(message: string, cluster: string) {
    super(message, 502, { cluster });
  }
}

// ---------------------------------------------------------------- I/O

const REVIEW_TIMEOUT_MS = 5_000;

export interface AccessCheckerOptions {
  /** The client acting as `user` on `cluster`; clusterClientFor in the app. */
  clientFor?: (cluster: string, user: EphemeraUser) => UserClusterClient;
  ttlMs?: number;
  maxEntries?: number;
  now?: () => number;
}

export interface AccessChecker {
  can(user: EphemeraUser, cluster: string, attrs: ResourceAttributes): Promise<AccessDecision>;
  rulesFor(user: EphemeraUser, cluster: string, namespace: string): Promise<NamespaceRules>;
  /** Drops every cached answer (tests; after an RBAC change the operator wants seen now). */
  forget(): void;
}

export function createAccessChecker(options: AccessCheckerOptions = {}): AccessChecker {
  const clientFor = options.clientFor ?? ((cluster, user) => clusterClientFor(cluster, user));
  const cacheOptions = { ttlMs: options.ttlMs ?? 30_000, maxEntries: options.maxEntries ?? 5_000, now: options.now };
  const decisions = new AccessCache<AccessDecision>(cacheOptions);
  const rules = new AccessCache<NamespaceRules>(cacheOptions);

  const failure = (client: UserClusterClient, error: unknown, action: string) =>
    `Could not ask ${client.cluster} whether ${client.user.name} may ${action}: ${describeUserRequestError(client, error, action, REVIEW_TIMEOUT_MS)}`;

  const can: AccessChecker['can'] = async (user, cluster, attrs) => {
    // Unknown cluster and unusable credentials are the caller's to answer (404, 401): thrown.
    const client = clientFor(cluster, user);
    try {
      return await decisions.getOrLoad(accessKey('access', cluster, user, attrs), async () => {
        const review = await client.authorization.createSelfSubjectAccessReview(
          {
            body: {
              apiVersion: 'authorization.k8s.io/v1',
              kind: 'SelfSubjectAccessReview',
              spec: {
                resourceAttributes: {
                  verb: attrs.verb,
                  group: attrs.group ?? '',
                  resource: attrs.resource,
                  subresource: attrs.subresource ?? '',
                  namespace: attrs.namespace ?? '',
                  name: attrs.name ?? '',
                },
              },
            },
          },
          abortAfter(REVIEW_TIMEOUT_MS),
        );
        return toDecision(cluster, user, attrs, review.status);
      });
    } catch (error) {
      return { allowed: false, reason: failure(client, error, describeAction(attrs)) };
    }
  };

  const rulesFor: AccessChecker['rulesFor'] = async (user, cluster, namespace) => {
    const client = clientFor(cluster, user);
    try {
      return await rules.getOrLoad(accessKey('rules', cluster, user, namespace), async () => {
        const review = await client.authorization.createSelfSubjectRulesReview(
          { body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', spec: { namespace } } },
          abortAfter(REVIEW_TIMEOUT_MS),
        );
        return { namespace, resourceRules: [], nonResourceRules: [], incomplete: false, ...review.status };
      });
    } catch (error) {
      throw new ClusterRequestError(failure(client, error, `list what it may do in namespace ${namespace}`), cluster);
    }
  };

  return {
    can,
    rulesFor,
    forget: () => {
      decisions.clear();
      rules.clear();
    },
  };
}

let shared: AccessChecker | undefined;
const checker = () => (shared ??= createAccessChecker());

/** May `user` do `attrs` on `cluster`? Asked as the user, cached 30 s; a cluster that cannot be asked means no. */
export function can(user: EphemeraUser, cluster: string, attrs: ResourceAttributes): Promise<AccessDecision> {
  return checker().can(user, cluster, attrs);
}

/** Everything `user` may do in `namespace` on `cluster` (SelfSubjectRulesReview); throws ClusterRequestError. */
export function rulesFor(user: EphemeraUser, cluster: string, namespace: string): Promise<NamespaceRules> {
  return checker().rulesFor(user, cluster, namespace);
}

/** The server's own check before acting: throws ForbiddenError (403) unless the cluster says yes. */
export async function assertCan(user: EphemeraUser, cluster: string, attrs: ResourceAttributes): Promise<void> {
  const decision = await can(user, cluster, attrs);
  if (!decision.allowed) throw new ForbiddenError(decision, cluster, attrs);
}

/**
 * The namespaces of `cluster` that `user` may see: listed with the dashboard's
 * own credentials (it holds list on namespaces for its shared cache), kept
 * where the user may list pods (DESIGN.md: the shared cache is filtered per
 * namespace by a review as the user).
 */
export async function namespacesVisibleTo(user: EphemeraUser, cluster: string): Promise<string[]> {
  const connection = clusterConnection(cluster);
  if (!connection) throw new UnknownClusterError(cluster);
  let names: string[];
  try {
    const list = await connection.kubeConfig.makeApiClient(CoreV1Api).listNamespace({}, abortAfter(REVIEW_TIMEOUT_MS));
    names = list.items.map((namespace) => namespace.metadata?.name ?? '').filter(Boolean);
  } catch (error) {
    const reason = describeRequestError(error, { server: connection.cluster.server ?? cluster, action: 'list namespaces', timeoutMs: REVIEW_TIMEOUT_MS });
    throw new ClusterRequestError(`Could not list the namespaces of ${cluster}: ${reason}`, cluster);
  }
  const decisions = await Promise.all(names.map((namespace) => can(user, cluster, inNamespace('listPods', namespace))));
  return names.filter((_, i) => decisions[i].allowed).sort();
}
