// What this machine lets the simulated node do: give pods their own network,
// process and mount namespaces (root, util-linux, iproute2), or only run
// plain processes. Probed once per process, by trying it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export type IsolationMode = 'namespaces' | 'none';

export interface IsolationSupport {
  mode: IsolationMode;
  /** Why (for `none`), or what the namespaces come with (for `namespaces`), in one sentence. */
  reason: string;
  /** /etc and /usr are writable overlays in each container (else read-only binds). */
  overlay: boolean;
  /** Pods are connected by veth pairs to a bridge in a network of the cluster's own (else the pod IP sits on lo). */
  podNetwork: boolean;
}

/** Set to `none` to run pods as plain processes even where namespaces work. */
export const ISOLATION_ENV = 'EPHEMERA_DEV_ISOLATION';
/** The node annotation that tells clients which of the two a node gives its pods. */
export const ISOLATION_ANNOTATION = 'ephemera.dev/isolation';
/** The node condition type carrying the same, with the reason in its message. */
export const ISOLATION_CONDITION = 'EphemeraIsolation';

const TOOLS = ['unshare', 'nsenter', 'setpriv', 'setsid', 'mount', 'umount', 'pivot_root', 'cp', 'ip', 'sh'];

// Runs inside fresh namespaces; prints one word per capability it found.
// `mounts` tries the kinds a container's root is made of, the way it is made (rootfs.ts).
const PROBE = `
D=$1
mount -t tmpfs ephemera-probe "$D" || exit 1
mkdir -p "$D/u" "$D/w" "$D/m" "$D/r/proc" "$D/r/sys" "$D/p" || exit 1
printf '%s\\n' "proc $D/r/proc proc nosuid,nodev,noexec 0 0" "sysfs $D/r/sys sysfs nosuid,nodev,noexec 0 0" \\
  "$D/r/sys $D/r/sys none bind,ro 0 0" "/etc $D/r/etc none rbind,ro,X-mount.mkdir 0 0" > "$D/fstab"
mount -a -T "$D/fstab" && echo mounts
mount -t overlay -o lowerdir=/etc,upperdir="$D/u",workdir="$D/w" overlay "$D/m" 2>/dev/null && echo overlay
ip link set lo up && echo net
ip link add ephemera-b type bridge 2>/dev/null && ip link add ephemera-v0 type veth peer name ephemera-v1 2>/dev/null && echo veth
printf probe > /proc/sys/kernel/hostname && echo uts
mount --rbind / "$D/p" && cd "$D/p" && pivot_root . . && umount -l . && echo pivot
`;

let probed: IsolationSupport | undefined;

/** What pods get on this machine; probed on first use (tens of milliseconds), then remembered. */
export function isolationSupport(): IsolationSupport {
  probed ??= probe();
  return probed;
}

const none = (reason: string): IsolationSupport => ({ mode: 'none', reason, overlay: false, podNetwork: false });

function probe(): IsolationSupport {
  if (process.env[ISOLATION_ENV] === 'none') return none(`${ISOLATION_ENV}=none`);
  if (process.platform !== 'linux') return none(`namespaces need Linux, this is ${process.platform}`);
  if (process.getuid?.() !== 0) return none('namespaces need root, the dev cluster runs as an unprivileged user');
  const which = spawnSync('sh', ['-c', 'for t in "$@"; do command -v "$t" >/dev/null || echo "$t"; done', 'sh', ...TOOLS], { encoding: 'utf8' });
  const missing = (which.stdout ?? TOOLS.join(' ')).split(/\s+/).filter(Boolean);
  if (missing.length) return none(`missing ${missing.join(', ')} (util-linux, iproute2)`);

  const dir = mkdtempSync(path.join(os.tmpdir(), 'ephemera-probe-'));
  try {
    const run = spawnSync(
      'setpriv',
      ['--pdeathsig', 'KILL', '--', 'unshare', '--net', '--uts', '--ipc', '--pid', '--mount', '--fork', '--kill-child',
        '--propagation', 'private', '--', 'sh', '-c', PROBE, 'sh', dir],
      { encoding: 'utf8', timeout: 10_000 },
    );
    const found = new Set((run.stdout ?? '').split(/\s+/).filter(Boolean));
    const needed = ['mounts', 'net', 'uts', 'pivot'].filter((f) => !found.has(f));
    if (run.status === null || !found.size) {
      return none(`unshare was refused: ${(run.stderr || run.error?.message || `exit ${run.status}`).trim().split('\n')[0]}`);
    }
    if (needed.length) return none(`the host does not allow: ${needed.join(', ')} (${(run.stderr ?? '').trim().split('\n')[0]})`);
    const overlay = found.has('overlay');
    const podNetwork = found.has('veth');
    return {
      mode: 'namespaces',
      reason:
        'each pod has its own network, UTS and IPC namespaces, each container its own PID and mount namespaces' +
        (overlay ? '' : '; no overlayfs, so /etc and /usr are read-only') +
        (podNetwork ? '' : '; no veth, so pods cannot reach each other'),
      overlay,
      podNetwork,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** For the node objects: the annotation and the condition that say what pods get here. */
export function nodeIsolation(now = new Date()) {
  const support = isolationSupport();
  const time = now.toISOString().replace(/\.\d+Z$/, 'Z');
  return {
    annotations: { [ISOLATION_ANNOTATION]: support.mode },
    condition: {
      type: ISOLATION_CONDITION,
      status: support.mode === 'namespaces' ? 'True' : 'False',
      lastHeartbeatTime: time,
      lastTransitionTime: time,
      reason: support.mode === 'namespaces' ? 'PodNamespaces' : 'PlainProcesses',
      message: support.reason,
    },
  };
}
