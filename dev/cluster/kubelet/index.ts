// The dev cluster's kubelet and container runtime: pods scheduled to any node
// run here as real local processes. The object store calls podChanged(); the
// HTTP layer calls attach/exec/logs and answers a thrown StatusError as is.
import type { ContainerSpec, Pod } from '../types';
import { badRequest, failure } from '../status';
import type { ContainerStream, StreamOptions } from '../streams';
import { AttachStream, ExecStream } from './container-streams';
import { isolationSupport, type IsolationSupport } from './isolation';
import { writeSetupScript } from './launch';
import { logContainerID, readLog } from './logs';
import * as msg from './messages';
import { ClusterNetwork } from './network';
import { PodWorker } from './pod-worker';
import { ImagePuller } from './pull';
import { reapOrphans } from './registry';
import { makeSkeleton } from './rootfs';

export {
  isolationSupport,
  nodeIsolation,
  ISOLATION_ANNOTATION,
  ISOLATION_CONDITION,
  ISOLATION_ENV,
  type IsolationSupport,
} from './isolation';

export interface PodStore {
  get(namespace: string, name: string): Pod | undefined;
  /** Replace the pod's status (the store bumps resourceVersion and emits a MODIFIED watch event). */
  writeStatus(namespace: string, name: string, status: NonNullable<Pod['status']>): void;
  /** Remove a pod whose deletion was requested, once all its containers have stopped. */
  finalizeDeletion(namespace: string, name: string, uid: string): void;
  /** Record a core/v1 Event about the pod (Scheduled, Pulling, Pulled, Created, Started, Killing, BackOff, Failed …). */
  recordEvent(pod: Pod, type: 'Normal' | 'Warning', reason: string, message: string, fieldPath?: string): void;
}

export interface KubeletOptions {
  store: PodStore;
  /** A directory the kubelet owns (logs, container working dirs). */
  stateDir: string;
  /** CrashLoopBackOff (and image pull back-off) base, default 10_000 (10s, doubling, cap 30× base = 300s). */
  backoffBaseMs?: number;
  /** How long ContainerCreating/"Pulling" lasts, default 300ms. */
  pullDelayMs?: number;
  now?: () => Date;
  /** Upper bound on a pod's termination grace period in the simulator, default 3000ms. */
  gracePeriodCapMs?: number;
  /** A node's InternalIP (status.hostIP); default 172.18.0.2, .3, … by first appearance. */
  nodeIP?: (nodeName: string) => string | undefined;
  /** `none`: plain processes even where the machine allows namespaces. Default: what isolationSupport() found. */
  isolation?: 'none';
}

export interface LogsOptions {
  container?: string;
  follow?: boolean;
  previous?: boolean;
  tailLines?: number;
  timestamps?: boolean;
  sinceSeconds?: number;
  limitBytes?: number;
}

const DEFAULT_CONTAINER_ANNOTATION = 'kubectl.kubernetes.io/default-container';

/** Every container of the spec, in the apiserver's VisitContainers order: init, regular, ephemeral. */
const allContainers = (pod: Pod): ContainerSpec[] => [
  ...(pod.spec.initContainers ?? []),
  ...pod.spec.containers,
  ...(pod.spec.ephemeralContainers ?? []),
];

interface NodeInfo {
  hostIP: string;
  index: number;
  allocated: number;
}

export class Kubelet {
  private readonly workers = new Map<string, PodWorker>();
  /** Pods this node has finished with (recent uids), so a late notification does not run them again. */
  private readonly gone = new Set<string>();
  private readonly nodes = new Map<string, NodeInfo>();
  private readonly puller: ImagePuller;
  private readonly now: () => Date;
  /** What pods get here: their own namespaces, or plain processes. */
  readonly isolation: IsolationSupport;
  private readonly network?: ClusterNetwork;
  private files?: { skeleton: string; setupScript: string };
  private closed = false;

  constructor(private readonly opts: KubeletOptions) {
    this.now = opts.now ?? (() => new Date());
    this.puller = new ImagePuller(opts.pullDelayMs ?? 300, opts.backoffBaseMs ?? 10_000);
    cleanUpOnce();
    const support = isolationSupport();
    this.isolation = opts.isolation === 'none' ? { ...support, mode: 'none', reason: 'isolation: none was asked for' } : support;
    if (this.isolation.mode === 'none') warnOnce(this.isolation.reason);
    else if (this.isolation.podNetwork) this.network = new ClusterNetwork();
  }

  /** A pod was created, its spec changed (ephemeral containers added), or deletionTimestamp was set. */
  podChanged(pod: Pod): void {
    if (this.closed) return;
    const uid = pod.metadata.uid;
    if (!uid || !pod.spec.nodeName) return;
    const worker = this.workers.get(uid);
    if (worker) {
      worker.update(pod);
      return;
    }
    if (this.gone.has(uid)) return;
    if (pod.metadata.deletionTimestamp) {
      this.forget(uid);
      // Never ran here: nothing to stop.
      setImmediate(() =>
        this.opts.store.finalizeDeletion(pod.metadata.namespace ?? 'default', pod.metadata.name, uid),
      );
      return;
    }
    this.workers.set(uid, this.startWorker(pod));
  }

  /** Attach to a running container's main process. Throws StatusError for refusals. */
  attach(pod: Pod, container: string, opts: StreamOptions): ContainerStream {
    const name = this.validContainer(pod, container);
    const worker = this.workerFor(pod);
    const phase = worker.phase;
    if (phase === 'Succeeded' || phase === 'Failed') throw badRequest(msg.cannotAttachCompleted(phase));
    return new AttachStream(this.runningInstance(worker, name), opts);
  }

