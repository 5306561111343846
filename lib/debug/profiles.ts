// kubectl v1.32's debug profiles (pkg/cmd/debug/profiles.go), ported as
// facts: each profile is a handful of small named changes, per kind of debug
// session. The changes work on a draft the builder owns (a copy of the pod,
// or the pod being built), never on the caller's objects.
import type { Container, Pod, SecurityContext } from './types';
import type { DebugKind, KeepFlags, Profile } from './request';

/** One named change to the draft pod, for the debug container `name`. */
type Change = (pod: Pod, name: string, keep: KeepFlags) => void;

/** The container `name` among all of the pod's containers (podutils.AllContainers). */
function findContainer(pod: Pod, name: string): Container | undefined {
  const spec = pod.spec;
  return [...(spec.initContainers ?? []), ...spec.containers, ...(spec.ephemeralContainers ?? [])].find((c) => c.name === name);
}

function withSecurityContext(pod: Pod, name: string, change: (sc: SecurityContext) => void): void {
  const container = findContainer(pod, name);
  if (!container) return;
  container.securityContext ??= {};
  change(container.securityContext);
}

function addCapabilities(pod: Pod, name: string, ...capabilities: string[]): void {
  withSecurityContext(pod, name, (sc) => {
    sc.capabilities ??= {};
    sc.capabilities.add = [...(sc.capabilities.add ?? []), ...capabilities];
  });
}

/** Mount the node's root filesystem at /host (regular containers only, as kubectl). */
const mountRootPartition: Change = (pod, name) => {
  pod.spec.volumes = [...(pod.spec.volumes ?? []), { name: 'host-root', hostPath: { path: '/' } }];
  const container = pod.spec.containers.find((c) => c.name === name);
  if (container) container.volumeMounts = [...(container.volumeMounts ?? []), { name: 'host-root', mountPath: '/host' }];
};

/** Run in the node's network, PID and IPC namespaces. */
const useHostNamespaces: Change = (pod) => {
  pod.spec.hostNetwork = true;
  pod.spec.hostPID = true;
  pod.spec.hostIPC = true;
};

/** Share one process namespace across the pod, unless the pod already says either way. */
const shareProcessNamespace: Change = (pod) => {
  pod.spec.shareProcessNamespace ??= true;
};

/** Start from no security context at all. */
const clearSecurityContext: Change = (pod, name) => {
  const container = findContainer(pod, name);
  if (container) delete container.securityContext;
};

/** Privileged: every capability, every device. */
const setPrivileged: Change = (pod, name) =>
  withSecurityContext(pod, name, (sc) => {
    sc.privileged = true;
  });

/** Refuse to start as root. */
const disallowRoot: Change = (pod, name) =>
  withSecurityContext(pod, name, (sc) => {
    sc.runAsNonRoot = true;
  });

/** Drop every capability (and forget any that were added). */
const dropCapabilities: Change = (pod, name) =>
  withSecurityContext(pod, name, (sc) => {
    sc.capabilities = { ...sc.capabilities, drop: ['ALL'] };
    delete sc.capabilities.add;
  });

/** Allow ptrace, so debuggers and strace can attach to other processes. */
const allowProcessTracing: Change = (pod, name) => addCapabilities(pod, name, 'SYS_PTRACE');

/** Allow network administration and raw sockets (tcpdump, iptables, ping). */
const allowNetadminCapability: Change = (pod, name) => addCapabilities(pod, name, 'NET_ADMIN', 'NET_RAW');

/** No setuid escalation. */
const disallowPrivilegeEscalation: Change = (pod, name) =>
  withSecurityContext(pod, name, (sc) => {
    sc.allowPrivilegeEscalation = false;
  });

/** The container runtime's default seccomp filter. */
const setSeccompProfile: Change = (pod, name) =>
  withSecurityContext(pod, name, (sc) => {
    sc.seccompProfile = { type: 'RuntimeDefault' };
  });

/** A copy sheds labels, so Services and controllers leave it alone (unless kept). */
const removeLabels: Change = (pod, _name, keep) => {
  if (!keep.labels) delete pod.metadata.labels;
};

/** The legacy profile sheds labels even with --keep-labels. */
const removeLabelsAlways: Change = (pod, name, keep) => removeLabels(pod, name, { ...keep, labels: false });

const removeAnnotations: Change = (pod, _name, keep) => {
  if (!keep.annotations) delete pod.metadata.annotations;
};

/** A copy being debugged should not be restarted or taken out of service by its probes. */
const removeProbes: Change = (pod, _name, keep) => {
  for (const c of pod.spec.containers) {
    if (!keep.liveness) delete c.livenessProbe;
    if (!keep.readiness) delete c.readinessProbe;
    if (!keep.startup) delete c.startupProbe;
  }
};

const removeInitContainers: Change = (pod, _name, keep) => {
  if (!keep.initContainers) delete pod.spec.initContainers;
};

const copyRemovals: Change[] = [removeLabels, removeAnnotations, removeProbes, removeInitContainers];
const restrict: Change[] = [clearSecurityContext, disallowRoot, dropCapabilities, disallowPrivilegeEscalation, setSeccompProfile];

/** profile × kind → the changes, in kubectl's order. */
const PROFILE_CHANGES: Record<Profile, Record<DebugKind, Change[]>> = {
  legacy: {
    ephemeral: [],
    node: [mountRootPartition, useHostNamespaces],
    copy: [removeLabelsAlways],
  },
  general: {
    ephemeral: [allowProcessTracing],
    node: [mountRootPartition, clearSecurityContext, useHostNamespaces],
    copy: [...copyRemovals, allowProcessTracing, shareProcessNamespace],
  },
  baseline: {
    ephemeral: [clearSecurityContext],
    node: [clearSecurityContext],
    copy: [clearSecurityContext, ...copyRemovals, shareProcessNamespace],
  },
  restricted: {
    ephemeral: restrict,
    node: restrict,
    copy: [...restrict, ...copyRemovals, shareProcessNamespace],
  },
  netadmin: {
    ephemeral: [allowNetadminCapability],
    node: [allowNetadminCapability, useHostNamespaces],
    copy: [allowNetadminCapability, ...copyRemovals, shareProcessNamespace],
  },
  sysadmin: {
    ephemeral: [setPrivileged],
    node: [setPrivileged, useHostNamespaces, mountRootPartition],
    copy: [setPrivileged, ...copyRemovals, shareProcessNamespace],
  },
};

/** Whether the profile mounts the node's / at /host in a node debug pod. */
export function mountsHostRoot(profile: Profile): boolean {
  return PROFILE_CHANGES[profile].node.includes(mountRootPartition);
}

/** Apply `profile` to the draft pod for debug container `name`, as kubectl's ProfileApplier.Apply. */
export function applyProfile(profile: Profile, kind: DebugKind, pod: Pod, name: string, keep: KeepFlags): void {
  for (const change of PROFILE_CHANGES[profile][kind]) change(pod, name, keep);
}

/** kubectl's --keep-* defaults; only copies read them. */
export const DEFAULT_KEEP: KeepFlags = { labels: false, annotations: false, liveness: false, readiness: false, startup: false, initContainers: true };

/** kubectl v1.32's words when --profile=legacy is used. */
export const LEGACY_DEPRECATION =
  '--profile=legacy is deprecated and will be removed in the future. It is recommended to explicitly specify a profile, for example "--profile=general".';
