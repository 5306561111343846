// Pods as the UI shows them: a row for the list, a detail for the pod page.
// Pure mappers from API objects (raw JSON or client-node classes) to plain
// view models. Every field is copied by name, never spread: an environment
// variable from a Secret becomes a reference ("secretKeyRef: internal-cluster1/root"),
// and nothing the mapper does not name can reach the browser.

import type {
  V1Container,
  V1ContainerState,
  V1ContainerStatus,
  V1EnvFromSource,
  V1EnvVar,
  V1EphemeralContainer,
  V1Pod,
  V1Volume,
} from '@kubernetes/client-node';
import { isoTime } from './duration';
import { podSummary } from './pod-status';

export interface EphemeralCount {
  count: number;
  running: number;
}

export interface PodRow {
  /** "namespace/name": unique in a cluster at any one time. */
  key: string;
  uid: string;
  name: string;
  namespace: string;
  ready: string;
  /** kubectl's STATUS column. */
  status: string;
  phase: string;
  restarts: number;
  lastRestartAt?: string;
  createdAt?: string;
  /** "" while unscheduled. */
  node: string;
  ephemeral: EphemeralCount;
  labels: Record<string, string>;
}

export const podKey = (namespace: string, name: string) => `${namespace}/${name}`;

export function ephemeralCount(pod: V1Pod): EphemeralCount {
  const statuses = pod.status?.ephemeralContainerStatuses ?? [];
  return {
    count: pod.spec?.ephemeralContainers?.length ?? 0,
    running: statuses.filter((status) => status.state?.running).length,
  };
}

export function toPodRow(pod: V1Pod): PodRow {
  const namespace = pod.metadata?.namespace ?? '';
  const name = pod.metadata?.name ?? '';
  const summary = podSummary(pod);
  const createdAt = isoTime(pod.metadata?.creationTimestamp);
  return {
    key: podKey(namespace, name),
    uid: pod.metadata?.uid ?? '',
    name,
    namespace,
    ready: summary.ready,
    status: summary.status,
    phase: pod.status?.phase ?? '',
    restarts: summary.restarts,
    ...(summary.lastRestartAt ? { lastRestartAt: summary.lastRestartAt } : {}),
    ...(createdAt ? { createdAt } : {}),
    node: pod.spec?.nodeName ?? '',
    ephemeral: ephemeralCount(pod),
    labels: { ...(pod.metadata?.labels ?? {}) },
  };
}

/**
 * What a page shows of some rows, in one string: a live page compares the
 * fingerprint it was rendered with against the feed's first snapshot, so a
 * change that fell between the render and the subscription is not missed.
 */
export function rowsFingerprint(rows: readonly PodRow[]): string {
  return rows
    .map((row) => [row.key, row.uid, row.status, row.ready, row.restarts, row.node, row.ephemeral.count, row.ephemeral.running].join(':'))
    .sort()
    .join('|');
}

// ---------------------------------------------------------------- detail

export type ContainerKind = 'init' | 'sidecar' | 'container' | 'ephemeral';

export interface EnvView {
  name: string;
  /** A literal value from the pod spec. */
  value?: string;
  /** Where the value comes from, never the value itself: "secretKeyRef: internal-cluster1/root". */
  from?: string;
}

export interface MountView {
  volume: string;
  mountPath: string;
  readOnly: boolean;
  subPath?: string;
}

export interface StateView {
  state: 'running' | 'waiting' | 'terminated' | 'unknown';
  reason?: string;
  message?: string;
  exitCode?: number;
  signal?: number;
  startedAt?: string;
  finishedAt?: string;
}

export interface ContainerView {
  kind: ContainerKind;
  name: string;
  image: string;
  command: string[];
  args: string[];
  workingDir?: string;
  /** Ephemeral containers: the container whose process namespace they share. */
  targetContainer?: string;
  ports: string[];
  env: EnvView[];
  envFrom: string[];
  securityContext?: Record<string, unknown>;
  mounts: MountView[];
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  stdin: boolean;
  tty: boolean;
  status: StateView & { ready: boolean; started?: boolean; restarts: number; lastState?: StateView; imageID?: string };
}

