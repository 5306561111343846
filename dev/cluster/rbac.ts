// RBAC authorization for the dev cluster, as pure functions (no I/O, no clock).
//
// Mirrors what kube-apiserver v1.32 does with --authorization-mode=Node,RBAC:
// - the superuser authorizer: any user in group `system:masters` is allowed, reason "";
// - the RBAC authorizer: ClusterRoleBindings first, then the RoleBindings of the
//   request's namespace, first matching rule wins, reason
//   `RBAC: allowed by ClusterRoleBinding "b" of ClusterRole "r" to Group "g"`; a
//   denial carries reason "" unless a binding's role could not be resolved
//   (`RBAC: clusterrole.rbac.authorization.k8s.io "x" not found`);
// - rule matching (verbs, apiGroups, resources incl. `*` and `*/subresource`,
//   resourceNames, nonResourceURLs with a trailing `*`) exactly as
//   k8s.io/kubernetes/pkg/apis/rbac/v1 evaluation helpers. Note that real RBAC has
//   no `pods/*` wildcard: such a rule matches nothing but a literal "pods/*";
// - aggregated ClusterRoles are resolved here on the fly, as the
//   clusterrole-aggregation controller would have written them;
// - 403 messages worded as responsewriters.Forbidden + apierrors.NewForbidden;
// - impersonation as the WithImpersonation filter checks and builds it.

import { badRequest, failure, goQuote, type StatusError } from './status';
import type { KubeObject, RequestAttributes, UserInfo } from './types';

// ---------------------------------------------------------------------------
// rbac.authorization.k8s.io/v1 objects (plain JSON)

export const RBAC_GROUP = 'rbac.authorization.k8s.io';
export const RBAC_API_VERSION = 'rbac.authorization.k8s.io/v1';

export interface PolicyRule {
  verbs: string[];
  apiGroups?: string[] | null;
  resources?: string[] | null;
  resourceNames?: string[] | null;
  nonResourceURLs?: string[] | null;
}

export interface Subject {
  /** 'User' | 'Group' | 'ServiceAccount'; anything else never matches. */
  kind: string;
  name: string;
  namespace?: string;
  apiGroup?: string;
}

export interface RoleRef {
  apiGroup: string;
  /** 'Role' | 'ClusterRole' */
  kind: string;
  name: string;
}

export interface LabelSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | string;
  values?: string[] | null;
}

export interface LabelSelector {
  matchLabels?: Record<string, string> | null;
  matchExpressions?: LabelSelectorRequirement[] | null;
}

export interface AggregationRule {
  clusterRoleSelectors?: Array<LabelSelector | null> | null;
}

export interface Role extends KubeObject {
  rules?: PolicyRule[] | null;
}

export interface ClusterRole extends KubeObject {
  rules?: PolicyRule[] | null;
  aggregationRule?: AggregationRule | null;
}

export interface RoleBinding extends KubeObject {
  subjects?: Subject[] | null;
  roleRef: RoleRef;
}

export interface ClusterRoleBinding extends KubeObject {
  subjects?: Subject[] | null;
  roleRef: RoleRef;
}

export interface RbacPolicy {
  roles: Role[];
  clusterRoles: ClusterRole[];
  roleBindings: RoleBinding[];
  clusterRoleBindings: ClusterRoleBinding[];
}

// ---------------------------------------------------------------------------
// Well-known identities (k8s.io/apiserver/pkg/authentication/user, serviceaccount)

export const SYSTEM_MASTERS = 'system:masters';
export const ALL_AUTHENTICATED = 'system:authenticated';
export const ALL_UNAUTHENTICATED = 'system:unauthenticated';
export const ANONYMOUS_USER = 'system:anonymous';
export const SERVICE_ACCOUNT_USERNAME_PREFIX = 'system:serviceaccount:';
export const ALL_SERVICE_ACCOUNTS_GROUP = 'system:serviceaccounts';

export function serviceAccountUsername(namespace: string, name: string): string {
  return `${SERVICE_ACCOUNT_USERNAME_PREFIX}${namespace}:${name}`;
}

