// Per-container-instance log files in the CRI format containerd writes
// (`<RFC3339Nano> <stdout|stderr> <F|P> <line>`), and the kubelet's reader:
// tailLines, sinceSeconds, timestamps, limitBytes, follow.
import { closeSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { badRequest } from '../status';
import type { ContainerStatus } from '../types';
import * as msg from './messages';
import type { OutputStream } from './processes';

/** containerd splits lines longer than this into partial (P) records. */
const MAX_LINE = 16 * 1024;

export interface LogRecord {
  /** RFC3339Nano with a fixed nine-digit fraction, as the kubelet prints it. */
  time: string;
  ms: number;
  stream: OutputStream;
  partial: boolean;
  data: Buffer;
}

export interface LogOptions {
  follow?: boolean;
  tailLines?: number;
  timestamps?: boolean;
  sinceSeconds?: number;
  limitBytes?: number;
}

let lastNs = 0n;
/** A strictly increasing RFC3339Nano timestamp from `now` (ms precision) plus the monotonic clock's sub-ms part. */
export function timestamp(now: Date): { time: string; ms: number } {
  const ms = now.getTime();
  let ns = BigInt(ms) * 1_000_000n + (process.hrtime.bigint() % 1_000_000n);
  if (ns <= lastNs) ns = lastNs + 1n;
  lastNs = ns;
  const whole = new Date(Number(ns / 1_000_000n)).toISOString().slice(0, 19);
  const frac = (ns % 1_000_000_000n).toString().padStart(9, '0');
  return { time: `${whole}.${frac}Z`, ms };
}

export class ContainerLog {
  private fd: number | undefined;
  private readonly pending: Record<OutputStream, Buffer[]> = { stdout: [], stderr: [] };
  private readonly followers = new Set<(r: LogRecord | null) => void>();
  private closed = false;

  constructor(
    readonly file: string,
    private readonly now: () => Date,
  ) {
    mkdirSync(path.dirname(file), { recursive: true });
    this.fd = openSync(file, 'a');
  }

  get ended(): boolean {
    return this.closed;
  }

  /** Append output; complete lines become records at once, a trailing fragment waits for its newline. */
  write(stream: OutputStream, chunk: Buffer): void {
    if (this.closed) return;
    // One timestamp and one file write per chunk: a terminal flood is many lines per read.
    const { time, ms } = timestamp(this.now());
    const records: LogRecord[] = [];
    let rest = chunk;
    for (;;) {
      const nl = rest.indexOf(0x0a);
      if (nl < 0) break;
      const line = this.pending[stream].length ? Buffer.concat([...this.pending[stream], rest.subarray(0, nl)]) : rest.subarray(0, nl);
      records.push(record(time, ms, stream, line, false));
      this.pending[stream] = [];
      rest = rest.subarray(nl + 1);
    }
    if (rest.length) this.pending[stream].push(Buffer.from(rest));
    let size = this.pending[stream].reduce((n, b) => n + b.length, 0);
    while (size >= MAX_LINE) {
      const all = Buffer.concat(this.pending[stream]);
      records.push(record(time, ms, stream, all.subarray(0, MAX_LINE), true));
      this.pending[stream] = all.length > MAX_LINE ? [all.subarray(MAX_LINE)] : [];
      size -= MAX_LINE;
    }
    this.append(records);
  }

  /** The instance ended: flush fragments, close the file, end followers. */
  close(): void {
    if (this.closed) return;
    const { time, ms } = timestamp(this.now());
    const records: LogRecord[] = [];
    for (const stream of ['stdout', 'stderr'] as const) {
      if (this.pending[stream].length) records.push(record(time, ms, stream, Buffer.concat(this.pending[stream]), false));
      this.pending[stream] = [];
    }
    this.append(records);
    this.closed = true;
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    for (const f of this.followers) f(null);
    this.followers.clear();
  }

  /** Every record so far, parsed back from the file. */
  records(): LogRecord[] {
    let raw: Buffer;
    try {
      raw = readFileSync(this.file);
    } catch {
      return [];
    }
    const out: LogRecord[] = [];
    let start = 0;
    while (start < raw.length) {
      let end = raw.indexOf(0x0a, start);
      if (end < 0) end = raw.length;
      const rec = parseRecord(raw.subarray(start, end));
      if (rec) out.push(rec);
      start = end + 1;
    }
    return out;
  }

  /** Records written from now on; `null` when the log ends. Returns an unsubscribe function. */
  follow(listener: (r: LogRecord | null) => void): () => void {
    if (this.closed) {
      listener(null);
      return () => undefined;
    }
    this.followers.add(listener);
    return () => this.followers.delete(listener);
  }

  private append(records: LogRecord[]): void {
    if (records.length === 0) return;
    if (this.fd !== undefined) {
      const parts: Buffer[] = [];
      for (const r of records) parts.push(Buffer.from(`${r.time} ${r.stream} ${r.partial ? 'P' : 'F'} `), r.data, NEWLINE);
      writeSync(this.fd, Buffer.concat(parts));
    }
    for (const f of this.followers) for (const r of records) f(r);
  }
}

const NEWLINE = Buffer.from('\n');

function record(time: string, ms: number, stream: OutputStream, line: Buffer, partial: boolean): LogRecord {
  // Lines from a terminal end in \r\n; the runtime's line reader drops both.
  const data = !partial && line.at(-1) === 0x0d ? line.subarray(0, -1) : line;
  return { time, ms, stream, partial, data };
}

function parseRecord(line: Buffer): LogRecord | undefined {
  const s1 = line.indexOf(0x20);
  const s2 = line.indexOf(0x20, s1 + 1);
  const s3 = line.indexOf(0x20, s2 + 1);
  if (s1 < 0 || s2 < 0 || s3 < 0) return undefined;
  const time = line.subarray(0, s1).toString();
  const stream = line.subarray(s1 + 1, s2).toString();
  if (stream !== 'stdout' && stream !== 'stderr') return undefined;
  return {
    time,
    ms: Date.parse(time),
    stream,
    partial: line.subarray(s2 + 1, s3).toString() === 'P',
    data: line.subarray(s3 + 1),
  };
}

const render = (r: LogRecord, timestamps: boolean) =>
  Buffer.concat([
    timestamps ? Buffer.from(`${r.time} `) : Buffer.alloc(0),
    r.data,
    r.partial ? Buffer.alloc(0) : Buffer.from('\n'),
  ]);

/** The kubelet's ReadLogs over one instance's log. */
export async function* readLog(log: ContainerLog, opts: LogOptions, now: () => Date): AsyncGenerator<Buffer> {
  const sinceMs = opts.sinceSeconds !== undefined ? now().getTime() - opts.sinceSeconds * 1000 : undefined;
  let budget = opts.limitBytes ?? Infinity;
  const take = (r: LogRecord): Buffer | undefined => {
    if (budget <= 0 || (sinceMs !== undefined && r.ms < sinceMs)) return undefined;
    let out = render(r, !!opts.timestamps);
    if (out.length > budget) out = out.subarray(0, budget);
    budget -= out.length;
    return out;
  };

  // Subscribing and reading the file happen in one synchronous step (writes are
  // synchronous too), so no record is lost or seen twice in between.
  const queue: Array<LogRecord | null> = [];
  let wake: (() => void) | undefined;
  const unsubscribe = opts.follow
    ? log.follow((r) => {
        queue.push(r);
        wake?.();
      })
    : () => undefined;
  try {
    let existing = log.records();
    if (opts.tailLines !== undefined && opts.tailLines >= 0) existing = opts.tailLines > 0 ? existing.slice(-opts.tailLines) : [];
    for (const r of existing) {
      const out = take(r);
      if (out?.length) yield out;
      if (budget <= 0) return;
    }
    if (!opts.follow) return;
    for (;;) {
      while (queue.length) {
        const r = queue.shift()!;
        if (r === null) return;
        const out = take(r);
        if (out?.length) yield out;
        if (budget <= 0) return;
      }
      await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
    }
  } finally {
    unsubscribe();
  }
}

/**
 * Which instance's log to serve, by the container's status (the kubelet's
 * validateContainerLogStatus): its containerID, undefined for none, or a 400.
 */
export function logContainerID(
  status: Pick<ContainerStatus, 'state' | 'lastState' | 'containerID'>,
  container: string,
  pod: string,
  previous: boolean,
): string | undefined {
  const idOf = (containerID: string | undefined) => containerID?.replace(/^containerd:\/\//, '') || undefined;
  const { waiting, running, terminated } = status.state;
  const last = status.lastState.terminated;
  if (previous) {
    if (!last?.containerID) throw badRequest(msg.previousNotFound(container, pod));
    return idOf(last.containerID);
  }
  if (running) return idOf(status.containerID);
  if (terminated || last) {
    const id = idOf(terminated?.containerID) ?? idOf(last?.containerID);
    if (!id) throw badRequest(msg.containerTerminatedNoLogs(container, pod));
    return id;
  }
  if (waiting) throw badRequest(msg.waitingToStart(container, pod, waiting.reason ?? ''));
  return undefined;
}
