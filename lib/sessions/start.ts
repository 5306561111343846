// Start: prepare (prepare.ts), send AS the user (send.ts), keep the session
// in the store, and follow the container in the background until it runs
// (state running, the maximum duration starts) or ends (exited with its code,
// or start-failed), or the start timeout passes — publishing every Waiting
// reason, explained, as the terminal protocol's `progress` (live.ts).
// Exec into a running container and attach to a running ephemeral container
// change nothing in the cluster: the cluster is asked whether the user may
// (SelfSubjectAccessReview, as them), and the session starts as running.

import { z } from 'zod';
import { can as roleAllows } from '@/lib/auth/roles';
import type { EphemeraUser } from '@/lib/auth/types';
import type { Pod } from '@/lib/debug';
import { fieldPath } from '@/lib/debug/request';
import { inNamespace, type AccessChecker } from '@/lib/k8s/access';
import { containerName, namespaceName, objectName } from '@/lib/k8s/params';
import { readPodAs } from '@/lib/k8s/pods';
import type { UserClusterClient } from '@/lib/k8s/user-client';
import { matchesGlob, type SessionLimits } from '@/lib/policy';
import type { NewSession, RecordingStore, SessionMode, SessionRecord, SessionStore } from '@/lib/store/types';
import { deleteSessionPod, type CleanupClientFor } from './cleanup';
import { containerStatus, followContainer, stepFor, type ContainerStep, type RawPod } from './follow';
import { endSession, registerLive, type LiveControl } from './live';
import { clusterRefusal, prepareSession, refusal, roleRefusal, type PreparedSession, type PrepareDeps, type SessionRefusal } from './prepare';
import { recordLog, type LogRecording } from './record-log';
import { deletePod, sendBuild } from './send';

export interface SessionDeps extends PrepareDeps {
  store: SessionStore;
  /** Where one-shot sessions' output is recorded (interactive ones are recorded by their terminal hub). */
  recordings: Pick<RecordingStore, 'begin' | 'append' | 'finish'>;
  /** This process, in the store (lib/store/server-id.ts). */
  serverId: string;
  /** SelfSubjectAccessReviews as the user (lib/k8s/access.ts). */
  access: Pick<AccessChecker, 'can'>;
  /** Clean-up acts as the session's user by impersonation. */
  cleanupClientFor: CleanupClientFor;
  /** How long a container may take to run; 120 s in the app. */
  startTimeoutMs: number;
  log: (line: string) => void;
}

export type StartResult = { ok: true; session: SessionRecord } | SessionRefusal;

export const DEFAULT_START_TIMEOUT_MS = 120_000;
/** How long a one-shot's log may take to end after its container exited, before the session ends anyway. */
const LOG_DRAIN_MS = 5_000;

/** Exec into a running container, or attach to a running ephemeral container: nothing is added to the cluster. */
export const ExistingContainerSchema = z.strictObject({
  kind: z.enum(['exec', 'attach']),
  namespace: namespaceName,
  pod: objectName,
  container: containerName,
  /** exec only: the command to run (default `sh`). */
  command: z.array(z.string()).min(1).optional(),
});
export type ExistingContainerRequest = z.output<typeof ExistingContainerSchema>;

const seconds = (ms: number) => `${Math.round(ms / 1000)} s`;
const duration = (s: number) => (s % 3600 === 0 ? `${s / 3600} h` : s % 60 === 0 ? `${s / 60} min` : `${s} s`);

/** The store's row for a prepared session. Pure. */
export function newSessionFrom(user: EphemeraUser, cluster: string, prepared: PreparedSession, serverId: string): NewSession {
  const { request, build, connect, limits } = prepared;
  return {
    user: user.name,
    groups: user.groups,
    roles: user.roles,
    cluster,
    namespace: connect.namespace,
    pod: connect.pod,
    node: connect.node ?? null,
    kind: request.kind,
    mode: prepared.mode,
    container: connect.container,
    image: request.image ?? (build.kind === 'copy' ? (build.pod.spec.containers.find((c) => c.name === connect.container)?.image ?? null) : null),
    profile: request.profile,
    target: request.kind === 'ephemeral' ? (request.target ?? null) : null,
    mounts: 'volumeMounts' in request ? request.volumeMounts.map(({ name, mountPath, readOnly }) => ({ name, mountPath, readOnly })) : [],
    command: request.command ?? null,
    reason: request.reason?.trim() || null,
    breakGlass: prepared.breakGlass,
    spec: build.kind === 'ephemeral' ? build.container : build.pod,
    limits: { maxDurationSeconds: limits.maxDurationSeconds, idleTimeoutSeconds: limits.idleTimeoutSeconds, reconnectGraceSeconds: limits.reconnectGraceSeconds, recording: limits.recording },
    serverId,
  };
}

