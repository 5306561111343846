// What outlives a dev cluster killed with SIGKILL, and how the next one cleans
// it up. Pods' namespaces and mounts need nothing: they live only in private
// mount namespaces and die with their processes, and every process the kubelet
// starts gets a parent-death signal. What can remain are grandchildren of
// containers without a PID namespace of their own (hostPID, or no namespaces
// at all). Every process the kubelet starts leads a session of its own, so
// each dev cluster appends the sessions it starts and ends to a file in a
// fixed place; at start, the sessions of owners that are gone are killed.
import { appendFileSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Fixed, so a dev cluster with another --state-dir still finds what an earlier one left. */
export function registryDir(): string {
  return process.getuid?.() === 0 ? '/run/ephemera-dev-cluster' : path.join(os.tmpdir(), `ephemera-dev-cluster-${process.getuid?.() ?? 0}`);
}

interface ProcStat {
  ppid: number;
  sid: number;
  /** Clock ticks after boot: with the pid, it names one process for good. */
  start: number;
  zombie: boolean;
}

export function procStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { ppid: Number(f[1]), sid: Number(f[3]), start: Number(f[19]), zombie: f[0] === 'Z' || f[0] === 'X' };
}

function allProcesses(): Map<number, ProcStat> {
  const out = new Map<number, ProcStat>();
  let entries: string[] = [];
  try {
    entries = readdirSync('/proc');
  } catch {
    return out;
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    const s = procStat(Number(e));
    if (s && !s.zombie) out.set(Number(e), s);
  }
  return out;
}

let file: string | undefined;
let disabled = process.platform !== 'linux';

function ownFile(): string | undefined {
  if (disabled) return undefined;
  if (file) return file;
  const me = procStat(process.pid);
  try {
    mkdirSync(registryDir(), { recursive: true, mode: 0o700 });
    file = path.join(registryDir(), `${process.pid}-${me?.start ?? 0}.sessions`);
    process.once('exit', () => rmSync(file!, { force: true }));
  } catch {
    disabled = true;
  }
  return file;
}

/** The sessions recorded and not yet forgotten, to rewrite the file short now and then. */
const recorded = new Map<number, number>();
let lines = 0;

function append(line: string): void {
  const f = ownFile();
  if (!f) return;
  try {
    if (++lines > 4 * recorded.size + 1000) {
      // Mostly ended sessions by now: keep only the live ones.
      writeFileSync(`${f}.tmp`, [...recorded].map(([pid, start]) => `+${pid} ${start}\n`).join(''));
      renameSync(`${f}.tmp`, f);
      lines = recorded.size;
    } else appendFileSync(f, line);
  } catch {
    /* the registry is a safety net; a run without it still stops its processes */
  }
}

/** A session the kubelet started (its leader's pid). */
export function recordSession(leader: number): void {
  const s = procStat(leader);
  if (!s) return;
  recorded.set(leader, s.start);
  append(`+${leader} ${s.start}\n`);
}

/** The session's leader has exited and its members were killed. */
export function forgetSession(leader: number): void {
  if (!recorded.delete(leader)) return;
  append(`-${leader}\n`);
}

/**
 * Kill what dev clusters that are gone (SIGKILL, a crash) left running, then
 * drop their records. Returns how many processes were killed.
 */
export function reapOrphans(): number {
  if (disabled) return 0;
  let names: string[];
  try {
    names = readdirSync(registryDir());
  } catch {
    return 0;
  }
  let procs: Map<number, ProcStat> | undefined;
  let killed = 0;
  for (const name of names) {
    const m = /^(\d+)-(\d+)\.sessions(\.tmp)?$/.exec(name);
    if (!m) continue;
    const owner = procStat(Number(m[1]));
    if (owner && !owner.zombie && owner.start === Number(m[2])) continue; // still running
    if (m[3]) {
      rmSync(path.join(registryDir(), name), { force: true });
      continue;
    }
    const sessions = new Map<number, number>();
    let text = '';
    try {
      text = readFileSync(path.join(registryDir(), name), 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n')) {
      const add = /^\+(\d+) (\d+)$/.exec(line);
      if (add) sessions.set(Number(add[1]), Number(add[2]));
      else if (/^-\d+$/.test(line)) sessions.delete(Number(line.slice(1)));
    }
    procs ??= allProcesses();
    for (const [sid, started] of sessions) {
      const leader = procs.get(sid);
      // The pid was reused by another process: its session is not ours.
      if (leader && leader.start !== started) continue;
      for (const [pid, s] of procs) {
        if (s.sid !== sid || s.start < started || pid === process.pid) continue;
        try {
          process.kill(pid, 'SIGKILL');
          killed++;
        } catch {
          /* gone meanwhile */
        }
      }
    }
    rmSync(path.join(registryDir(), name), { force: true });
  }
  return killed;
}
