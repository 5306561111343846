import os from 'node:os';
import type { DevCluster } from '../server';
import { KIND } from '../resources';
import { bootstrapPolicy } from '../rbac';
import { nodeIsolation } from '../kubelet';
import type { KubeObject } from '../types';

export const NODE_NAMES = ['node-a', 'node-b', 'node-c'];
export const DASHBOARD_NAMESPACE = 'ephemera';
export const DASHBOARD_SERVICE_ACCOUNT = 'dashboard';

function node(name: string, index: number): KubeObject {
  const resources = { cpu: '4', memory: '16363904Ki', pods: '110', 'ephemeral-storage': '101430960Ki', 'hugepages-2Mi': '0' };
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const isolation = nodeIsolation();
  const condition = (type: string, status: string, reason: string, message: string) => ({
    type, status, lastHeartbeatTime: now, lastTransitionTime: now, reason, message,
  });
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: {
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/os': 'linux',
        'beta.kubernetes.io/arch': 'amd64',
        'topology.kubernetes.io/zone': `zone-${String.fromCharCode(97 + index)}`,
        ...(index === 0 ? { 'node-role.kubernetes.io/control-plane': '' } : {}),
      },
      // Says whether this machine gives pods their own namespaces (see kubelet/isolation.ts).
      annotations: { 'node.alpha.kubernetes.io/ttl': '0', ...isolation.annotations },
    },
    spec: { podCIDR: `10.244.${index}.0/24`, podCIDRs: [`10.244.${index}.0/24`] },
    status: {
      capacity: resources,
      allocatable: { ...resources, cpu: '3800m' },
      conditions: [
        condition('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
        condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
        condition('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
        condition('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
        isolation.condition,
      ],
      addresses: [
        { type: 'InternalIP', address: `10.0.0.${11 + index}` },
        { type: 'Hostname', address: name },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        machineID: `ephemera${index}`.padEnd(32, '0'),
        systemUUID: `00000000-0000-0000-0000-00000000000${index}`,
        bootID: `00000000-0000-0000-0000-0000000000b${index}`,
        kernelVersion: os.release(),
        osImage: 'Debian GNU/Linux 12 (bookworm)',
        containerRuntimeVersion: 'containerd://1.7.24',
        kubeletVersion: 'v1.32.4',
        kubeProxyVersion: 'v1.32.4',
        operatingSystem: 'linux',
        architecture: 'amd64',
      },
    },
  };
}

/**
 * What every dev cluster starts with, scenario or not: system namespaces,
 * three nodes, the bootstrap RBAC of a real cluster, and the dashboard's own
 * service account (may impersonate, and list/watch what its shared cache needs).
 */
export function seedBase(cluster: DevCluster): void {
  for (const name of ['default', 'kube-system', 'kube-public', 'kube-node-lease', DASHBOARD_NAMESPACE]) {
    cluster.create(KIND.namespaces, '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  }
  NODE_NAMES.forEach((name, i) => cluster.create(KIND.nodes, '', node(name, i)));

  const policy = bootstrapPolicy();
  for (const role of policy.clusterRoles) cluster.create(KIND.clusterroles, '', role as KubeObject);
  for (const binding of policy.clusterRoleBindings) cluster.create(KIND.clusterrolebindings, '', binding as KubeObject);
  for (const role of policy.roles) cluster.create(KIND.roles, (role as KubeObject).metadata.namespace ?? '', role as KubeObject);
  for (const binding of policy.roleBindings) cluster.create(KIND.rolebindings, (binding as KubeObject).metadata.namespace ?? '', binding as KubeObject);

  cluster.create(KIND.serviceaccounts, DASHBOARD_NAMESPACE, {
    apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: DASHBOARD_SERVICE_ACCOUNT, namespace: DASHBOARD_NAMESPACE },
  });
  cluster.create(KIND.clusterroles, '', {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: 'ephemera:dashboard', labels: { 'app.kubernetes.io/name': 'ephemera' } },
    rules: [
      { apiGroups: [''], resources: ['users', 'groups', 'serviceaccounts'], verbs: ['impersonate'] },
      { apiGroups: [''], resources: ['pods', 'nodes', 'namespaces', 'events'], verbs: ['get', 'list', 'watch'] },
    ],
  });
  cluster.create(KIND.clusterrolebindings, '', {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: 'ephemera:dashboard', labels: { 'app.kubernetes.io/name': 'ephemera' } },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'ephemera:dashboard' },
    subjects: [{ kind: 'ServiceAccount', name: DASHBOARD_SERVICE_ACCOUNT, namespace: DASHBOARD_NAMESPACE }],
  });
}
