// Compose: from what a person asked for (the form or the JSON API) to the
// exact object Ephemera would send, or a refusal that says which rule refused
// and what to do. Complete → Validate as kubectl's debug command does: parse
// the request, apply the session mode, decide the policy, read the pod or
// node AS the user (the cluster's RBAC already has a say here), build. Nothing
// is sent: the preview shows this, and start.ts sends it.

import { stringify } from 'yaml';
import { can as roleAllows, type Action } from '@/lib/auth/roles';
import type { EphemeraUser } from '@/lib/auth/types';
import {
  buildEphemeralContainer,
  buildNodeDebugPod,
  buildPodCopy,
  describeErrors,
  kubectlCommandFor,
  parseDebugRequest,
  type Adjustment,
  type BuildDeps,
  type DebugRequest,
  type EphemeralContainer,
  type EphemeralContainersPatch,
  type FieldError,
  type KubectlCommand,
  type NodeRef,
  type Pod,
  type RandomSource,
  type Warning,
} from '@/lib/debug';
import { UserFacingError } from '@/lib/http/errors';
import { readPodAs } from '@/lib/k8s/pods';
import { getJson, userFacing } from '@/lib/k8s/raw';
import type { UserClusterClient } from '@/lib/k8s/user-client';
import { evaluate, imageUsersFrom, nonRootImagesFrom, type Policy, type PolicyRule, type SessionLimits } from '@/lib/policy';
import type { SessionMode } from '@/lib/store/types';

/** Which rule refused: a policy rule, Ephemera's roles, or the session mode's own requirement. */
export type RefusalRule = PolicyRule | 'roles' | 'mode.oneshot';

export interface SessionRefusal {
  ok: false;
  /** 400 a malformed or invalid request; 401 Ephemera cannot present you to the cluster; 403 a policy, role or cluster refusal; 404 no such cluster, pod or node; 409 the pod cannot take it; 422 the cluster found the object invalid; 502 the cluster could not be asked. */
  status: 400 | 401 | 403 | 404 | 409 | 422 | 502;
  /** Field by field, for a 400. */
  errors?: FieldError[];
  /** The rule that refused, for a 403 from Ephemera (absent when the cluster refused). */
  rule?: RefusalRule;
  message: string;
}

/** What would go to the cluster, by kind. */
export type SessionBuild =
  | {
      kind: 'ephemeral';
      namespace: string;
      pod: string;
      container: EphemeralContainer;
      /** The body of PATCH …/pods/POD/ephemeralcontainers (application/strategic-merge-patch+json). */
      patch: EphemeralContainersPatch;
    }
  | { kind: 'node'; namespace: string; node: string; pod: Pod; containerName: string }
  | { kind: 'copy'; namespace: string; pod: Pod; containerName: string; deleteOriginal?: { namespace: string; name: string } };

export interface PreparedSession {
  ok: true;
  mode: SessionMode;
  /** The request as it will be built: policy defaults and the container name filled in. Post it back to start exactly this. */
  request: DebugRequest;
  build: SessionBuild;
  /** Where the terminal connects once it runs. */
  connect: { namespace: string; pod: string; container: string; node?: string };
  /** The exact body that will be sent, as YAML: the strategic merge patch for an ephemeral container, the pod otherwise. */
  yaml: string;
  /** The equivalent `kubectl debug` command. */
  kubectl: KubectlCommand;
  /** What the policy and Ephemera filled in or added, each said out loud. */
  adjustments: Adjustment[];
  /** What is predicted to go wrong (e.g. the kubelet refusing a root image under runAsNonRoot). */
  warnings: Warning[];
  limits: SessionLimits;
  breakGlass: boolean;
}

export type PrepareResult = PreparedSession | SessionRefusal;

/** What prepareSession needs from outside; appSessionDeps (deps.ts) gives the app's. */
export interface PrepareDeps {
  policy: Policy;
  /** A client acting as `user` on `cluster` (impersonation or pass-through). */
  clientFor: (cluster: string, user: EphemeraUser) => UserClusterClient;
  /** For debugger-xxxxx and node-debugger-<node>-xxxxx. */
  random: RandomSource;
}

export const refusal = (status: SessionRefusal['status'], message: string, extra: Pick<SessionRefusal, 'errors' | 'rule'> = {}): SessionRefusal => ({
  ok: false,
  status,
  ...extra,
  message,
});

