// A session's recorder: turns the terminal's bytes (output, keystrokes when
// the policy records them, resizes) into asciicast v2 event lines and hands
// them to the store in chunks, one write at a time, at least every
// `flushIntervalMs` while there is something to write — so a process killed
// mid-session loses at most that much. Output faster than the store takes it
// (a `cat` of a big file) makes the recorder say it is behind
// (onBackPressure), and the terminal pauses the container's stream until it
// has caught up, as it does for a slow browser. When the store refuses a
// chunk, or falls so far behind all the same that the unwritten lines pass
// `maxPendingBytes`, the recorder stops and says so once (onFailure): the
// caller's policy decides whether the session goes on without it.

import { eventLine, searchableText } from './asciicast';

export interface RecorderSink {
  append(chunk: { seq: number; events: string; text: string; bytes: number }): Promise<void>;
  finish(): Promise<void>;
}

export interface RecorderOptions {
  sink: RecorderSink;
  /** When the recording started (its header's timestamp): event times count from here. */
  startedAt: Date;
  /** The next chunk's seq: 0 for a new recording, the stored count when continuing one. */
  firstSeq?: number;
  recordInput: boolean;
  /** Output with bare newlines (a log): recorded as CR LF, the way the page shows it. */
  convertEol?: boolean;
  /** Default 500 ms: twice a second, so a kill loses less than a second. */
  flushIntervalMs?: number;
  /** Unwritten lines beyond this many bytes mean the store cannot keep up (default 16 MiB). */
  maxPendingBytes?: number;
  /** Unwritten lines beyond this many bytes: behind (default 2 MiB); caught up again below a quarter of it. */
  highWaterBytes?: number;
  /** Milliseconds since the epoch (tests move it). */
  now?: () => number;
  onFailure(error: Error): void;
  /** Called once when close() has finished (stored, or given up after a failure). */
  onClosed?(): void;
}

export const DEFAULT_FLUSH_INTERVAL_MS = 500;
export const DEFAULT_MAX_PENDING_BYTES = 16 * 1024 * 1024;
export const DEFAULT_HIGH_WATER_BYTES = 2 * 1024 * 1024;

export class Recorder {
  private readonly options: Required<Omit<RecorderOptions, 'firstSeq'>>;
  private readonly backPressure = new Set<(behind: boolean) => void>();
  private behind = false;
  private readonly outputDecoder = new TextDecoder('utf-8');
  private readonly inputDecoder = new TextDecoder('utf-8');
  private nextSeq: number;
  private events = '';
  private text = '';
  private bytes = 0;
  /** Event characters not yet stored: pending and queued. */
  private unwritten = 0;
  /** Chunks queued or being written. */
  private inFlight = 0;
  private writing: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private failure: Error | undefined;
  private closed = false;

  constructor(options: RecorderOptions) {
    this.options = { flushIntervalMs: DEFAULT_FLUSH_INTERVAL_MS, maxPendingBytes: DEFAULT_MAX_PENDING_BYTES, now: Date.now, convertEol: false, onClosed: () => {}, highWaterBytes: DEFAULT_HIGH_WATER_BYTES, ...options };
    this.nextSeq = options.firstSeq ?? 0;
  }

  /** `listener(true)` when the store falls behind the output, `listener(false)` once it has caught up (or the recorder stopped). */
  onBackPressure(listener: (behind: boolean) => void): void {
    this.backPressure.add(listener);
  }

  private setBehind(behind: boolean): void {
    if (this.behind === behind) return;
    this.behind = behind;
    for (const listener of this.backPressure) listener(behind);
  }

  /** Whether it still records (false after a failure or close). */
  get recording(): boolean {
    return !this.failure && !this.closed;
  }

  output(bytes: Uint8Array): void {
    if (!this.recording) return;
    // stream: a character split between two reads waits for its other half.
    const decoded = this.outputDecoder.decode(bytes, { stream: true });
    const data = this.options.convertEol ? decoded.replace(/\r?\n/g, '\r\n') : decoded;
    this.bytes += bytes.byteLength;
    if (data) {
      this.add('o', data);
      this.text += searchableText(data);
    }
  }

  input(bytes: Uint8Array): void {
    if (!this.recording || !this.options.recordInput) return;
    const data = this.inputDecoder.decode(bytes, { stream: true });
    if (data) this.add('i', data);
  }

  resize(cols: number, rows: number): void {
    if (this.recording) this.add('r', `${cols}x${rows}`);
  }

  /** Writes what is left and marks the recording complete; resolves when stored (or at once after a failure). */
  close(): Promise<void> {
    this.closing ??= this.closeOnce().finally(() => this.options.onClosed());
    return this.closing;
  }

  private closing: Promise<void> | undefined;

  private async closeOnce(): Promise<void> {
    const rest = this.outputDecoder.decode();
    if (rest && !this.failure) this.add('o', rest);
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.failure) return;
    this.flush();
    await this.writing;
    if (this.failure) return;
    await this.options.sink.finish().catch((error: unknown) => this.fail(error));
  }

  private add(code: 'o' | 'i' | 'r', data: string): void {
    const line = eventLine((this.options.now() - this.options.startedAt.getTime()) / 1000, code, data);
    this.events += line;
    this.unwritten += line.length;
    if (this.unwritten > this.options.maxPendingBytes) {
      return this.fail(new Error(`the store fell behind by more than ${sizeOf(this.options.maxPendingBytes)} of recording`));
    }
    if (this.unwritten > this.options.highWaterBytes) {
      this.setBehind(true);
      // Behind: write now rather than at the interval, so the store works while the stream is paused;
      // while a write is in flight, what comes meanwhile goes in one chunk right after it.
      if (this.inFlight > 0) return;
      if (this.timer) clearTimeout(this.timer);
      this.timer = undefined;
      return this.flush();
    }
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, this.options.flushIntervalMs);
  }

  /** Queues what is pending as one chunk, after the chunk being written. */
  private flush(): void {
    if (!this.events || this.failure) return;
    const chunk = { seq: this.nextSeq++, events: this.events, text: this.text, bytes: this.bytes };
    this.events = '';
    this.text = '';
    this.bytes = 0;
    this.inFlight++;
    this.writing = this.writing.then(async () => {
      if (this.failure) return;
      await this.options.sink.append(chunk).catch((error: unknown) => this.fail(error));
      this.inFlight--;
      this.unwritten -= chunk.events.length;
      if (this.unwritten < this.options.highWaterBytes / 4) this.setBehind(false);
      else if (this.behind && this.inFlight === 0) this.flush();
    });
  }

  private fail(error: unknown): void {
    if (this.failure) return;
    this.failure = error instanceof Error ? error : new Error(String(error));
    this.setBehind(false);
    this.events = '';
    this.text = '';
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.options.onFailure(this.failure);
  }
}

const sizeOf = (bytes: number) => (bytes >= 1024 * 1024 ? `${Math.round(bytes / 1024 / 1024)} MiB` : `${Math.round(bytes / 1024)} KiB`);
