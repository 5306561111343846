import type { DevCluster } from '../server';
import { KIND, kindOf } from '../resources';
import type { ContainerSpec, KubeObject } from '../types';

/** Images of the demo; each is in the kubelet's image catalogue. */
export const DEMO_IMAGES = {
  pxc: 'percona/percona-xtradb-cluster:8.0.39-30.1',
  logCollector: 'percona/percona-xtradb-cluster-operator:1.16.1-logcollector',
  haproxy: 'percona/haproxy:2.8.11',
  operator: 'percona/percona-xtradb-cluster-operator:1.16.1',
  crashingApp: 'ghcr.io/ephemera/shop-checkout:1.4.2',
  distroless: 'gcr.io/distroless/static:nonroot',
};

const owner = (kind: string, name: string, uid: string) => ({
  apiVersion: 'apps/v1', kind, name, uid, controller: true, blockOwnerDeletion: true,
});

function pod(namespace: string, name: string, spec: Record<string, unknown>, meta: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, ...meta }, spec };
}

function pxcPod(ordinal: number): KubeObject {
  const name = `cluster1-pxc-${ordinal}`;
  const pxc: ContainerSpec = {
    name: 'pxc',
    image: DEMO_IMAGES.pxc,
    command: ['mysqld'],
    ports: [
      { containerPort: 3306, name: 'mysql', protocol: 'TCP' },
      { containerPort: 4567, name: 'write-set', protocol: 'TCP' },
    ],
    env: [
      { name: 'PXC_SERVICE', value: 'cluster1-pxc-unready' },
      { name: 'MYSQL_ROOT_PASSWORD', valueFrom: { secretKeyRef: { name: 'internal-cluster1', key: 'root' } } },
    ],
    volumeMounts: [
      { name: 'datadir', mountPath: '/var/lib/mysql' },
      { name: 'config', mountPath: '/etc/percona-xtradb-cluster.conf.d' },
    ],
    securityContext: { runAsUser: 1001, runAsGroup: 1001 },
  };
  const logs: ContainerSpec = {
    name: 'logs',
    image: DEMO_IMAGES.logCollector,
    command: ['sh', '-c', 'echo "log collector: following /var/lib/mysql"; exec sleep infinity'],
    env: [{ name: 'LOG_DATA_DIR', value: '/var/lib/mysql' }],
    volumeMounts: [{ name: 'datadir', mountPath: '/var/lib/mysql' }],
  };
  return pod(
    'pxc',
    name,
    {
      nodeName: `node-${String.fromCharCode(97 + ordinal)}`,
      hostname: name,
      subdomain: 'cluster1-pxc',
      containers: [pxc, logs],
      volumes: [
        { name: 'datadir', persistentVolumeClaim: { claimName: `datadir-${name}` } },
        { name: 'config', emptyDir: {} },
      ],
      securityContext: { fsGroup: 1001, supplementalGroups: [1001] },
      serviceAccountName: 'default',
    },
    {
      labels: {
        'app.kubernetes.io/component': 'pxc',
        'app.kubernetes.io/instance': 'cluster1',
        'app.kubernetes.io/managed-by': 'percona-xtradb-cluster-operator',
        'app.kubernetes.io/name': 'percona-xtradb-cluster',
        'app.kubernetes.io/part-of': 'percona-xtradb-cluster',
        'statefulset.kubernetes.io/pod-name': name,
      },
      annotations: { 'kubectl.kubernetes.io/default-container': 'pxc' },
      ownerReferences: [owner('StatefulSet', 'cluster1-pxc', '6f1b0c1e-0000-4000-8000-000000000001')],
    },
  );
}

/**
 * The source article's world: a Percona XtraDB Cluster in `pxc` (three
 * database pods on three nodes, HAProxy, the operator), and a `shop` with a
 * crash-looping pod and a distroless pod that has no shell. RBAC as a team
 * would set it: on-call may debug in pxc and shop, support and team leads may
 * view, platform admins are cluster-admin.
 */