/** `system:serviceaccounts` and `system:serviceaccounts:<ns>`, as the token authenticator adds them. */
export function serviceAccountGroups(namespace: string): string[] {
  return [ALL_SERVICE_ACCOUNTS_GROUP, `${ALL_SERVICE_ACCOUNTS_GROUP}:${namespace}`];
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function isDns1123Subdomain(s: string): boolean {
  return s.length > 0 && s.length <= 253 && s.split('.').every((p) => DNS1123_LABEL.test(p));
}

/** serviceaccount.SplitUsername: `system:serviceaccount:<ns>:<name>` with valid names, else null. */
export function parseServiceAccountUsername(username: string): { namespace: string; name: string } | null {
  if (!username.startsWith(SERVICE_ACCOUNT_USERNAME_PREFIX)) return null;
  const parts = username.slice(SERVICE_ACCOUNT_USERNAME_PREFIX.length).split(':');
  if (parts.length !== 2) return null;
  const [namespace, name] = parts;
  if (namespace.length > 63 || !DNS1123_LABEL.test(namespace)) return null;
  if (!isDns1123Subdomain(name)) return null;
  return { namespace, name };
}

/**
 * The groups every request's identity ends up with, as the apiserver's
 * AuthenticatedGroupAdder and impersonation filter do:
 * - `system:anonymous` gets `system:unauthenticated` (unless present);
 * - anyone else gets `system:authenticated`, unless the groups already hold
 *   `system:authenticated` or `system:unauthenticated`;
 * - a service-account username with no groups at all gets
 *   `system:serviceaccounts` and `system:serviceaccounts:<ns>` first (what the
 *   token authenticator sets, and what impersonation adds when no
 *   Impersonate-Group was sent; with explicit groups those are the authority).
 * Returns a new object; idempotent.
 */
export function withAuthenticatedGroup(user: UserInfo): UserInfo {
  let groups = [...(user.groups ?? [])];
  if (user.name === ANONYMOUS_USER) {
    if (!groups.includes(ALL_UNAUTHENTICATED)) groups.push(ALL_UNAUTHENTICATED);
    return { ...user, groups };
  }
  if (groups.length === 0) {
    const sa = parseServiceAccountUsername(user.name);
    if (sa) groups = serviceAccountGroups(sa.namespace);
  }
  if (!groups.includes(ALL_AUTHENTICATED) && !groups.includes(ALL_UNAUTHENTICATED)) {
    groups.push(ALL_AUTHENTICATED);
  }
  return { ...user, groups };
}

// ---------------------------------------------------------------------------
// Go-style formatting helpers

export { goQuote };

/** utilerrors.NewAggregate(errs).Error(): one message as is, several deduplicated in brackets. */
function aggregateMessage(messages: string[]): string {
  const seen = [...new Set(messages)];
  return seen.length === 1 ? seen[0] : `[${seen.join(', ')}]`;
}

const list = <T>(v: T[] | null | undefined): T[] => v ?? [];

// ---------------------------------------------------------------------------
// Rule matching (pkg/apis/rbac/v1/evaluation_helpers.go, rbac.go RuleAllows)

function verbMatches(rule: PolicyRule, verb: string): boolean {
  return list(rule.verbs).some((v) => v === '*' || v === verb);
}

function apiGroupMatches(rule: PolicyRule, group: string): boolean {
  return list(rule.apiGroups).some((g) => g === '*' || g === group);
}

function resourceMatches(rule: PolicyRule, combined: string, subresource: string): boolean {
  return list(rule.resources).some(
    (r) =>
      r === '*' ||
      r === combined ||
      (subresource !== '' && r.length === subresource.length + 2 && r.startsWith('*/') && r.endsWith(subresource)),
  );
}

function resourceNameMatches(rule: PolicyRule, name: string): boolean {
  const names = list(rule.resourceNames);
  return names.length === 0 || names.includes(name);
}

function nonResourceURLMatches(rule: PolicyRule, path: string): boolean {
  return list(rule.nonResourceURLs).some(
    (u) => u === '*' || u === path || (u.endsWith('*') && path.startsWith(u.replace(/\*+$/, ''))),
  );
}

/** Whether one PolicyRule allows the request (RBAC's RuleAllows). */
export function ruleAllows(attrs: RequestAttributes, rule: PolicyRule): boolean {
  if (attrs.resourceRequest) {
    const combined = attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : attrs.resource;
    return (
      verbMatches(rule, attrs.verb) &&
      apiGroupMatches(rule, attrs.apiGroup) &&
      resourceMatches(rule, combined, attrs.subresource) &&
      resourceNameMatches(rule, attrs.name)
    );
  }
  return verbMatches(rule, attrs.verb) && nonResourceURLMatches(rule, attrs.path);
}

// ---------------------------------------------------------------------------
// Label selectors and ClusterRole aggregation

/** metav1.LabelSelectorAsSelector + Matches; an invalid selector matches nothing. */
export function labelSelectorMatches(selector: LabelSelector | null | undefined, labels: Record<string, string>): boolean {
  const sel = selector ?? {};
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) {
    if (labels[k] !== v) return false;
  }
  for (const req of list(sel.matchExpressions)) {
    const values = list(req.values);
    const has = Object.prototype.hasOwnProperty.call(labels, req.key);
    switch (req.operator) {
      case 'In':
        if (values.length === 0 || !has || !values.includes(labels[req.key])) return false;
        break;
      case 'NotIn':
        if (values.length === 0) return false;
        if (has && values.includes(labels[req.key])) return false;
        break;
      case 'Exists':
        if (values.length !== 0 || !has) return false;
        break;
      case 'DoesNotExist':
        if (values.length !== 0 || has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

function sameStrings(a: string[] | null | undefined, b: string[] | null | undefined): boolean {
  const x = list(a);
  const y = list(b);
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

/** equality.Semantic.DeepEqual on PolicyRules (nil and empty slices are equal). */
function sameRule(a: PolicyRule, b: PolicyRule): boolean {
  return (
    sameStrings(a.verbs, b.verbs) &&
    sameStrings(a.apiGroups, b.apiGroups) &&
    sameStrings(a.resources, b.resources) &&
    sameStrings(a.resourceNames, b.resourceNames) &&
    sameStrings(a.nonResourceURLs, b.nonResourceURLs)
  );
}

const isAggregated = (cr: ClusterRole): boolean => cr.aggregationRule !== undefined && cr.aggregationRule !== null;

/**
 * The rules of every aggregated ClusterRole, as the clusterrole-aggregation
 * controller converges to: the deduplicated rules of every other ClusterRole
 * matched by any of its selectors, sources taken in name order. Aggregated
 * sources contribute their own aggregated rules (transitively: view → edit → admin).
 */
function resolveAggregation(clusterRoles: ClusterRole[]): Map<string, PolicyRule[]> {
  const aggregated = clusterRoles.filter(isAggregated);
  const current = new Map<string, PolicyRule[]>(aggregated.map((cr) => [cr.metadata.name, []]));
  if (aggregated.length === 0) return current;

  const sources = new Map<string, ClusterRole[]>();
  for (const cr of aggregated) {
    const selectors = list(cr.aggregationRule?.clusterRoleSelectors);
    const matched = clusterRoles.filter(
      (other) =>
        other.metadata.name !== cr.metadata.name &&
        selectors.some((s) => labelSelectorMatches(s, other.metadata.labels ?? {})),
    );
    const byName = new Map(matched.map((m) => [m.metadata.name, m]));
    sources.set(
      cr.metadata.name,
      [...byName.values()].sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0)),
    );
  }

  // Fixed point: each pass can only add rules, so this settles within |aggregated| + 1 passes.
  for (let pass = 0; pass <= aggregated.length + 1; pass++) {
    let changed = false;
    for (const cr of aggregated) {
      const rules: PolicyRule[] = [];
      for (const src of sources.get(cr.metadata.name)!) {
        const srcRules = isAggregated(src) ? current.get(src.metadata.name)! : list(src.rules);
        for (const r of srcRules) if (!rules.some((x) => sameRule(x, r))) rules.push(r);
      }
      if (rules.length !== current.get(cr.metadata.name)!.length) changed = true;
      current.set(cr.metadata.name, rules);
    }
    if (!changed) break;
  }
  return current;
}

/**
 * The ClusterRoles with each aggregated role's `rules` filled in, as a live
 * cluster shows them after the aggregation controller ran. Input is not modified.
 */
export function aggregateClusterRoles(clusterRoles: ClusterRole[]): ClusterRole[] {
  const resolved = resolveAggregation(clusterRoles);
  return clusterRoles.map((cr) =>
    isAggregated(cr) ? { ...cr, rules: structuredClone(resolved.get(cr.metadata.name)!) } : cr,
  );
}

// ---------------------------------------------------------------------------
// Rule resolution (pkg/registry/rbac/validation/rule.go DefaultRuleResolver)

function appliesToUser(user: UserInfo, subject: Subject, namespace: string): boolean {
  switch (subject.kind) {
    case 'User':
      return user.name === subject.name;
    case 'Group':
      return (user.groups ?? []).includes(subject.name);
    case 'ServiceAccount': {
      const ns = subject.namespace ? subject.namespace : namespace;
      if (!ns) return false;
      return user.name === serviceAccountUsername(ns, subject.name);
    }
    default:
      return false;
  }
}

function describeSubject(s: Subject, bindingNamespace: string): string {
  if (s.kind === 'ServiceAccount') {
    return `${s.kind} ${goQuote(`${s.name}/${s.namespace ? s.namespace : bindingNamespace}`)}`;
  }
  return `${s.kind} ${goQuote(s.name)}`;
}

type Visitor = (source: string | null, rule: PolicyRule | null, error: string | null) => boolean;

function makeRoleRefResolver(policy: RbacPolicy) {
  let aggregation: Map<string, PolicyRule[]> | undefined;
  return (ref: RoleRef, bindingNamespace: string): { rules: PolicyRule[] } | { error: string } => {
    switch (ref.kind) {
      case 'Role': {
        const role = policy.roles.find(
          (r) => (r.metadata.namespace ?? '') === bindingNamespace && r.metadata.name === ref.name,
        );
        if (!role || !bindingNamespace) return { error: `role.${RBAC_GROUP} ${goQuote(ref.name)} not found` };
        return { rules: list(role.rules) };
      }
      case 'ClusterRole': {
        const cr = policy.clusterRoles.find((c) => c.metadata.name === ref.name);
        if (!cr) return { error: `clusterrole.${RBAC_GROUP} ${goQuote(ref.name)} not found` };
        if (!isAggregated(cr)) return { rules: list(cr.rules) };
        aggregation ??= resolveAggregation(policy.clusterRoles);
        return { rules: aggregation.get(cr.metadata.name) ?? [] };
      }
      default:
        return { error: `unsupported role reference kind: ${goQuote(ref.kind)}` };
    }
  };
}

function visitRulesFor(user: UserInfo, namespace: string, policy: RbacPolicy, visit: Visitor): void {
  const resolve = makeRoleRefResolver(policy);
  for (const crb of policy.clusterRoleBindings) {
    const subjects = list(crb.subjects);
    const subject = subjects.find((s) => appliesToUser(user, s, ''));
    if (!subject) continue;
    const res = resolve(crb.roleRef, '');
    if ('error' in res) {
      if (!visit(null, null, res.error)) return;
      continue;
    }
    const source =
      `ClusterRoleBinding ${goQuote(crb.metadata.name)} of ${crb.roleRef.kind} ${goQuote(crb.roleRef.name)}` +
      ` to ${describeSubject(subject, '')}`;
    for (const rule of res.rules) if (!visit(source, rule, null)) return;
  }
  if (!namespace) return;
  for (const rb of policy.roleBindings) {
    if ((rb.metadata.namespace ?? '') !== namespace) continue;
    const subject = list(rb.subjects).find((s) => appliesToUser(user, s, namespace));
    if (!subject) continue;
    const res = resolve(rb.roleRef, namespace);
    if ('error' in res) {
      if (!visit(null, null, res.error)) return;
      continue;
    }
    const source =
      `RoleBinding ${goQuote(`${rb.metadata.name}/${namespace}`)} of ${rb.roleRef.kind} ${goQuote(rb.roleRef.name)}` +
      ` to ${describeSubject(subject, namespace)}`;
    for (const rule of res.rules) if (!visit(source, rule, null)) return;
  }
}

// ---------------------------------------------------------------------------
// Authorization

export interface AuthorizationDecision {
  allowed: boolean;
  /** SubjectAccessReview status.reason; "" when denied without resolution errors. */
  reason: string;
}

/**
 * The apiserver's decision for one request: superuser group first, then RBAC.
 * `attrs.user` must already carry its groups (see withAuthenticatedGroup).
 */
export function authorize(attrs: RequestAttributes, policy: RbacPolicy): AuthorizationDecision {
  if ((attrs.user.groups ?? []).includes(SYSTEM_MASTERS)) return { allowed: true, reason: '' };

  let reason = '';
  let allowed = false;
  const errors: string[] = [];
  visitRulesFor(attrs.user, attrs.namespace, policy, (source, rule, error) => {
    if (rule && ruleAllows(attrs, rule)) {
      allowed = true;
      reason = `RBAC: allowed by ${source}`;
      return false;
    }
    if (error) errors.push(error);
    return true;
  });
  if (allowed) return { allowed, reason };
  return { allowed: false, reason: errors.length > 0 ? `RBAC: ${aggregateMessage(errors)}` : '' };
}

// ---------------------------------------------------------------------------
// SelfSubjectRulesReview

export interface ResourceRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
}

export interface NonResourceRule {
  verbs: string[];
  nonResourceURLs?: string[];
}

export interface RulesReviewStatus {
  resourceRules: ResourceRule[];
  nonResourceRules: NonResourceRule[];
  incomplete: boolean;
  evaluationError?: string;
}

/**
 * SelfSubjectRulesReview status for `user` in `namespace`: every rule of the
 * cluster-wide bindings, then of that namespace's bindings, in binding order,
 * not deduplicated (like the apiserver; kubectl compacts them itself). Empty
 * arrays are left out as the API's omitempty does. The superuser group
 * contributes no rules of its own.
 */
export function rulesReview(user: UserInfo, namespace: string, policy: RbacPolicy): RulesReviewStatus {
  const resourceRules: ResourceRule[] = [];
  const nonResourceRules: NonResourceRule[] = [];
  const errors: string[] = [];
  visitRulesFor(user, namespace, policy, (_source, rule, error) => {
    if (rule) {
      if (list(rule.resources).length > 0) {
        const r: ResourceRule = { verbs: [...list(rule.verbs)] };
        if (list(rule.apiGroups).length > 0) r.apiGroups = [...list(rule.apiGroups)];
        r.resources = [...list(rule.resources)];
        if (list(rule.resourceNames).length > 0) r.resourceNames = [...list(rule.resourceNames)];
        resourceRules.push(r);
      }
      if (list(rule.nonResourceURLs).length > 0) {
        nonResourceRules.push({ verbs: [...list(rule.verbs)], nonResourceURLs: [...list(rule.nonResourceURLs)] });
      }
    }
    if (error) errors.push(error);
    return true;
  });
  return {
    resourceRules,
    nonResourceRules,
    incomplete: false,
    ...(errors.length > 0 ? { evaluationError: aggregateMessage(errors) } : {}),
  };
}

// ---------------------------------------------------------------------------
// 403 Forbidden

const sanitize = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** responsewriters.forbiddenMessage: the part after "is forbidden: ". */
function denialText(attrs: RequestAttributes): string {
  const user = goQuote(attrs.user?.name ?? '');
  if (!attrs.resourceRequest) {
    return `User ${user} cannot ${attrs.verb} path ${goQuote(attrs.path)}`;
  }
  const resource = attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : attrs.resource;
  const scope = attrs.namespace ? `in the namespace ${goQuote(attrs.namespace)}` : 'at the cluster scope';
  return `User ${user} cannot ${attrs.verb} resource ${goQuote(resource)} in API group ${goQuote(attrs.apiGroup)} ${scope}`;
}

/**
 * The 403 Status message exactly as the apiserver words it, e.g.
 * `pods "x" is forbidden: User "alice" cannot get resource "pods" in API group "" in the namespace "pxc"`,
 * `forbidden: User "bob" cannot get path "/foo"`. A non-empty authorizer
 * `reason` is appended after ": " (as for RBAC resolution errors).
 */
export function forbiddenMessage(attrs: RequestAttributes, reason = ''): string {
  const detail = sanitize(denialText(attrs));
  const err = reason ? `${detail}: ${reason}` : detail;
  const { apiGroup, resource, name } = attrs;
  if (!apiGroup && !resource) return `forbidden: ${err}`;
  const qualified = apiGroup ? `${resource}.${apiGroup}` : resource;
  return name ? `${qualified} ${goQuote(name)} is forbidden: ${err}` : `${qualified} is forbidden: ${err}`;
}

/** The whole 403 answer (apierrors.NewForbidden): reason Forbidden, details {name, group, kind}. */
export function forbiddenError(attrs: RequestAttributes, reason = ''): StatusError {
  return failure(403, 'Forbidden', forbiddenMessage(attrs, reason), {
    ...(attrs.name ? { name: attrs.name } : {}),
    ...(attrs.apiGroup ? { group: attrs.apiGroup } : {}),
    ...(attrs.resource ? { kind: attrs.resource } : {}),
  });
}

// ---------------------------------------------------------------------------
// Impersonation (k8s.io/apiserver/pkg/endpoints/filters/impersonation.go)

export interface ImpersonationHeaders {
  /** Impersonate-User */
  user?: string;
  /** Impersonate-Group, each occurrence */
  groups?: string[];
  /** Impersonate-Uid */
  uid?: string;
  /** Impersonate-Extra-<key>: key as it follows the prefix in the header name (lower-cased and %-decoded here). */
  extra?: Record<string, string[]>;
}

export interface ImpersonationPlan {
  /** Authorize each in order; on the first denial answer forbiddenError(check, reason). */
  checks: RequestAttributes[];
  /** The identity to serve the request as once every check passed. */
  user: UserInfo;
}

function decodeExtraKey(raw: string): string {
  const lower = raw.toLowerCase();
  try {
    return decodeURIComponent(lower);
  } catch {
    return lower;
  }
}

/**
 * What the impersonation filter checks and who the request then runs as.
 * Returns null when no impersonation header is present; throws a 400
 * StatusError when groups, extras or a uid come without Impersonate-User.
 * A user name of the form system:serviceaccount:<ns>:<name> is checked as
 * `impersonate serviceaccounts` in <ns>, not as `impersonate users`.
 */
export function impersonation(requester: UserInfo, headers: ImpersonationHeaders): ImpersonationPlan | null {
  type Ref = { kind: string; namespace: string; name: string; apiVersion: string; fieldPath: string };
  const refs: Ref[] = [];
  const requestedUser = headers.user ?? '';
  if (requestedUser) {
    const sa = parseServiceAccountUsername(requestedUser);
    refs.push(
      sa
        ? { kind: 'ServiceAccount', namespace: sa.namespace, name: sa.name, apiVersion: '', fieldPath: '' }
        : { kind: 'User', namespace: '', name: requestedUser, apiVersion: '', fieldPath: '' },
    );
  }
  const groups = headers.groups ?? [];
  for (const g of groups) refs.push({ kind: 'Group', namespace: '', name: g, apiVersion: '', fieldPath: '' });
  let hasExtra = false;
  for (const [rawKey, values] of Object.entries(headers.extra ?? {})) {
    hasExtra = true;
    const key = decodeExtraKey(rawKey);
    for (const v of values) {
      refs.push({ kind: 'UserExtra', namespace: '', name: v, apiVersion: 'authentication.k8s.io/v1', fieldPath: key });
    }
  }
  const uid = headers.uid ?? '';
  if (uid) refs.push({ kind: 'UID', namespace: '', name: uid, apiVersion: 'authentication.k8s.io/v1', fieldPath: '' });

  if (refs.length === 0) return null;
  if ((groups.length > 0 || hasExtra || uid) && !requestedUser) {
    // fmt %v of []v1.ObjectReference: {Kind Namespace Name UID APIVersion ResourceVersion FieldPath}
    const shown = refs.map((r) => `{${[r.kind, r.namespace, r.name, '', r.apiVersion, '', r.fieldPath].join(' ')}}`);
    throw badRequest(`requested [${shown.join(' ')}] without impersonating a user`);
  }

  const checks: RequestAttributes[] = [];
  let username = '';
  const extra: Record<string, string[]> = {};
  for (const r of refs) {
    const base: RequestAttributes = {
      user: requester,
      verb: 'impersonate',
      resourceRequest: true,
      apiGroup: '',
      apiVersion: 'v1',
      resource: '',
      subresource: '',
      namespace: r.namespace,
      name: r.name,
      path: '',
    };
    switch (r.kind) {
      case 'ServiceAccount':
        checks.push({ ...base, resource: 'serviceaccounts' });
        username = serviceAccountUsername(r.namespace, r.name);
        break;
      case 'User':
        checks.push({ ...base, resource: 'users' });
        username = r.name;
        break;
      case 'Group':
        checks.push({ ...base, resource: 'groups' });
        break;
      case 'UserExtra':
        checks.push({ ...base, apiGroup: 'authentication.k8s.io', resource: 'userextras', subresource: r.fieldPath });
        (extra[r.fieldPath] ??= []).push(r.name);
        break;
      case 'UID':
        checks.push({ ...base, apiGroup: 'authentication.k8s.io', resource: 'uids' });
        break;
    }
  }
  const user = withAuthenticatedGroup({
    name: username,
    groups: [...groups],
    ...(uid ? { uid } : {}),
    ...(Object.keys(extra).length > 0 ? { extra } : {}),
  });
  return { checks, user };
}

// ---------------------------------------------------------------------------
// Bootstrap policy (plugin/pkg/auth/authorizer/rbac/bootstrappolicy, v1.32)

const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'delete', 'deletecollection', 'patch', 'update'];
const READ_WRITE = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

const rule = (verbs: string[], apiGroups: string[], resources: string[]): PolicyRule => ({
  verbs: [...verbs],
  apiGroups,
  resources,
});
const urlRule = (verbs: string[], nonResourceURLs: string[]): PolicyRule => ({ verbs: [...verbs], nonResourceURLs });

const BOOTSTRAP_LABEL = 'kubernetes.io/bootstrapping';
const AUTOUPDATE = 'rbac.authorization.kubernetes.io/autoupdate';

function bootstrapClusterRole(
  name: string,
  rules: PolicyRule[],
  opts: { labels?: Record<string, string>; aggregateFrom?: string } = {},
): ClusterRole {
  return {
    apiVersion: RBAC_API_VERSION,
    kind: 'ClusterRole',
    metadata: {
      name,
      labels: { [BOOTSTRAP_LABEL]: 'rbac-defaults', ...(opts.labels ?? {}) },
      annotations: { [AUTOUPDATE]: 'true' },
    },
    rules,
    ...(opts.aggregateFrom
      ? { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { [opts.aggregateFrom]: 'true' } }] } }
      : {}),
  };
}

