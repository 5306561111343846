import { describe, expect, it } from 'vitest';
import {
  aggregateClusterRoles,
  authorize,
  bootstrapPolicy,
  forbiddenError,
  forbiddenMessage,
  goQuote,
  impersonation,
  labelSelectorMatches,
  parseServiceAccountUsername,
  rulesReview,
  withAuthenticatedGroup,
  type ClusterRole,
  type ClusterRoleBinding,
  type PolicyRule,
  type RbacPolicy,
  type Role,
  type RoleBinding,
  type Subject,
} from './rbac';
import { StatusError } from './status';
import type { RequestAttributes, UserInfo } from './types';

// ---------------------------------------------------------------------------
// builders

const G = 'rbac.authorization.k8s.io';

function u(name: string, groups: string[] = []): UserInfo {
  return withAuthenticatedGroup({ name, groups });
}

const sa = (ns: string, name: string) => u(`system:serviceaccount:${ns}:${name}`);

function res(
  user: UserInfo,
  verb: string,
  resource: string,
  o: { ns?: string; name?: string; group?: string; sub?: string } = {},
): RequestAttributes {
  return {
    user,
    verb,
    resourceRequest: true,
    apiGroup: o.group ?? '',
    apiVersion: 'v1',
    resource,
    subresource: o.sub ?? '',
    namespace: o.ns ?? '',
    name: o.name ?? '',
    path: '',
  };
}

function url(user: UserInfo, verb: string, path: string): RequestAttributes {
  return {
    user,
    verb,
    resourceRequest: false,
    apiGroup: '',
    apiVersion: '',
    resource: '',
    subresource: '',
    namespace: '',
    name: '',
    path,
  };
}

const cr = (name: string, rules: PolicyRule[], extra: Partial<ClusterRole> = {}): ClusterRole => ({
  apiVersion: `${G}/v1`,
  kind: 'ClusterRole',
  metadata: { name, ...(extra.metadata ?? {}) },
  rules,
  ...(extra.aggregationRule !== undefined ? { aggregationRule: extra.aggregationRule } : {}),
});

const role = (ns: string, name: string, rules: PolicyRule[]): Role => ({
  apiVersion: `${G}/v1`,
  kind: 'Role',
  metadata: { name, namespace: ns },
  rules,
});

const user = (name: string): Subject => ({ apiGroup: G, kind: 'User', name });
const group = (name: string): Subject => ({ apiGroup: G, kind: 'Group', name });
const saSubject = (name: string, namespace?: string): Subject => ({
  kind: 'ServiceAccount',
  name,
  ...(namespace ? { namespace } : {}),
});

const crb = (name: string, roleName: string, subjects: Subject[]): ClusterRoleBinding => ({
  apiVersion: `${G}/v1`,
  kind: 'ClusterRoleBinding',
  metadata: { name },
  roleRef: { apiGroup: G, kind: 'ClusterRole', name: roleName },
  subjects,
});

const rb = (ns: string, name: string, kind: 'Role' | 'ClusterRole', roleName: string, subjects: Subject[]): RoleBinding => ({
  apiVersion: `${G}/v1`,
  kind: 'RoleBinding',
  metadata: { name, namespace: ns },
  roleRef: { apiGroup: G, kind, name: roleName },
  subjects,
});

const r = (verbs: string[], apiGroups: string[], resources: string[], resourceNames?: string[]): PolicyRule => ({
  verbs,
  apiGroups,
  resources,
  ...(resourceNames ? { resourceNames } : {}),
});

function withBootstrap(extra: Partial<RbacPolicy>): RbacPolicy {
  const b = bootstrapPolicy();
  return {
    roles: [...b.roles, ...(extra.roles ?? [])],
    clusterRoles: [...b.clusterRoles, ...(extra.clusterRoles ?? [])],
    roleBindings: [...b.roleBindings, ...(extra.roleBindings ?? [])],
    clusterRoleBindings: [...b.clusterRoleBindings, ...(extra.clusterRoleBindings ?? [])],
  };
}

// ---------------------------------------------------------------------------
// a policy exercising every matching rule

const policy: RbacPolicy = withBootstrap({
  clusterRoles: [
    cr('pod-reader', [r(['get', 'list', 'watch'], [''], ['pods'])]),
    cr('debugger', [r(['get'], [''], ['pods']), r(['patch'], [''], ['pods/ephemeralcontainers'])]),
    cr('pods-star', [r(['*'], [''], ['pods/*'])]),
    cr('scaler', [r(['update', 'patch'], ['*'], ['*/scale'])]),
    cr('everything-core', [r(['*'], [''], ['*'])]),
    cr('one-pod', [r(['get', 'list', 'watch', 'delete', 'create'], [''], ['pods'], ['web-1'])]),
    cr('health', [{ verbs: ['get'], nonResourceURLs: ['/healthz', '/logs/*', '/metrics*'] }]),
    cr('impersonator', [
      r(['impersonate'], [''], ['users'], ['alice']),
      r(['impersonate'], [''], ['groups']),
      r(['impersonate'], [''], ['serviceaccounts']),
      r(['impersonate'], ['authentication.k8s.io'], ['userextras/scopes', 'uids']),
    ]),
    cr('apps-deployer', [r(['create', 'get'], ['apps'], ['deployments'])]),
  ],
  roles: [
    role('pxc', 'exec-role', [r(['create', 'get'], [''], ['pods/exec', 'pods/attach'])]),
    role('other', 'exec-role', [r(['*'], ['*'], ['*'])]),
  ],
  clusterRoleBindings: [
    crb('readers', 'pod-reader', [group('readers')]),
    crb('dashboard-impersonates', 'impersonator', [saSubject('dashboard', 'ephemera')]),
    crb('sa-without-ns', 'cluster-admin', [saSubject('root')]),
    crb('scalers', 'scaler', [user('scaler')]),
    crb('starry', 'pods-star', [user('star')]),
    crb('health-checkers', 'health', [user('prober')]),
    crb('all-sas-read', 'pod-reader', [group('system:serviceaccounts:monitoring')]),
    crb('dangling', 'does-not-exist', [user('dangler')]),
  ],
  roleBindings: [
    rb('pxc', 'alice-debug', 'ClusterRole', 'debugger', [user('alice')]),
    rb('pxc', 'dashboard-exec', 'Role', 'exec-role', [saSubject('dashboard')]),
    rb('pxc', 'core-admin', 'ClusterRole', 'everything-core', [user('carol')]),
    rb('pxc', 'one-pod', 'ClusterRole', 'one-pod', [user('nina')]),
    rb('pxc', 'edit-bob', 'ClusterRole', 'edit', [user('bob')]),
    rb('pxc', 'view-vic', 'ClusterRole', 'view', [user('vic')]),
    rb('pxc', 'admin-ann', 'ClusterRole', 'admin', [user('ann')]),
    rb('pxc', 'deployers', 'ClusterRole', 'apps-deployer', [group('deployers')]),
    rb('pxc', 'missing-role', 'Role', 'nope', [user('dangler')]),
    rb('pxc', 'missing-cr', 'ClusterRole', 'nope-either', [user('dangler')]),
    rb('pxc', 'bad-kind', 'Kind' as 'Role', 'x', [user('weird')]),
  ],
});

const alice = u('alice');
const sam = u('sam');
const reader = u('rita', ['readers']);
const dashboard = sa('ephemera', 'dashboard');
const pxcDashboard = sa('pxc', 'dashboard');

// ---------------------------------------------------------------------------

