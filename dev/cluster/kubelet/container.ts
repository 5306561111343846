// One container instance (one containerID): its main process, its log file,
// the clients attached to it, and the exec processes started inside it.
import type { ContainerSpec } from '../types';
import type { Executable, ResolvedImage } from './images';
import { ContainerLog } from './logs';
import { ContainerProcess, type OutputStream, type ProcessExit, type StartResult } from './processes';

export type ContainerKind = 'init' | 'regular' | 'ephemeral';

/** A process as spawned: the command line, where the spawn happens, as whom. */
export interface Launch extends Executable {
  cwd: string;
  /** Set by spawn (plain processes); inside namespaces, setpriv switches the user instead. */
  uid?: number;
  gid?: number;
  /** The runtime's setup runs first and reports when the command runs (processes.ts, STARTED_MARKER). */
  setup?: boolean;
  /** The leader is `unshare --fork` (processes.ts). */
  unshareFork?: boolean;
}

/** How a container's processes start: as plain processes, or inside its namespaces (launch.ts). */
export interface ContainerRuntime {
  main: Launch;
  /** A process inside the running container (exec); `pid` is the host pid of the container's command. */
  exec(exe: Executable, pid: number, tty: boolean): Launch;
}

/** Without namespaces: the command itself, in a working directory on the host, as the container's user. */
export const plainRuntime = (exe: Executable, cwd: string, uid: number, gid: number): ContainerRuntime => ({
  main: { ...exe, cwd, uid, gid },
  exec: (e) => ({ ...e, cwd, uid, gid }),
});

/** Where an attached client receives the container's output. */
export interface AttachSink {
  output(stream: OutputStream, chunk: Buffer): void;
  ended(): void;
}

export interface InstanceSpec {
  id: string;
  kind: ContainerKind;
  spec: ContainerSpec;
  image: ResolvedImage;
  runtime: ContainerRuntime;
  env: Record<string, string>;
  logFile: string;
  now: () => Date;
}

/**
 * What a TTY container printed before anyone attached (its prompt, usually) is
 * replayed to the first client that attaches: `kubectl debug -it` attaches only
 * after the container is running, and a shell prints its prompt at once.
 */
const REPLAY_LIMIT = 4096;

export class ContainerInstance {
  readonly id: string;
  readonly name: string;
  readonly kind: ContainerKind;
  readonly spec: ContainerSpec;
  readonly image: ResolvedImage;
  readonly startedAt: Date;
  readonly log: ContainerLog;
  finishedAt?: Date;
  private readonly proc: ContainerProcess;
  private readonly sinks = new Set<AttachSink>();
  private readonly execs = new Set<ContainerProcess>();
  private readonly exitListeners: Array<(exit: ProcessExit) => void> = [];
  private replay: Buffer[] | undefined;
  private replaySize = 0;
  private stdinOpen: boolean;

  constructor(private readonly s: InstanceSpec) {
    this.id = s.id;
    this.name = s.spec.name;
    this.kind = s.kind;
    this.spec = s.spec;
    this.image = s.image;
    this.log = new ContainerLog(s.logFile, s.now);
    this.stdinOpen = !!s.spec.stdin;
    this.replay = s.spec.tty ? [] : undefined;
    this.startedAt = s.now();
    this.proc = new ContainerProcess({ ...s.runtime.main, env: s.env, tty: !!s.spec.tty, stdin: !!s.spec.stdin });
    this.proc.onOutput((stream, chunk) => {
      this.log.write(stream, chunk);
      if (this.replay) this.remember(chunk);
      for (const sink of this.sinks) sink.output(stream, chunk);
    });
    this.proc.onExit((exit) => {
      this.finishedAt = s.now();
      this.log.close();
      for (const p of this.execs) p.kill();
      for (const sink of [...this.sinks]) sink.ended();
      this.sinks.clear();
      for (const l of this.exitListeners.splice(0)) l(exit);
    });
  }

  get pid(): number {
    return this.proc.pid;
  }

  /** The host pid of the container's command (PID 1 of its namespace when it has one). */
  get commandPid(): number {
    return this.proc.commandPid;
  }

  /** Resolves once the container's command runs, or with the runtime's reason it could not start. */
  get started(): Promise<StartResult> {
    return this.proc.started;
  }

  get running(): boolean {
    return !this.proc.exited;
  }

  get exit(): ProcessExit | undefined {
    return this.proc.exited;
  }

  get tty(): boolean {
    return !!this.spec.tty;
  }

  onExit(listener: (exit: ProcessExit) => void): void {
    const done = this.proc.exited;
    if (done && this.finishedAt) listener(done);
    else this.exitListeners.push(listener);
  }

  attach(sink: AttachSink): void {
    if (this.proc.exited) {
      sink.ended();
      return;
    }
    if (this.replay) {
      for (const chunk of this.replay) sink.output('stdout', chunk);
      this.replay = undefined;
    }
    this.sinks.add(sink);
  }

  detach(sink: AttachSink): void {
    this.sinks.delete(sink);
  }

  writeStdin(chunk: Buffer): void {
    if (this.stdinOpen) this.proc.write(chunk);
  }

  /** Close the container's stdin for good (stdinOnce, after the first attach session). */
  closeStdin(): void {
    if (!this.stdinOpen) return;
    this.stdinOpen = false;
    this.proc.closeStdin();
  }

  resize(cols: number, rows: number): void {
    this.proc.resize(cols, rows);
  }

  /** Start a process in the container's environment (exec); it dies with the container. */
  spawnExec(exe: Executable, tty: boolean, stdin: boolean): ContainerProcess {
    const env = { ...this.s.env, ...(tty ? { TERM: this.s.env.TERM ?? 'xterm' } : {}) };
    const p = new ContainerProcess({ ...this.s.runtime.exec(exe, this.proc.commandPid, tty), env, tty, stdin });
    this.execs.add(p);
    p.onExit(() => this.execs.delete(p));
    return p;
  }

  /** SIGTERM the main process; SIGKILL everything left after the grace period. */
  stop(graceMs: number): Promise<ProcessExit> {
    return new Promise((resolve) => {
      this.onExit(resolve);
      if (!this.running) return;
      this.proc.signal('SIGTERM');
      const timer = setTimeout(() => this.proc.kill(), graceMs);
      this.onExit(() => clearTimeout(timer));
    });
  }

  /** SIGKILL at once. */
  kill(): void {
    this.proc.kill();
    for (const p of this.execs) p.kill();
  }

  private remember(chunk: Buffer): void {
    this.replay!.push(chunk);
    this.replaySize += chunk.length;
    while (this.replaySize > REPLAY_LIMIT && this.replay!.length > 1) this.replaySize -= this.replay!.shift()!.length;
  }
}
