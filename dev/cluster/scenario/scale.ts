import type { DevCluster } from '../server';
import { KIND } from '../resources';
import type { KubeObject } from '../types';

/** Nodes carrying this annotation have no kubelet processes: a hollow kubelet (as kubemark's) reports their pods Running at once. */
export const HOLLOW_ANNOTATION = 'ephemera.dev/hollow';

export interface ScaleOptions {
  pods: number;
  namespaces: number;
  nodes?: number;
}

/**
 * Many pods for benchmarks and for the pods page at scale: `pods` pods spread
 * over `namespaces` namespaces (`scale-00` …) on hollow nodes, so no process
 * runs for them. Their status is what a kubelet would report for a running
 * single-container pod; the API, watch and Tables treat them as any other pod.
 */
export function seedScale(cluster: DevCluster, options: ScaleOptions): void {
  const nodeCount = options.nodes ?? 10;
  for (let n = 0; n < nodeCount; n++) {
    cluster.create(KIND.nodes, '', {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name: `hollow-node-${n}`,
        labels: { 'kubernetes.io/hostname': `hollow-node-${n}`, 'kubernetes.io/os': 'linux', 'ephemera.dev/hollow': 'true' },
        annotations: { [HOLLOW_ANNOTATION]: 'true' },
      },
      spec: { podCIDR: `10.250.${n}.0/24` },
      status: {
        conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'hollow kubelet is posting ready status' }],
        addresses: [{ type: 'InternalIP', address: `10.1.${n}.1` }],
        nodeInfo: { kubeletVersion: 'v1.32.4', containerRuntimeVersion: 'containerd://1.7.24', osImage: 'Hollow', kernelVersion: 'hollow', operatingSystem: 'linux', architecture: 'amd64' },
        capacity: { cpu: '64', memory: '256Gi', pods: '2000' },
        allocatable: { cpu: '64', memory: '256Gi', pods: '2000' },
      },
    });
  }
  const width = String(options.namespaces - 1).length;
  const namespaces = Array.from({ length: options.namespaces }, (_, i) => `scale-${String(i).padStart(Math.max(2, width), '0')}`);
  for (const name of namespaces) cluster.create(KIND.namespaces, '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  for (let i = 0; i < options.pods; i++) {
    const namespace = namespaces[i % namespaces.length];
    const pod: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `web-${String(i).padStart(5, '0')}`, namespace, labels: { app: 'web', shard: String(i % 7) } },
      spec: { nodeName: `hollow-node-${i % nodeCount}`, containers: [{ name: 'web', image: 'nginx:1.27' }] },
    };
    cluster.create(KIND.pods, namespace, pod);
  }
}
