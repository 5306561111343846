// Nodes as the UI shows them: a row (kubectl get nodes' columns and a few
// more) and a detail (conditions, capacity/allocatable, taints, addresses).
// Pure mappers from API objects, copying fields by name.

import type { V1Node } from '@kubernetes/client-node';
import { isoTime } from './duration';

export interface NodeRow {
  name: string;
  /** kubectl's STATUS: "Ready", "NotReady", "Unknown", with ",SchedulingDisabled" when cordoned. */
  status: string;
  ready: boolean;
  /** "control-plane", or "<none>". */
  roles: string;
  createdAt?: string;
  version: string;
  internalIP: string;
  taints: number;
}

export interface NodeResource {
  name: string;
  capacity?: string;
  allocatable?: string;
}

export interface NodeDetail {
  row: NodeRow;
  unschedulable: boolean;
  conditions: Array<{ type: string; status: string; reason?: string; message?: string; lastHeartbeatAt?: string; lastTransitionAt?: string }>;
  resources: NodeResource[];
  /** "dedicated=db:NoSchedule". */
  taints: string[];
  addresses: Array<{ type: string; address: string }>;
  info: Array<{ label: string; value: string }>;
  podCIDRs: string[];
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

/** kubectl's findNodeRoles: node-role.kubernetes.io/<role> labels and the legacy kubernetes.io/role label. */
export function nodeRoles(labels: Readonly<Record<string, string>>): string[] {
  const roles = new Set<string>();
  for (const [key, value] of Object.entries(labels)) {
    if (key.startsWith('node-role.kubernetes.io/')) {
      const role = key.slice('node-role.kubernetes.io/'.length);
      if (role) roles.add(role);
    } else if (key === 'kubernetes.io/role' && value) {
      roles.add(value);
    }
  }
  return [...roles].sort();
}

export function toNodeRow(node: V1Node): NodeRow {
  const readyCondition = node.status?.conditions?.find((condition) => condition.type === 'Ready');
  const status = [readyCondition ? (readyCondition.status === 'True' ? 'Ready' : 'NotReady') : 'Unknown'];
  if (node.spec?.unschedulable) status.push('SchedulingDisabled');
  const createdAt = isoTime(node.metadata?.creationTimestamp);
  return {
    name: node.metadata?.name ?? '',
    status: status.join(','),
    ready: readyCondition?.status === 'True',
    roles: nodeRoles(node.metadata?.labels ?? {}).join(',') || '<none>',
    ...(createdAt ? { createdAt } : {}),
    version: node.status?.nodeInfo?.kubeletVersion ?? '',
    internalIP: node.status?.addresses?.find((address) => address.type === 'InternalIP')?.address ?? '',
    taints: node.spec?.taints?.length ?? 0,
  };
}

const INFO_FIELDS = [
  ['osImage', 'OS image'],
  ['kernelVersion', 'Kernel'],
  ['containerRuntimeVersion', 'Container runtime'],
  ['kubeletVersion', 'Kubelet'],
  ['operatingSystem', 'Operating system'],
  ['architecture', 'Architecture'],
] as const;

export function toNodeDetail(node: V1Node): NodeDetail {
  const capacity = (node.status?.capacity ?? {}) as Record<string, unknown>;
  const allocatable = (node.status?.allocatable ?? {}) as Record<string, unknown>;
  const names = [...new Set([...Object.keys(capacity), ...Object.keys(allocatable)])].sort();
  const info = node.status?.nodeInfo as Record<string, string | undefined> | undefined;
  return {
    row: toNodeRow(node),
    unschedulable: node.spec?.unschedulable ?? false,
    conditions: (node.status?.conditions ?? []).map((c) => ({
      type: c.type,
      status: c.status,
      ...(c.reason ? { reason: c.reason } : {}),
      ...(c.message ? { message: c.message } : {}),
      ...(isoTime(c.lastHeartbeatTime) ? { lastHeartbeatAt: isoTime(c.lastHeartbeatTime) } : {}),
      ...(isoTime(c.lastTransitionTime) ? { lastTransitionAt: isoTime(c.lastTransitionTime) } : {}),
    })),
    resources: names.map((name) => ({
      name,
      ...(capacity[name] !== undefined ? { capacity: String(capacity[name]) } : {}),
      ...(allocatable[name] !== undefined ? { allocatable: String(allocatable[name]) } : {}),
    })),
    taints: (node.spec?.taints ?? []).map((taint) => `${taint.key}${taint.value ? `=${taint.value}` : ''}:${taint.effect}`),
    addresses: (node.status?.addresses ?? []).map((address) => ({ type: address.type, address: address.address })),
    info: INFO_FIELDS.flatMap(([field, label]) => (info?.[field] ? [{ label, value: info[field]! }] : [])),
    podCIDRs: node.spec?.podCIDRs ?? (node.spec?.podCIDR ? [node.spec.podCIDR] : []),
    labels: { ...(node.metadata?.labels ?? {}) },
    annotations: { ...(node.metadata?.annotations ?? {}) },
  };
}
