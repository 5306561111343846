// A container's or exec's process: a new session (node-pty for a TTY, pipes
// otherwise), so everything it starts can be found and killed. Like a PID
// namespace, the whole session dies when its leader exits.
import { spawn as spawnChild, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import * as pty from 'node-pty';
import { forgetSession, recordSession } from './registry';

/**
 * The line a container's setup prints, with the host pid of the process that
 * becomes the container's command, when everything is in place. Whatever the
 * setup prints before it is the runtime's, not the container's: the reason it
 * failed when the line never comes.
 */
export const STARTED_MARKER = '@ephemera-started';

export interface ProcessSpec {
  file: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
  tty: boolean;
  /** false: stdin reads as /dev/null. */
  stdin: boolean;
  cols?: number;
  rows?: number;
  /** Applied only when the simulator runs as root. */
  uid?: number;
  gid?: number;
  /** The process runs the runtime's setup first, which ends with STARTED_MARKER (see `started`). */
  setup?: boolean;
  /** The leader is `unshare --fork`, the parent of a PID namespace's init (see UNSHARE_SIGKILL_BUG). */
  unshareFork?: boolean;
}

/**
 * util-linux 2.38's `unshare --fork` cannot pass on its child's death by
 * SIGKILL (fixed in 2.39): it says this on stderr and exits 1. A container
 * the runtime had to kill is reported as containerd would, 137.
 */
const UNSHARE_SIGKILL_BUG = /^unshare: sigprocmask unblock failed: Invalid argument\r?\n$/;

/** How a container's setup ended: its command runs, or the runtime's reason it could not. */
export type StartResult = { ok: true } | { ok: false; reason: string };

export interface ProcessExit {
  /** 128 + signal number when killed by a signal, as containerd reports it. */
  exitCode: number;
  signal?: number;
}

export type OutputStream = 'stdout' | 'stderr';

const signalNumber = (name: string | null | undefined): number =>
  name ? ((osConstants.signals as Record<string, number>)[name] ?? 0) : 0;

/** Pids in session `sid`, or descending from `root`, excluding zombies (Linux /proc). */
function sessionMembers(sid: number, root: number): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const parent = new Map<number, number>();
  const members = new Set<number>();
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (f[0] === 'Z' || f[0] === 'X') continue;
    const pid = Number(entry);
    parent.set(pid, Number(f[1]));
    if (Number(f[3]) === sid) members.add(pid);
  }
  for (const pid of parent.keys()) {
    for (let p: number | undefined = pid, hops = 0; p && p > 1 && hops < 64; p = parent.get(p), hops++) {
      if (p === root) {
        members.add(pid);
        break;
      }
    }
  }
  return [...members];
}

/** Wait (briefly, synchronously) until none of `pids` is alive any more. */
function awaitDeath(pids: number[], maxMs: number): void {
  const deadline = Date.now() + maxMs;
  const tick = new Int32Array(new SharedArrayBuffer(4));
  let alive = pids;
  while (alive.length && Date.now() < deadline) {
    alive = alive.filter((pid) => {
      try {
        const state = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const s = state[state.lastIndexOf(')') + 2];
        return s !== 'Z' && s !== 'X';
      } catch {
        return false;
      }
    });
    if (alive.length) Atomics.wait(tick, 0, 0, 1);
  }
}

const sigkill = (pids: number[]) => {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
};

/** SIGKILL every live process of the session led by `leader` (itself included). */
export function killSession(leader: number): void {
  if (process.platform !== 'linux') {
    try {
      process.kill(-leader, 'SIGKILL');
    } catch {
      /* already gone */
    }
    return;
  }
  // A process forking while we scan can slip through once: look again once the killed ones are gone.
  for (let pass = 0; pass < 4; pass++) {
    const pids = sessionMembers(leader, leader).filter((p) => p !== process.pid);
    if (pids.length === 0) return;
    // The leader last: a wrapper (unshare, nsenter) then reaps its child and exits by itself,
    // instead of leaving a zombie for the node's init to collect.
    const others = pids.filter((p) => p !== leader);
    sigkill(others);
    awaitDeath(others, 100);
    if (others.length < pids.length) sigkill([leader]);
  }
}

/**
 * Sessions still alive. Containers run in sessions of their own, so they would
 * outlive this process; if it exits without a kubelet shutdown, kill them on the way out.
 */
const liveSessions = new Set<number>();
let exitHooked = false;
function track(leader: number): void {
  liveSessions.add(leader);
  recordSession(leader);
  if (exitHooked) return;
  exitHooked = true;
  process.once('exit', () => {
    for (const pid of liveSessions) killSession(pid);
  });
}

