// A pod's sandbox: its directory on the node (logs, volumes, container
// roots), its IP, and — where the node has namespaces — the process holding
// the pod's network, UTS, IPC (and shared PID) namespaces, which every
// container of the pod joins, as containerd's pause container does.
import { chmodSync, chownSync, existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ContainerSpec, Pod } from '../types';
import { PROGRAMS_DIR } from './images';
import type { NamespaceRefs } from './launch';
import { ClusterNetwork, GATEWAY, NamespaceHolder, POD_PREFIX_LENGTH } from './network';
import { prepareVolumes, type VolumeDir } from './volumes';

export interface SandboxNetwork {
  /** The pod network (veth pairs on the cluster's bridge); without it, the pod IP sits on lo. */
  cluster?: ClusterNetwork;
}

export class SandboxError extends Error {
  constructor(
    /** The event reason: FailedMount, FailedCreatePodSandBox. */
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

export class PodSandbox {
  readonly dir: string;
  podIP?: string;
  volumes = new Map<string, VolumeDir>();
  private holder?: NamespaceHolder;
  private stopped = false;

  constructor(
    private readonly stateDir: string,
    private readonly pod: Pod,
    /** Pods get namespaces (else plain processes on the host). */
    readonly isolated: boolean,
  ) {
    const ns = pod.metadata.namespace ?? 'default';
    this.dir = path.join(stateDir, 'pods', `${ns}_${pod.metadata.name}_${pod.metadata.uid ?? ''}`);
  }

  get ready(): boolean {
    return this.podIP !== undefined;
  }

  /**
   * Set the sandbox up: volumes, then the namespaces holder with the pod IP on
   * its network. Throws SandboxError with the kubelet's event reason and message.
   */
  async start(podIP: string, network: SandboxNetwork): Promise<void> {
    if (!this.isolated) {
      this.podIP = podIP;
      return;
    }
    const spec = this.pod.spec;
    try {
      this.volumes = prepareVolumes(this.pod, this.dir, this.stateDir);
    } catch (error) {
      throw new SandboxError('FailedMount', (error as Error).message);
    }
    const hostname = String(spec.hostname ?? this.pod.metadata.name);
    const sharedPid = !!spec.shareProcessNamespace && !spec.hostPID;
    let ipBatch: string[] | undefined;
    let peer: { netns: string; name: string } | undefined;
    if (!spec.hostNetwork) {
      if (network.cluster) {
        peer = { netns: await network.cluster.netns(), name: network.cluster.nextPeer() };
        ipBatch = [
          'link set lo up',
          `link add eth0 type veth peer name ${peer.name} netns ${peer.netns}`,
          `addr add ${podIP}/${POD_PREFIX_LENGTH} dev eth0`,
          'link set eth0 up',
          `route add default via ${GATEWAY}`,
        ];
      } else {
        ipBatch = ['link set lo up', `addr add ${podIP}/32 dev lo`];
      }
      this.writeEtcFiles(hostname, podIP);
    }
    try {
      this.holder = await NamespaceHolder.start({
        unshare: [
          ...(spec.hostNetwork ? [] : ['--net', '--uts']),
          ...(spec.hostIPC ? [] : ['--ipc']),
          ...(sharedPid ? ['--pid', '--fork', '--kill-child'] : []),
        ],
        hostname: spec.hostNetwork ? undefined : hostname,
        ipBatch,
        peer,
        // With a shared PID namespace it is PID 1 for every container, so it looks like the real one.
        command: sharedPid ? [process.execPath, path.join(PROGRAMS_DIR, 'pause.mjs')] : ['sleep', '2147483647'],
      });
    } catch (error) {
      throw new SandboxError('FailedCreatePodSandBox', `Failed to create pod sandbox: ${(error as Error).message}`);
    }
    if (this.stopped) void this.holder.stop();
    this.podIP = podIP;
  }

  /** The pod's namespaces a container joins (absent: the host's); `pid` undefined when the pod does not share one. */
  namespaces(): Omit<NamespaceRefs, 'pid'> & { pid?: string } {
    const h = this.holder;
    const spec = this.pod.spec;
    if (!h) return {};
    return {
      ...(spec.hostNetwork ? {} : { net: h.ns('net'), uts: h.ns('uts') }),
      ...(spec.hostIPC ? {} : { ipc: h.ns('ipc') }),
      ...(spec.shareProcessNamespace && !spec.hostPID ? { pid: h.ns('pid') } : {}),
    };
  }

  /** The pod's /etc/hosts, /etc/hostname and /etc/resolv.conf, when it has its own network. */
  etcFiles(): { hosts: string; hostname: string; resolvConf: string } | undefined {
    if (this.pod.spec.hostNetwork) return undefined;
    return { hosts: path.join(this.dir, 'etc-hosts'), hostname: path.join(this.dir, 'etc-hostname'), resolvConf: path.join(this.dir, 'resolv.conf') };
  }

  /** One file per container instance, like /var/log/pods/<ns>_<pod>_<uid>/<container>/<restartCount>.log. */
  logFile(container: string, restartCount: number): string {
    return path.join(this.dir, container, `${restartCount}.log`);
  }

  /** A container instance's directory: its fstab and the mount points of its root (empty on the host). */
  containerDir(container: string, restartCount: number): string {
    const dir = path.join(this.dir, container, `run-${restartCount}`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(path.join(dir, 'fs'), { recursive: true });
    mkdirSync(path.join(dir, 'rootfs'), { recursive: true });
    return dir;
  }

  /**
   * Without namespaces: spec.workingDir when the host has it (the host's
   * filesystem stands in for the image's), else a directory of the
   * container's own, so files it writes stay with the pod.
   */
  workingDir(spec: ContainerSpec, uid: number, gid: number): string {
    if (spec.workingDir && existsSync(spec.workingDir) && statSync(spec.workingDir).isDirectory()) return spec.workingDir;
    const dir = path.join(this.dir, spec.name, 'rootfs');
    mkdirSync(dir, { recursive: true });
    if (process.getuid?.() === 0 && uid !== 0) {
      // A non-root container must be able to reach and use its directory.
      for (let d = path.dirname(dir); d.startsWith(this.stateDir); d = path.dirname(d)) {
        chmodSync(d, 0o755);
        if (d === this.stateDir) break;
      }
      chownSync(dir, uid, gid);
    }
    return dir;
  }

  /** The namespaces go once no container is left in them. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.holder?.stop();
  }

  /** Gone with the pod, like the kubelet's pod directory and its /var/log/pods entry. */
  remove(): void {
    void this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private writeEtcFiles(hostname: string, podIP: string): void {
    const files = this.etcFiles()!;
    const ns = this.pod.metadata.namespace ?? 'default';
    const sub = this.pod.spec.subdomain ? `${hostname}.${String(this.pod.spec.subdomain)}.${ns}.svc.cluster.local\t` : '';
    mkdirSync(this.dir, { recursive: true });
    writeFileSync(
      files.hosts,
      '# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n' +
        'fe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n' +
        `${podIP}\t${sub}${hostname}\n`,
    );
    writeFileSync(files.hostname, `${hostname}\n`);
    writeFileSync(files.resolvConf, `search ${ns}.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n`);
  }
}