export function seedDemo(cluster: DevCluster): void {
  for (const name of ['pxc', 'shop']) cluster.create(KIND.namespaces, '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });

  cluster.create(kindOf('secrets'), 'pxc', {
    apiVersion: 'v1', kind: 'Secret', metadata: { name: 'internal-cluster1', namespace: 'pxc' }, type: 'Opaque',
    data: { root: Buffer.from('demo-root-password').toString('base64') },
  });
  for (let i = 0; i < 3; i++) {
    cluster.create(kindOf('persistentvolumeclaims'), 'pxc', {
      apiVersion: 'v1', kind: 'PersistentVolumeClaim',
      metadata: { name: `datadir-cluster1-pxc-${i}`, namespace: 'pxc' },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '6Gi' } }, volumeMode: 'Filesystem' },
      status: { phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '6Gi' } },
    });
    cluster.create(KIND.pods, 'pxc', pxcPod(i));
  }
  cluster.create(KIND.pods, 'pxc', pod('pxc', 'cluster1-haproxy-0', {
    nodeName: 'node-a',
    containers: [
      { name: 'haproxy', image: DEMO_IMAGES.haproxy, ports: [{ containerPort: 3306, name: 'mysql' }] },
      { name: 'pxc-monit', image: DEMO_IMAGES.haproxy, command: ['sh', '-c', 'echo "peer-list: watching service cluster1-pxc"; exec sleep infinity'] },
    ],
  }, {
    labels: { 'app.kubernetes.io/component': 'haproxy', 'app.kubernetes.io/instance': 'cluster1' },
    ownerReferences: [owner('StatefulSet', 'cluster1-haproxy', '6f1b0c1e-0000-4000-8000-000000000002')],
  }));
  cluster.create(KIND.pods, 'pxc', pod('pxc', 'percona-xtradb-cluster-operator-6c9b8d7f5-kq2xt', {
    nodeName: 'node-b',
    containers: [{ name: 'percona-xtradb-cluster-operator', image: DEMO_IMAGES.operator, command: ['percona-xtradb-cluster-operator'] }],
  }, {
    labels: { 'app.kubernetes.io/component': 'operator', 'app.kubernetes.io/name': 'percona-xtradb-cluster-operator', 'pod-template-hash': '6c9b8d7f5' },
    ownerReferences: [owner('ReplicaSet', 'percona-xtradb-cluster-operator-6c9b8d7f5', '6f1b0c1e-0000-4000-8000-000000000003')],
  }));

  cluster.create(KIND.pods, 'shop', pod('shop', 'checkout-7d9f8b6c4-x2x9k', {
    nodeName: 'node-c',
    containers: [{ name: 'checkout', image: DEMO_IMAGES.crashingApp, env: [{ name: 'PAYMENTS_URL', value: 'http://payments:8080' }] }],
  }, {
    labels: { app: 'checkout', 'pod-template-hash': '7d9f8b6c4' },
    ownerReferences: [owner('ReplicaSet', 'checkout-7d9f8b6c4', '6f1b0c1e-0000-4000-8000-000000000004')],
  }));
  cluster.create(KIND.pods, 'shop', pod('shop', 'payments-5f7d9c8b7-m4p2w', {
    nodeName: 'node-b',
    containers: [{ name: 'payments', image: DEMO_IMAGES.distroless, ports: [{ containerPort: 8080, name: 'http' }] }],
    securityContext: { runAsNonRoot: true },
  }, {
    labels: { app: 'payments', 'pod-template-hash': '5f7d9c8b7' },
    ownerReferences: [owner('ReplicaSet', 'payments-5f7d9c8b7', '6f1b0c1e-0000-4000-8000-000000000005')],
  }));

  seedDemoRbac(cluster);
}

const RBAC = 'rbac.authorization.k8s.io';

function clusterRole(name: string, rules: unknown[]): KubeObject {
  return { apiVersion: `${RBAC}/v1`, kind: 'ClusterRole', metadata: { name }, rules };
}

function groups(...names: string[]) {
  return names.map((name) => ({ apiGroup: RBAC, kind: 'Group', name }));
}

function seedDemoRbac(cluster: DevCluster): void {
  cluster.create(KIND.clusterroles, '', clusterRole('ephemera:debugger', [
    { apiGroups: [''], resources: ['pods', 'pods/log', 'events'], verbs: ['get', 'list', 'watch'] },
    { apiGroups: [''], resources: ['pods/ephemeralcontainers'], verbs: ['get', 'patch', 'update'] },
    { apiGroups: [''], resources: ['pods/attach', 'pods/exec'], verbs: ['create', 'get'] },
    // Node debugging and pod copies are pods of their own.
    { apiGroups: [''], resources: ['pods'], verbs: ['create', 'delete'] },
  ]));
  for (const namespace of ['pxc', 'shop']) {
    cluster.create(KIND.rolebindings, namespace, {
      apiVersion: `${RBAC}/v1`, kind: 'RoleBinding', metadata: { name: 'oncall-debug', namespace },
      roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: 'ephemera:debugger' },
      subjects: groups('oncall'),
    });
  }
  cluster.create(KIND.clusterroles, '', clusterRole('ephemera:cluster-browser', [
    { apiGroups: [''], resources: ['nodes', 'namespaces'], verbs: ['get', 'list', 'watch'] },
  ]));
  cluster.create(KIND.clusterrolebindings, '', {
    apiVersion: `${RBAC}/v1`, kind: 'ClusterRoleBinding', metadata: { name: 'ephemera:cluster-browser' },
    roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: 'ephemera:cluster-browser' },
    subjects: groups('oncall', 'support', 'team-leads'),
  });
  cluster.create(KIND.clusterrolebindings, '', {
    apiVersion: `${RBAC}/v1`, kind: 'ClusterRoleBinding', metadata: { name: 'readers-view' },
    roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: 'view' },
    subjects: groups('support', 'team-leads'),
  });
  cluster.create(KIND.clusterrolebindings, '', {
    apiVersion: `${RBAC}/v1`, kind: 'ClusterRoleBinding', metadata: { name: 'platform-admins' },
    roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: 'cluster-admin' },
    subjects: groups('platform-admins'),
  });
}