/** The Ephemera role action each mode needs. */
export const MODE_ACTION: Record<SessionMode, Action> = { interactive: 'sessions.start', oneshot: 'diagnostics.run' };

/** A role refusal when the person may neither start sessions nor run diagnostics: the routes' first check, before the body is read. */
export function debugRoleRefusal(user: EphemeraUser): SessionRefusal | undefined {
  const interactive = roleRefusal(user, 'interactive');
  return interactive && roleRefusal(user, 'oneshot') ? interactive : undefined;
}

/** A role refusal, or undefined when the person's roles allow `mode`. */
export function roleRefusal(user: EphemeraUser, mode: SessionMode): SessionRefusal | undefined {
  if (roleAllows(user.roles, MODE_ACTION[mode])) return undefined;
  const what = mode === 'oneshot' ? 'Running one-shot diagnostics' : 'Starting debug sessions';
  return refusal(403, `${what} needs the debugger or admin role; you hold ${user.roles.join(', ') || 'no role'}. Ask for the debugger role.`, { rule: 'roles' });
}

/**
 * The session mode, applied to the request: an interactive session is a
 * terminal (stdin and a TTY, as `kubectl debug -it`); a one-shot session runs
 * its command with neither, and its output is streamed from the log.
 */
export function applyMode(request: DebugRequest, mode: SessionMode): DebugRequest | SessionRefusal {
  if (mode === 'interactive') return { ...request, stdin: true, tty: true };
  if (!request.command || request.command.length === 0) {
    const errors: FieldError[] = [{ field: 'command', message: 'command: Required value. A one-shot session runs one command and ends: give it, e.g. ["ss", "-tlnp"].' }];
    return refusal(400, describeErrors(errors), { errors, rule: 'mode.oneshot' });
  }
  return { ...request, stdin: false, tty: false, stdinOnce: false };
}

/** Parse a request body: 400 with every field problem. */
export function parseRequest(input: unknown): { ok: true; request: DebugRequest } | SessionRefusal {
  const parsed = parseDebugRequest(input);
  if (parsed.ok) return parsed;
  return refusal(400, describeErrors(parsed.errors), { errors: parsed.errors });
}

/** What the pod or node says, for the builder: the pod for ephemeral and copy, the node for node. */
export type BuildTarget = { kind: 'pod'; pod: Pod } | { kind: 'node'; node: NodeRef };

/** An ephemeral container added to a pod that has finished would never run. */
function finishedPodRefusal(request: DebugRequest, pod: Pod): SessionRefusal | undefined {
  const phase = pod.status?.phase;
  if (request.kind !== 'ephemeral' || (phase !== 'Succeeded' && phase !== 'Failed')) return undefined;
  return refusal(409, `Pod ${request.namespace}/${request.pod} has finished (phase ${phase}), so an ephemeral container added to it would never start. Debug a copy of it instead.`);
}

/**
 * The pure half: a policy-approved request and the pod or node it names → the
 * object to send, its YAML, the kubectl command, and everything to say about it.
 */
