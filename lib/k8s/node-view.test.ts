import type { V1Node } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { nodeRoles, toNodeDetail, toNodeRow } from './node-view';

const node = (overrides: { labels?: Record<string, string>; spec?: object; conditions?: object[] } = {}): V1Node =>
  ({
    metadata: { name: 'node-a', creationTimestamp: '2026-01-01T00:00:00Z', labels: overrides.labels ?? { 'node-role.kubernetes.io/control-plane': '' } },
    spec: { podCIDR: '10.244.0.0/24', ...overrides.spec },
    status: {
      conditions: overrides.conditions ?? [
        { type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory' },
        { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: '2026-01-02T00:00:00Z' },
      ],
      capacity: { cpu: '4', memory: '16Gi', pods: '110' },
      allocatable: { cpu: '3800m', memory: '15Gi', pods: '110' },
      addresses: [{ type: 'InternalIP', address: '10.0.0.11' }, { type: 'Hostname', address: 'node-a' }],
      nodeInfo: { kubeletVersion: 'v1.32.4', osImage: 'Debian GNU/Linux 12', kernelVersion: '6.1', containerRuntimeVersion: 'containerd://1.7.24', operatingSystem: 'linux', architecture: 'amd64' },
    },
  }) as unknown as V1Node;

describe('toNodeRow (kubectl get nodes)', () => {
  it('has the status, roles, version and address', () => {
    expect(toNodeRow(node())).toEqual({
      name: 'node-a',
      status: 'Ready',
      ready: true,
      roles: 'control-plane',
      createdAt: '2026-01-01T00:00:00Z',
      version: 'v1.32.4',
      internalIP: '10.0.0.11',
      taints: 0,
    });
  });

  it('says NotReady, Unknown and SchedulingDisabled as kubectl does', () => {
    expect(toNodeRow(node({ conditions: [{ type: 'Ready', status: 'False' }] })).status).toBe('NotReady');
    expect(toNodeRow(node({ conditions: [{ type: 'Ready', status: 'Unknown' }] })).status).toBe('NotReady');
    expect(toNodeRow(node({ conditions: [] })).status).toBe('Unknown');
    expect(toNodeRow(node({ spec: { unschedulable: true } })).status).toBe('Ready,SchedulingDisabled');
  });

  it('finds roles in node-role labels and the legacy kubernetes.io/role label', () => {
    expect(nodeRoles({ 'node-role.kubernetes.io/worker': '', 'node-role.kubernetes.io/infra': 'true', 'kubernetes.io/role': 'master' })).toEqual(['infra', 'master', 'worker']);
    expect(toNodeRow(node({ labels: {} })).roles).toBe('<none>');
  });
});

describe('toNodeDetail', () => {
  it('lists conditions, capacity beside allocatable, taints and system info', () => {
    const detail = toNodeDetail(node({ spec: { taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }, { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }] } }));
    expect(detail.conditions[1]).toEqual({ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatAt: '2026-01-02T00:00:00Z' });
    expect(detail.resources).toEqual([
      { name: 'cpu', capacity: '4', allocatable: '3800m' },
      { name: 'memory', capacity: '16Gi', allocatable: '15Gi' },
      { name: 'pods', capacity: '110', allocatable: '110' },
    ]);
    expect(detail.taints).toEqual(['dedicated=db:NoSchedule', 'node.kubernetes.io/unreachable:NoExecute']);
    expect(detail.row.taints).toBe(2);
    expect(detail.info).toContainEqual({ label: 'Kubelet', value: 'v1.32.4' });
    expect(detail.podCIDRs).toEqual(['10.244.0.0/24']);
    expect(detail.addresses).toHaveLength(2);
  });
});