export interface VolumeView {
  name: string;
  /** "persistentVolumeClaim: datadir-cluster1-pxc-0", "emptyDir", "secret: tls-certs". */
  source: string;
  mountedBy: Array<{ container: string; kind: ContainerKind } & Omit<MountView, 'volume'>>;
}

export interface ConditionView {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionAt?: string;
}

export interface OwnerView {
  kind: string;
  name: string;
  controller: boolean;
}

export interface PodDetail {
  row: PodRow;
  deletionAt?: string;
  qosClass?: string;
  podIPs: string[];
  hostIP?: string;
  serviceAccount?: string;
  restartPolicy?: string;
  owners: OwnerView[];
  labels: Record<string, string>;
  annotations: Record<string, string>;
  conditions: ConditionView[];
  containers: ContainerView[];
  volumes: VolumeView[];
}

/** Where an environment variable's value comes from, as a reference. */
export function envSource(env: V1EnvVar): EnvView {
  const from = env.valueFrom;
  if (!from) return { name: env.name, value: env.value ?? '' };
  if (from.secretKeyRef) return { name: env.name, from: `secretKeyRef: ${from.secretKeyRef.name ?? ''}/${from.secretKeyRef.key}` };
  if (from.configMapKeyRef) return { name: env.name, from: `configMapKeyRef: ${from.configMapKeyRef.name ?? ''}/${from.configMapKeyRef.key}` };
  if (from.fieldRef) return { name: env.name, from: `fieldRef: ${from.fieldRef.fieldPath}` };
  if (from.resourceFieldRef) {
    const container = from.resourceFieldRef.containerName ? `${from.resourceFieldRef.containerName}.` : '';
    return { name: env.name, from: `resourceFieldRef: ${container}${from.resourceFieldRef.resource}` };
  }
  return { name: env.name, from: 'valueFrom: (unknown source)' };
}

function envFromSource(source: V1EnvFromSource): string {
  const prefix = source.prefix ? ` (prefix ${source.prefix})` : '';
  if (source.secretRef) return `secretRef: ${source.secretRef.name ?? ''}${prefix}`;
  if (source.configMapRef) return `configMapRef: ${source.configMapRef.name ?? ''}${prefix}`;
  return `unknown source${prefix}`;
}

function stateView(state: V1ContainerState | undefined): StateView {
  if (state?.running) return { state: 'running', ...optional({ startedAt: isoTime(state.running.startedAt) }) };
  if (state?.terminated) {
    const t = state.terminated;
    return {
      state: 'terminated',
      exitCode: t.exitCode,
      ...optional({ reason: t.reason, message: t.message, signal: t.signal || undefined, startedAt: isoTime(t.startedAt), finishedAt: isoTime(t.finishedAt) }),
    };
  }
  if (state?.waiting) return { state: 'waiting', ...optional({ reason: state.waiting.reason, message: state.waiting.message }) };
  return { state: 'unknown' };
}

/** The entries of `fields` that are set, so view models carry no `undefined` keys. */
function optional<T extends Record<string, unknown>>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined && value !== '')) as Partial<T>;
}

function quantities(values: Record<string, unknown> | undefined): Record<string, string> | undefined {
  if (!values || Object.keys(values).length === 0) return undefined;
  return Object.fromEntries(Object.entries(values).map(([name, value]) => [name, String(value)]));
}

