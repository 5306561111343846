// Processes that hold namespaces open, as a pod's pause container does: the
// pod sandbox (its network, UTS, IPC and, with shareProcessNamespace, PID
// namespaces) and the cluster's network — a network namespace of the dev
// cluster's own with a bridge, to which every pod's eth0 is a veth pair, so
// pods reach each other's IPs and nothing changes in the host's network.
// Each holder dies with the kubelet (parent-death signal), and its namespaces
// with it once no container uses them.
import { spawn, type ChildProcess } from 'node:child_process';
import { forgetSession, recordSession } from './registry';

export const BRIDGE = 'ephemera0';
/** The pods' network: 10.244.<node>.<n>, one /16 on the bridge. */
export const POD_PREFIX_LENGTH = 16;
export const GATEWAY = '10.244.0.1';

/**
 * Configures the namespaces it was started in, prints `ready <host pid>`, then
 * becomes the holder (its arguments). Arguments: hostname ('' keeps the
 * host's), `ip -batch` lines ('' for none), cluster netns file and veth peer
 * to attach to the bridge ('' for none).
 */
const HOLDER_SCRIPT = `
HN=$1 IPB=$2 CNS=$3 PEER=$4
shift 4
read -r PID _ </proc/self/stat
if [ -n "$HN" ]; then printf '%s' "$HN" >/proc/sys/kernel/hostname || exit 1; fi
if [ -n "$IPB" ]; then printf '%s\\n' "$IPB" | ip -batch - || exit 1; fi
if [ -n "$PEER" ]; then nsenter --net="$CNS" ip link set "$PEER" master ${BRIDGE} up || exit 1; fi
echo "ready $PID"
exec "$@"
`;

export interface HolderSpec {
  /** unshare's namespace flags (--net, --uts, --pid --fork --kill-child …). */
  unshare: string[];
  hostname?: string;
  ipBatch?: string[];
  peer?: { netns: string; name: string };
  /** What it runs once ready: it only has to stay alive. */
  command: string[];
}

export class NamespaceHolder {
  private constructor(
    private readonly leader: ChildProcess,
    /** The host pid of the process inside the namespaces. */
    readonly pid: number,
  ) {}

  /** Start one; rejects with what the setup printed when it fails. */
  static start(spec: HolderSpec): Promise<NamespaceHolder> {
    const child = spawn(
      'setpriv',
      ['--pdeathsig=KILL', '--', 'unshare', ...spec.unshare, '--', 'sh', '-c', HOLDER_SCRIPT, 'sh',
        spec.hostname ?? '', (spec.ipBatch ?? []).join('\n'), spec.peer?.netns ?? '', spec.peer?.name ?? '', ...spec.command],
      { detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    if (child.pid) recordSession(child.pid);
    return new Promise((resolve, reject) => {
      let out = '';
      let err = '';
      child.stderr!.on('data', (d: Buffer) => (err += d));
      child.stdout!.on('data', (d: Buffer) => {
        out += d;
        const m = /^ready (\d+)$/m.exec(out);
        if (m) resolve(new NamespaceHolder(child, Number(m[1])));
      });
      child.on('error', (e) => reject(e));
      child.on('exit', (code, signal) => {
        if (child.pid) forgetSession(child.pid);
        reject(new Error(err.trim() || `exited with ${signal ?? code}`));
      });
    });
  }

  /** The namespace file of one type, for nsenter and ip. */
  ns(type: 'net' | 'uts' | 'ipc' | 'pid'): string {
    return `/proc/${this.pid}/ns/${type}`;
  }

  get alive(): boolean {
    return this.leader.exitCode === null && this.leader.signalCode === null;
  }

  /** Kill it; resolves once it has exited (and is reaped, so no zombie outlives the kubelet). */
  stop(): Promise<void> {
    if (!this.leader.pid || !this.alive) return Promise.resolve();
    const exited = new Promise<void>((resolve) => this.leader.once('exit', () => resolve()));
    // The process in the namespaces first (a wrapper then reaps it), then the leader; they start nothing else.
    for (const pid of [this.pid, this.leader.pid]) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    return exited;
  }
}

/** The dev cluster's pod network: one bridge in a network namespace of its own, started on first use. */
export class ClusterNetwork {
  private holder?: Promise<NamespaceHolder>;
  private peers = 0;
  private stopped = false;

  /** The network namespace file of the bridge. */
  async netns(): Promise<string> {
    this.holder ??= NamespaceHolder.start({
      unshare: ['--net'],
      ipBatch: ['link set lo up', `link add ${BRIDGE} type bridge`, `addr add ${GATEWAY}/${POD_PREFIX_LENGTH} dev ${BRIDGE}`, `link set ${BRIDGE} up`],
      command: ['sleep', '2147483647'],
    });
    const holder = await this.holder;
    if (this.stopped) void holder.stop();
    return holder.ns('net');
  }

  /** A veth name for the bridge side of the next pod (15 characters at most). */
  nextPeer(): string {
    return `veth${(this.peers++).toString(16).padStart(6, '0')}`;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.holder?.then((h) => h.stop(), () => undefined);
  }
}