describe('authorize', () => {
  const cases: Array<[string, RequestAttributes, boolean, string?]> = [
    // ClusterRoleBinding grants everywhere
    ['group CRB: list pods in pxc', res(reader, 'list', 'pods', { ns: 'pxc' }), true,
      'RBAC: allowed by ClusterRoleBinding "readers" of ClusterRole "pod-reader" to Group "readers"'],
    ['group CRB: get pod in any namespace', res(reader, 'get', 'pods', { ns: 'kube-system', name: 'x' }), true],
    ['group CRB: list pods across namespaces', res(reader, 'list', 'pods'), true],
    ['group CRB: watch pods', res(reader, 'watch', 'pods', { ns: 'a' }), true],
    ['group CRB: no delete', res(reader, 'delete', 'pods', { ns: 'pxc', name: 'x' }), false, ''],
    ['group CRB: no pods/log (subresource needs its own rule)', res(reader, 'get', 'pods', { ns: 'pxc', name: 'x', sub: 'log' }), false],
    ['group CRB: wrong API group', res(reader, 'list', 'pods', { ns: 'pxc', group: 'apps' }), false],
    ['group CRB: other resource', res(reader, 'list', 'secrets', { ns: 'pxc' }), false],
    ['no bindings at all', res(sam, 'list', 'pods', { ns: 'pxc' }), false, ''],

    // RoleBinding to a ClusterRole is limited to its namespace
    ['RB->CR: alice patches ephemeralcontainers in pxc',
      res(alice, 'patch', 'pods', { ns: 'pxc', name: 'web', sub: 'ephemeralcontainers' }), true,
      'RBAC: allowed by RoleBinding "alice-debug/pxc" of ClusterRole "debugger" to User "alice"'],
    ['RB->CR: alice gets pods in pxc', res(alice, 'get', 'pods', { ns: 'pxc', name: 'web' }), true],
    ['RB->CR: not in another namespace', res(alice, 'get', 'pods', { ns: 'default', name: 'web' }), false],
    ['RB->CR: not at cluster scope', res(alice, 'get', 'pods', { name: 'web' }), false],
    ['RB->CR: exact subresource only (update ≠ patch)',
      res(alice, 'update', 'pods', { ns: 'pxc', name: 'web', sub: 'ephemeralcontainers' }), false],
    ['RB->CR: exact subresource only (exec not granted)', res(alice, 'create', 'pods', { ns: 'pxc', name: 'web', sub: 'exec' }), false],
    ['RB->CR: parent rule does not grant subresource', res(alice, 'get', 'pods', { ns: 'pxc', name: 'web', sub: 'status' }), false],
    ['RB->CR: subresource rule does not grant parent', res(alice, 'patch', 'pods', { ns: 'pxc', name: 'web' }), false],

    // RoleBinding to a Role (role looked up in the binding namespace)
    ['RB->Role: SA subject without namespace defaults to binding ns',
      res(pxcDashboard, 'create', 'pods', { ns: 'pxc', name: 'web', sub: 'exec' }), true,
      'RBAC: allowed by RoleBinding "dashboard-exec/pxc" of Role "exec-role" to ServiceAccount "dashboard/pxc"'],
    ['RB->Role: attach too', res(pxcDashboard, 'create', 'pods', { ns: 'pxc', name: 'web', sub: 'attach' }), true],
    ['RB->Role: same-named SA of another namespace does not match',
      res(dashboard, 'create', 'pods', { ns: 'pxc', name: 'web', sub: 'exec' }), false],
    ['RB->Role: same-named Role elsewhere does not leak', res(pxcDashboard, 'delete', 'pods', { ns: 'pxc', name: 'web' }), false],

    // `*` resources and verbs
    ['* resources: any core resource', res(u('carol'), 'delete', 'secrets', { ns: 'pxc', name: 's' }), true],
    ['* resources: includes subresources', res(u('carol'), 'patch', 'pods', { ns: 'pxc', name: 'p', sub: 'ephemeralcontainers' }), true],
    ['* verbs: any verb', res(u('carol'), 'escalate', 'configmaps', { ns: 'pxc' }), true],
    ['* resources: still bound to apiGroups [""]', res(u('carol'), 'create', 'deployments', { ns: 'pxc', group: 'apps' }), false],
    ['* resources: still bound to namespace', res(u('carol'), 'get', 'secrets', { ns: 'default', name: 's' }), false],

    // pods/* is not a wildcard in real RBAC
    ['pods/* does not match pods/exec', res(u('star'), 'create', 'pods', { ns: 'pxc', name: 'p', sub: 'exec' }), false],
    ['pods/* does not match pods', res(u('star'), 'get', 'pods', { ns: 'pxc', name: 'p' }), false],

    // */subresource
    ['*/scale: deployments/scale in apps', res(u('scaler'), 'update', 'deployments', { ns: 'pxc', name: 'd', group: 'apps', sub: 'scale' }), true],
    ['*/scale: replicationcontrollers/scale in core', res(u('scaler'), 'patch', 'replicationcontrollers', { ns: 'x', name: 'rc', sub: 'scale' }), true],
    ['*/scale: not the parent', res(u('scaler'), 'update', 'deployments', { ns: 'pxc', name: 'd', group: 'apps' }), false],
    ['*/scale: not another subresource', res(u('scaler'), 'update', 'deployments', { ns: 'pxc', name: 'd', group: 'apps', sub: 'status' }), false],
    ['*/scale: not a longer subresource', res(u('scaler'), 'update', 'things', { ns: 'pxc', name: 'd', sub: 'rescale' }), false],

    // resourceNames
    ['resourceNames: get the named pod', res(u('nina'), 'get', 'pods', { ns: 'pxc', name: 'web-1' }), true],
    ['resourceNames: delete the named pod', res(u('nina'), 'delete', 'pods', { ns: 'pxc', name: 'web-1' }), true],
    ['resourceNames: not another pod', res(u('nina'), 'get', 'pods', { ns: 'pxc', name: 'web-2' }), false],
    ['resourceNames: list has no name', res(u('nina'), 'list', 'pods', { ns: 'pxc' }), false],
    ['resourceNames: watch has no name', res(u('nina'), 'watch', 'pods', { ns: 'pxc' }), false],
    ['resourceNames: list narrowed by fieldSelector name (HTTP layer sets name)', res(u('nina'), 'list', 'pods', { ns: 'pxc', name: 'web-1' }), true],
    ['resourceNames: create has no name', res(u('nina'), 'create', 'pods', { ns: 'pxc' }), false],

    // groups from RoleBindings
    ['RB group subject in apps group', res(u('dev', ['deployers']), 'create', 'deployments', { ns: 'pxc', group: 'apps' }), true,
      'RBAC: allowed by RoleBinding "deployers/pxc" of ClusterRole "apps-deployer" to Group "deployers"'],
    ['RB group subject: apps rule does not grant core', res(u('dev', ['deployers']), 'create', 'deployments', { ns: 'pxc' }), false],

    // ServiceAccount subjects and SA groups
    ['SA subject in CRB with namespace', res(dashboard, 'impersonate', 'users', { name: 'alice' }), true,
      'RBAC: allowed by ClusterRoleBinding "dashboard-impersonates" of ClusterRole "impersonator" to ServiceAccount "dashboard/ephemera"'],
    ['SA subject without namespace in a CRB never matches', res(sa('default', 'root'), 'get', 'pods', { ns: 'pxc', name: 'x' }), false],
    ['SA group system:serviceaccounts:<ns> matches', res(sa('monitoring', 'prom'), 'list', 'pods'), true,
      'RBAC: allowed by ClusterRoleBinding "all-sas-read" of ClusterRole "pod-reader" to Group "system:serviceaccounts:monitoring"'],
    ['SA group of another namespace does not', res(sa('other', 'prom'), 'list', 'pods'), false],

    // impersonate
    ['impersonate the named user', res(dashboard, 'impersonate', 'users', { name: 'alice' }), true],
    ['impersonate another user: resourceNames', res(dashboard, 'impersonate', 'users', { name: 'mallory' }), false],
    ['impersonate any group', res(dashboard, 'impersonate', 'groups', { name: 'system:masters' }), true],
    ['impersonate a service account', res(dashboard, 'impersonate', 'serviceaccounts', { ns: 'pxc', name: 'x' }), true],
    ['impersonate userextras/scopes', res(dashboard, 'impersonate', 'userextras', { group: 'authentication.k8s.io', sub: 'scopes', name: 'view' }), true],
    ['impersonate userextras/other', res(dashboard, 'impersonate', 'userextras', { group: 'authentication.k8s.io', sub: 'other', name: 'v' }), false],
    ['impersonate uids', res(dashboard, 'impersonate', 'uids', { group: 'authentication.k8s.io', name: '1234' }), true],
    ['impersonate users needs the verb', res(alice, 'impersonate', 'users', { name: 'alice' }), false],

    // nonResourceURLs
    ['nonResourceURL exact (first allowing binding: bootstrap discovery)', url(u('prober'), 'get', '/healthz'), true,
      'RBAC: allowed by ClusterRoleBinding "system:discovery" of ClusterRole "system:discovery" to Group "system:authenticated"'],
    ['nonResourceURL from a custom role', url(u('prober'), 'get', '/metrics'), true,
      'RBAC: allowed by ClusterRoleBinding "health-checkers" of ClusterRole "health" to User "prober"'],
    ['nonResourceURL exact is not a prefix', url(u('prober'), 'get', '/healthz/etcd'), false],
    ['nonResourceURL trailing * prefix', url(u('prober'), 'get', '/logs/kube-apiserver.log'), true],
    ['nonResourceURL trailing * includes the bare prefix', url(u('prober'), 'get', '/logs/'), true],
    ['nonResourceURL trailing * needs the slash', url(u('prober'), 'get', '/logs'), false],
    ['nonResourceURL /metrics* matches /metrics/slis', url(u('prober'), 'get', '/metrics/slis'), true],
    ['nonResourceURL verb must match', url(u('prober'), 'post', '/healthz'), false],
    ['nonResourceURL rule does not grant resources', res(u('prober'), 'get', 'pods', { ns: 'x', name: 'healthz' }), false],
    ['discovery grants GET on any /api/* path', url(reader, 'get', '/api/v1/pods'), true,
      'RBAC: allowed by ClusterRoleBinding "system:discovery" of ClusterRole "system:discovery" to Group "system:authenticated"'],
    ['resource rules do not grant paths', url(reader, 'get', '/metrics'), false],

    // superuser group
    ['system:masters: anything, empty reason', res(u('admin', ['system:masters']), 'delete', 'nodes', { name: 'n1' }), true, ''],
    ['system:masters: any path', url(u('admin', ['system:masters']), 'post', '/anything'), true, ''],

    // resolution errors surface in the denial reason
    ['dangling CRB: reason names the missing ClusterRole', res(u('dangler'), 'get', 'pods', { name: 'x' }), false,
      'RBAC: clusterrole.rbac.authorization.k8s.io "does-not-exist" not found'],
    ['dangling bindings in namespace: aggregated', res(u('dangler'), 'get', 'pods', { ns: 'pxc', name: 'x' }), false,
      'RBAC: [clusterrole.rbac.authorization.k8s.io "does-not-exist" not found, role.rbac.authorization.k8s.io "nope" not found, clusterrole.rbac.authorization.k8s.io "nope-either" not found]'],
    ['unsupported roleRef kind', res(u('weird'), 'get', 'pods', { ns: 'pxc', name: 'x' }), false,
      'RBAC: unsupported role reference kind: "Kind"'],
    ['resolution errors are not reported when something else allows', url(u('dangler'), 'get', '/version'), true,
      'RBAC: allowed by ClusterRoleBinding "system:discovery" of ClusterRole "system:discovery" to Group "system:authenticated"'],
  ];

  it.each(cases)('%s', (_name, attrs, allowed, reason) => {
    const got = authorize(attrs, policy);
    expect(got.allowed).toBe(allowed);
    if (reason !== undefined) expect(got.reason).toBe(reason);
    if (allowed && !attrs.user.groups.includes('system:masters')) expect(got.reason).toMatch(/^RBAC: allowed by /);
  });

  it('an exact URL rule is not a prefix rule', () => {
    const only: RbacPolicy = {
      roles: [],
      roleBindings: [],
      clusterRoles: [cr('health', [{ verbs: ['get'], nonResourceURLs: ['/healthz'] }])],
      clusterRoleBindings: [crb('h', 'health', [user('prober')])],
    };
    expect(authorize(url(u('prober'), 'get', '/healthz'), only).allowed).toBe(true);
    expect(authorize(url(u('prober'), 'get', '/healthz/etcd'), only).allowed).toBe(false);
    expect(authorize(url(u('prober'), 'get', '/healthzx'), only).allowed).toBe(false);
  });

  it('a `*` nonResourceURL matches every path; a `*` verb every verb', () => {
    const only: RbacPolicy = {
      roles: [],
      roleBindings: [],
      clusterRoles: [cr('all-urls', [{ verbs: ['*'], nonResourceURLs: ['*'] }])],
      clusterRoleBindings: [crb('u', 'all-urls', [user('x')])],
    };
    expect(authorize(url(u('x'), 'delete', '/whatever/deep'), only).allowed).toBe(true);
    expect(authorize(res(u('x'), 'get', 'pods', { ns: 'a' }), only).allowed).toBe(false);
  });

  it('the first allowing binding in order gives the reason', () => {
    const p: RbacPolicy = {
      roles: [],
      roleBindings: [rb('ns', 'local', 'ClusterRole', 'r', [user('x')])],
      clusterRoles: [cr('r', [r(['get'], [''], ['pods'])])],
      clusterRoleBindings: [crb('global', 'r', [user('nobody'), group('system:authenticated')])],
    };
    expect(authorize(res(u('x'), 'get', 'pods', { ns: 'ns', name: 'p' }), p).reason).toBe(
      'RBAC: allowed by ClusterRoleBinding "global" of ClusterRole "r" to Group "system:authenticated"',
    );
  });

  it('RoleBindings are never consulted for cluster-scoped requests', () => {
    const p: RbacPolicy = {
      roles: [],
      roleBindings: [rb('ns', 'local', 'ClusterRole', 'r', [user('x')])],
      clusterRoles: [cr('r', [r(['*'], ['*'], ['*'])])],
      clusterRoleBindings: [],
    };
    expect(authorize(res(u('x'), 'list', 'nodes'), p).allowed).toBe(false);
    expect(authorize(res(u('x'), 'list', 'pods'), p).allowed).toBe(false);
    expect(authorize(res(u('x'), 'list', 'pods', { ns: 'ns' }), p).allowed).toBe(true);
    expect(authorize(res(u('x'), 'get', 'namespaces', { ns: 'ns', name: 'ns' }), p).allowed).toBe(true);
  });

  it('user names and group names are case-sensitive, subjects of unknown kind never match', () => {
    const p: RbacPolicy = {
      roles: [],
      roleBindings: [],
      clusterRoles: [cr('r', [r(['get'], [''], ['pods'])])],
      clusterRoleBindings: [crb('b', 'r', [user('Alice'), group('Team'), { kind: 'Robot', name: 'alice' }])],
    };
    expect(authorize(res(u('alice', ['team']), 'get', 'pods', { ns: 'a', name: 'p' }), p).allowed).toBe(false);
    expect(authorize(res(u('Alice'), 'get', 'pods', { ns: 'a', name: 'p' }), p).allowed).toBe(true);
  });

  it('tolerates null rules/subjects as JSON may carry them', () => {
    const p: RbacPolicy = {
      roles: [],
      roleBindings: [{ ...rb('a', 'b', 'ClusterRole', 'empty', []), subjects: null }],
      clusterRoles: [{ ...cr('empty', []), rules: null }],
      clusterRoleBindings: [crb('b', 'empty', [user('x')])],
    };
    expect(authorize(res(u('x'), 'get', 'pods', { ns: 'a', name: 'p' }), p)).toEqual({ allowed: false, reason: '' });
  });
});

