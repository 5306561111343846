// What the compose form needs to offer, for one person on one pod (or node):
// the images the policy approves, the profiles this person may use here
// (least privileged first, each explained in a line), the pod's containers to
// target, its volumes to mount, the ephemeral containers still running that
// one could re-attach to (they can never be removed, so re-attaching beats
// adding another), whether a reason is required, and the limits. The pure
// part decides from the policy and the pod as read; the I/O part reads it as
// the user.

import { can as roleAllows } from '@/lib/auth/roles';
import type { EphemeraUser } from '@/lib/auth/types';
import { mountsHostRoot, type DebugKind, type NodeRef, type Pod, type Profile } from '@/lib/debug';
import { readPodAs } from '@/lib/k8s/pods';
import { getJson, userFacing } from '@/lib/k8s/raw';
import type { UserClusterClient } from '@/lib/k8s/user-client';
import { matchesGlob, type Policy, type SessionLimits } from '@/lib/policy';
import { clusterRefusal, debugRoleRefusal, MODE_ACTION, roleRefusal, type SessionRefusal } from './prepare';

/** Least privileged first, as the form lists them. */
export const PROFILE_ORDER: readonly Profile[] = ['restricted', 'baseline', 'general', 'netadmin', 'sysadmin'];

/** One line per profile and kind: what the debug container (or pod) gets. */
export const PROFILE_DESCRIPTIONS: Readonly<Record<Exclude<Profile, 'legacy'>, Readonly<Record<DebugKind, string>>>> = {
  restricted: {
    ephemeral: 'Non-root, every capability dropped, no privilege escalation, RuntimeDefault seccomp: the least a debug container can be.',
    node: 'A pod on the node, non-root with no capabilities; no host namespaces and no /host.',
    copy: 'The copy’s debug container non-root with no capabilities; processes shared, probes and labels dropped.',
  },
  baseline: {
    ephemeral: 'The container runtime’s default security context, nothing added.',
    node: 'A pod on the node with the runtime’s defaults; no host namespaces and no /host.',
    copy: 'The runtime’s defaults in a copy with shared processes, probes and labels dropped.',
  },
  general: {
    ephemeral: 'Adds SYS_PTRACE, to trace and inspect the target container’s processes.',
    node: 'The node’s / at /host, in the host’s network, PID and IPC namespaces.',
    copy: 'Adds SYS_PTRACE in a copy with shared processes, probes and labels dropped.',
  },
  netadmin: {
    ephemeral: 'Adds NET_ADMIN and NET_RAW, for tcpdump, iptables and ping in the pod’s network.',
    node: 'NET_ADMIN and NET_RAW in the host’s network, PID and IPC namespaces; no /host.',
    copy: 'Adds NET_ADMIN and NET_RAW in a copy with shared processes, probes and labels dropped.',
  },
  sysadmin: {
    ephemeral: 'Privileged: every capability and device of the node.',
    node: 'Privileged, in the host’s namespaces, with the node’s / at /host.',
    copy: 'Privileged, in a copy with shared processes, probes and labels dropped.',
  },
};

export interface ProfileOption {
  profile: Profile;
  description: string;
  /** A reason is required to use it (break-glass). */
  breakGlass: boolean;
  /** Node pods only: the node's / is mounted at /host (chroot is possible). */
  hostRoot?: boolean;
}

export interface ContainerOption {
  name: string;
  image?: string;
  state: 'running' | 'waiting' | 'terminated' | 'unknown';
  /** The waiting or terminated reason, when there is one. */
  reason?: string;
}

export interface ReattachOption {
  name: string;
  image?: string;
  targetContainerName?: string;
  stdin: boolean;
  tty: boolean;
}

