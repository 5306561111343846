import type { ResourceKind } from './store';

/** One resource the dev cluster serves, with what discovery says of it. */
export interface ServedResource extends ResourceKind {
  singularName: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  subresources?: Array<{ name: string; kind: string; verbs: string[]; group?: string; version?: string }>;
}

const crud = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export const RESOURCES: ServedResource[] = [
  { group: '', version: 'v1', resource: 'namespaces', singularName: 'namespace', kind: 'Namespace', namespaced: false,
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], shortNames: ['ns'],
    subresources: [{ name: 'status', kind: 'Namespace', verbs: ['get', 'patch', 'update'] }] },
  { group: '', version: 'v1', resource: 'nodes', singularName: 'node', kind: 'Node', namespaced: false,
    verbs: crud, shortNames: ['no'],
    subresources: [{ name: 'status', kind: 'Node', verbs: ['get', 'patch', 'update'] }] },
  { group: '', version: 'v1', resource: 'pods', singularName: 'pod', kind: 'Pod', namespaced: true,
    verbs: crud, shortNames: ['po'], categories: ['all'],
    subresources: [
      { name: 'attach', kind: 'PodAttachOptions', verbs: ['create', 'get'] },
      { name: 'ephemeralcontainers', kind: 'Pod', verbs: ['get', 'patch', 'update'] },
      { name: 'exec', kind: 'PodExecOptions', verbs: ['create', 'get'] },
      { name: 'log', kind: 'Pod', verbs: ['get'] },
      { name: 'status', kind: 'Pod', verbs: ['get', 'patch', 'update'] },
    ] },
  { group: '', version: 'v1', resource: 'events', singularName: 'event', kind: 'Event', namespaced: true,
    verbs: crud, shortNames: ['ev'] },
  { group: '', version: 'v1', resource: 'serviceaccounts', singularName: 'serviceaccount', kind: 'ServiceAccount',
    namespaced: true, verbs: crud, shortNames: ['sa'],
    subresources: [{ name: 'token', kind: 'TokenRequest', group: 'authentication.k8s.io', version: 'v1', verbs: ['create'] }] },
  { group: '', version: 'v1', resource: 'configmaps', singularName: 'configmap', kind: 'ConfigMap', namespaced: true,
    verbs: crud, shortNames: ['cm'] },
  { group: '', version: 'v1', resource: 'secrets', singularName: 'secret', kind: 'Secret', namespaced: true, verbs: crud },
  { group: '', version: 'v1', resource: 'persistentvolumeclaims', singularName: 'persistentvolumeclaim',
    kind: 'PersistentVolumeClaim', namespaced: true, verbs: crud, shortNames: ['pvc'] },
  { group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'roles', singularName: 'role', kind: 'Role',
    namespaced: true, verbs: crud },
  { group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'rolebindings', singularName: 'rolebinding',
    kind: 'RoleBinding', namespaced: true, verbs: crud },
  { group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'clusterroles', singularName: 'clusterrole',
    kind: 'ClusterRole', namespaced: false, verbs: crud },
  { group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'clusterrolebindings', singularName: 'clusterrolebinding',
    kind: 'ClusterRoleBinding', namespaced: false, verbs: crud },
  { group: 'authorization.k8s.io', version: 'v1', resource: 'selfsubjectaccessreviews', singularName: 'selfsubjectaccessreview',
    kind: 'SelfSubjectAccessReview', namespaced: false, verbs: ['create'] },
  { group: 'authorization.k8s.io', version: 'v1', resource: 'selfsubjectrulesreviews', singularName: 'selfsubjectrulesreview',
    kind: 'SelfSubjectRulesReview', namespaced: false, verbs: ['create'] },
  { group: 'authentication.k8s.io', version: 'v1', resource: 'selfsubjectreviews', singularName: 'selfsubjectreview',
    kind: 'SelfSubjectReview', namespaced: false, verbs: ['create'] },
];

/** Resources that are verbs rather than stored objects (reviews answer a question and keep nothing). */
export const VIRTUAL_RESOURCES = new Set(['selfsubjectaccessreviews', 'selfsubjectrulesreviews', 'selfsubjectreviews']);

export function findResource(group: string, version: string, resource: string): ServedResource | undefined {
  return RESOURCES.find((r) => r.group === group && r.version === version && r.resource === resource);
}

export function kindOf(resource: string, group = ''): ServedResource {
  const found = RESOURCES.find((r) => r.resource === resource && r.group === group);
  if (!found) throw new Error(`dev cluster serves no resource ${resource} in group "${group}"`);
  return found;
}

export const KIND = {
  namespaces: kindOf('namespaces'),
  nodes: kindOf('nodes'),
  pods: kindOf('pods'),
  events: kindOf('events'),
  serviceaccounts: kindOf('serviceaccounts'),
  roles: kindOf('roles', 'rbac.authorization.k8s.io'),
  rolebindings: kindOf('rolebindings', 'rbac.authorization.k8s.io'),
  clusterroles: kindOf('clusterroles', 'rbac.authorization.k8s.io'),
  clusterrolebindings: kindOf('clusterrolebindings', 'rbac.authorization.k8s.io'),
};

export const KUBERNETES_VERSION = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.4-ephemera-dev',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2026-11-01T00:00:00Z',
  goVersion: 'go1.23.8',
  compiler: 'gc',
  platform: 'linux/amd64',
};

function groupVersions(): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const r of RESOURCES) {
    if (!r.group) continue;
    const versions = groups.get(r.group) ?? [];
    if (!versions.includes(r.version)) versions.push(r.version);
    groups.set(r.group, versions);
  }
  return groups;
}

/** GET /api */
export function apiVersions(serverAddress: string) {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

/** GET /apis (legacy discovery; kubectl accepts it in place of the aggregated form). */
export function apiGroupList() {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: [...groupVersions()].map(([name, versions]) => ({
      name,
      versions: versions.map((version) => ({ groupVersion: `${name}/${version}`, version })),
      preferredVersion: { groupVersion: `${name}/${versions[0]}`, version: versions[0] },
    })),
  };
}

export function apiGroup(name: string) {
  const versions = groupVersions().get(name);
  if (!versions) return undefined;
  return {
    kind: 'APIGroup',
    apiVersion: 'v1',
    name,
    versions: versions.map((version) => ({ groupVersion: `${name}/${version}`, version })),
    preferredVersion: { groupVersion: `${name}/${versions[0]}`, version: versions[0] },
  };
}

/** GET /api/v1 or /apis/GROUP/VERSION */
export function apiResourceList(group: string, version: string) {
  const served = RESOURCES.filter((r) => r.group === group && r.version === version);
  // TokenRequest lives under core v1 serviceaccounts but is an authentication.k8s.io kind.
  if (served.length === 0) return undefined;
  const resources: Array<Record<string, unknown>> = [];
  for (const r of served) {
    resources.push({
      name: r.resource,
      singularName: r.singularName,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: r.verbs,
      ...(r.shortNames ? { shortNames: r.shortNames } : {}),
      ...(r.categories ? { categories: r.categories } : {}),
    });
    for (const sub of r.subresources ?? []) {
      resources.push({
        name: `${r.resource}/${sub.name}`,
        singularName: '',
        namespaced: r.namespaced,
        ...(sub.group ? { group: sub.group, version: sub.version } : {}),
        kind: sub.kind,
        verbs: sub.verbs,
      });
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version, resources };
}
