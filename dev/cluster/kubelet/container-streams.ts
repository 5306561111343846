// The kubelet's side of the ContainerStream seam: attach (to the container's
// main process, output fanned out to every attached client) and exec (a new
// process in the container's environment).
import type { ContainerStream, StreamExit, StreamOptions } from '../streams';
import type { AttachSink, ContainerInstance } from './container';
import { resolveCommand } from './images';
import { execFailed } from './messages';
import type { ContainerProcess, OutputStream } from './processes';

/** Bytes kept for a listener that has not registered yet; older ones are dropped. */
const PENDING_LIMIT = 1 << 20;

/** Events delivered to listeners, queued until the first listener registers (the caller gets the stream before it listens). */
class Channel<T> {
  private listeners: Array<(v: T) => void> = [];
  private pending: T[] = [];
  private size = 0;
  constructor(private readonly sizeOf: (v: T) => number = () => 0) {}
  listen(l: (v: T) => void): void {
    this.listeners.push(l);
    const queued = this.pending.splice(0);
    this.size = 0;
    for (const v of queued) l(v);
  }
  emit(v: T): void {
    if (this.listeners.length) {
      for (const l of this.listeners) l(v);
      return;
    }
    this.pending.push(v);
    this.size += this.sizeOf(v);
    while (this.size > PENDING_LIMIT && this.pending.length > 1) this.size -= this.sizeOf(this.pending.shift()!);
  }
}

abstract class BaseStream implements ContainerStream {
  private readonly stdout = new Channel<Buffer>((b) => b.length);
  private readonly stderr = new Channel<Buffer>((b) => b.length);
  private readonly exit = new Channel<StreamExit>();
  private finished = false;

  constructor(
    readonly tty: boolean,
    protected readonly opts: StreamOptions,
  ) {}

  onStdout(listener: (chunk: Buffer) => void): void {
    this.stdout.listen(listener);
  }
  onStderr(listener: (chunk: Buffer) => void): void {
    this.stderr.listen(listener);
  }
  onExit(listener: (exit: StreamExit) => void): void {
    this.exit.listen(listener);
  }

  abstract writeStdin(chunk: Buffer): void;
  abstract closeStdin(): void;
  abstract resize(columns: number, rows: number): void;
  abstract detach(): void;

  protected deliver(stream: OutputStream, chunk: Buffer): void {
    if (this.finished) return;
    // A terminal has one output stream: everything is stdout.
    if (stream === 'stdout' || this.tty) {
      if (this.opts.stdout) this.stdout.emit(chunk);
    } else if (this.opts.stderr) this.stderr.emit(chunk);
  }

  protected end(exit: StreamExit): void {
    if (this.finished) return;
    this.finished = true;
    this.exit.emit(exit);
  }
}

/**
 * `kubectl attach`: output from now on (see ContainerInstance for the TTY prompt
 * replay), stdin to the container's stdin when it has one; with stdinOnce, the
 * container's stdin closes when this client's stdin ends or it detaches.
 */
export class AttachStream extends BaseStream implements AttachSink {
  private attached = true;

  constructor(
    private readonly container: ContainerInstance,
    opts: StreamOptions,
  ) {
    super(container.tty, opts);
    container.attach(this);
  }

  output(stream: OutputStream, chunk: Buffer): void {
    this.deliver(stream, chunk);
  }

  /**
   * The kubelet's streaming server answers a finished attach with Success
   * whatever the container's exit code (that code is in the pod status).
   */
  ended(): void {
    this.attached = false;
    this.end({ kind: 'exited', exitCode: 0 });
  }

  writeStdin(chunk: Buffer): void {
    if (this.attached && this.opts.stdin) this.container.writeStdin(chunk);
  }

  closeStdin(): void {
    if (this.attached && this.opts.stdin && this.container.spec.stdinOnce) this.container.closeStdin();
  }

  resize(columns: number, rows: number): void {
    if (this.attached && this.tty) this.container.resize(columns, rows);
  }

  detach(): void {
    if (!this.attached) return;
    this.attached = false;
    this.container.detach(this);
    if (this.opts.stdin && this.container.spec.stdinOnce) this.container.closeStdin();
  }
}

/** `kubectl exec`: a new process in the container; the client leaving ends it. */
export class ExecStream extends BaseStream {
  private proc?: ContainerProcess;

  constructor(container: ContainerInstance, command: string[], opts: StreamOptions) {
    super(opts.tty, opts);
    const exe = resolveCommand(container.image.entry, command);
    if ('error' in exe) {
      const message = execFailed(exe.error);
      queueMicrotask(() => this.end({ kind: 'error', message }));
      return;
    }
    const proc = container.spawnExec(exe, opts.tty, opts.stdin);
    this.proc = proc;
    proc.onOutput((stream, chunk) => this.deliver(stream, chunk));
    proc.onExit((exit) => this.end({ kind: 'exited', exitCode: exit.exitCode }));
  }

  writeStdin(chunk: Buffer): void {
    if (this.opts.stdin) this.proc?.write(chunk);
  }

  closeStdin(): void {
    if (!this.proc) return;
    // A terminal has no EOF to pass on but ^D at the start of a line.
    if (this.tty) this.proc.write(Buffer.from([0x04]));
    else this.proc.closeStdin();
  }

  resize(columns: number, rows: number): void {
    this.proc?.resize(columns, rows);
  }

  pauseOutput(): void {
    this.proc?.pauseOutput();
  }

  resumeOutput(): void {
    this.proc?.resumeOutput();
  }

  detach(): void {
    const proc = this.proc;
    if (!proc || proc.exited) return;
    // Hang up like a closed terminal; whatever ignores that is killed shortly after.
    proc.signalSession('SIGHUP');
    const timer = setTimeout(() => proc.kill(), 1000);
    proc.onExit(() => clearTimeout(timer));
  }
}
