// Small process helpers shared by the demo, Playwright's global setup and
// integration tests: start a child and wait for its "ready" line, find a free
// port, and stop a child together with everything it started.

import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import readline from 'node:readline';

export interface StartOptions {
  /** Names the process in errors ("dev cluster did not start: …"). */
  name: string;
  /** The stdout line that means "ready"; its match is returned. */
  ready: RegExp;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  /** Sees every output line, before and after ready. Without it, output is only kept for error messages. */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
}

export interface StartedProcess {
  child: ChildProcess;
  match: RegExpMatchArray;
  /** Resolves with how the process ended, whoever ended it. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM, then SIGKILL for the process and all its descendants after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

const TAIL_LINES = 40;

/** Runs `command` and resolves once it prints a line matching `ready`; fails with its last output if it exits or times out first. */
export function startProcess(command: string, args: readonly string[], options: StartOptions): Promise<StartedProcess> {
  const { name, ready, timeoutMs = 60_000, onLine } = options;
  // Its own process group: a Ctrl-C in the terminal reaches only our process,
  // which then stops the children in order, instead of all of them at once.
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const tail: string[] = [];
  const lastOutput = () => (tail.length ? `\nLast output of ${name}:\n  ${tail.join('\n  ')}` : `\n${name} printed nothing.`);

  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (message: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void stopTree(child, exited, 2_000).finally(() => reject(new Error(`${message}${lastOutput()}`)));
    };
    const timer = setTimeout(() => fail(`${name} did not print ${ready} within ${timeoutMs / 1000} s.`), timeoutMs);

    // Both streams are read for the child's whole life: a pipe nobody drains blocks the child once full.
    for (const stream of ['stdout', 'stderr'] as const) {
      readline.createInterface({ input: child[stream]! }).on('line', (line) => {
        tail.push(line);
        if (tail.length > TAIL_LINES) tail.shift();
        onLine?.(line, stream);
        const match = stream === 'stdout' && !settled ? ready.exec(line) : null;
        if (match) {
          settled = true;
          clearTimeout(timer);
          resolve({ child, match, exited, stop: (graceMs) => stopTree(child, exited, graceMs) });
        }
      });
    }
    child.once('error', (error) => fail(`${name} could not be started: ${error.message}`));
    void exited.then(({ code, signal }) => fail(`${name} exited (${signal ?? `code ${code}`}) before it was ready.`));
  });
}

/** Runs `command` to completion with inherited output; rejects unless it exits 0. */
export function runToCompletion(
  command: string,
  args: readonly string[],
  options: { name: string; cwd?: string; env?: NodeJS.ProcessEnv; signal?: AbortSignal },
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: 'inherit', signal: options.signal });
    child.once('error', (error) => reject(new Error(`${options.name} could not be started: ${error.message}`)));
    child.once('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${options.name} failed (${signal ?? `exit code ${code}`}).`)),
    );
  });
}

/** A TCP port nothing listens on right now. Another process may take it before you do; retry on EADDRINUSE if that matters. */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** The pids of every live descendant of `pid`, from one `ps` snapshot (Linux and macOS). */
export function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  const table = execFileSync('ps', ['-A', '-o', 'pid=,ppid='], { encoding: 'utf8' });
  for (const row of table.trim().split('\n')) {
    const [child, parent] = row.trim().split(/\s+/).map(Number);
    children.set(parent, [...(children.get(parent) ?? []), child]);
  }
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift()!) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

/**
 * Asks the process to stop (SIGTERM, so it can clean up what it started), then
 * SIGKILLs whatever of its tree is left after `graceMs` — including processes
 * in their own sessions, such as PTYs, which a process-group kill would miss.
 * The tree is taken before the SIGTERM: once a parent is gone its orphans can
 * no longer be told apart from anyone else's.
 */
async function stopTree(child: ChildProcess, exited: Promise<unknown>, graceMs = 5_000): Promise<void> {
  const pid = child.pid;
  if (pid === undefined) return;
  const running = () => child.exitCode === null && child.signalCode === null;
  const tree = running() ? descendants(pid) : [];
  if (running()) {
    signal(pid, 'SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
    clearTimeout(timer);
  }
  if (running()) signal(pid, 'SIGKILL');
  for (const member of tree) signal(member, 'SIGKILL');
  // The process group catches helpers started after the snapshot.
  signal(-pid, 'SIGKILL');
  await exited;
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch (error) {
    // Already gone is the goal.
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}