function bootstrapClusterRoleBinding(name: string, groups: string[]): ClusterRoleBinding {
  return {
    apiVersion: RBAC_API_VERSION,
    kind: 'ClusterRoleBinding',
    metadata: {
      name,
      labels: { [BOOTSTRAP_LABEL]: 'rbac-defaults' },
      annotations: { [AUTOUPDATE]: 'true' },
    },
    roleRef: { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name },
    subjects: groups.map((g) => ({ apiGroup: RBAC_GROUP, kind: 'Group', name: g })),
  };
}

const TO_ADMIN = 'rbac.authorization.k8s.io/aggregate-to-admin';
const TO_EDIT = 'rbac.authorization.k8s.io/aggregate-to-edit';
const TO_VIEW = 'rbac.authorization.k8s.io/aggregate-to-view';

/**
 * The bootstrap ClusterRoles and ClusterRoleBindings of a v1.32 cluster that
 * matter to the dev cluster, as a live cluster shows them (aggregated roles
 * already carry their aggregated rules), sorted by name. No RoleBindings, no
 * Roles. Note that neither `edit` nor `admin` grants pods/ephemeralcontainers:
 * upstream deliberately leaves that out (kubernetes/kubernetes#120909).
 */
export function bootstrapPolicy(): RbacPolicy {
  const clusterRoles: ClusterRole[] = [
    bootstrapClusterRole('admin', [], { aggregateFrom: TO_ADMIN }),
    bootstrapClusterRole('cluster-admin', [rule(['*'], ['*'], ['*']), urlRule(['*'], ['*'])]),
    bootstrapClusterRole('edit', [], { labels: { [TO_ADMIN]: 'true' }, aggregateFrom: TO_EDIT }),
    bootstrapClusterRole(
      'system:aggregate-to-admin',
      [
        rule(['create'], ['authorization.k8s.io'], ['localsubjectaccessreviews']),
        rule(READ_WRITE, [RBAC_GROUP], ['rolebindings', 'roles']),
      ],
      { labels: { [TO_ADMIN]: 'true' } },
    ),
    bootstrapClusterRole(
      'system:aggregate-to-edit',
      [
        rule(READ, [''], ['pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'secrets', 'services/proxy']),
        rule(['impersonate'], [''], ['serviceaccounts']),
        rule(WRITE, [''], ['pods', 'pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy']),
        rule(['create'], [''], ['pods/eviction']),
        rule(WRITE, [''], [
          'configmaps',
          'events',
          'persistentvolumeclaims',
          'replicationcontrollers',
          'replicationcontrollers/scale',
          'secrets',
          'serviceaccounts',
          'services',
          'services/proxy',
        ]),
        rule(['create'], [''], ['serviceaccounts/token']),
        rule(WRITE, ['apps'], [
          'daemonsets',
          'deployments',
          'deployments/rollback',
          'deployments/scale',
          'replicasets',
          'replicasets/scale',
          'statefulsets',
          'statefulsets/scale',
        ]),
        rule(WRITE, ['autoscaling'], ['horizontalpodautoscalers']),
        rule(WRITE, ['batch'], ['cronjobs', 'jobs']),
        rule(WRITE, ['extensions'], [
          'daemonsets',
          'deployments',
          'deployments/rollback',
          'deployments/scale',
          'ingresses',
          'networkpolicies',
          'replicasets',
          'replicasets/scale',
          'replicationcontrollers/scale',
        ]),
        rule(WRITE, ['policy'], ['poddisruptionbudgets']),
        rule(WRITE, ['networking.k8s.io'], ['ingresses', 'networkpolicies']),
        rule(READ_WRITE, ['coordination.k8s.io'], ['leases']),
      ],
      { labels: { [TO_EDIT]: 'true' } },
    ),
    bootstrapClusterRole(
      'system:aggregate-to-view',
      [
        rule(READ, [''], [
          'configmaps',
          'endpoints',
          'persistentvolumeclaims',
          'persistentvolumeclaims/status',
          'pods',
          'replicationcontrollers',
          'replicationcontrollers/scale',
          'serviceaccounts',
          'services',
          'services/status',
        ]),
        rule(READ, [''], [
          'bindings',
          'events',
          'limitranges',
          'namespaces/status',
          'pods/log',
          'pods/status',
          'replicationcontrollers/status',
          'resourcequotas',
          'resourcequotas/status',
        ]),
        rule(READ, [''], ['namespaces']),
        rule(READ, ['discovery.k8s.io'], ['endpointslices']),
        rule(READ, ['apps'], [
          'controllerrevisions',
          'daemonsets',
          'daemonsets/status',
          'deployments',
          'deployments/scale',
          'deployments/status',
          'replicasets',
          'replicasets/scale',
          'replicasets/status',
          'statefulsets',
          'statefulsets/scale',
          'statefulsets/status',
        ]),
        rule(READ, ['autoscaling'], ['horizontalpodautoscalers', 'horizontalpodautoscalers/status']),
        rule(READ, ['batch'], ['cronjobs', 'cronjobs/status', 'jobs', 'jobs/status']),
        rule(READ, ['extensions'], [
          'daemonsets',
          'daemonsets/status',
          'deployments',
          'deployments/scale',
          'deployments/status',
          'ingresses',
          'ingresses/status',
          'networkpolicies',
          'replicasets',
          'replicasets/scale',
          'replicasets/status',
          'replicationcontrollers/scale',
        ]),
        rule(READ, ['policy'], ['poddisruptionbudgets', 'poddisruptionbudgets/status']),
        rule(READ, ['networking.k8s.io'], ['ingresses', 'ingresses/status', 'networkpolicies']),
      ],
      { labels: { [TO_VIEW]: 'true' } },
    ),
    bootstrapClusterRole('system:basic-user', [
      rule(['create'], ['authorization.k8s.io'], ['selfsubjectaccessreviews', 'selfsubjectrulesreviews']),
      rule(['create'], ['authentication.k8s.io'], ['selfsubjectreviews']),
    ]),
    bootstrapClusterRole('system:discovery', [
      urlRule(['get'], [
        '/api',
        '/api/*',
        '/apis',
        '/apis/*',
        '/healthz',
        '/livez',
        '/openapi',
        '/openapi/*',
        '/readyz',
        '/version',
        '/version/',
      ]),
    ]),
    bootstrapClusterRole('system:public-info-viewer', [
      urlRule(['get'], ['/healthz', '/livez', '/readyz', '/version', '/version/']),
    ]),
    bootstrapClusterRole('view', [], { labels: { [TO_EDIT]: 'true' }, aggregateFrom: TO_VIEW }),
  ];

  return {
    roles: [],
    clusterRoles: aggregateClusterRoles(clusterRoles),
    roleBindings: [],
    clusterRoleBindings: [
      bootstrapClusterRoleBinding('cluster-admin', [SYSTEM_MASTERS]),
      bootstrapClusterRoleBinding('system:basic-user', [ALL_AUTHENTICATED]),
      bootstrapClusterRoleBinding('system:discovery', [ALL_AUTHENTICATED]),
      bootstrapClusterRoleBinding('system:public-info-viewer', [ALL_AUTHENTICATED, ALL_UNAUTHENTICATED]),
    ],
  };
}
