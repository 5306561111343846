// Output flow control towards the browser (STYLE.md, "From WeTTY"): output is
// sent as it comes while the browser keeps up; once its socket holds more than
// HIGH_WATER bytes not yet taken by the network, the source is paused (the
// cluster's WebSocket stops being read, so TCP pushes back on the cluster) and
// writes wait, until the browser has taken all but LOW_WATER bytes. What the
// server holds for one slow browser is then about HIGH_WATER plus whatever was
// already in flight from the cluster when it paused — bounded, whatever the
// container prints, and nothing is dropped.

import { Writable } from 'node:stream';
import type { WebSocket } from 'ws';

export const HIGH_WATER_BYTES = 1024 * 1024;
export const LOW_WATER_BYTES = 256 * 1024;

export interface FlowControlOptions {
  highWater?: number;
  lowWater?: number;
  /** Stop reading the source: the browser is behind. */
  pause(): void;
  /** Read the source again: the browser has caught up. */
  resume(): void;
}

/** Sends output frames to one browser socket, pausing the source while the browser is behind. */
export class BrowserOutput {
  private readonly highWater: number;
  private readonly lowWater: number;
  private waiting: Array<() => void> = [];
  private paused = false;
  /** Output bytes handed to the browser socket; for tests and benchmarks. */
  bytesSent = 0;
  /** The most the browser socket has held unsent; for tests and benchmarks. */
  peakBuffered = 0;

  constructor(
    private readonly browser: WebSocket,
    private readonly options: FlowControlOptions,
  ) {
    this.highWater = options.highWater ?? HIGH_WATER_BYTES;
    this.lowWater = options.lowWater ?? LOW_WATER_BYTES;
  }

  /** Sends `chunk`; `done` is called at once, or, when the browser is behind, once it has caught up. */
  send(chunk: Buffer, done: () => void): void {
    if (this.browser.readyState !== this.browser.OPEN) return done();
    this.browser.send(chunk, { binary: true }, this.onFlushed);
    this.bytesSent += chunk.length;
    const buffered = this.browser.bufferedAmount;
    if (buffered > this.peakBuffered) this.peakBuffered = buffered;
    if (buffered <= this.highWater && !this.paused) return done();
    this.waiting.push(done);
    if (!this.paused) {
      this.paused = true;
      this.options.pause();
    }
  }

  /** A Writable (for client-node's stdout/stderr, or a log stream's pipe) over send(). */
  writable(): Writable {
    return new Writable({ write: (chunk: Buffer, _encoding, callback) => this.send(chunk, () => callback()) });
  }

  /** Drops what waits (the session is over) and lets the source go. */
  release(): void {
    const waiting = this.waiting;
    this.waiting = [];
    this.paused = false;
    for (const done of waiting) done();
  }

  // ws calls this once a frame is handed to the operating system.
  private readonly onFlushed = (error?: Error) => {
    if (error || !this.paused || this.browser.bufferedAmount > this.lowWater) return;
    this.paused = false;
    this.options.resume();
    const waiting = this.waiting;
    this.waiting = [];
    for (const done of waiting) done();
  };
}