// ---------------------------------------------------------------------------

describe('aggregated ClusterRoles', () => {
  const base = (): ClusterRole[] => [
    cr('monitoring', [], {
      aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'example.com/aggregate-to-monitoring': 'true' } }] },
    }),
    cr('monitoring-endpoints', [r(['get', 'list', 'watch'], [''], ['services', 'endpoints', 'pods'])], {
      metadata: { name: 'monitoring-endpoints', labels: { 'example.com/aggregate-to-monitoring': 'true' } },
    }),
    cr('monitoring-nodes', [r(['get'], [''], ['nodes/metrics'])], {
      metadata: { name: 'monitoring-nodes', labels: { 'example.com/aggregate-to-monitoring': 'true' } },
    }),
    cr('unrelated', [r(['*'], ['*'], ['*'])], { metadata: { name: 'unrelated', labels: { 'example.com/aggregate-to-monitoring': 'false' } } }),
  ];

  it('resolves matchLabels selectors, ignoring the stored rules of the aggregated role', () => {
    const roles = base();
    roles[0].rules = [r(['*'], ['*'], ['*'])]; // stale: the controller would overwrite it
    const p: RbacPolicy = { roles: [], roleBindings: [], clusterRoles: roles, clusterRoleBindings: [crb('m', 'monitoring', [user('m')])] };
    expect(authorize(res(u('m'), 'list', 'endpoints', { ns: 'x' }), p).allowed).toBe(true);
    expect(authorize(res(u('m'), 'get', 'nodes', { name: 'n', sub: 'metrics' }), p).allowed).toBe(true);
    expect(authorize(res(u('m'), 'delete', 'pods', { ns: 'x', name: 'p' }), p).allowed).toBe(false);
    expect(authorize(res(u('m'), 'get', 'pods', { ns: 'x', name: 'p' }), p).reason).toBe(
      'RBAC: allowed by ClusterRoleBinding "m" of ClusterRole "monitoring" to User "m"',
    );
  });

  it('resolves matchExpressions (In, NotIn, Exists, DoesNotExist)', () => {
    const labels = { tier: 'debug', team: 'sre' };
    expect(labelSelectorMatches({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['debug', 'x'] }] }, labels)).toBe(true);
    expect(labelSelectorMatches({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['x'] }] }, labels)).toBe(false);
    expect(labelSelectorMatches({ matchExpressions: [{ key: 'nope', operator: 'In', values: ['x'] }] }, labels)).toBe(false);
    expect(labelSelectorMatches({ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['x'] }] }, labels)).toBe(true);
    expect(labelSelectorMatches({ matchExpressions: [{ key: 'nope', operator: 'NotIn', values: ['x'] }] }, labels)).toBe(true);
    expect(labelSelectorMatches({ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['debug'] }] }, labels)).toBe(false);
    expect(labelSelectorMatches({ matchExpressions: [{ key: 'team', operator: 'Exists' }] }, labels)).toBe(true);
    expect(labelSelectorMatches({ matchExpressions: [{ key: 'nope', operator: 'Exists' }] }, labels)).toBe(false);
    expect(labelSelectorMatches({ matchExpressions: [{ key: 'nope', operator: 'DoesNotExist' }] }, labels)).toBe(true);
    expect(labelSelectorMatches({ matchExpressions: [{ key: 'team', operator: 'DoesNotExist' }] }, labels)).toBe(false);
    // invalid selectors select nothing
    expect(labelSelectorMatches({ matchExpressions: [{ key: 'tier', operator: 'In', values: [] }] }, labels)).toBe(false);
    expect(labelSelectorMatches({ matchExpressions: [{ key: 'team', operator: 'Exists', values: ['sre'] }] }, labels)).toBe(false);
    expect(labelSelectorMatches({ matchExpressions: [{ key: 'team', operator: 'in', values: ['sre'] }] }, labels)).toBe(false);
    // matchLabels and matchExpressions are ANDed; an empty selector selects everything
    expect(labelSelectorMatches({ matchLabels: { team: 'sre' }, matchExpressions: [{ key: 'tier', operator: 'Exists' }] }, labels)).toBe(true);
    expect(labelSelectorMatches({ matchLabels: { team: 'dev' }, matchExpressions: [{ key: 'tier', operator: 'Exists' }] }, labels)).toBe(false);
    expect(labelSelectorMatches({}, labels)).toBe(true);

    const roles: ClusterRole[] = [
      cr('agg', [], { aggregationRule: { clusterRoleSelectors: [{ matchExpressions: [{ key: 'tier', operator: 'In', values: ['debug'] }] }] } }),
      cr('src', [r(['patch'], [''], ['pods/ephemeralcontainers'])], { metadata: { name: 'src', labels } }),
    ];
    const p: RbacPolicy = { roles: [], clusterRoles: roles, roleBindings: [rb('pxc', 'b', 'ClusterRole', 'agg', [user('d')])], clusterRoleBindings: [] };
    expect(authorize(res(u('d'), 'patch', 'pods', { ns: 'pxc', name: 'p', sub: 'ephemeralcontainers' }), p).allowed).toBe(true);
  });

  it('any of several selectors; rules deduplicated, sources in name order; itself excluded', () => {
    const roles: ClusterRole[] = [
      cr('agg', [], {
        metadata: { name: 'agg', labels: { a: 'true' } },
        aggregationRule: { clusterRoleSelectors: [{ matchLabels: { a: 'true' } }, { matchLabels: { b: 'true' } }] },
      }),
      cr('z-src', [r(['get'], [''], ['pods']), r(['list'], [''], ['pods'])], { metadata: { name: 'z-src', labels: { b: 'true' } } }),
      cr('a-src', [r(['get'], [''], ['pods'])], { metadata: { name: 'a-src', labels: { a: 'true', b: 'true' } } }),
    ];
    const [agg] = aggregateClusterRoles(roles);
    expect(agg.rules).toEqual([r(['get'], [''], ['pods']), r(['list'], [''], ['pods'])]);
    expect(roles[0].rules).toEqual([]); // input untouched
  });

  it('aggregation is transitive (view → edit → admin) and survives cycles', () => {
    const roles: ClusterRole[] = [
      cr('top', [], { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'to-top': 'true' } }] } }),
      cr('mid', [], {
        metadata: { name: 'mid', labels: { 'to-top': 'true' } },
        aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'to-mid': 'true' } }] },
      }),
      cr('leaf', [r(['get'], [''], ['secrets'])], { metadata: { name: 'leaf', labels: { 'to-mid': 'true' } } }),
      cr('cyc-a', [], {
        metadata: { name: 'cyc-a', labels: { 'to-b': 'true' } },
        aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'to-a': 'true' } }] },
      }),
      cr('cyc-b', [], {
        metadata: { name: 'cyc-b', labels: { 'to-a': 'true' } },
        aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'to-b': 'true' } }] },
      }),
      cr('cyc-leaf', [r(['get'], [''], ['configmaps'])], { metadata: { name: 'cyc-leaf', labels: { 'to-a': 'true' } } }),
    ];
    const out = aggregateClusterRoles(roles);
    const rulesOf = (n: string) => out.find((c) => c.metadata.name === n)!.rules;
    expect(rulesOf('top')).toEqual([r(['get'], [''], ['secrets'])]);
    expect(rulesOf('cyc-a')).toEqual([r(['get'], [''], ['configmaps'])]);
    expect(rulesOf('cyc-b')).toEqual([r(['get'], [''], ['configmaps'])]);
  });

  it('a custom aggregate-to-edit role extends edit and admin (how clusters grant kubectl debug)', () => {
    const extra = cr('debug-ephemeral', [r(['patch'], [''], ['pods/ephemeralcontainers'])], {
      metadata: { name: 'debug-ephemeral', labels: { 'rbac.authorization.k8s.io/aggregate-to-edit': 'true' } },
    });
    const debugAttrs = (who: UserInfo) => res(who, 'patch', 'pods', { ns: 'pxc', name: 'web', sub: 'ephemeralcontainers' });
    expect(authorize(debugAttrs(u('bob')), policy).allowed).toBe(false);
    expect(authorize(debugAttrs(u('ann')), policy).allowed).toBe(false);
    const p = { ...policy, clusterRoles: [...policy.clusterRoles, extra] };
    expect(authorize(debugAttrs(u('bob')), p).allowed).toBe(true);
    expect(authorize(debugAttrs(u('ann')), p).allowed).toBe(true);
    expect(authorize(debugAttrs(u('vic')), p).allowed).toBe(false);
  });
});