export interface DebugOptions {
  cluster: string;
  namespace: string;
  pod?: string;
  node?: string;
  /** Whether this person may start anything here at all; when not, why and which rule. */
  allowed: boolean;
  refusal?: { rule?: string; message: string };
  /** The kinds possible here (ephemeral and copy for a pod, node for a node), and which need a reason. */
  kinds: Array<{ kind: DebugKind; breakGlass: boolean; allowed: boolean; message?: string }>;
  images: {
    default: string;
    /** The policy's rules, as written. */
    approved: Array<{ pattern: string; requireDigest: boolean; profiles?: Profile[]; user?: number }>;
    /** Concrete images to offer in a picker: the default and every pattern without wildcards. */
    choices: string[];
  };
  /** The profiles this person may use here, least privileged first, explained for the kind the form opens with (ephemeral for a pod). */
  profiles: ProfileOption[];
  /** The same, explained per kind. */
  profilesByKind: Partial<Record<DebugKind, ProfileOption[]>>;
  targets: ContainerOption[];
  volumes: Array<{ name: string; source: string }>;
  /** Ephemeral containers still running with stdin open: re-attach instead of adding another. */
  reattach: ReattachOption[];
  reason: { requiredFor: { profiles: Profile[]; node: boolean; copy: boolean }; minLength: number; pattern?: string; example: string };
  limits: SessionLimits;
}

type RawStatus = { name: string; state?: { running?: object; waiting?: { reason?: string }; terminated?: { reason?: string } } };

function stateOf(status: RawStatus | undefined): Pick<ContainerOption, 'state' | 'reason'> {
  if (!status?.state) return { state: 'unknown' };
  if (status.state.running) return { state: 'running' };
  if (status.state.waiting) return { state: 'waiting', ...(status.state.waiting.reason ? { reason: status.state.waiting.reason } : {}) };
  if (status.state.terminated) return { state: 'terminated', ...(status.state.terminated.reason ? { reason: status.state.terminated.reason } : {}) };
  return { state: 'unknown' };
}

const hasGlob = (pattern: string) => /[*?]/.test(pattern);

function breakGlassKind(policy: Policy, kind: DebugKind): boolean {
  return (kind === 'node' && policy.breakGlass.nodeDebugging) || (kind === 'copy' && policy.breakGlass.podCopies);
}

/** The profiles `user` may use in `namespace` for `kind`, least privileged first. */
export function profilesFor(policy: Policy, user: EphemeraUser, namespace: string, kind: DebugKind): ProfileOption[] {
  const byRole = new Set(user.roles.flatMap((role) => policy.profiles.byRole[role] ?? []));
  const mayBreakGlass = user.roles.some((role) => policy.breakGlass.roles.includes(role));
  return PROFILE_ORDER.filter(
    (profile) =>
      byRole.has(profile) &&
      policy.profiles.byNamespace.every((rule) => !rule.namespaces.some((pattern) => matchesGlob(pattern, namespace)) || rule.profiles.includes(profile)) &&
      (mayBreakGlass || !policy.breakGlass.profiles.includes(profile)),
  ).map((profile) => ({
    profile,
    description: PROFILE_DESCRIPTIONS[profile as Exclude<Profile, 'legacy'>][kind],
    breakGlass: policy.breakGlass.profiles.includes(profile) || breakGlassKind(policy, kind),
    ...(kind === 'node' ? { hostRoot: mountsHostRoot(profile) } : {}),
  }));
}

