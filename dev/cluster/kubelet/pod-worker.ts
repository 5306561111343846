// One pod's life on the node, as the kubelet's pod worker runs it: sandbox,
// init containers in order, then regular containers, ephemeral containers as
// they are added; restarts with back-off per restartPolicy; termination on
// deletion. Every change is reported through the store as a status write.
import { randomBytes } from 'node:crypto';
import type { ContainerSpec, ContainerStatus, Pod } from '../types';
import { Backoff } from './backoff';
import { ContainerInstance, type ContainerKind, type ContainerRuntime, plainRuntime } from './container';
import { exitedState, newSlot, type Slot, slotStatus, startErrorState } from './container-slot';
import { containerArgv, containerEnv, effectiveUser, verifyRunAsNonRoot } from './container-config';
import { CreateContainerError, namespacedContainer } from './container-runtime';
import { type Executable, resolveCommand } from './images';
import type { NamespaceRefs } from './launch';
import * as msg from './messages';
import type { ClusterNetwork } from './network';
import { buildPodStatus, computePhase } from './pod-status';
import type { ProcessExit } from './processes';
import type { ImagePuller } from './pull';
import { PodSandbox, SandboxError } from './sandbox';
import { securitySettings } from './security';
import { guard, rfc3339, StatusReporter } from './status-reporter';
import type { PodStore } from './index';

export interface WorkerDeps {
  store: PodStore;
  puller: ImagePuller;
  stateDir: string;
  backoffBaseMs: number;
  pullDelayMs: number;
  gracePeriodCapMs: number;
  now: () => Date;
  hostIP: string;
  allocatePodIP: () => string;
  /** Called once the pod is gone (finalized, or vanished from the store). */
  onGone: (uid: string) => void;
  /** Pods get namespaces: the root skeleton, overlayfs, and the pod network (when the node has them). */
  namespaces?: { files: () => { skeleton: string; setupScript: string }; overlay: boolean; network?: ClusterNetwork };
}

export class PodWorker {
  pod: Pod;
  readonly uid: string;
  private readonly slots = new Map<string, Slot>();
  private readonly restartBackoff: Backoff;
  private readonly startTime: string;
  private readonly sandbox: PodSandbox;
  private readonly reporter: StatusReporter;
  private terminating = false;
  private terminal = false;
  private stopped = false;
  private sandboxRetry?: NodeJS.Timeout;
  /** Containers told once that the node does not apply part of their securityContext. */
  private readonly securityWarned = new Set<string>();

  constructor(
    private readonly deps: WorkerDeps,
    pod: Pod,
  ) {
    this.pod = pod;
    this.uid = pod.metadata.uid ?? '';
    this.restartBackoff = new Backoff(deps.backoffBaseMs, deps.backoffBaseMs * 30);
    this.startTime = rfc3339(deps.now());
    this.sandbox = new PodSandbox(deps.stateDir, pod, !!deps.namespaces);
    this.reporter = new StatusReporter(
      deps.store,
      () => this.pod,
      deps.now,
      (existing, transitionTime) => this.podStatus(existing, transitionTime),
      () => this.vanished(),
    );
    this.addSlots();
    this.reporter.queue();
    // The sandbox gets its volumes, namespaces and network identity, then containers may start.
    setImmediate(() => {
      if (this.stopped) return;
      this.startSandbox(pod.spec.hostNetwork ? deps.hostIP : deps.allocatePodIP(), deps.backoffBaseMs);
    });
  }

  /** Set the sandbox up; on failure say why (FailedMount, FailedCreatePodSandBox) and try again later, as the kubelet does. */
  private startSandbox(podIP: string, retryMs: number): void {
    this.sandbox.start(podIP, { cluster: this.deps.namespaces?.network }).then(
      () => this.sync(),
      (error: Error) => {
        if (this.stopped || this.terminating) return;
        const reason = error instanceof SandboxError ? error.reason : 'FailedCreatePodSandBox';
        guard('recordEvent', () => this.deps.store.recordEvent(this.pod, 'Warning', reason, error.message));
        this.sandboxRetry = setTimeout(() => {
          if (!this.stopped && !this.terminating) this.startSandbox(podIP, Math.min(retryMs * 2, this.deps.backoffBaseMs * 30));
        }, retryMs);
      },
    );
  }

