// One browser's WebSocket on a terminal session (protocol.ts): what it types,
// its resizes and its "end" go to the session's hub (terminal-hub.ts); the
// container's output comes back through its own flow control, so one slow
// browser holds only what it has not taken. Several viewers may watch one hub
// (two tabs, a reload that overlaps the old socket's close).

import type { RawData, WebSocket } from 'ws';
import { readBrowserFrame } from './browser-frames';
import { BrowserOutput, HIGH_WATER_BYTES, LOW_WATER_BYTES, type FlowControlOptions } from './flow-control';
import { CLOSE, type ServerMessage } from './protocol';

/** What a viewer asks of its hub. */
export interface ViewerHub {
  /** Stdin from this browser; false when the session takes no input (a one-shot's log). */
  input(data: Buffer): boolean;
  resize(cols: number, rows: number): void;
  /** The person ended the session. */
  end(): void;
  /** This browser's socket closed. */
  left(viewer: TerminalViewer): void;
  /** Bytes of input the cluster has not taken yet. */
  inputBacklog(): number;
  /** This browser fell behind: stop reading the cluster (the hub counts who asked). */
  pause(): void;
  resume(): void;
}

export class TerminalViewer {
  readonly output: BrowserOutput;
  /** Has had `attached` and the replay: live output goes to it from now on. */
  ready = false;
  private inputHeld = false;
  private gone = false;

  constructor(
    readonly browser: WebSocket,
    private readonly hub: ViewerHub,
    private readonly flow: Pick<FlowControlOptions, 'highWater' | 'lowWater'> = {},
  ) {
    this.output = new BrowserOutput(browser, { ...flow, pause: () => hub.pause(), resume: () => hub.resume() });
    browser.on('message', this.onMessage);
    browser.on('error', () => {}); // 'close' follows
    browser.on('close', this.onClose);
    // Gone before it joined: no 'close' will come.
    if (browser.readyState !== browser.OPEN) setImmediate(this.onClose);
  }

  send(message: ServerMessage): void {
    if (this.browser.readyState === this.browser.OPEN) this.browser.send(JSON.stringify(message));
  }

  /** Output for this browser; `done` once it has taken it (or is gone). */
  write(chunk: Buffer, done: () => void): void {
    this.output.send(chunk, done);
  }

  /** The session is over: `ended`, then close with 1000. */
  close(ended: Omit<Extract<ServerMessage, { type: 'ended' }>, 'type'>): void {
    this.detach();
    if (this.browser.readyState === this.browser.OPEN) {
      this.send({ type: 'ended', ...ended });
      this.browser.close(CLOSE.ended);
    }
  }

  private detach(): void {
    if (this.gone) return;
    this.gone = true;
    this.browser.off('message', this.onMessage);
    this.browser.off('close', this.onClose);
    this.output.release();
  }

  private readonly onClose = () => {
    if (this.gone) return;
    this.detach();
    this.hub.left(this);
  };

  private readonly onMessage = (data: RawData, isBinary: boolean) => {
    const frame = readBrowserFrame(toBuffer(data), isBinary);
    if (frame.kind === 'refused') return this.send({ type: 'error', message: frame.message });
    if (frame.kind === 'stdin') {
      if (!this.hub.input(frame.data)) this.send({ type: 'error', message: 'This session takes no input: it shows the command’s output as it comes.' });
      else this.holdInputWhileClusterBehind();
      return;
    }
    if (frame.message.type === 'end') return this.hub.end();
    this.hub.resize(frame.message.cols, frame.message.rows);
  };

  // The other direction's flow control: a paste flood waits in the browser's socket, not here.
  private holdInputWhileClusterBehind(): void {
    if (this.inputHeld || this.hub.inputBacklog() <= (this.flow.highWater ?? HIGH_WATER_BYTES)) return;
    this.inputHeld = true;
    this.browser.pause();
    const check = () => {
      if (this.gone) return;
      if (this.hub.inputBacklog() > (this.flow.lowWater ?? LOW_WATER_BYTES)) return void setTimeout(check, 10);
      this.inputHeld = false;
      this.browser.resume();
    };
    setTimeout(check, 10);
  }
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}
