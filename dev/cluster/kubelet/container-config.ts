// What the kubelet computes before creating a container: the effective user,
// the runAsNonRoot check, the environment, and the command line (command/args
// over the image's entrypoint/cmd, with $(VAR) expansion).
import type { ContainerSpec, Pod } from '../types';
import type { ImageEntry } from './images';
import { runAsNonRootImageRoot, runAsUserBreaksNonRoot } from './messages';

interface SecurityFields {
  runAsNonRoot?: boolean;
  runAsUser?: number;
  runAsGroup?: number;
}

/** The container's securityContext over the pod's, field by field (securitycontext.DetermineEffectiveSecurityContext). */
export function effectiveSecurity(pod: Pod, container: ContainerSpec): SecurityFields {
  const podSc = (pod.spec.securityContext ?? {}) as SecurityFields;
  const sc = (container.securityContext ?? {}) as SecurityFields;
  return {
    runAsNonRoot: sc.runAsNonRoot ?? podSc.runAsNonRoot,
    runAsUser: sc.runAsUser ?? podSc.runAsUser,
    runAsGroup: sc.runAsGroup ?? podSc.runAsGroup,
  };
}

/** The kubelet's verifyRunAsNonRoot: the refusal message, or undefined when the container may run. */
export function verifyRunAsNonRoot(pod: Pod, container: ContainerSpec, image: ImageEntry): string | undefined {
  const sc = effectiveSecurity(pod, container);
  if (!sc.runAsNonRoot) return undefined;
  if (sc.runAsUser !== undefined) return sc.runAsUser === 0 ? runAsUserBreaksNonRoot(pod, container.name) : undefined;
  return image.user.uid === 0 ? runAsNonRootImageRoot(pod, container.name) : undefined;
}

export function effectiveUser(pod: Pod, container: ContainerSpec, image: ImageEntry): { uid: number; gid: number } {
  const sc = effectiveSecurity(pod, container);
  const uid = sc.runAsUser ?? image.user.uid;
  const gid = sc.runAsGroup ?? (sc.runAsUser !== undefined ? 0 : image.user.gid);
  return { uid, gid };
}

/** Kubernetes' $(VAR) expansion: known names are replaced, `$$` escapes, anything else stays as written. */
export function expand(input: string, vars: Record<string, string>): string {
  let out = '';
  for (let i = 0; i < input.length; i++) {
    const c = input[i];
    if (c !== '$' || i + 1 >= input.length) {
      out += c;
      continue;
    }
    const next = input[i + 1];
    if (next === '$') {
      out += '$';
      i++;
    } else if (next === '(') {
      const close = input.indexOf(')', i + 2);
      if (close < 0) {
        out += input.slice(i);
        break;
      }
      const name = input.slice(i + 2, close);
      out += name in vars ? vars[name] : input.slice(i, close + 1);
      i = close;
    } else {
      out += c;
    }
  }
  return out;
}

/** The in-cluster `kubernetes` service's link variables every container gets. */
const SERVICE_ENV: Record<string, string> = {
  KUBERNETES_SERVICE_HOST: '10.96.0.1',
  KUBERNETES_SERVICE_PORT: '443',
  KUBERNETES_SERVICE_PORT_HTTPS: '443',
  KUBERNETES_PORT: 'tcp://10.96.0.1:443',
  KUBERNETES_PORT_443_TCP: 'tcp://10.96.0.1:443',
  KUBERNETES_PORT_443_TCP_PROTO: 'tcp',
  KUBERNETES_PORT_443_TCP_PORT: '443',
  KUBERNETES_PORT_443_TCP_ADDR: '10.96.0.1',
};

export interface PodAddresses {
  podIP: string;
  hostIP: string;
}

/** A fieldRef's value (the downward API); undefined for paths we cannot answer. */
function fieldRef(pod: Pod, fieldPath: string, addr: PodAddresses): string | undefined {
  const m = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(fieldPath);
  if (m) return (pod.metadata[m[1] as 'labels' | 'annotations'] ?? {})[m[2]] ?? '';
  switch (fieldPath) {
    case 'metadata.name':
      return pod.metadata.name;
    case 'metadata.namespace':
      return pod.metadata.namespace ?? 'default';
    case 'metadata.uid':
      return pod.metadata.uid ?? '';
    case 'spec.nodeName':
      return pod.spec.nodeName ?? '';
    case 'spec.serviceAccountName':
      return String(pod.spec.serviceAccountName ?? 'default');
    case 'status.podIP':
    case 'status.podIPs':
      return addr.podIP;
    case 'status.hostIP':
    case 'status.hostIPs':
      return addr.hostIP;
    default:
      return undefined;
  }
}

/**
 * The process environment: image env, service links, the container's env in
 * order (each value expanded against what precedes it), HOSTNAME, HOME, TERM.
 * valueFrom: fieldRef is answered; resourceFieldRef reads "0"; secret and
 * config map references are skipped (the simulated node has no access to them).
 */
export function containerEnv(
  pod: Pod,
  container: ContainerSpec,
  image: ImageEntry,
  addr: PodAddresses,
  uid: number,
): Record<string, string> {
  const env: Record<string, string> = { ...image.env, ...SERVICE_ENV };
  for (const e of container.env ?? []) {
    if (e.value !== undefined) env[e.name] = expand(e.value, env);
    else if (e.valueFrom && typeof e.valueFrom === 'object') {
      const from = e.valueFrom as { fieldRef?: { fieldPath?: string }; resourceFieldRef?: unknown };
      const value = from.fieldRef?.fieldPath
        ? fieldRef(pod, from.fieldRef.fieldPath, addr)
        : from.resourceFieldRef
          ? '0'
          : undefined;
      if (value !== undefined) env[e.name] = value;
    } else env[e.name] = '';
  }
  env.HOSTNAME = String(pod.spec.hostname ?? pod.metadata.name);
  env.HOME ??= uid === 0 ? '/root' : '/';
  if (container.tty) env.TERM ??= 'xterm';
  return env;
}

/** command overrides the entrypoint, args override cmd; both expanded against the environment. */
export function containerArgv(container: ContainerSpec, image: ImageEntry, env: Record<string, string>): string[] {
  const x = (list: string[] | undefined) => (list?.length ? list.map((a) => expand(a, env)) : undefined);
  const command = x(container.command);
  const args = x(container.args);
  return command ? [...command, ...(args ?? [])] : [...image.entrypoint, ...(args ?? image.cmd)];
}