  /** A newer version of the pod object: new ephemeral containers, or deletion. */
  update(pod: Pod): void {
    this.pod = pod;
    if (this.stopped) return;
    const added = this.addSlots();
    // Acted on from the event loop, never inside the caller's store update.
    setImmediate(() => {
      if (this.stopped) return;
      if (this.pod.metadata.deletionTimestamp) void this.terminate();
      else if (added) {
        this.reporter.queue();
        this.sync();
      }
    });
  }

  /** The container's status as last computed (undefined for a name not in the spec). */
  status(name: string): ContainerStatus | undefined {
    const slot = this.slots.get(name);
    return slot && slotStatus(slot);
  }

  /** The container's current instance, if it has a process. */
  current(name: string): ContainerInstance | undefined {
    const slot = this.slots.get(name);
    return slot && this.instance(name, slot.containerID);
  }

  /** One of the container's recent instances, by containerID. */
  instance(name: string, id: string | undefined): ContainerInstance | undefined {
    return id ? this.slots.get(name)?.instances.find((i) => i.id === id) : undefined;
  }

  get phase(): string {
    return computePhase(this.pod, this.statuses('init'), this.statuses('regular'), this.terminal || this.terminating);
  }

  /** Kill everything now (kubelet shutdown); no more status writes. */
  async shutdown(): Promise<void> {
    this.stopped = true;
    this.reporter.close();
    clearTimeout(this.sandboxRetry);
    for (const s of this.slots.values()) clearTimeout(s.timer);
    await Promise.all(this.running().map((i) => i.stop(500)));
    await this.sandbox.stop();
  }

  // ── reconciliation ─────────────────────────────────────────────────────────

  private addSlots(): boolean {
    const hasInit = (this.pod.spec.initContainers ?? []).length > 0;
    let added = false;
    const add = (kind: ContainerKind, specs: ContainerSpec[] | undefined) => {
      for (const spec of specs ?? []) {
        if (this.slots.has(spec.name)) continue;
        this.slots.set(spec.name, newSlot(kind, spec, hasInit));
        added = true;
      }
    };
    add('init', this.pod.spec.initContainers);
    add('regular', this.pod.spec.containers);
    add('ephemeral', this.pod.spec.ephemeralContainers);
    return added;
  }

  private ofKind(kind: ContainerKind): Slot[] {
    return [...this.slots.values()].filter((s) => s.kind === kind);
  }

  private sync(): void {
    if (this.stopped || this.terminating || this.terminal || !this.sandbox.ready) return;
    const policy = this.pod.spec.restartPolicy ?? 'Always';

    // Ephemeral containers start whatever the state of initialization; they never restart.
    for (const s of this.ofKind('ephemeral')) if (s.phase === 'new') void this.start(s);

    let initialized = true;
    for (const s of this.ofKind('init')) {
      if (s.phase === 'exited' && s.state.terminated?.exitCode === 0) continue;
      initialized = false;
      if (s.phase === 'new') void this.start(s);
      else if (s.phase === 'exited' && policy !== 'Never') this.restart(s);
      break;
    }
    if (initialized) {
      for (const s of this.ofKind('regular')) {
        if (s.phase === 'new') void this.start(s);
        else if (s.phase === 'exited') {
          const code = s.state.terminated?.exitCode ?? s.lastState.terminated?.exitCode ?? 0;
          if (policy === 'Always' || (policy === 'OnFailure' && code !== 0)) this.restart(s);
        }
      }
    }

    const phase = this.phase;
    if (phase === 'Succeeded' || phase === 'Failed') {
      // A finished pod runs nothing more: its ephemeral containers are stopped too.
      this.terminal = true;
      for (const s of this.slots.values()) clearTimeout(s.timer);
      void this.stopAll().then(() => {
        void this.sandbox.stop();
        this.reporter.queue();
      });
    }
    this.reporter.queue();
  }

