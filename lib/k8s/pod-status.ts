// A pod's READY, STATUS and RESTARTS as `kubectl get pods` prints them: a
// faithful port of kubectl's printPod (pkg/printers/internalversion/printers.go),
// kept small. Pure; takes raw JSON or client-node objects alike.

import type { V1Container, V1ContainerStatus, V1Pod } from '@kubernetes/client-node';
import { isoTime } from './duration';

export interface PodSummary {
  /** "1/2": ready containers (and started sidecars) over containers (and sidecars). */
  ready: string;
  /** kubectl's STATUS column: Running, Pending, Completed, CrashLoopBackOff, Init:0/1, Terminating… */
  status: string;
  restarts: number;
  /** When the last counted restart happened (its previous run's finishedAt), for "3 (5m ago)". */
  lastRestartAt?: string;
}

/** A sidecar: an init container with restartPolicy Always, counted with the containers. */
const isRestartable = (container: V1Container | undefined) => container?.restartPolicy === 'Always';

const later = (current: string | undefined, candidate: unknown): string | undefined => {
  const iso = isoTime(candidate);
  if (!iso) return current;
  return !current || Date.parse(current) < Date.parse(iso) ? iso : current;
};

const terminatedCode = (prefix: string, terminated: { signal?: number; exitCode?: number }) =>
  terminated.signal ? `${prefix}Signal:${terminated.signal}` : `${prefix}ExitCode:${terminated.exitCode ?? 0}`;

export function podSummary(pod: V1Pod): PodSummary {
  const spec = pod.spec;
  const status = pod.status ?? {};
  const initSpecs = new Map((spec?.initContainers ?? []).map((container) => [container.name, container]));
  const conditions = status.conditions ?? [];
  const phase = status.phase ?? '';

  const total = (spec?.containers ?? []).length + [...initSpecs.values()].filter(isRestartable).length;
  let ready = 0;
  let restarts = 0;
  let sidecarRestarts = 0;
  let lastRestartAt: string | undefined;
  let lastSidecarRestartAt: string | undefined;
  let reason = status.reason || phase;
  if (conditions.some((c) => c.type === 'PodScheduled' && c.reason === 'SchedulingGated')) reason = 'SchedulingGated';

  let initializing = false;
  const initStatuses: V1ContainerStatus[] = status.initContainerStatuses ?? [];
  for (let i = 0; i < initStatuses.length; i++) {
    const container = initStatuses[i];
    const { terminated, waiting } = container.state ?? {};
    const sidecar = isRestartable(initSpecs.get(container.name));
    restarts += container.restartCount ?? 0;
    lastRestartAt = later(lastRestartAt, container.lastState?.terminated?.finishedAt);
    if (sidecar) {
      sidecarRestarts += container.restartCount ?? 0;
      lastSidecarRestartAt = later(lastSidecarRestartAt, container.lastState?.terminated?.finishedAt);
    }
    if (terminated && terminated.exitCode === 0) continue;
    if (sidecar && container.started) {
      if (container.ready) ready++;
      continue;
    }
    initializing = true;
    if (terminated) reason = terminated.reason ? `Init:${terminated.reason}` : terminatedCode('Init:', terminated);
    else if (waiting?.reason && waiting.reason !== 'PodInitializing') reason = `Init:${waiting.reason}`;
    else reason = `Init:${i}/${initSpecs.size}`;
    break;
  }

  if (!initializing || conditions.some((c) => c.type === 'Initialized' && c.status === 'True')) {
    restarts = sidecarRestarts;
    lastRestartAt = lastSidecarRestartAt;
    let hasRunning = false;
    const statuses = status.containerStatuses ?? [];
    // Last to first, so the first container's state has the last word, as in kubectl.
    for (let i = statuses.length - 1; i >= 0; i--) {
      const container = statuses[i];
      const { waiting, terminated, running } = container.state ?? {};
      restarts += container.restartCount ?? 0;
      lastRestartAt = later(lastRestartAt, container.lastState?.terminated?.finishedAt);
      if (waiting?.reason) reason = waiting.reason;
      else if (terminated?.reason) reason = terminated.reason;
      else if (terminated) reason = terminatedCode('', terminated);
      else if (container.ready && running) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      reason = conditions.some((c) => c.type === 'Ready' && c.status === 'True') ? 'Running' : 'NotReady';
    }
  }

  const deleting = pod.metadata?.deletionTimestamp != null;
  if (deleting && status.reason === 'NodeLost') reason = 'Unknown';
  else if (deleting && phase !== 'Failed' && phase !== 'Succeeded') reason = 'Terminating';

  return { ready: `${ready}/${total}`, status: reason, restarts, ...(lastRestartAt ? { lastRestartAt } : {}) };
}
