// A container's securityContext as this node can apply it: the capability
// bounding set (containerd's defaults, add/drop, privileged), no_new_privs,
// the user and groups — and what it cannot apply, said plainly.
import { readFileSync } from 'node:fs';
import type { ContainerSpec, Pod } from '../types';

/** Linux capabilities by bit number (capability.h), lower case without CAP_, as setpriv names them. */
const CAPABILITIES = [
  'chown', 'dac_override', 'dac_read_search', 'fowner', 'fsetid', 'kill', 'setgid', 'setuid', 'setpcap',
  'linux_immutable', 'net_bind_service', 'net_broadcast', 'net_admin', 'net_raw', 'ipc_lock', 'ipc_owner',
  'sys_module', 'sys_rawio', 'sys_chroot', 'sys_ptrace', 'sys_pacct', 'sys_admin', 'sys_boot', 'sys_nice',
  'sys_resource', 'sys_time', 'sys_tty_config', 'mknod', 'lease', 'audit_write', 'audit_control', 'setfcap',
  'mac_override', 'mac_admin', 'syslog', 'wake_alarm', 'block_suspend', 'audit_read', 'perfmon', 'bpf',
  'checkpoint_restore',
];

/** containerd's default set for a container (oci.defaultUnixCaps). */
const DEFAULT_CAPABILITIES = [
  'chown', 'dac_override', 'fsetid', 'fowner', 'mknod', 'net_raw', 'setgid', 'setuid', 'setfcap', 'setpcap',
  'net_bind_service', 'sys_chroot', 'kill', 'audit_write',
];

let hostCaps: Set<string> | undefined;

/** The capabilities this process may hand on (its bounding set). */
export function hostCapabilities(): Set<string> {
  if (hostCaps) return hostCaps;
  let mask = 0n;
  try {
    const m = /^CapBnd:\s*([0-9a-f]+)$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    mask = m ? BigInt(`0x${m[1]}`) : 0n;
  } catch {
    /* not Linux */
  }
  hostCaps = new Set(CAPABILITIES.filter((_, bit) => (mask >> BigInt(bit)) & 1n));
  return hostCaps;
}

/** `NET_ADMIN` and `CAP_NET_ADMIN` alike, as containerd accepts both. */
const capName = (c: string) => c.toLowerCase().replace(/^cap_/, '');

export interface SecuritySettings {
  uid: number;
  gid: number;
  /** Supplementary groups: fsGroup and supplementalGroups. */
  groups: number[];
  /** The bounding set the container's processes get. */
  capabilities: string[];
  noNewPrivs: boolean;
  privileged: boolean;
  readOnlyRootFilesystem: boolean;
  /** What was asked for and is not applied here, one phrase each. */
  notApplied: string[];
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' ? (v as Json) : {});
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

/** What the runtime applies for this container, user already decided (effectiveUser). */
export function securitySettings(pod: Pod, container: ContainerSpec, user: { uid: number; gid: number }): SecuritySettings {
  const sc = obj(container.securityContext);
  const psc = obj(pod.spec.securityContext);
  const privileged = sc.privileged === true;
  const notApplied: string[] = [];
  const host = hostCapabilities();

  // containerd's order: ALL added, ALL dropped, then each added, then each dropped.
  const caps = obj(sc.capabilities);
  const add = strings(caps.add).map(capName);
  const drop = strings(caps.drop).map(capName);
  let set = new Set(privileged ? CAPABILITIES : DEFAULT_CAPABILITIES);
  if (add.includes('all')) set = new Set(CAPABILITIES);
  if (drop.includes('all')) set.clear();
  for (const c of add) if (c !== 'all') set.add(c);
  for (const c of drop) if (c !== 'all') set.delete(c);
  const unknown = [...set].filter((c) => !CAPABILITIES.includes(c));
  if (unknown.length) notApplied.push(`unknown capabilities ${unknown.map((c) => `CAP_${c.toUpperCase()}`).join(', ')}`);
  const wanted = [...set].filter((c) => CAPABILITIES.includes(c));
  const lacking = wanted.filter((c) => !host.has(c));
  // Capabilities the node itself lacks are only worth saying when asked for by name, or with privileged.
  const asked = privileged ? lacking : lacking.filter((c) => add.includes(c) || add.includes('all'));
  if (asked.length) notApplied.push(`capabilities the node does not have: ${asked.map((c) => `CAP_${c.toUpperCase()}`).join(', ')}`);

  const seccomp = obj(sc.seccompProfile).type ?? obj(psc.seccompProfile).type;
  if (seccomp && seccomp !== 'Unconfined') notApplied.push(`seccompProfile ${String(seccomp)}`);
  const apparmor = obj(sc.appArmorProfile).type ?? obj(psc.appArmorProfile).type;
  if (apparmor && apparmor !== 'Unconfined') notApplied.push(`appArmorProfile ${String(apparmor)}`);
  if (sc.seLinuxOptions ?? psc.seLinuxOptions) notApplied.push('seLinuxOptions');
  if (Array.isArray(psc.sysctls) && psc.sysctls.length) notApplied.push('sysctls');

  const groups = [psc.fsGroup, ...(Array.isArray(psc.supplementalGroups) ? psc.supplementalGroups : [])]
    .filter((g): g is number => typeof g === 'number' && Number.isInteger(g) && g >= 0);
  return {
    uid: user.uid,
    gid: user.gid,
    groups: [...new Set(groups)],
    capabilities: wanted.filter((c) => host.has(c)),
    // Kubernetes: allowPrivilegeEscalation defaults to true, and privileged forces it.
    noNewPrivs: sc.allowPrivilegeEscalation === false && !privileged,
    privileged,
    readOnlyRootFilesystem: sc.readOnlyRootFilesystem === true,
    notApplied,
  };
}

/** setpriv's arguments that put a process into these settings, ending with `--`. */
export function setprivArgs(s: SecuritySettings): string[] {
  const host = hostCapabilities();
  const all = [...host].every((c) => s.capabilities.includes(c));
  return [
    `--reuid=${s.uid}`,
    `--regid=${s.gid}`,
    s.groups.length ? `--groups=${s.groups.join(',')}` : '--clear-groups',
    '--inh-caps=-all',
    ...(all ? [] : [`--bounding-set=${['-all', ...s.capabilities.map((c) => `+${c}`)].join(',')}`]),
    ...(s.noNewPrivs ? ['--nnp'] : []),
    // Changing the user clears a parent-death signal, so it is set here, last.
    '--pdeathsig=KILL',
    '--',
  ];
}