/** Ends the session when its maximum duration has passed. */
function limitDuration(live: LiveControl, limits: Pick<SessionLimits, 'maxDurationSeconds'>, log: (line: string) => void): void {
  live.after(limits.maxDurationSeconds * 1000, () => {
    const message = `The session reached its maximum duration of ${duration(limits.maxDurationSeconds)} (policy sessions.maxDuration). Start a new one if you need more time.`;
    endSession(live.id, 'max-duration', message).catch((error: unknown) => log(`session ${live.id}: ending failed: ${(error as Error).message}`));
  });
}

/**
 * Follows the session's container: progress for each waiting reason, running
 * (store, maximum duration), terminated (exited or start-failed), gone, or
 * the start timeout. `alreadyRunning` for attach sessions, which start running.
 */
function follow(record: SessionRecord, live: LiveControl, client: UserClusterClient, deps: SessionDeps, limits: SessionLimits, alreadyRunning = false): void {
  let running = alreadyRunning;
  /** Settles once the running state is in the store (announcements wait for it, to keep their order). */
  let stored: Promise<void> = Promise.resolve();
  let lastWaiting: Extract<ContainerStep, { kind: 'waiting' }> | undefined;
  const end = (reason: Parameters<typeof endSession>[1], message: string, exitCode?: number | null) =>
    endSession(record.id, reason, message, exitCode).catch((error: unknown) => deps.log(`session ${record.id}: ending failed: ${(error as Error).message}`));
  /** A one-shot's output, recorded from its log once the container runs (or has already run). */
  let recording: LogRecording | undefined;
  const recordOutput = () => {
    if (record.mode !== 'oneshot' || recording) return;
    recording = recordLog(record, client.kubeConfig, deps.recordings, (failure) => {
      if (failure.then === 'end') void end('recording-failed', failure.message);
      else live.publish({ type: 'notice', message: failure.message });
    }, deps.log);
  };
  live.onEnd(() => void recording?.stop());

  if (!running) {
    live.after(deps.startTimeoutMs, () => {
      if (running) return;
      const last = lastWaiting ? ` It was waiting: ${lastWaiting.reason}${lastWaiting.rawMessage ? ` (${lastWaiting.rawMessage})` : ''}. ${lastWaiting.message}` : '';
      void end('start-timeout', `The container was not running within ${seconds(deps.startTimeoutMs)}.${last}`);
    });
  }
  const stop = followContainer(
    client,
    { namespace: record.namespace!, pod: record.pod!, container: record.container, ephemeral: record.kind === 'ephemeral' || record.kind === 'attach' },
    {
      step: (step) => {
        if (step.kind === 'waiting') {
          lastWaiting = step;
          live.publish({ type: 'progress', phase: 'waiting', reason: step.reason, message: step.message });
        } else if (step.kind === 'running' && !running) {
          running = true;
          // Stored before it is announced: the terminal socket reads the store when told the container runs.
          // When Ephemera saw it run, to the millisecond (the cluster's startedAt has whole seconds): the maximum duration counts from here.
          stored = deps.store
            .update(record.id, { state: 'running', startedAt: new Date() })
            .then(
              () => undefined,
              (error: unknown) => deps.log(`session ${record.id}: store: ${(error as Error).message}`),
            )
            .then(() => live.publish({ type: 'progress', phase: 'running' }));
          limitDuration(live, limits, deps.log);
          recordOutput();
        } else if (step.kind === 'terminated') {
          const wasRunning = running;
          // A command quicker than the watch was never seen running: its log is all there still.
          if (step.started || wasRunning) recordOutput();
          void stored.then(async () => {
            live.publish({ type: 'progress', phase: 'terminated', reason: step.reason, message: step.message });
            // The log's last bytes before the end (and before clean-up deletes a node pod or a copy).
            await recording?.finish(LOG_DRAIN_MS);
            void end(step.started || wasRunning ? 'exited' : 'start-failed', step.message, step.exitCode);
          });
        }
      },
      gone: (message) => void end('cluster-error', `${message} The session cannot go on.`),
      trouble: (message) => deps.log(`session ${record.id}: ${message}`),
    },
  );
  live.onEnd(stop);
}

