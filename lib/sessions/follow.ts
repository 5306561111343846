// Following one container of one pod until it runs, and then until it ends:
// a watch on the pod (field selector metadata.name, as kubectl debug waits),
// as the user, reconnecting when the server closes it. The pure part reads a
// container's status and says what it means; the I/O part feeds it events.

import { Watch } from '@kubernetes/client-node';
import { explainWaitingReason } from '@/lib/debug';
import type { UserClusterClient } from '@/lib/k8s/user-client';

/** A container status as the API sends it (only what is read here). */
export interface RawContainerStatus {
  name: string;
  state?: {
    waiting?: { reason?: string; message?: string };
    running?: { startedAt?: string };
    terminated?: { exitCode?: number; reason?: string; message?: string; startedAt?: string; finishedAt?: string };
  };
}

/** The pod as the watch sends it (only what is read here). */
export interface RawPod {
  metadata?: { name?: string; namespace?: string; uid?: string; deletionTimestamp?: string };
  status?: { phase?: string; containerStatuses?: RawContainerStatus[]; ephemeralContainerStatuses?: RawContainerStatus[] };
}

export type ContainerStep =
  /** No status for the container yet (the kubelet has not seen it). */
  | { kind: 'pending' }
  | { kind: 'waiting'; reason: string; rawMessage: string; message: string }
  | { kind: 'running'; startedAt: Date | null }
  /** `started`: it ran before it ended (an exit code of its own), rather than failing to start. */
  | { kind: 'terminated'; exitCode: number | null; reason: string; message: string; started: boolean };

/** Reasons a terminated container gives when it never ran its command. */
const START_FAILURES = new Set(['StartError', 'ContainerCannotRun', 'CreateContainerError', 'CreateContainerConfigError', 'RunContainerError']);

/** The status of `container` in `pod` (an ephemeral container's, or a regular one's). */
export function containerStatus(pod: RawPod, container: string, ephemeral: boolean): RawContainerStatus | undefined {
  const statuses = ephemeral ? pod.status?.ephemeralContainerStatuses : pod.status?.containerStatuses;
  return statuses?.find((status) => status.name === container);
}

/** What a container's status means for a starting session; every waiting reason explained (explainWaitingReason). */
export function stepFor(status: RawContainerStatus | undefined): ContainerStep {
  const state = status?.state;
  if (!state) return { kind: 'pending' };
  if (state.running) return { kind: 'running', startedAt: state.running.startedAt ? new Date(state.running.startedAt) : null };
  if (state.terminated) {
    const t = state.terminated;
    const reason = t.reason ?? 'Terminated';
    const started = !START_FAILURES.has(reason) && t.startedAt !== undefined;
    const exitCode = typeof t.exitCode === 'number' ? t.exitCode : null;
    const message = started
      ? `The container exited with code ${exitCode ?? 'unknown'}${reason !== 'Completed' && reason !== 'Error' ? ` (${reason})` : ''}${t.message ? `: ${t.message}` : '.'}`
      : `The container could not start (${reason}). ${explainWaitingReason(reason, t.message ?? '')}`;
    return { kind: 'terminated', exitCode, reason, message, started };
  }
  const reason = state.waiting?.reason ?? 'Waiting';
  const rawMessage = state.waiting?.message ?? '';
  const explained = explainWaitingReason(reason, rawMessage);
  return { kind: 'waiting', reason, rawMessage, message: rawMessage && !explained.includes(rawMessage) ? `${explained} The cluster says: ${rawMessage}` : explained };
}

export interface FollowHandlers {
  /** Each change of the container's state (repeats of the same waiting reason and message are not repeated). */
  step(step: ContainerStep): void;
  /** The pod is gone (deleted, or being deleted). */
  gone(message: string): void;
  /** The watch failed and will be retried; for the log. */
  trouble?(message: string): void;
}

const RETRY_MS = 1_000;

/**
 * Watches `namespace/pod` as the client's user and reports `container`'s
 * steps until stopped. A watch the server closes is opened again (its first
 * event is the pod as it is now). Returns the stop function.
 */
export function followContainer(
  client: UserClusterClient,
  target: { namespace: string; pod: string; container: string; ephemeral: boolean },
  handlers: FollowHandlers,
): () => void {
  let stopped = false;
  let abort: AbortController | undefined;
  let retry: NodeJS.Timeout | undefined;
  let last = '';
  const path = `/api/v1/namespaces/${encodeURIComponent(target.namespace)}/pods`;

  const onEvent = (phase: string, pod: RawPod) => {
    if (stopped || pod?.metadata?.name !== target.pod) return;
    if (phase === 'DELETED') {
      handlers.gone(`Pod ${target.namespace}/${target.pod} was deleted.`);
      return;
    }
    if (phase !== 'ADDED' && phase !== 'MODIFIED') return;
    const step = stepFor(containerStatus(pod, target.container, target.ephemeral));
    const key = JSON.stringify(step.kind === 'waiting' ? [step.kind, step.reason, step.rawMessage] : step.kind === 'running' ? [step.kind] : step);
    if (key === last) return;
    last = key;
    handlers.step(step);
  };

  const open = () => {
    if (stopped) return;
    new Watch(client.kubeConfig)
      .watch(path, { fieldSelector: `metadata.name=${target.pod}`, allowWatchBookmarks: false }, onEvent, (error: unknown) => {
        if (stopped) return;
        if (error && (error as { name?: string }).name !== 'AbortError') handlers.trouble?.(`watch on ${target.namespace}/${target.pod}: ${(error as Error).message ?? String(error)}`);
        retry = setTimeout(open, RETRY_MS);
        retry.unref();
      })
      .then(
        (controller) => {
          abort = controller;
          if (stopped) controller.abort();
        },
        (error: unknown) => {
          if (stopped) return;
          handlers.trouble?.(`watch on ${target.namespace}/${target.pod}: ${(error as Error).message}`);
          retry = setTimeout(open, RETRY_MS);
          retry.unref();
        },
      );
  };
  open();

  return () => {
    stopped = true;
    if (retry) clearTimeout(retry);
    abort?.abort();
  };
}
