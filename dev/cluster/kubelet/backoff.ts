// client-go's flowcontrol.Backoff, as the kubelet uses it for container
// restarts (CrashLoopBackOff) and image pulls (ImagePullBackOff): the delay
// starts at `initial`, doubles up to `max`, and is forgotten after 2×max quiet.

interface Entry {
  backoff: number;
  lastUpdate: number;
}

export class Backoff {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly initialMs: number,
    private readonly maxMs: number,
    private readonly clock: () => number = Date.now,
  ) {}

  /** The current delay for `key` (0 when none). */
  get(key: string): number {
    return this.entries.get(key)?.backoff ?? 0;
  }

  /** Record an attempt at `eventTime`: start at the initial delay or double it. */
  next(key: string, eventTime: number): void {
    const e = this.entries.get(key);
    if (!e || this.expired(eventTime, e)) this.entries.set(key, { backoff: this.initialMs, lastUpdate: eventTime });
    else {
      e.backoff = Math.min(e.backoff * 2, this.maxMs);
      e.lastUpdate = eventTime;
    }
  }

  /** Whether a restart after something that happened at `eventTime` must still wait; and until when. */
  inBackOffSince(key: string, eventTime: number): number | undefined {
    const e = this.entries.get(key);
    if (!e || this.expired(eventTime, e)) return undefined;
    const until = eventTime + e.backoff;
    return this.clock() < until ? until : undefined;
  }

  /** Whether `eventTime` falls within the delay since the last recorded attempt; and until when. */
  inBackOffSinceUpdate(key: string, eventTime: number): number | undefined {
    const e = this.entries.get(key);
    if (!e || this.expired(eventTime, e)) return undefined;
    const until = e.lastUpdate + e.backoff;
    return eventTime < until ? until : undefined;
  }

  forget(prefix: string): void {
    for (const key of this.entries.keys()) if (key.startsWith(prefix)) this.entries.delete(key);
  }

  private expired(eventTime: number, e: Entry): boolean {
    return eventTime - e.lastUpdate > 2 * this.maxMs;
  }
}