// ---------------------------------------------------------------------------

describe('bootstrap edit / view / admin', () => {
  const pxc = (who: string, verb: string, resource: string, sub = '', group = '') =>
    res(u(who), verb, resource, { ns: 'pxc', name: verb === 'list' || verb === 'create' && !sub ? '' : 'web', sub, group });

  const cases: Array<[string, RequestAttributes, boolean]> = [
    ['edit: exec', pxc('bob', 'create', 'pods', 'exec'), true],
    ['edit: exec over GET (websocket)', pxc('bob', 'get', 'pods', 'exec'), true],
    ['edit: attach', pxc('bob', 'create', 'pods', 'attach'), true],
    ['edit: portforward', pxc('bob', 'create', 'pods', 'portforward'), true],
    ['edit: proxy', pxc('bob', 'get', 'pods', 'proxy'), true],
    ['edit: logs (from view)', pxc('bob', 'get', 'pods', 'log'), true],
    ['edit: create pod', pxc('bob', 'create', 'pods'), true],
    ['edit: delete pod', pxc('bob', 'delete', 'pods'), true],
    ['edit: list pods (from view)', pxc('bob', 'list', 'pods'), true],
    ['edit: read secrets', pxc('bob', 'get', 'secrets'), true],
    ['edit: evict', pxc('bob', 'create', 'pods', 'eviction'), true],
    ['edit: scale deployments', pxc('bob', 'patch', 'deployments', 'scale', 'apps'), true],
    ['edit: impersonate serviceaccounts', pxc('bob', 'impersonate', 'serviceaccounts'), true],
    ['edit: NO ephemeral containers', pxc('bob', 'patch', 'pods', 'ephemeralcontainers'), false],
    ['edit: NO ephemeral containers via update', pxc('bob', 'update', 'pods', 'ephemeralcontainers'), false],
    ['edit: NO roles', pxc('bob', 'create', 'roles', '', 'rbac.authorization.k8s.io'), false],
    ['edit: NO pod status writes', pxc('bob', 'update', 'pods', 'status'), false],
    ['admin: roles', pxc('ann', 'create', 'rolebindings', '', 'rbac.authorization.k8s.io'), true],
    ['admin: localsubjectaccessreviews', pxc('ann', 'create', 'localsubjectaccessreviews', '', 'authorization.k8s.io'), true],
    ['admin: exec (from edit)', pxc('ann', 'create', 'pods', 'exec'), true],
    ['admin: logs (from view via edit)', pxc('ann', 'get', 'pods', 'log'), true],
    ['admin: NO ephemeral containers', pxc('ann', 'patch', 'pods', 'ephemeralcontainers'), false],
    ['view: get pods', pxc('vic', 'get', 'pods'), true],
    ['view: watch pods', pxc('vic', 'watch', 'pods'), true],
    ['view: logs', pxc('vic', 'get', 'pods', 'log'), true],
    ['view: NO secrets', pxc('vic', 'get', 'secrets'), false],
    ['view: NO exec', pxc('vic', 'create', 'pods', 'exec'), false],
    ['view: NO delete', pxc('vic', 'delete', 'pods'), false],
  ];
  it.each(cases)('%s', (_n, attrs, allowed) => {
    expect(authorize(attrs, policy).allowed).toBe(allowed);
  });

  it('edit is granted through the aggregated rules, with the right reason', () => {
    expect(authorize(pxc('bob', 'create', 'pods', 'exec'), policy).reason).toBe(
      'RBAC: allowed by RoleBinding "edit-bob/pxc" of ClusterRole "edit" to User "bob"',
    );
  });
});