  /** Restart an exited container now, or once its back-off has passed (CrashLoopBackOff meanwhile). */
  private restart(s: Slot): void {
    if (s.timer) return;
    const finishedAt = s.finishedAtMs ?? Date.now();
    const until = this.restartBackoff.inBackOffSince(s.spec.name, finishedAt);
    if (until !== undefined) {
      const delay = this.restartBackoff.get(s.spec.name);
      if (s.state.terminated) s.lastState = { terminated: s.state.terminated };
      s.state = { waiting: { reason: 'CrashLoopBackOff', message: msg.crashLoopBackOff(this.pod, s.spec.name, delay) } };
      if (s.backOffEventFor !== finishedAt) {
        s.backOffEventFor = finishedAt;
        this.event('Warning', 'BackOff', msg.backOffRestartingEvent(this.pod, s.spec.name), s);
      }
      s.timer = setTimeout(() => {
        s.timer = undefined;
        this.sync();
      }, until - Date.now());
      this.reporter.queue();
      return;
    }
    this.restartBackoff.next(s.spec.name, finishedAt);
    void this.start(s, true);
  }

  /** Pull, check, create and start one container (kuberuntime startContainer). */
  private async start(s: Slot, restart = false): Promise<void> {
    try {
      await this.startContainer(s, restart);
    } catch (err) {
      // The host refused something (a directory, a spawn): report it as the runtime would a failed start.
      if (this.stopped || this.terminating) return;
      this.startError(s, s.containerID ?? randomBytes(32).toString('hex'), msg.startFailed(String((err as Error).message ?? err)));
    }
  }

  private async startContainer(s: Slot, restart: boolean): Promise<void> {
    if (s.phase === 'new') s.state = { waiting: { reason: 'ContainerCreating' } };
    s.phase = 'starting';
    this.reporter.queue();
    const pulled = await this.deps.puller.ensure(this.pod, s.spec, (type, reason, message) =>
      this.event(type, reason, message, s),
    );
    if (this.stopped || this.terminating) return;
    if ('reason' in pulled) {
      this.event('Warning', 'Failed', msg.eventError(pulled.reason), s);
      this.block(s, pulled.reason, pulled.message);
      if (pulled.reason === 'ErrImagePull') this.retryAt(s, Date.now() + this.deps.pullDelayMs, restart);
      else if (pulled.reason === 'ImagePullBackOff') this.retryAt(s, pulled.retryAt ?? Date.now(), restart);
      return;
    }
    s.image = pulled.image;
    const entry = pulled.image.entry;

    const refusal = verifyRunAsNonRoot(this.pod, s.spec, entry);
    if (refusal) {
      this.event('Warning', 'Failed', msg.eventError(refusal), s);
      return this.block(s, 'CreateContainerConfigError', refusal);
    }
    const id = randomBytes(32).toString('hex');
    const user = effectiveUser(this.pod, s.spec, entry);
    const env = containerEnv(this.pod, s.spec, entry, { podIP: this.sandbox.podIP ?? '', hostIP: this.deps.hostIP }, user.uid);
    const argv = containerArgv(s.spec, entry, env);
    if (argv.length === 0) {
      const message = msg.noCommandSpecified(id);
      this.event('Warning', 'Failed', msg.eventError(message), s);
      return this.block(s, 'CreateContainerError', message);
    }
    const exe = resolveCommand(entry, argv);
    let runtime: ContainerRuntime | { error: string };
    try {
      // A command not in the image fails later, at start (StartError), as runc's exec does.
      runtime = 'error' in exe ? exe : this.runtime(s, exe, user, restart ? s.restartCount + 1 : s.restartCount);
    } catch (error) {
      if (!(error instanceof CreateContainerError)) throw error;
      this.event('Warning', 'Failed', msg.eventError(error.message), s);
      this.block(s, 'CreateContainerError', error.message);
      // The kubelet tries again on a later sync (a target container may be starting yet).
      return this.retryAt(s, Date.now() + Math.min(this.deps.backoffBaseMs, 1000), restart);
    }
    this.event('Normal', 'Created', msg.createdContainer(s.spec.name), s);
    if (restart) {
      if (s.state.terminated) s.lastState = { terminated: s.state.terminated };
      s.restartCount++;
    }
    s.containerID = id;
    if ('error' in runtime) return this.startError(s, id, msg.startFailed(runtime.error));

    const instance = new ContainerInstance({
      id,
      kind: s.kind,
      spec: s.spec,
      image: pulled.image,
      runtime,
      env,
      logFile: this.sandbox.logFile(s.spec.name, s.restartCount),
      now: this.deps.now,
    });
    s.instances = [...s.instances.slice(-1), instance];
    // Running once the runtime has set the container up and its command runs.
    const started = await instance.started;
    if (!started.ok) {
      if (this.stopped || this.terminating) return;
      return this.startError(s, id, msg.startFailed(started.reason));
    }
    s.phase = 'running';
    s.state = { running: { startedAt: rfc3339(instance.startedAt) } };
    this.event('Normal', 'Started', msg.startedContainer(s.spec.name), s);
    instance.onExit((exit) => this.exited(s, instance, exit));
    this.sync();
  }