  /** Run a new process in a running container. Throws StatusError for refusals. */
  exec(pod: Pod, container: string, command: string[], opts: StreamOptions): ContainerStream {
    const name = this.validContainer(pod, container);
    const worker = this.workerFor(pod);
    return new ExecStream(this.runningInstance(worker, name), command, opts);
  }

  /** A container's log, as the kubelet serves it. Throws StatusError (400) for refusals. */
  logs(pod: Pod, opts: LogsOptions): AsyncIterable<Buffer> {
    const podName = pod.metadata.name;
    let name = opts.container;
    if (!name) {
      if (pod.spec.containers.length !== 1) {
        throw badRequest(msg.containerNameRequired(podName, allContainers(pod).map((c) => c.name)));
      }
      name = pod.spec.containers[0].name;
    } else if (!allContainers(pod).some((c) => c.name === name)) {
      throw badRequest(msg.containerNotValid(name, podName));
    }
    if (!pod.spec.nodeName) return readNothing();
    const worker = this.workerFor(pod);
    const status = worker.status(name);
    if (!status) throw badRequest(msg.containerNotAvailable(name, podName));
    const instance = worker.instance(name, logContainerID(status, name, podName, !!opts.previous));
    // A container that never got a process (StartError) has an empty log.
    return instance ? readLog(instance.log, opts, this.now) : readNothing();
  }

  /** Stop every process; leave no child behind. */
  async shutdown(): Promise<void> {
    this.closed = true;
    const workers = [...this.workers.values()];
    this.workers.clear();
    await Promise.all(workers.map((w) => w.shutdown()));
    await this.network?.stop();
  }

  private startWorker(pod: Pod): PodWorker {
    const node = this.node(pod.spec.nodeName!);
    return new PodWorker(
      {
        store: this.opts.store,
        puller: this.puller,
        stateDir: this.opts.stateDir,
        backoffBaseMs: this.opts.backoffBaseMs ?? 10_000,
        pullDelayMs: this.opts.pullDelayMs ?? 300,
        gracePeriodCapMs: this.opts.gracePeriodCapMs ?? 3000,
        now: this.now,
        hostIP: node.hostIP,
        allocatePodIP: () => {
          // 10.244.<node>.<n>, spilling into further /24s past 253 pods on a node.
          const n = node.allocated++;
          return `10.244.${(node.index + 64 * Math.floor(n / 253)) % 256}.${2 + (n % 253)}`;
        },
        onGone: (uid) => {
          this.workers.delete(uid);
          this.forget(uid);
        },
        ...(this.isolation.mode === 'namespaces'
          ? {
              namespaces: {
                files: () =>
                  (this.files ??= { skeleton: makeSkeleton(this.opts.stateDir), setupScript: writeSetupScript(this.opts.stateDir) }),
                overlay: this.isolation.overlay,
                network: this.network,
              },
            }
          : {}),
      },
      pod,
    );
  }

  private forget(uid: string): void {
    this.gone.add(uid);
    if (this.gone.size > 10_000) this.gone.delete(this.gone.values().next().value!);
  }

  private node(name: string): NodeInfo {
    let info = this.nodes.get(name);
    if (!info) {
      const index = this.nodes.size;
      info = { hostIP: this.opts.nodeIP?.(name) ?? `172.18.0.${2 + index}`, index, allocated: 0 };
      this.nodes.set(name, info);
    }
    return info;
  }

  /** The pod's worker, creating it if the store's notification has not arrived yet. */
  private workerFor(pod: Pod): PodWorker {
    if (!pod.spec.nodeName) throw badRequest(msg.noHostAssigned(pod.metadata.name));
    const uid = pod.metadata.uid ?? '';
    let worker = this.workers.get(uid);
    if (!worker) {
      this.podChanged(pod);
      worker = this.workers.get(uid);
    }
    if (!worker) throw failure(404, 'NotFound', 'pod does not exist');
    return worker;
  }

  /** The named container (default: the default-container annotation, else the first), which must be in the spec. */
  private validContainer(pod: Pod, container: string): string {
    let name = container;
    if (!name) {
      const annotated = pod.metadata.annotations?.[DEFAULT_CONTAINER_ANNOTATION];
      name = annotated && allContainers(pod).some((c) => c.name === annotated) ? annotated : pod.spec.containers[0]?.name;
    }
    if (!name || !allContainers(pod).some((c) => c.name === name)) {
      throw badRequest(msg.containerNotValid(name ?? '', pod.metadata.name));
    }
    return name;
  }

  /**
   * The kubelet refuses streams to a container without a running process with a
   * plain-text 500 `container not found ("x")`; kubectl shows it as
   * `error: unable to upgrade connection: container not found ("x")`.
   */
  private runningInstance(worker: PodWorker, name: string) {
    const instance = worker.current(name);
    if (!instance?.running) throw failure(500, 'InternalError', msg.containerNotFound(name));
    return instance;
  }
}

let cleanedUp = false;
/** What dev clusters killed earlier left running goes before this one starts anything (registry.ts). */
function cleanUpOnce(): void {
  if (cleanedUp) return;
  cleanedUp = true;
  const killed = reapOrphans();
  if (killed) process.stderr.write(`dev cluster: killed ${killed} process(es) left by a dev cluster that did not stop cleanly\n`);
}

let warned = false;
function warnOnce(reason: string): void {
  if (warned) return;
  warned = true;
  process.stderr.write(`dev cluster: pods run as plain processes, without namespaces of their own: ${reason}\n`);
}

async function* readNothing(): AsyncGenerator<Buffer> {
  // An empty log.
}