function containerView(kind: ContainerKind, spec: V1Container | V1EphemeralContainer, status: V1ContainerStatus | undefined): ContainerView {
  const requests = quantities(spec.resources?.requests);
  const limits = quantities(spec.resources?.limits);
  const lastState = status?.lastState && (status.lastState.terminated || status.lastState.running || status.lastState.waiting) ? stateView(status.lastState) : undefined;
  return {
    kind,
    name: spec.name,
    image: spec.image ?? '',
    command: [...(spec.command ?? [])],
    args: [...(spec.args ?? [])],
    ...optional({ workingDir: spec.workingDir, targetContainer: 'targetContainerName' in spec ? spec.targetContainerName : undefined }),
    ports: (spec.ports ?? []).map((port) => `${port.containerPort}/${port.protocol ?? 'TCP'}${port.name ? ` (${port.name})` : ''}`),
    env: (spec.env ?? []).map(envSource),
    envFrom: (spec.envFrom ?? []).map(envFromSource),
    ...(spec.securityContext && Object.keys(spec.securityContext).length > 0 ? { securityContext: plain(spec.securityContext) } : {}),
    mounts: (spec.volumeMounts ?? []).map((mount) => ({
      volume: mount.name,
      mountPath: mount.mountPath,
      readOnly: mount.readOnly ?? false,
      ...optional({ subPath: mount.subPath || mount.subPathExpr }),
    })),
    ...(requests || limits ? { resources: { ...(requests ? { requests } : {}), ...(limits ? { limits } : {}) } } : {}),
    stdin: spec.stdin ?? false,
    tty: spec.tty ?? false,
    status: {
      ...stateView(status?.state),
      ready: status?.ready ?? false,
      ...(status?.started !== undefined ? { started: status.started } : {}),
      restarts: status?.restartCount ?? 0,
      ...(lastState ? { lastState } : {}),
      ...optional({ imageID: status?.imageID }),
    },
  };
}

/** A securityContext as plain JSON (client-node classes carry prototypes React cannot pass to the browser). */
function plain(value: object): Record<string, unknown> {
  return JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
}

/** The volume's source kind and what it names. */
export function volumeSource(volume: V1Volume): string {
  const { name: _name, ...sources } = volume as unknown as Record<string, unknown>;
  const [kind, value] = Object.entries(sources).find(([, v]) => v != null) ?? ['unknown', undefined];
  const source = (value ?? {}) as Record<string, unknown>;
  const named = source.claimName ?? source.secretName ?? source.name ?? source.path ?? source.pdName ?? source.volumeID;
  return typeof named === 'string' && named !== '' ? `${kind}: ${named}` : kind;
}

export function toPodDetail(pod: V1Pod): PodDetail {
  const spec = pod.spec;
  const status = pod.status;
  const statusOf = (list: V1ContainerStatus[] | undefined, name: string) => list?.find((s) => s.name === name);
  const containers: ContainerView[] = [
    ...(spec?.initContainers ?? []).map((c) => containerView(c.restartPolicy === 'Always' ? 'sidecar' : 'init', c, statusOf(status?.initContainerStatuses, c.name))),
    ...(spec?.containers ?? []).map((c) => containerView('container', c, statusOf(status?.containerStatuses, c.name))),
    ...(spec?.ephemeralContainers ?? []).map((c) => containerView('ephemeral', c, statusOf(status?.ephemeralContainerStatuses, c.name))),
  ];
  const volumes = (spec?.volumes ?? []).map((volume) => ({
    name: volume.name,
    source: volumeSource(volume),
    mountedBy: containers.flatMap((container) =>
      container.mounts
        .filter((mount) => mount.volume === volume.name)
        .map(({ volume: _v, ...mount }) => ({ container: container.name, kind: container.kind, ...mount })),
    ),
  }));
  return {
    row: toPodRow(pod),
    ...optional({
      deletionAt: isoTime(pod.metadata?.deletionTimestamp),
      qosClass: status?.qosClass,
      hostIP: status?.hostIP,
      serviceAccount: spec?.serviceAccountName,
      restartPolicy: spec?.restartPolicy,
    }),
    podIPs: (status?.podIPs ?? []).map((ip) => ip.ip).filter(Boolean),
    owners: (pod.metadata?.ownerReferences ?? []).map((owner) => ({ kind: owner.kind, name: owner.name, controller: owner.controller ?? false })),
    labels: { ...(pod.metadata?.labels ?? {}) },
    annotations: { ...(pod.metadata?.annotations ?? {}) },
    conditions: (status?.conditions ?? []).map((c) => ({
      type: c.type,
      status: c.status,
      ...optional({ reason: c.reason, message: c.message, lastTransitionAt: isoTime(c.lastTransitionTime) }),
    })),
    containers,
    volumes,
  };
}

/** The owner that manages the pod (a ReplicaSet, StatefulSet, Job…), if any: it recreates the pod when deleted. */
export function controllerOf(pod: Pick<V1Pod, 'metadata'>): OwnerView | undefined {
  const owner = pod.metadata?.ownerReferences?.find((ref) => ref.controller);
  return owner && { kind: owner.kind, name: owner.name, controller: true };
}