  /**
   * How this container's processes start: plain processes without namespaces;
   * else in its own root and namespaces (container-runtime.ts), with what its
   * securityContext asks of the node, said once where the node cannot.
   */
  private runtime(s: Slot, exe: Executable, user: { uid: number; gid: number }, restartCount: number): ContainerRuntime {
    const ns = this.deps.namespaces;
    if (!ns) return plainRuntime(exe, this.sandbox.workingDir(s.spec, user.uid, user.gid), user.uid, user.gid);
    const security = securitySettings(this.pod, s.spec, user);
    if (security.notApplied.length && !this.securityWarned.has(s.spec.name)) {
      this.securityWarned.add(s.spec.name);
      this.event('Warning', 'SecurityContextNotApplied', msg.securityNotApplied(security.notApplied), s);
    }
    return namespacedContainer({
      pod: this.pod,
      spec: s.spec,
      exe,
      security,
      restartCount,
      sandbox: this.sandbox,
      overlay: ns.overlay,
      ...ns.files(),
      pid: this.pidNamespace(s),
    });
  }

  /** The node's, the pod's (shareProcessNamespace), a target container's, or one of its own. */
  private pidNamespace(s: Slot): NamespaceRefs['pid'] {
    if (this.pod.spec.hostPID) return 'host';
    const shared = this.sandbox.namespaces().pid;
    if (shared) return shared;
    const target = s.kind === 'ephemeral' ? s.spec.targetContainerName : undefined;
    if (!target) return 'own';
    const slot = this.slots.get(target);
    const instance = slot && this.instance(target, slot.containerID);
    if (!slot || slot.phase !== 'running' || !instance?.running) {
      throw new CreateContainerError(msg.targetNotRunning(target, slot?.containerID));
    }
    return `/proc/${instance.commandPid}/ns/pid`;
  }

  /** The runtime created the container but could not start its process: StartError, exit code 128. */
  private startError(s: Slot, id: string, message: string): void {
    this.event('Warning', 'Failed', msg.eventError(message), s);
    s.containerID = id;
    s.finishedAtMs = Date.now();
    s.phase = 'exited';
    s.state = startErrorState(id, message, this.deps.now());
    this.sync();
  }

