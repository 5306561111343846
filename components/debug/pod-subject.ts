// The pod as the debug form needs it, from the pod page's view model: its
// containers (targets, exec), its running ephemeral containers (re-attach),
// its volumes, and whether it is crash-looping (then a copy comes first).
import { isCrashLooping } from '@/lib/debug/form';
import type { PodDetail } from '@/lib/k8s/pod-view';
import type { DebugSubject } from './debug-form';

export function podSubject(detail: PodDetail): Extract<DebugSubject, { kind: 'pod' }> {
  const regular = detail.containers.filter((c) => c.kind === 'container' || c.kind === 'sidecar');
  return {
    kind: 'pod',
    namespace: detail.row.namespace,
    name: detail.row.name,
    containers: regular.map((c) => c.name),
    runningEphemeral: detail.containers.filter((c) => c.kind === 'ephemeral' && c.status.state === 'running' && c.stdin).map((c) => ({ name: c.name, image: c.image })),
    volumes: detail.volumes.map((v) => ({ name: v.name, source: v.source, mountedAt: v.mountedBy.filter((m) => m.kind !== 'ephemeral').map((m) => `${m.mountPath} (${m.container})`) })),
    crashLooping: isCrashLooping(
      detail.row.status,
      detail.containers.map((c) => c.status.reason),
    ),
  };
}