export function buildPrepared(
  mode: SessionMode,
  approved: { request: DebugRequest; adjustments: Adjustment[]; limits: SessionLimits; breakGlass: boolean },
  target: BuildTarget,
  deps: BuildDeps,
): PrepareResult {
  const request = approved.request;
  let build: SessionBuild;
  let completed: DebugRequest;
  let connect: PreparedSession['connect'];
  let adjustments: Adjustment[];
  let warnings: Warning[];
  let body: unknown;
  if (request.kind === 'node') {
    if (target.kind !== 'node') throw new Error('a node request needs the node');
    const built = buildNodeDebugPod(request, target.node, deps);
    if (!built.ok) return refusal(400, describeErrors(built.errors), { errors: built.errors });
    const name = built.pod.metadata.name!;
    build = { kind: 'node', namespace: built.namespace, node: request.node, pod: built.pod, containerName: built.containerName };
    ({ request: completed, adjustments, warnings } = built);
    connect = { namespace: built.namespace, pod: name, container: built.containerName, node: request.node };
    body = built.pod;
  } else {
    if (target.kind !== 'pod') throw new Error('a pod request needs the pod');
    const finished = finishedPodRefusal(request, target.pod);
    if (finished) return finished;
    if (request.kind === 'ephemeral') {
      const built = buildEphemeralContainer(request, target.pod, deps);
      if (!built.ok) return refusal(400, describeErrors(built.errors), { errors: built.errors });
      build = { kind: 'ephemeral', namespace: request.namespace, pod: request.pod, container: built.container, patch: built.patch };
      ({ request: completed, adjustments, warnings } = built);
      connect = { namespace: request.namespace, pod: request.pod, container: built.container.name };
      body = built.patch;
    } else {
      const built = buildPodCopy(request, target.pod, deps);
      if (!built.ok) return refusal(400, describeErrors(built.errors), { errors: built.errors });
      // With only images changed there is no debug container: the terminal goes to the copy's first container.
      const containerName = built.containerName ?? built.pod.spec.containers[0].name;
      build = { kind: 'copy', namespace: request.namespace, pod: built.pod, containerName, ...(built.deleteOriginal ? { deleteOriginal: built.deleteOriginal } : {}) };
      ({ request: completed, adjustments, warnings } = built);
      connect = { namespace: request.namespace, pod: request.copyTo, container: containerName };
      body = built.pod;
    }
  }
  return {
    ok: true,
    mode,
    request: completed,
    build,
    connect,
    yaml: stringify(body, { aliasDuplicateObjects: false }),
    kubectl: kubectlCommandFor(completed),
    adjustments: [...approved.adjustments, ...adjustments],
    warnings,
    limits: approved.limits,
    breakGlass: approved.breakGlass,
  };
}

const READ_TIMEOUT_MS = 10_000;

/** The pod or node the request names, read as the user; a refusal with the cluster's words when it cannot be. */
async function readTarget(client: UserClusterClient, request: DebugRequest): Promise<BuildTarget | SessionRefusal> {
  try {
    if (request.kind === 'node') {
      const path = `/api/v1/nodes/${encodeURIComponent(request.node)}`;
      try {
        return { kind: 'node', node: await getJson<NodeRef>(client.kubeConfig, path, { timeoutMs: READ_TIMEOUT_MS }) };
      } catch (error) {
        const server = client.kubeConfig.getCurrentCluster()?.server ?? client.cluster;
        throw userFacing(error, { cluster: client.cluster, server, action: `read node ${request.node}`, timeoutMs: READ_TIMEOUT_MS });
      }
    }
    return { kind: 'pod', pod: (await readPodAs(client, request.namespace, request.pod)) as unknown as Pod };
  } catch (error) {
    return clusterRefusal(error);
  }
}

/** A failed request to the cluster as a refusal: its status (403, 404, 409, 400 for 422) and its words; 502 when it could not be asked. */
export function clusterRefusal(error: unknown): SessionRefusal {
  if (error instanceof UserFacingError) {
    const status = ([400, 401, 403, 404, 409, 422].includes(error.status) ? error.status : 502) as SessionRefusal['status'];
    return refusal(status, error.message);
  }
  throw error;
}

/**
 * Everything about a debug session before it is sent: parse, mode, policy,
 * the pod or node read as `user`, the build. `input` is the request as the
 * form or the JSON API sends it (DebugRequestInput).
 */
export async function prepareSession(user: EphemeraUser, cluster: string, input: unknown, mode: SessionMode, deps: PrepareDeps): Promise<PrepareResult> {
  const roles = roleRefusal(user, mode);
  if (roles) return roles;
  const parsed = parseRequest(input);
  if (!parsed.ok) return parsed;
  const moded = applyMode(parsed.request, mode);
  if ('ok' in moded) return moded;
  const decision = evaluate(deps.policy, user, moded);
  if (!decision.allowed) return refusal(403, decision.message, { rule: decision.rule });
  let client: UserClusterClient;
  try {
    client = deps.clientFor(cluster, user);
  } catch (error) {
    return clusterRefusal(error);
  }
  const target = await readTarget(client, decision.request);
  if ('ok' in target) return target;
  const buildDeps: BuildDeps = { random: deps.random, imageUsers: imageUsersFrom(deps.policy), nonRootImages: nonRootImagesFrom(deps.policy) };
  return buildPrepared(mode, decision, target, buildDeps);
}