/** The form's options for `target` (the pod or node as read by the user). Pure. */
export function debugOptions(policy: Policy, user: EphemeraUser, cluster: string, namespace: string, target: { kind: 'pod'; pod: Pod } | { kind: 'node'; node: NodeRef }): DebugOptions {
  const kinds: DebugKind[] = target.kind === 'node' ? ['node'] : ['ephemeral', 'copy'];
  const mayBreakGlass = user.roles.some((role) => policy.breakGlass.roles.includes(role));
  const profilesByKind = Object.fromEntries(kinds.map((kind) => [kind, profilesFor(policy, user, namespace, kind)]));
  const disabled = policy.namespaces.disabled.find((pattern) => matchesGlob(pattern, namespace));
  const role = roleRefusal(user, 'interactive') ?? (roleAllows(user.roles, MODE_ACTION.oneshot) ? undefined : roleRefusal(user, 'oneshot'));
  let refused: DebugOptions['refusal'];
  if (role) refused = { rule: role.rule, message: role.message };
  else if (disabled !== undefined) {
    refused = { rule: 'namespaces.disabled', message: `Debugging is switched off in namespace ${namespace} (namespaces.disabled: ${disabled}). Ask an admin if you need it there.` };
  } else if (kinds.every((kind) => profilesByKind[kind].length === 0)) {
    refused = { rule: 'profiles.byRole', message: `No debug profile is allowed for your roles (${user.roles.join(', ') || 'none'}) in namespace ${namespace}. Ask an admin.` };
  }

  const pod = target.kind === 'pod' ? target.pod : undefined;
  const statuses = (pod?.status?.containerStatuses ?? []) as RawStatus[];
  const ephemeralStatuses = (pod?.status?.ephemeralContainerStatuses ?? []) as RawStatus[];
  const { reason } = policy.breakGlass;
  return {
    cluster,
    namespace,
    ...(pod ? { pod: pod.metadata.name } : {}),
    ...(target.kind === 'node' ? { node: target.node.metadata.name } : {}),
    allowed: refused === undefined,
    ...(refused ? { refusal: refused } : {}),
    kinds: kinds.map((kind) => {
      const glass = breakGlassKind(policy, kind);
      const allowed = refused === undefined && profilesByKind[kind].length > 0 && (!glass || mayBreakGlass);
      const message = glass && !mayBreakGlass ? `${kind === 'node' ? 'Node debugging' : 'A pod copy'} is break-glass, allowed only to ${policy.breakGlass.roles.join(', ')}.` : undefined;
      return { kind, breakGlass: glass, allowed, ...(message ? { message } : {}) };
    }),
    images: {
      default: policy.images.default,
      approved: policy.images.approved.map((rule) => ({ ...rule })),
      choices: [...new Set([policy.images.default, ...policy.images.approved.map((rule) => rule.pattern).filter((pattern) => !hasGlob(pattern))])],
    },
    profiles: profilesByKind[kinds[0]],
    profilesByKind,
    targets: (pod?.spec.containers ?? []).map((c) => ({ name: c.name, ...(c.image ? { image: c.image } : {}), ...stateOf(statuses.find((s) => s.name === c.name)) })),
    volumes: (pod?.spec.volumes ?? []).map((volume) => ({ name: volume.name, source: Object.keys(volume).find((key) => key !== 'name') ?? 'unknown' })),
    reattach: (pod?.spec.ephemeralContainers ?? [])
      .filter((c) => c.stdin === true && stateOf(ephemeralStatuses.find((s) => s.name === c.name)).state === 'running')
      .map((c) => ({
        name: c.name,
        ...(c.image ? { image: c.image } : {}),
        ...(c.targetContainerName ? { targetContainerName: c.targetContainerName } : {}),
        stdin: true,
        tty: c.tty === true,
      })),
    reason: {
      requiredFor: { profiles: [...policy.breakGlass.profiles], node: policy.breakGlass.nodeDebugging, copy: policy.breakGlass.podCopies },
      minLength: reason.minLength,
      ...(reason.pattern !== undefined ? { pattern: reason.pattern } : {}),
      example: reason.example,
    },
    limits: { maxDurationSeconds: policy.sessions.maxDuration, idleTimeoutSeconds: policy.sessions.idleTimeout, reconnectGraceSeconds: policy.sessions.reconnectGrace, stdinOnce: policy.sessions.stdinOnce, recording: policy.recording },
  };
}

export type OptionsQuery = { namespace: string; pod: string } | { namespace: string; node: string };

/** The form's options, reading the pod or node as `user`; a refusal when it cannot be read (403/404 with the cluster's words). */
export async function optionsFor(
  user: EphemeraUser,
  cluster: string,
  query: OptionsQuery,
  deps: { policy: Policy; clientFor: (cluster: string, user: EphemeraUser) => UserClusterClient },
): Promise<{ ok: true; options: DebugOptions } | SessionRefusal> {
  const roles = debugRoleRefusal(user);
  if (roles) return roles;
  try {
    const client = deps.clientFor(cluster, user);
    if ('pod' in query) {
      const pod = (await readPodAs(client, query.namespace, query.pod)) as unknown as Pod;
      return { ok: true, options: debugOptions(deps.policy, user, cluster, query.namespace, { kind: 'pod', pod }) };
    }
    const server = client.kubeConfig.getCurrentCluster()?.server ?? cluster;
    const node = await getJson<NodeRef>(client.kubeConfig, `/api/v1/nodes/${encodeURIComponent(query.node)}`, { timeoutMs: 10_000 }).catch((error: unknown) => {
      throw userFacing(error, { cluster, server, action: `read node ${query.node}`, timeoutMs: 10_000 });
    });
    return { ok: true, options: debugOptions(deps.policy, user, cluster, query.namespace, { kind: 'node', node }) };
  } catch (error) {
    return clusterRefusal(error);
  }
}