describe('bootstrap policy for any authenticated user', () => {
  const b = bootstrapPolicy();
  const anyone = u('someone');
  const allowedCases: RequestAttributes[] = [
    res(anyone, 'create', 'selfsubjectaccessreviews', { group: 'authorization.k8s.io' }),
    res(anyone, 'create', 'selfsubjectrulesreviews', { group: 'authorization.k8s.io' }),
    res(anyone, 'create', 'selfsubjectreviews', { group: 'authentication.k8s.io' }),
    ...['/api', '/api/v1', '/apis', '/apis/apps/v1', '/version', '/version/', '/healthz', '/livez', '/readyz', '/openapi/v2', '/openapi/v3/api/v1'].map(
      (p) => url(anyone, 'get', p),
    ),
  ];
  const deniedCases: RequestAttributes[] = [
    res(anyone, 'list', 'pods', { ns: 'default' }),
    res(anyone, 'get', 'pods', { ns: 'default', name: 'x' }),
    res(anyone, 'list', 'namespaces'),
    res(anyone, 'create', 'subjectaccessreviews', { group: 'authorization.k8s.io' }),
    res(anyone, 'create', 'localsubjectaccessreviews', { group: 'authorization.k8s.io', ns: 'default' }),
    res(anyone, 'get', 'selfsubjectaccessreviews', { group: 'authorization.k8s.io' }),
    res(anyone, 'patch', 'pods', { ns: 'default', name: 'x', sub: 'ephemeralcontainers' }),
    res(anyone, 'impersonate', 'users', { name: 'admin' }),
    url(anyone, 'post', '/api'),
    url(anyone, 'get', '/metrics'),
    url(anyone, 'get', '/healthz/etcd'),
    url(anyone, 'get', '/'),
    url(anyone, 'get', '/logs/'),
  ];
  it.each(allowedCases.map((a) => [a.resourceRequest ? `${a.verb} ${a.resource}` : `${a.verb} ${a.path}`, a] as const))(
    'allows %s',
    (_n, a) => expect(authorize(a, b).allowed).toBe(true),
  );
  it.each(deniedCases.map((a) => [a.resourceRequest ? `${a.verb} ${a.resource}${a.subresource ? '/' + a.subresource : ''}` : `${a.verb} ${a.path}`, a] as const))(
    'denies %s',
    (_n, a) => expect(authorize(a, b)).toEqual({ allowed: false, reason: '' }),
  );

  it('the reason names the bootstrap binding', () => {
    expect(authorize(allowedCases[0], b).reason).toBe(
      'RBAC: allowed by ClusterRoleBinding "system:basic-user" of ClusterRole "system:basic-user" to Group "system:authenticated"',
    );
    expect(authorize(url(anyone, 'get', '/apis'), b).reason).toBe(
      'RBAC: allowed by ClusterRoleBinding "system:discovery" of ClusterRole "system:discovery" to Group "system:authenticated"',
    );
  });

  it('anonymous gets only public info (healthz, version), not discovery or reviews', () => {
    const anon = withAuthenticatedGroup({ name: 'system:anonymous', groups: [] });
    expect(anon.groups).toEqual(['system:unauthenticated']);
    expect(authorize(url(anon, 'get', '/version'), b)).toEqual({
      allowed: true,
      reason: 'RBAC: allowed by ClusterRoleBinding "system:public-info-viewer" of ClusterRole "system:public-info-viewer" to Group "system:unauthenticated"',
    });
    expect(authorize(url(anon, 'get', '/healthz'), b).allowed).toBe(true);
    expect(authorize(url(anon, 'get', '/api'), b).allowed).toBe(false);
    expect(authorize(res(anon, 'create', 'selfsubjectaccessreviews', { group: 'authorization.k8s.io' }), b).allowed).toBe(false);
  });

  it('a user without system:authenticated (never passed through withAuthenticatedGroup) gets nothing', () => {
    expect(authorize(url({ name: 'raw', groups: [] }, 'get', '/api'), b).allowed).toBe(false);
  });

  it('system:masters may do anything; cluster-admin is bound to it', () => {
    const root = u('kubernetes-admin', ['system:masters']);
    expect(authorize(res(root, 'patch', 'pods', { ns: 'x', name: 'p', sub: 'ephemeralcontainers' }), b)).toEqual({ allowed: true, reason: '' });
    const binding = b.clusterRoleBindings.find((x) => x.metadata.name === 'cluster-admin')!;
    expect(binding.subjects).toEqual([{ apiGroup: G, kind: 'Group', name: 'system:masters' }]);
    expect(binding.roleRef).toEqual({ apiGroup: G, kind: 'ClusterRole', name: 'cluster-admin' });
  });

  it('cluster-admin bound elsewhere grants everything with an RBAC reason', () => {
    const p = { ...b, clusterRoleBindings: [...b.clusterRoleBindings, crb('ops', 'cluster-admin', [group('ops')])] };
    expect(authorize(res(u('o', ['ops']), 'delete', 'nodes', { name: 'n' }), p)).toEqual({
      allowed: true,
      reason: 'RBAC: allowed by ClusterRoleBinding "ops" of ClusterRole "cluster-admin" to Group "ops"',
    });
    expect(authorize(url(u('o', ['ops']), 'put', '/anything'), p).allowed).toBe(true);
  });

  it('objects look like a live cluster: names, labels, annotations, aggregation', () => {
    const names = b.clusterRoles.map((c) => c.metadata.name);
    expect(names).toEqual([
      'admin',
      'cluster-admin',
      'edit',
      'system:aggregate-to-admin',
      'system:aggregate-to-edit',
      'system:aggregate-to-view',
      'system:basic-user',
      'system:discovery',
      'system:public-info-viewer',
      'view',
    ]);
    expect(b.clusterRoleBindings.map((c) => c.metadata.name)).toEqual([
      'cluster-admin',
      'system:basic-user',
      'system:discovery',
      'system:public-info-viewer',
    ]);
    for (const o of [...b.clusterRoles, ...b.clusterRoleBindings]) {
      expect(o.apiVersion).toBe('rbac.authorization.k8s.io/v1');
      expect(o.metadata.labels?.['kubernetes.io/bootstrapping']).toBe('rbac-defaults');
      expect(o.metadata.annotations).toEqual({ 'rbac.authorization.kubernetes.io/autoupdate': 'true' });
    }
    const byName = (n: string) => b.clusterRoles.find((c) => c.metadata.name === n)!;
    expect(byName('edit').metadata.labels).toEqual({
      'kubernetes.io/bootstrapping': 'rbac-defaults',
      'rbac.authorization.k8s.io/aggregate-to-admin': 'true',
    });
    expect(byName('view').metadata.labels?.['rbac.authorization.k8s.io/aggregate-to-edit']).toBe('true');
    expect(byName('admin').aggregationRule).toEqual({
      clusterRoleSelectors: [{ matchLabels: { 'rbac.authorization.k8s.io/aggregate-to-admin': 'true' } }],
    });
    // stored rules already aggregated: admin = edit (= aggregate-to-edit + view) + aggregate-to-admin
    const n = (x: string) => byName(x).rules!.length;
    expect(n('view')).toBe(n('system:aggregate-to-view'));
    expect(n('edit')).toBe(n('system:aggregate-to-edit') + n('view'));
    expect(n('admin')).toBe(n('edit') + n('system:aggregate-to-admin'));
    expect(byName('admin').rules![0]).toEqual(byName('system:aggregate-to-edit').rules![0]);
    expect(byName('system:discovery').rules).toEqual([
      {
        verbs: ['get'],
        nonResourceURLs: ['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/'],
      },
    ]);
    expect(b.clusterRoleBindings.find((x) => x.metadata.name === 'system:public-info-viewer')!.subjects!.map((s) => s.name)).toEqual([
      'system:authenticated',
      'system:unauthenticated',
    ]);
  });

  it('returns fresh objects each call', () => {
    const one = bootstrapPolicy();
    one.clusterRoles[0].metadata.name = 'changed';
    one.clusterRoles[1].rules!.push(r(['x'], [''], ['y']));
    const two = bootstrapPolicy();
    expect(two.clusterRoles[0].metadata.name).toBe('admin');
    expect(two.clusterRoles[1].rules).toHaveLength(2);
  });
});

