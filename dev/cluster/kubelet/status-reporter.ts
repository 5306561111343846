// Writes a pod's status through the store: batched to one write per turn of
// the event loop, skipped when nothing changed, with condition transition times.
import type { Pod } from '../types';
import type { PodStore } from './index';

type Status = NonNullable<Pod['status']>;

export const rfc3339 = (d: Date) => d.toISOString().replace(/\.\d+Z$/, 'Z');

/** A store failure must not take the node down with it (these calls run from timers and process callbacks). */
export function guard(what: string, call: () => void): void {
  try {
    call();
  } catch (err) {
    console.error(`kubelet: store.${what} failed:`, err);
  }
}

export class StatusReporter {
  private queued = false;
  private closed = false;
  private lastWritten = '';
  private readonly conditionTimes = new Map<string, { status: string; time: string }>();

  constructor(
    private readonly store: PodStore,
    private readonly pod: () => Pod,
    private readonly now: () => Date,
    /** The status to report, given the stored one (for fields others own). */
    private readonly compute: (existing: Pod['status'], transitionTime: (type: string, status: string) => string) => Status,
    /** The pod is no longer in the store (or is another pod of that name). */
    private readonly vanished: () => void,
  ) {}

  queue(): void {
    if (this.queued || this.closed) return;
    this.queued = true;
    setImmediate(() => {
      this.queued = false;
      if (!this.closed) this.write();
    });
  }

  write(): void {
    const pod = this.pod();
    const ns = pod.metadata.namespace ?? 'default';
    const current = this.store.get(ns, pod.metadata.name);
    if (!current || current.metadata.uid !== pod.metadata.uid) {
      this.close();
      this.vanished();
      return;
    }
    const status = this.compute(current.status, (type, status) => {
      const known = this.conditionTimes.get(type);
      if (known?.status === status) return known.time;
      const time = rfc3339(this.now());
      this.conditionTimes.set(type, { status, time });
      return time;
    });
    const json = JSON.stringify(status);
    if (json === this.lastWritten) return;
    this.lastWritten = json;
    guard('writeStatus', () => this.store.writeStatus(ns, pod.metadata.name, status));
  }

  close(): void {
    this.closed = true;
  }
}