/** Prepares, sends and follows an ephemeral container, node debug pod or pod copy. */
async function startDebugSession(user: EphemeraUser, cluster: string, input: unknown, mode: SessionMode, deps: SessionDeps): Promise<StartResult> {
  const prepared = await prepareSession(user, cluster, input, mode, deps);
  if (!prepared.ok) return prepared;
  const { build } = prepared;
  if (build.kind === 'copy' && build.deleteOriginal && !roleAllows(user.roles, 'debug.podCopyReplace')) {
    return refusal(403, 'Replacing the original pod with its copy (replace) is for admins only. Make the copy without replace.', { rule: 'roles' });
  }
  const client = deps.clientFor(cluster, user);
  const refused = await sendBuild(client, build);
  if (refused) return refused;

  let record: SessionRecord;
  try {
    record = await deps.store.create(newSessionFrom(user, cluster, prepared, deps.serverId));
  } catch (error) {
    // Nothing may be left behind that no session row knows of.
    if (build.kind !== 'ephemeral') await deletePod(client, build.namespace, prepared.connect.pod).catch(() => {});
    throw error;
  }
  const created = record;
  const live = registerLive(record.id, {
    store: deps.store,
    log: deps.log,
    ...(build.kind !== 'ephemeral' ? { cleanup: () => deleteSessionPod(created, deps.cleanupClientFor) } : {}),
  });
  if (build.kind === 'copy' && build.deleteOriginal) {
    const { namespace, name } = build.deleteOriginal;
    await deletePod(client, namespace, name).then(
      () => live.publish({ type: 'notice', message: `The original pod ${namespace}/${name} is being deleted (replace).` }),
      (error: unknown) => live.publish({ type: 'notice', message: `The original pod ${namespace}/${name} could not be deleted: ${(error as Error).message}` }),
    );
  }
  follow(record, live, client, deps, prepared.limits);
  return { ok: true, session: record };
}

/** The policy's word on exec and attach: the namespace must not be switched off, and the person's roles must allow some profile. */
function existingContainerPolicy(deps: SessionDeps, user: EphemeraUser, namespace: string): SessionRefusal | undefined {
  const { policy } = deps;
  const disabled = policy.namespaces.disabled.find((pattern) => matchesGlob(pattern, namespace));
  if (disabled !== undefined) {
    return refusal(403, `Debugging is switched off in namespace ${namespace} (namespaces.disabled: ${disabled}). Ask an admin if you need it there.`, { rule: 'namespaces.disabled' });
  }
  if (!user.roles.some((role) => (policy.profiles.byRole[role] ?? []).length > 0)) {
    return refusal(403, `Your roles (${user.roles.join(', ') || 'none'}) may not debug under the policy. Ask for the debugger role.`, { rule: 'profiles.byRole' });
  }
  return undefined;
}

/** Why `container` of `pod` cannot take this exec or attach, or undefined when it can. */
export function existingContainerProblem(pod: Pod, request: ExistingContainerRequest): SessionRefusal | undefined {
  const where = `${request.namespace}/${request.pod}`;
  const ephemeral = (pod.spec.ephemeralContainers ?? []).find((c) => c.name === request.container);
  const regular = pod.spec.containers.find((c) => c.name === request.container);
  if (request.kind === 'attach' && !ephemeral) {
    const names = (pod.spec.ephemeralContainers ?? []).map((c) => c.name);
    const errors = [{ field: 'container', message: `container: Not found: "${request.container}". Attach to one of the pod's ephemeral containers${names.length ? ` (${names.join(', ')})` : ' (it has none)'}, or exec into a container.` }];
    return refusal(404, errors[0].message, { errors });
  }
  if (request.kind === 'attach' && !ephemeral?.stdin) return refusal(409, `Ephemeral container ${request.container} in ${where} has no stdin: there is nothing to attach a terminal to. Start a new debug container instead.`);
  if (request.kind === 'exec' && !regular && !ephemeral) {
    const errors = [{ field: 'container', message: `container: Not found: "${request.container}". Exec into one of ${pod.spec.containers.map((c) => c.name).join(', ')}.` }];
    return refusal(404, errors[0].message, { errors });
  }
  const step = stepFor(containerStatus(pod as RawPod, request.container, ephemeral !== undefined && !regular));
  if (step.kind !== 'running') {
    const state = step.kind === 'waiting' ? `waiting (${step.reason})` : step.kind === 'terminated' ? `terminated (${step.reason})` : 'not started';
    return refusal(409, `Container ${request.container} in ${where} is ${state}, not running: nothing to ${request.kind === 'exec' ? 'exec into' : 'attach to'}.${request.kind === 'attach' ? ' Start a new debug container instead.' : ''}`);
  }
  return undefined;
}