  private exited(s: Slot, instance: ContainerInstance, exit: ProcessExit): void {
    if (s.containerID !== instance.id) return;
    s.phase = 'exited';
    s.finishedAtMs = Date.now();
    s.state = exitedState(instance, exit, this.deps.now());
    if (this.terminating || this.terminal) this.reporter.queue();
    else this.sync();
  }

  private block(s: Slot, reason: string, message: string): void {
    s.phase = 'blocked';
    s.state = { waiting: { reason, message } };
    this.reporter.queue();
  }

  private retryAt(s: Slot, at: number, restart: boolean): void {
    clearTimeout(s.timer);
    s.timer = setTimeout(() => {
      s.timer = undefined;
      if (!this.stopped && !this.terminating && !this.terminal) void this.start(s, restart);
    }, Math.max(0, at - Date.now()));
  }

  // ── termination ───────────────────────────────────────────────────────────

  private running(): ContainerInstance[] {
    return [...this.slots.values()].flatMap((s) => s.instances.filter((i) => i.running));
  }

  private gracePeriodMs(): number {
    const seconds =
      this.pod.metadata.deletionGracePeriodSeconds ?? this.pod.spec.terminationGracePeriodSeconds ?? 30;
    return Math.min(Math.max(seconds, 0) * 1000, this.deps.gracePeriodCapMs);
  }

  private async stopAll(): Promise<void> {
    const grace = this.gracePeriodMs();
    const stops = [...this.slots.values()].flatMap((s) =>
      s.instances
        .filter((i) => i.running)
        .map((i) => {
          this.event('Normal', 'Killing', msg.stoppingContainer(s.spec.name), s);
          return i.stop(grace);
        }),
    );
    await Promise.all(stops);
  }

  /** Deletion was requested: stop every container, report the final status, let the store remove the pod. */
  private async terminate(): Promise<void> {
    if (this.terminating) return;
    this.terminating = true;
    clearTimeout(this.sandboxRetry);
    for (const s of this.slots.values()) clearTimeout(s.timer);
    await this.stopAll();
    if (this.stopped) return;
    this.reporter.write();
    this.stopped = true;
    this.reporter.close();
    guard('finalizeDeletion', () =>
      this.deps.store.finalizeDeletion(this.pod.metadata.namespace ?? 'default', this.pod.metadata.name, this.uid),
    );
    this.deps.puller.forgetPod(this.uid);
    this.deps.onGone(this.uid);
    this.sandbox.remove();
  }

  /** Removed from the store behind our back (a forced deletion): nothing may keep running. */
  private vanished(): void {
    this.stopped = true;
    clearTimeout(this.sandboxRetry);
    for (const s of this.slots.values()) clearTimeout(s.timer);
    for (const i of this.running()) i.kill();
    void this.sandbox.stop();
    this.deps.puller.forgetPod(this.uid);
    this.deps.onGone(this.uid);
    setTimeout(() => this.sandbox.remove(), 1000);
  }

  // ── status ────────────────────────────────────────────────────────────────

  private statuses(kind: ContainerKind): ContainerStatus[] {
    return this.ofKind(kind).map(slotStatus);
  }

  private podStatus(existing: Pod['status'], transitionTime: (type: string, status: string) => string) {
    return buildPodStatus({
      pod: this.pod,
      existing,
      init: this.statuses('init'),
      regular: this.statuses('regular'),
      ephemeral: this.statuses('ephemeral'),
      hostIP: this.deps.hostIP,
      podIP: this.sandbox.podIP,
      startTime: this.startTime,
      sandboxReady: this.sandbox.ready,
      podIsTerminal: this.terminal || this.terminating,
      transitionTime,
    });
  }

  private event(type: 'Normal' | 'Warning', reason: string, message: string, s: Slot): void {
    if (this.stopped) return;
    guard('recordEvent', () => this.deps.store.recordEvent(this.pod, type, reason, message, s.fieldPath));
  }
}