// ---------------------------------------------------------------------------

describe('forbiddenMessage', () => {
  const cases: Array<[RequestAttributes, string]> = [
    [res(u('alice'), 'get', 'pods', { ns: 'pxc', name: 'x' }),
      'pods "x" is forbidden: User "alice" cannot get resource "pods" in API group "" in the namespace "pxc"'],
    [res(u('sam'), 'list', 'pods'), 'pods is forbidden: User "sam" cannot list resource "pods" in API group "" at the cluster scope'],
    [res(u('sam'), 'list', 'pods', { ns: 'default' }),
      'pods is forbidden: User "sam" cannot list resource "pods" in API group "" in the namespace "default"'],
    [res(u('alice'), 'patch', 'pods', { ns: 'pxc', name: 'web', sub: 'ephemeralcontainers' }),
      'pods "web" is forbidden: User "alice" cannot patch resource "pods/ephemeralcontainers" in API group "" in the namespace "pxc"'],
    [res(u('alice'), 'create', 'pods', { ns: 'pxc', name: 'web', sub: 'exec' }),
      'pods "web" is forbidden: User "alice" cannot create resource "pods/exec" in API group "" in the namespace "pxc"'],
    [res(u('alice'), 'create', 'deployments', { ns: 'pxc', group: 'apps' }),
      'deployments.apps is forbidden: User "alice" cannot create resource "deployments" in API group "apps" in the namespace "pxc"'],
    [res(u('alice'), 'create', 'selfsubjectaccessreviews', { group: 'authorization.k8s.io' }),
      'selfsubjectaccessreviews.authorization.k8s.io is forbidden: User "alice" cannot create resource "selfsubjectaccessreviews" in API group "authorization.k8s.io" at the cluster scope'],
    [url(u('bob'), 'get', '/foo'), 'forbidden: User "bob" cannot get path "/foo"'],
    [url(withAuthenticatedGroup({ name: 'system:anonymous', groups: [] }), 'get', '/'), 'forbidden: User "system:anonymous" cannot get path "/"'],
    [res(sa('ephemera', 'dashboard'), 'impersonate', 'users', { name: 'alice' }),
      'users "alice" is forbidden: User "system:serviceaccount:ephemera:dashboard" cannot impersonate resource "users" in API group "" at the cluster scope'],
    [res(u('x'), 'impersonate', 'serviceaccounts', { ns: 'pxc', name: 'dashboard' }),
      'serviceaccounts "dashboard" is forbidden: User "x" cannot impersonate resource "serviceaccounts" in API group "" in the namespace "pxc"'],
    [res(u('x'), 'impersonate', 'userextras', { group: 'authentication.k8s.io', sub: 'scopes', name: 'view' }),
      'userextras.authentication.k8s.io "view" is forbidden: User "x" cannot impersonate resource "userextras/scopes" in API group "authentication.k8s.io" at the cluster scope'],
    // Go %q escaping and the HTML sanitizer (applied to the detail only)
    [res(u('a"b'), 'get', 'pods', { ns: 'n', name: 'p"q' }),
      'pods "p\\"q" is forbidden: User "a\\"b" cannot get resource "pods" in API group "" in the namespace "n"'],
    [url(u('bob'), 'get', '/<script>&'), 'forbidden: User "bob" cannot get path "/&lt;script&gt;&amp;"'],
  ];
  it.each(cases)('%#: %s', (attrs, msg) => {
    expect(forbiddenMessage(attrs)).toBe(msg);
  });

  it('appends the authorizer reason after ": "', () => {
    const attrs = res(u('dangler'), 'get', 'pods', { name: 'x' });
    const reason = authorize(attrs, policy).reason;
    expect(forbiddenMessage(attrs, reason)).toBe(
      'pods "x" is forbidden: User "dangler" cannot get resource "pods" in API group "" at the cluster scope: ' +
        'RBAC: clusterrole.rbac.authorization.k8s.io "does-not-exist" not found',
    );
  });

  it('forbiddenError is the 403 Status with details', () => {
    const e = forbiddenError(res(u('alice'), 'get', 'pods', { ns: 'pxc', name: 'x' }));
    expect(e).toBeInstanceOf(StatusError);
    expect(e.status).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'pods "x" is forbidden: User "alice" cannot get resource "pods" in API group "" in the namespace "pxc"',
      reason: 'Forbidden',
      details: { name: 'x', kind: 'pods' },
      code: 403,
    });
    expect(forbiddenError(res(u('a'), 'list', 'deployments', { group: 'apps' })).status.details).toEqual({ group: 'apps', kind: 'deployments' });
    expect(forbiddenError(url(u('bob'), 'get', '/foo')).status.details).toEqual({});
  });
});