/** Exec or attach: asks the cluster, checks the container runs, and keeps the session as running. */
async function startExisting(user: EphemeraUser, cluster: string, input: unknown, mode: SessionMode, deps: SessionDeps): Promise<StartResult> {
  const parsed = ExistingContainerSchema.safeParse(input);
  if (!parsed.success) {
    const errors = parsed.error.issues.map((issue) => ({ field: fieldPath(issue.path) || '(request)', message: `${fieldPath(issue.path) || '(request)'}: ${issue.message}` }));
    return refusal(400, errors.map((e) => e.message).join('\n'), { errors });
  }
  const request = parsed.data;
  if (request.kind === 'attach' && mode === 'oneshot') return refusal(400, 'Attaching is interactive: a one-shot session runs its own command. Use mode interactive.', { errors: [{ field: 'mode', message: 'mode: Unsupported value: "oneshot" for attach' }] });
  if (request.kind === 'exec' && mode === 'oneshot' && !request.command) return refusal(400, 'command: Required value. A one-shot exec runs one command.', { rule: 'mode.oneshot', errors: [{ field: 'command', message: 'command: Required value' }] });
  const policyRefusal = existingContainerPolicy(deps, user, request.namespace);
  if (policyRefusal) return policyRefusal;
  const decision = await deps.access.can(user, cluster, { ...inNamespace(request.kind, request.namespace), name: request.pod });
  if (!decision.allowed) return refusal(403, decision.reason);

  let client: UserClusterClient;
  let pod: Pod;
  try {
    client = deps.clientFor(cluster, user);
    pod = (await readPodAs(client, request.namespace, request.pod)) as unknown as Pod;
  } catch (error) {
    return clusterRefusal(error);
  }
  const problem = existingContainerProblem(pod, request);
  if (problem) return problem;
  const spec = [...pod.spec.containers, ...(pod.spec.ephemeralContainers ?? [])].find((c) => c.name === request.container)!;
  const limits = { maxDurationSeconds: deps.policy.sessions.maxDuration, idleTimeoutSeconds: deps.policy.sessions.idleTimeout, reconnectGraceSeconds: deps.policy.sessions.reconnectGrace, stdinOnce: deps.policy.sessions.stdinOnce, recording: deps.policy.recording };
  const created = await deps.store.create({
    user: user.name,
    groups: user.groups,
    roles: user.roles,
    cluster,
    namespace: request.namespace,
    pod: request.pod,
    node: (pod.spec.nodeName as string | undefined) ?? null,
    kind: request.kind,
    mode,
    container: request.container,
    image: spec.image ?? null,
    profile: null,
    target: (spec as { targetContainerName?: string }).targetContainerName ?? null,
    mounts: [],
    command: request.kind === 'exec' ? (request.command ?? ['sh']) : null,
    reason: null,
    breakGlass: false,
    spec: request.kind === 'exec' ? { container: request.container, command: request.command ?? ['sh'] } : spec,
    limits: { maxDurationSeconds: limits.maxDurationSeconds, idleTimeoutSeconds: limits.idleTimeoutSeconds, reconnectGraceSeconds: limits.reconnectGraceSeconds, recording: limits.recording },
    serverId: deps.serverId,
  });
  const record = (await deps.store.update(created.id, { state: 'running', startedAt: new Date() })) ?? created;
  const live = registerLive(record.id, { store: deps.store, log: deps.log });
  live.publish({ type: 'progress', phase: 'running' });
  limitDuration(live, limits, deps.log);
  if (request.kind === 'attach') follow(record, live, client, deps, limits, true);
  return { ok: true, session: record };
}

/**
 * Starts a debug session for `user` on `cluster`: `input` is a debug request
 * (kind ephemeral, node or copy: DebugRequestInput) or an existing container
 * ({ kind: exec | attach, namespace, pod, container, command? }). Resolves
 * once the cluster took it and the session is stored (state starting, or
 * running for exec and attach); the rest happens in the background, in
 * live.ts.
 */
export async function startSession(user: EphemeraUser, cluster: string, input: unknown, mode: SessionMode, deps: SessionDeps): Promise<StartResult> {
  const roles = roleRefusal(user, mode);
  if (roles) return roles;
  const kind = (input as { kind?: unknown } | null)?.kind;
  if (kind === 'exec' || kind === 'attach') return startExisting(user, cluster, input, mode, deps);
  return startDebugSession(user, cluster, input, mode, deps);
}