type Listener<T> = (value: T) => void;

export class ContainerProcess {
  /** The session leader: what was spawned. */
  readonly pid: number;
  readonly tty: boolean;
  /** Resolves once the command runs (at once without setup). */
  readonly started: Promise<StartResult>;
  /** The container's command, when a wrapper runs it as a child (a PID namespace needs a fork). */
  private mainPid?: number;
  private setupOutput?: Buffer;
  private resolveStarted!: (result: StartResult) => void;
  private readonly outputListeners: Array<(stream: OutputStream, chunk: Buffer) => void> = [];
  private readonly exitListeners: Array<Listener<ProcessExit>> = [];
  private term?: pty.IPty;
  private child?: ChildProcess;
  private result?: ProcessExit;
  private readonly unshareFork: boolean;
  private killed = false;
  private outputPaused = false;
  /** A piped process has exited and its pipes are not yet closed: when to stop waiting for them. */
  private exitWait?: { exit: ProcessExit; timer?: NodeJS.Timeout };

  constructor(spec: ProcessSpec) {
    this.tty = spec.tty;
    this.unshareFork = !!spec.unshareFork;
    this.started = new Promise((resolve) => (this.resolveStarted = resolve));
    if (spec.setup) this.setupOutput = Buffer.alloc(0);
    else this.resolveStarted({ ok: true });
    const asRoot = process.getuid?.() === 0;
    const uid = asRoot ? spec.uid : undefined;
    const gid = asRoot ? (spec.gid ?? spec.uid) : undefined;
    if (spec.tty) {
      const term = pty.spawn(spec.file, spec.args, {
        name: spec.env.TERM ?? 'xterm',
        cols: spec.cols ?? 80,
        rows: spec.rows ?? 24,
        cwd: spec.cwd,
        env: spec.env,
        encoding: null,
        ...(uid !== undefined ? { uid, gid } : {}),
      });
      this.term = term;
      this.pid = term.pid;
      track(this.pid);
      term.onData((data) => this.emitOutput('stdout', Buffer.from(data as unknown as Buffer)));
      term.onExit(({ exitCode, signal }) =>
        this.finish(signal ? { exitCode: 128 + signal, signal } : { exitCode }),
      );
    } else {
      const child: ChildProcess = spawnChild(spec.file, spec.args, {
        cwd: spec.cwd,
        env: spec.env as NodeJS.ProcessEnv,
        detached: true, // setsid(): a session of its own
        stdio: [spec.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
        ...(uid !== undefined ? { uid, gid } : {}),
      });
      this.child = child;
      this.pid = child.pid ?? -1;
      if (this.pid > 0) track(this.pid);
      child.stdout?.on('data', (c: Buffer) => this.emitOutput('stdout', c));
      child.stderr?.on('data', (c: Buffer) => this.emitOutput('stderr', c));
      child.stdin?.on('error', () => undefined); // EPIPE when the process ignores its stdin
      child.on('error', (err: NodeJS.ErrnoException) => {
        this.emitOutput('stderr', Buffer.from(`${err.message}\n`));
        this.finish({ exitCode: err.code === 'ENOENT' ? 127 : 126 });
      });
      child.on('exit', (code: number | null, signal: NodeJS.Signals | null) => {
        // Like a PID namespace: the leader's death takes the rest of the session with it.
        this.killRest();
        const sig = signalNumber(signal);
        const exit: ProcessExit = sig ? { exitCode: 128 + sig, signal: sig } : { exitCode: code ?? 0 };
        // Output still in the pipes arrives before 'close'; don't wait forever for it
        // (but while output is paused, the pipes cannot drain: the wait starts on resume).
        this.exitWait = { exit };
        if (!this.outputPaused) this.armExitWait();
        child.once('close', () => {
          clearTimeout(this.exitWait?.timer);
          this.finish(exit);
        });
      });
    }
  }

  private armExitWait(): void {
    const wait = this.exitWait;
    if (!wait) return;
    clearTimeout(wait.timer);
    wait.timer = setTimeout(() => this.finish(wait.exit), 500);
  }

  /**
   * Flow control: stop reading the process's output, so that, once the pipe or
   * the terminal's buffer is full, its writes block, as they do under a real
   * container runtime whose reader is behind.
   */
  pauseOutput(): void {
    if (this.outputPaused) return;
    this.outputPaused = true;
    this.term?.pause();
    this.child?.stdout?.pause();
    this.child?.stderr?.pause();
    clearTimeout(this.exitWait?.timer);
  }

  resumeOutput(): void {
    if (!this.outputPaused) return;
    this.outputPaused = false;
    this.term?.resume();
    this.child?.stdout?.resume();
    this.child?.stderr?.resume();
    this.armExitWait();
  }

  get exited(): ProcessExit | undefined {
    return this.result;
  }

  /** The host pid of the container's command (the leader, unless a wrapper forked it). */
  get commandPid(): number {
    return this.mainPid ?? this.pid;
  }

  onOutput(listener: (stream: OutputStream, chunk: Buffer) => void): void {
    this.outputListeners.push(listener);
  }

  onExit(listener: Listener<ProcessExit>): void {
    if (this.result) listener(this.result);
    else this.exitListeners.push(listener);
  }

  write(chunk: Buffer): void {
    if (this.result) return;
    if (this.term) this.term.write(chunk);
    else if (this.child?.stdin && !this.child.stdin.writableEnded) this.child.stdin.write(chunk);
  }

  /**
   * Close the process's stdin. With a TTY this is a hangup, as containerd's shim
   * shuts the console down when the stdin pipe closes.
   */
  closeStdin(): void {
    if (this.result) return;
    if (this.term) this.signalSession('SIGHUP');
    else this.child?.stdin?.end();
  }

  resize(cols: number, rows: number): void {
    if (!this.term || this.result || !(cols > 0 && rows > 0)) return;
    try {
      this.term.resize(Math.floor(cols), Math.floor(rows));
    } catch {
      /* the pty went away */
    }
  }

  /** Signal the container's command only (what the runtime sends to a container's init). */
  signal(sig: NodeJS.Signals): void {
    if (this.result || this.pid <= 0) return;
    try {
      process.kill(this.commandPid, sig);
    } catch {
      /* already gone */
    }
  }

  /** Signal every process of the session. */
  signalSession(sig: NodeJS.Signals): void {
    if (this.result || this.pid <= 0) return;
    for (const pid of sessionMembers(this.pid, this.pid)) {
      try {
        process.kill(pid, sig);
      } catch {
        /* already gone */
      }
    }
  }

  /** SIGKILL the whole session. */
  kill(): void {
    if (this.result || this.pid <= 0) return;
    this.killed = true;
    if (this.unshareFork && this.mainPid) {
      // PID 1 of its namespace: the kernel takes every other process in it along, and the wrapper exits.
      try {
        process.kill(this.mainPid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    } else killSession(this.pid);
  }

  /** Once the leader is gone: whatever is left of its session. */
  private killRest(): void {
    // A PID namespace's processes went with its init, which the wrapper waited for.
    if (this.pid > 0 && !(this.unshareFork && this.mainPid)) killSession(this.pid);
  }

  private emitOutput(stream: OutputStream, chunk: Buffer): void {
    if (this.killed && this.unshareFork && UNSHARE_SIGKILL_BUG.test(chunk.toString())) return;
    if (this.setupOutput && stream === 'stdout') {
      chunk = this.takeSetupOutput(chunk);
      if (chunk.length === 0) return;
    }
    for (const l of this.outputListeners) l(stream, chunk);
  }

  /** Hold the setup's output until its STARTED_MARKER line; return what follows it. */
  private takeSetupOutput(chunk: Buffer): Buffer {
    const all = Buffer.concat([this.setupOutput!, chunk]);
    const at = all.indexOf(`${STARTED_MARKER} `);
    const eol = at < 0 ? -1 : all.indexOf('\n', at);
    if (eol < 0) {
      this.setupOutput = all;
      return Buffer.alloc(0);
    }
    const pid = Number(all.subarray(at + STARTED_MARKER.length + 1, eol).toString().trim());
    if (pid > 0) this.mainPid = pid;
    this.setupOutput = undefined;
    this.resolveStarted({ ok: true });
    return all.subarray(eol + 1);
  }

  private finish(exit: ProcessExit): void {
    if (this.result) return;
    if (this.killed && this.unshareFork && exit.exitCode === 1 && !exit.signal) exit = { exitCode: 137, signal: 9 };
    if (this.term) this.killRest();
    liveSessions.delete(this.pid);
    if (this.pid > 0) forgetSession(this.pid);
    if (this.setupOutput) {
      const said = this.setupOutput.toString().replace(/\r/g, '').trim().split('\n').filter(Boolean);
      this.setupOutput = undefined;
      this.resolveStarted({ ok: false, reason: said.slice(-3).join('; ') || `the container's setup exited with ${exit.exitCode}` });
    }
    this.result = exit;
    const listeners = this.exitListeners.splice(0);
    for (const l of listeners) l(exit);
  }
}
