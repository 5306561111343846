// What the kubelet tracks per container of a pod spec, and how that reads as a
// ContainerStatus.
import type { ContainerSpec, ContainerState, ContainerStatus } from '../types';
import type { ContainerInstance, ContainerKind } from './container';
import type { ResolvedImage } from './images';
import type { ProcessExit } from './processes';
import { rfc3339 } from './status-reporter';

/** new → starting → running → exited (→ starting again on restart); blocked: waiting on an error (pull, config). */
export type SlotPhase = 'new' | 'starting' | 'running' | 'exited' | 'blocked';

export interface Slot {
  kind: ContainerKind;
  spec: ContainerSpec;
  /** The Event fieldPath: spec.containers{name}, spec.initContainers{name}, spec.ephemeralContainers{name}. */
  fieldPath: string;
  phase: SlotPhase;
  state: ContainerState;
  lastState: ContainerState;
  restartCount: number;
  image?: ResolvedImage;
  containerID?: string;
  /** The current instance and the one before it (logs --previous). */
  instances: ContainerInstance[];
  finishedAtMs?: number;
  /** A pending restart (back-off) or retry (image pull). */
  timer?: NodeJS.Timeout;
  /** The exit a BackOff event was recorded for (one per crash). */
  backOffEventFor?: number;
}

const FIELD: Record<ContainerKind, string> = {
  init: 'initContainers',
  regular: 'containers',
  ephemeral: 'ephemeralContainers',
};

export function newSlot(kind: ContainerKind, spec: ContainerSpec, podHasInit: boolean): Slot {
  const waitsForInit = kind === 'init' || (kind === 'regular' && podHasInit);
  return {
    kind,
    spec,
    fieldPath: `spec.${FIELD[kind]}{${spec.name}}`,
    phase: 'new',
    state: { waiting: { reason: waitsForInit ? 'PodInitializing' : 'ContainerCreating' } },
    lastState: {},
    restartCount: 0,
    instances: [],
  };
}

export function slotStatus(s: Slot): ContainerStatus {
  const running = !!s.state.running;
  return {
    name: s.spec.name,
    state: s.state,
    lastState: s.lastState,
    // No probes here: a running container is ready, a completed init container too, an ephemeral one never.
    ready: s.kind === 'regular' ? running : s.kind === 'init' ? s.state.terminated?.exitCode === 0 : false,
    restartCount: s.restartCount,
    image: s.image?.name ?? s.spec.image ?? '',
    imageID: s.image?.imageID ?? '',
    ...(s.containerID ? { containerID: `containerd://${s.containerID}` } : {}),
    started: running,
  };
}

export const exitedState = (instance: ContainerInstance, exit: ProcessExit, now: Date): ContainerState => ({
  terminated: {
    exitCode: exit.exitCode,
    reason: exit.exitCode === 0 ? 'Completed' : 'Error',
    startedAt: rfc3339(instance.startedAt),
    finishedAt: rfc3339(instance.finishedAt ?? now),
    containerID: `containerd://${instance.id}`,
  },
});

/** A container the runtime created but could not start: never started (the epoch), exit code 128. */
export const startErrorState = (id: string, message: string, now: Date): ContainerState => ({
  terminated: {
    exitCode: 128,
    reason: 'StartError',
    message,
    startedAt: '1970-01-01T00:00:00Z',
    finishedAt: rfc3339(now),
    containerID: `containerd://${id}`,
  },
});