describe('goQuote', () => {
  it.each([
    ['plain', '"plain"'],
    ['a"b\\c', '"a\\"b\\\\c"'],
    ['tab\tnl\n', '"tab\\tnl\\n"'],
    ['\x01\x7f', '"\\x01\\x7f"'],
    ['héllo ✓', '"héllo ✓"'],
    ['\u200b', '"\\u200b"'],
  ])('%j', (s, q) => expect(goQuote(s)).toBe(q));
});

// ---------------------------------------------------------------------------

describe('rulesReview', () => {
  const basicUser = [
    { verbs: ['create'], apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'] },
    { verbs: ['create'], apiGroups: ['authentication.k8s.io'], resources: ['selfsubjectreviews'] },
  ];
  const discovery = {
    verbs: ['get'],
    nonResourceURLs: ['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/'],
  };
  const publicInfo = { verbs: ['get'], nonResourceURLs: ['/healthz', '/livez', '/readyz', '/version', '/version/'] };

  it('an authenticated user with no bindings sees the bootstrap rules', () => {
    expect(rulesReview(u('someone'), 'default', bootstrapPolicy())).toEqual({
      resourceRules: basicUser,
      nonResourceRules: [discovery, publicInfo],
      incomplete: false,
    });
  });

  it('cluster-wide bindings first, then that namespace\'s bindings only', () => {
    const got = rulesReview(alice, 'pxc', policy);
    expect(got.resourceRules).toEqual([
      ...basicUser,
      { verbs: ['get'], apiGroups: [''], resources: ['pods'] },
      { verbs: ['patch'], apiGroups: [''], resources: ['pods/ephemeralcontainers'] },
    ]);
    expect(got.nonResourceRules).toEqual([discovery, publicInfo]);
    expect(got.incomplete).toBe(false);
    expect(got).not.toHaveProperty('evaluationError');
    expect(rulesReview(alice, 'default', policy).resourceRules).toEqual(basicUser);
  });

  it('resourceNames kept, empty fields omitted, mixed rules split', () => {
    expect(rulesReview(u('nina'), 'pxc', policy).resourceRules.at(-1)).toEqual({
      verbs: ['get', 'list', 'watch', 'delete', 'create'],
      apiGroups: [''],
      resources: ['pods'],
      resourceNames: ['web-1'],
    });
    const p: RbacPolicy = {
      roles: [],
      roleBindings: [],
      clusterRoles: [
        cr('odd', [
          { verbs: ['get'], resources: ['things'] },
          { verbs: ['get'], apiGroups: [''], resources: ['pods'], nonResourceURLs: ['/x'] },
          { verbs: ['get'], apiGroups: ['apps'] },
        ]),
      ],
      clusterRoleBindings: [crb('b', 'odd', [user('x')])],
    };
    expect(rulesReview(u('x'), 'ns', p)).toEqual({
      resourceRules: [
        { verbs: ['get'], resources: ['things'] },
        { verbs: ['get'], apiGroups: [''], resources: ['pods'] },
      ],
      nonResourceRules: [{ verbs: ['get'], nonResourceURLs: ['/x'] }],
      incomplete: false,
    });
  });

  it('service accounts: SA subject and SA groups', () => {
    const got = rulesReview(pxcDashboard, 'pxc', policy);
    expect(got.resourceRules.at(-1)).toEqual({ verbs: ['create', 'get'], apiGroups: [''], resources: ['pods/exec', 'pods/attach'] });
    const mon = rulesReview(sa('monitoring', 'prom'), 'anything', policy);
    expect(mon.resourceRules.at(-1)).toEqual({ verbs: ['get', 'list', 'watch'], apiGroups: [''], resources: ['pods'] });
  });

  it('aggregated roles are expanded', () => {
    const got = rulesReview(u('vic'), 'pxc', policy);
    const view = bootstrapPolicy().clusterRoles.find((c) => c.metadata.name === 'view')!;
    expect(got.resourceRules.slice(basicUser.length)).toEqual(view.rules);
  });

  it('resolution errors become evaluationError (without the RBAC: prefix)', () => {
    const got = rulesReview(u('dangler'), 'pxc', policy);
    expect(got.incomplete).toBe(false);
    expect(got.evaluationError).toBe(
      '[clusterrole.rbac.authorization.k8s.io "does-not-exist" not found, role.rbac.authorization.k8s.io "nope" not found, clusterrole.rbac.authorization.k8s.io "nope-either" not found]',
    );
    expect(rulesReview(u('dangler'), '', policy).evaluationError).toBe('clusterrole.rbac.authorization.k8s.io "does-not-exist" not found');
  });

  it('returns copies, not the policy\'s arrays', () => {
    const got = rulesReview(u('someone'), 'default', policy);
    got.resourceRules[0].verbs.push('delete');
    expect(rulesReview(u('someone'), 'default', policy).resourceRules[0].verbs).toEqual(['create']);
  });
});

// ---------------------------------------------------------------------------

describe('withAuthenticatedGroup', () => {
  it.each<[string, UserInfo, string[]]>([
    ['adds system:authenticated', { name: 'alice', groups: [] }, ['system:authenticated']],
    ['keeps other groups first', { name: 'alice', groups: ['dev'] }, ['dev', 'system:authenticated']],
    ['idempotent', { name: 'alice', groups: ['system:authenticated', 'dev'] }, ['system:authenticated', 'dev']],
    ['explicit system:unauthenticated wins', { name: 'alice', groups: ['system:unauthenticated'] }, ['system:unauthenticated']],
    ['anonymous gets system:unauthenticated', { name: 'system:anonymous', groups: [] }, ['system:unauthenticated']],
    ['anonymous keeps its groups', { name: 'system:anonymous', groups: ['x'] }, ['x', 'system:unauthenticated']],
    ['SA without groups gets SA groups', { name: 'system:serviceaccount:ephemera:dashboard', groups: [] },
      ['system:serviceaccounts', 'system:serviceaccounts:ephemera', 'system:authenticated']],
    ['SA with explicit groups keeps only those', { name: 'system:serviceaccount:ephemera:dashboard', groups: ['g'] }, ['g', 'system:authenticated']],
    ['malformed SA name is a plain user', { name: 'system:serviceaccount:Bad_NS:x', groups: [] }, ['system:authenticated']],
  ])('%s', (_n, input, groups) => {
    const before = structuredClone(input);
    const out = withAuthenticatedGroup(input);
    expect(out.groups).toEqual(groups);
    expect(out.name).toBe(input.name);
    expect(input).toEqual(before);
  });

  it('keeps uid and extra', () => {
    expect(withAuthenticatedGroup({ name: 'a', uid: '1', groups: [], extra: { k: ['v'] } })).toEqual({
      name: 'a',
      uid: '1',
      groups: ['system:authenticated'],
      extra: { k: ['v'] },
    });
  });

  it('parses service-account usernames like serviceaccount.SplitUsername', () => {
    expect(parseServiceAccountUsername('system:serviceaccount:ns:name')).toEqual({ namespace: 'ns', name: 'name' });
    expect(parseServiceAccountUsername('system:serviceaccount:ns:a.b-c')).toEqual({ namespace: 'ns', name: 'a.b-c' });
    expect(parseServiceAccountUsername('system:serviceaccount:ns')).toBeNull();
    expect(parseServiceAccountUsername('system:serviceaccount:ns:a:b')).toBeNull();
    expect(parseServiceAccountUsername('system:serviceaccount::name')).toBeNull();
    expect(parseServiceAccountUsername('system:serviceaccount:ns.x:name')).toBeNull();
    expect(parseServiceAccountUsername('alice')).toBeNull();
  });
});

// ---------------------------------------------------------------------------

describe('impersonation', () => {
  const dash = sa('ephemera', 'dashboard');

  it('no headers: null', () => {
    expect(impersonation(dash, {})).toBeNull();
  });

  it('user + groups: one check each, identity gets system:authenticated', () => {
    const plan = impersonation(dash, { user: 'alice', groups: ['dev', 'ops'] })!;
    expect(plan.checks.map((c) => [c.verb, c.apiGroup, c.resource, c.subresource, c.namespace, c.name])).toEqual([
      ['impersonate', '', 'users', '', '', 'alice'],
      ['impersonate', '', 'groups', '', '', 'dev'],
      ['impersonate', '', 'groups', '', '', 'ops'],
    ]);
    expect(plan.checks.every((c) => c.user === dash && c.resourceRequest)).toBe(true);
    expect(plan.user).toEqual({ name: 'alice', groups: ['dev', 'ops', 'system:authenticated'] });
  });

  it('a service-account username is checked as serviceaccounts in its namespace and gets SA groups', () => {
    const plan = impersonation(dash, { user: 'system:serviceaccount:pxc:runner' })!;
    expect(plan.checks).toHaveLength(1);
    expect(plan.checks[0]).toMatchObject({ verb: 'impersonate', apiGroup: '', resource: 'serviceaccounts', namespace: 'pxc', name: 'runner' });
    expect(plan.user.groups).toEqual(['system:serviceaccounts', 'system:serviceaccounts:pxc', 'system:authenticated']);
    expect(forbiddenMessage(plan.checks[0])).toBe(
      'serviceaccounts "runner" is forbidden: User "system:serviceaccount:ephemera:dashboard" cannot impersonate resource "serviceaccounts" in API group "" in the namespace "pxc"',
    );
  });

  it('extras (key lower-cased and unescaped) and uid', () => {
    const plan = impersonation(dash, { user: 'alice', extra: { 'Acme.com%2Fproject': ['p1', 'p2'] }, uid: 'u-1' })!;
    expect(plan.checks.slice(1).map((c) => [c.apiGroup, c.resource, c.subresource, c.name])).toEqual([
      ['authentication.k8s.io', 'userextras', 'acme.com/project', 'p1'],
      ['authentication.k8s.io', 'userextras', 'acme.com/project', 'p2'],
      ['authentication.k8s.io', 'uids', '', 'u-1'],
    ]);
    expect(plan.user).toEqual({ name: 'alice', uid: 'u-1', groups: ['system:authenticated'], extra: { 'acme.com/project': ['p1', 'p2'] } });
  });

  it('impersonating anonymous gives system:unauthenticated', () => {
    expect(impersonation(dash, { user: 'system:anonymous' })!.user.groups).toEqual(['system:unauthenticated']);
  });

  it('groups without a user: 400', () => {
    try {
      impersonation(dash, { groups: ['g'] });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(StatusError);
      expect((e as StatusError).status.code).toBe(400);
      expect((e as StatusError).status.message).toBe('requested [{Group  g    }] without impersonating a user');
    }
  });

  it('end to end against the policy: allowed for alice, forbidden for mallory', () => {
    const ok = impersonation(dash, { user: 'alice', groups: ['dev'] })!;
    expect(ok.checks.every((c) => authorize(c, policy).allowed)).toBe(true);
    // and the impersonated identity is then authorized as itself
    expect(authorize(res(ok.user, 'patch', 'pods', { ns: 'pxc', name: 'w', sub: 'ephemeralcontainers' }), policy).allowed).toBe(true);
    expect(authorize(url(ok.user, 'get', '/api'), policy).allowed).toBe(true);

    const bad = impersonation(dash, { user: 'mallory' })!;
    const denied = bad.checks.find((c) => !authorize(c, policy).allowed)!;
    expect(forbiddenError(denied, authorize(denied, policy).reason).status.message).toBe(
      'users "mallory" is forbidden: User "system:serviceaccount:ephemera:dashboard" cannot impersonate resource "users" in API group "" at the cluster scope',
    );
  });
});
