// The pod status the kubelet reports, computed from its container statuses:
// phase (kubelet getPhase), conditions (pkg/kubelet/status/generate.go), QoS
// class, addresses. Pure functions; the pod worker supplies the facts.
import type { ContainerSpec, ContainerStatus, Pod } from '../types';
import * as msg from './messages';

type Status = NonNullable<Pod['status']>;

export interface PodFacts {
  pod: Pod;
  /** The status currently stored (conditions that others own, e.g. PodScheduled, are kept). */
  existing: Pod['status'];
  init: ContainerStatus[];
  regular: ContainerStatus[];
  ephemeral: ContainerStatus[];
  hostIP: string;
  podIP?: string;
  startTime: string;
  sandboxReady: boolean;
  podIsTerminal: boolean;
  /** lastTransitionTime for a condition now at `status` (kept while the status holds). */
  transitionTime(type: string, status: string): string;
}

const byName = (list: ContainerStatus[], name: string) => list.find((s) => s.name === name);

/** The kubelet's getPhase for regular (non-sidecar) init containers and containers. */
export function computePhase(pod: Pod, init: ContainerStatus[], regular: ContainerStatus[], podIsTerminal: boolean): string {
  const policy = pod.spec.restartPolicy ?? 'Always';
  let pendingInit = 0;
  let failedInit = 0;
  for (const c of pod.spec.initContainers ?? []) {
    const s = byName(init, c.name);
    if (!s || s.state.running) pendingInit++;
    else if (s.state.terminated) {
      if (s.state.terminated.exitCode !== 0) failedInit++;
    } else if (s.lastState.terminated) {
      if (s.lastState.terminated.exitCode !== 0) failedInit++;
    } else pendingInit++;
  }
  let unknown = 0;
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const c of pod.spec.containers) {
    const s = byName(regular, c.name);
    if (!s) unknown++;
    else if (s.state.running) running++;
    else if (s.state.terminated) {
      stopped++;
      if (s.state.terminated.exitCode === 0) succeeded++;
    } else if (s.lastState.terminated) stopped++;
    else waiting++;
  }
  if (failedInit > 0 && policy === 'Never') return 'Failed';
  if (pendingInit > 0 || waiting > 0) return 'Pending';
  if (running > 0 && unknown === 0) return 'Running';
  if (running === 0 && stopped > 0 && unknown === 0) {
    if (podIsTerminal || policy !== 'Always') {
      if (stopped === succeeded) return 'Succeeded';
      if (podIsTerminal || policy === 'Never') return 'Failed';
    }
    return 'Running';
  }
  return 'Pending';
}

/** Numeric value of a resource quantity (enough to compare requests with limits). */
function quantity(q: unknown): number {
  const m = /^([0-9.]+)([a-zA-Z]*)$/.exec(String(q ?? '').trim());
  if (!m) return NaN;
  const scale: Record<string, number> = {
    '': 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
    Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
  };
  return Number(m[1]) * (scale[m[2]] ?? NaN);
}

/** The QoS class from cpu/memory requests and limits (pkg/apis/core/helper/qos). */
export function qosClass(pod: Pod): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const containers: ContainerSpec[] = [...(pod.spec.initContainers ?? []), ...pod.spec.containers];
  let any = false;
  let guaranteed = true;
  for (const c of containers) {
    const res = (c.resources ?? {}) as { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
    for (const r of ['cpu', 'memory']) {
      const req = res.requests?.[r];
      const lim = res.limits?.[r];
      if (req !== undefined || lim !== undefined) any = true;
      if (lim === undefined || (req !== undefined && quantity(req) !== quantity(lim))) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

interface Condition {
  type: string;
  status: 'True' | 'False';
  reason?: string;
  message?: string;
}

function readiness(f: PodFacts, phase: string): Condition {
  const unknown: string[] = [];
  const unready: string[] = [];
  for (const c of f.pod.spec.containers) {
    const s = byName(f.regular, c.name);
    if (!s) unknown.push(c.name);
    else if (!s.ready) unready.push(c.name);
  }
  if (phase === 'Succeeded' && unknown.length === 0) return { type: '', status: 'False', reason: 'PodCompleted' };
  const message = [
    ...(unknown.length ? [msg.unknownStatus(unknown)] : []),
    ...(unready.length ? [msg.unreadyStatus(unready)] : []),
  ].join(', ');
  return message ? { type: '', status: 'False', reason: 'ContainersNotReady', message } : { type: '', status: 'True' };
}

function initialized(f: PodFacts, phase: string): Condition {
  const specs = f.pod.spec.initContainers ?? [];
  if (specs.length === 0) return { type: 'Initialized', status: 'True' };
  const unknown: string[] = [];
  const incomplete: string[] = [];
  for (const c of specs) {
    const s = byName(f.init, c.name);
    if (!s) unknown.push(c.name);
    else if (!(s.state.terminated && s.state.terminated.exitCode === 0)) incomplete.push(c.name);
  }
  if (phase === 'Succeeded' && unknown.length === 0) return { type: 'Initialized', status: 'True', reason: 'PodCompleted' };
  const message = [
    ...(unknown.length ? [msg.unknownStatus(unknown)] : []),
    ...(incomplete.length ? [msg.incompleteInit(incomplete)] : []),
  ].join(', ');
  return message
    ? { type: 'Initialized', status: 'False', reason: 'ContainersNotInitialized', message }
    : { type: 'Initialized', status: 'True' };
}

const OWNED = new Set(['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady']);

export function buildPodStatus(f: PodFacts): Status {
  const phase = computePhase(f.pod, f.init, f.regular, f.podIsTerminal);
  const ready = readiness(f, phase);
  const own: Condition[] = [
    { type: 'PodReadyToStartContainers', status: f.sandboxReady ? 'True' : 'False' },
    initialized(f, phase),
    { ...ready, type: 'Ready' },
    { ...ready, type: 'ContainersReady' },
  ];
  const others = ((f.existing?.conditions as Array<Record<string, unknown>> | undefined) ?? []).filter(
    (c) => !OWNED.has(String(c.type)),
  );
  if (!others.some((c) => c.type === 'PodScheduled')) {
    others.push({
      type: 'PodScheduled',
      status: 'True',
      lastProbeTime: null,
      lastTransitionTime: f.pod.metadata.creationTimestamp ?? f.startTime,
    });
  }
  const conditions = [
    ...own.map((c) => ({ ...c, lastProbeTime: null, lastTransitionTime: f.transitionTime(c.type, c.status) })),
    ...others,
  ];
  const status: Status = {
    ...(f.existing ?? {}),
    phase,
    conditions,
    hostIP: f.hostIP,
    hostIPs: [{ ip: f.hostIP }],
    startTime: f.startTime,
    qosClass: (f.existing?.qosClass as string | undefined) ?? qosClass(f.pod),
    containerStatuses: f.regular,
  };
  if (f.podIP) {
    status.podIP = f.podIP;
    status.podIPs = [{ ip: f.podIP }];
  }
  if (f.init.length) status.initContainerStatuses = f.init;
  else delete status.initContainerStatuses;
  if (f.ephemeral.length) status.ephemeralContainerStatuses = f.ephemeral;
  else delete status.ephemeralContainerStatuses;
  return status;
}
