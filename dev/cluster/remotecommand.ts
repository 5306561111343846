// The server side of the Kubernetes remote-command protocol (pods/exec, pods/attach)
// over WebSocket, as the apiserver's stream translator and the kubelet speak it.
// Every message is binary; its first byte is the channel:
//   0 stdin, 1 stdout, 2 stderr, 3 error (a Status when the process ends), 4 resize,
//   255 close — v5 only: [255, n] half-closes stream n.

import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { RawData, WebSocket, WebSocketServer } from 'ws';
import { StatusError, badRequest, failure } from './status';
import type { Status } from './types';
import type { ContainerStream, StreamExit, StreamOptions } from './streams';

const STDIN = 0;
const STDOUT = 1;
const STDERR = 2;
const ERROR = 3;
const RESIZE = 4;
const CLOSE = 255;

/** What differs between the subprotocol versions the dev cluster speaks. */
interface Protocol {
  /** v5: the client may half-close a stream with [255, n]. */
  halfClose: boolean;
  /** v4+: channel 3 carries a Status as JSON; before, only a failure's message, as text. */
  jsonStatus: boolean;
}

// In order of preference. v3 and v2 are left out as the kubelet leaves them out;
// "channel.k8s.io" (and no subprotocol at all) is v1, as the kubelet serves it.
const PROTOCOLS: ReadonlyMap<string, Protocol> = new Map([
  ['v5.channel.k8s.io', { halfClose: true, jsonStatus: true }],
  ['v4.channel.k8s.io', { halfClose: false, jsonStatus: true }],
  ['channel.k8s.io', { halfClose: false, jsonStatus: false }],
]);

/**
 * Output the client has not yet taken that makes the dev cluster give up on it.
 * An attach cannot be paused (one process, output fanned out to every client),
 * so a client that stops reading would otherwise make ws buffer the process's
 * output without bound. Past this, the session is cut (the stream detached, the
 * socket destroyed).
 */
const MAX_BUFFERED_BYTES = 64 * 1024 * 1024;
/**
 * Flow control for streams that have it (exec): past FLOW_HIGH_BYTES unsent, the
 * process's output is paused until the client has taken all but FLOW_LOW_BYTES,
 * as a real runtime's pipe blocks a writer whose reader is behind.
 */
const FLOW_HIGH_BYTES = 4 * 1024 * 1024;
const FLOW_LOW_BYTES = 1024 * 1024;

/**
 * Parses the exec/attach query. Booleans follow the apiserver's conversion: absent,
 * "false" (any case) and "0" are false; anything else, even an empty value, is true.
 * With a TTY, stderr is never used. Throws a 400 StatusError for a request that
 * cannot run.
 */
export function parseStreamQuery(
  url: URL,
  kind: 'exec' | 'attach',
): { container?: string; command: string[]; options: StreamOptions } {
  const query = url.searchParams;
  const flag = (name: string) => {
    const value = query.get(name);
    return value !== null && value !== '0' && value.toLowerCase() !== 'false';
  };
  const tty = flag('tty');
  const options: StreamOptions = { stdin: flag('stdin'), stdout: flag('stdout'), stderr: flag('stderr') && !tty, tty };
  const command = kind === 'exec' ? query.getAll('command') : [];
  if (kind === 'exec' && command.length === 0) {
    throw badRequest('you must specify at least one command for the container');
  }
  if (!options.stdin && !options.stdout && !options.stderr) {
    throw badRequest('you must specify at least one of stdin, stdout, stderr');
  }
  const container = query.get('container') || undefined;
  return { ...(container ? { container } : {}), command, options };
}

/** True when the request is a WebSocket upgrade; false for SPDY (POST + Upgrade: SPDY/3.1) or plain requests. */
export function isWebSocketUpgrade(req: IncomingMessage): boolean {
  const connection = String(req.headers.connection ?? '');
  return (
    String(req.headers.upgrade ?? '').toLowerCase() === 'websocket' &&
    connection.split(',').some((token) => token.trim().toLowerCase() === 'upgrade')
  );
}

/**
 * The Status the dev cluster answers a SPDY upgrade with. kubectl only falls back to
 * SPDY after its WebSocket attempt was refused, whatever the reason (404, 403, a bad
 * query), and then shows only the SPDY answer: answer the SPDY request with the same
 * checks first, so the user sees the real error, and with this only when they pass.
 */
export function spdyNotSupported(): StatusError {
  return badRequest(
    'the dev cluster serves exec and attach over WebSocket only (v5.channel.k8s.io, v4.channel.k8s.io), ' +
      'not SPDY/3.1. kubectl falls back to SPDY when its WebSocket request is refused: ' +
      'run it with -v=4 to see that refusal ("RemoteCommand fallback: …").',
  );
}

/** Answers an upgrade request that will not be upgraded with a Status, on the raw socket. */
export function rejectUpgrade(socket: Duplex, error: StatusError): void {
  const body = JSON.stringify(error.status);
  socket.on('error', () => {}); // the client may already be gone; there is no one left to tell
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${error.status.code} ${STATUS_CODES[error.status.code] ?? 'Error'}\r\n` +
      'Content-Type: application/json\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Connection: close\r\n\r\n' +
      body,
  );
}

/**
 * Completes the WebSocket handshake, choosing v5.channel.k8s.io, else v4, else v1
 * (channel.k8s.io, or no subprotocol), and refusing anything else with a 400 Status.
 * Then calls `open` and carries frames between the socket and the ContainerStream
 * until the process ends (its Status on channel 3, then close 1000) or the client
 * goes away (stream.detach()). A StatusError thrown by `open` is sent on channel 3.
 */
export function serveRemoteCommand(
  wss: WebSocketServer,
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  options: StreamOptions,
  open: () => ContainerStream,
): void {
  const offered = String(req.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  const name = [...PROTOCOLS.keys()].find((p) => offered.includes(p));
  if (offered.length > 0 && name === undefined) {
    rejectUpgrade(
      socket,
      badRequest(
        `requested protocol(s) are not supported: [${offered.join(' ')}]; supports [${[...PROTOCOLS.keys()].join(' ')}]`,
      ),
    );
    return;
  }
  // ws answers with the first subprotocol offered (unless its server has a
  // handleProtocols hook); offering it only ours makes it answer with our choice.
  if (name !== undefined) req.headers['sec-websocket-protocol'] = name;
  const protocol = PROTOCOLS.get(name ?? 'channel.k8s.io')!;
  wss.handleUpgrade(req, socket, head, (ws) => bridge(ws, protocol, options, open));
}

function bridge(ws: WebSocket, protocol: Protocol, options: StreamOptions, open: () => ContainerStream): void {
  let stream: ContainerStream | undefined;
  let running = false; // the process has not ended
  let ended = false; // the status is sent, or the client is gone: no more frames either way
  let stdinOpen = options.stdin;
  const resizes = new ResizeDecoder();

  // The client went away or broke the protocol: let go of the process.
  const release = () => {
    ended = true;
    if (!stream || !running) return;
    running = false;
    if (stdinOpen) {
      stdinOpen = false;
      stream.closeStdin();
    }
    stream.detach();
  };
  let outputPaused = false;
  const onFlushed = () => {
    if (!outputPaused || ws.bufferedAmount > FLOW_LOW_BYTES) return;
    outputPaused = false;
    stream?.resumeOutput?.();
  };
  const send = (channel: number, payload: Buffer) => {
    if (ended) return;
    ws.send(Buffer.concat([Buffer.of(channel), payload]), onFlushed);
    if (!outputPaused && ws.bufferedAmount > FLOW_HIGH_BYTES && stream?.pauseOutput) {
      outputPaused = true;
      stream.pauseOutput();
    }
    if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      console.warn(`remote-command: the client left ${ws.bufferedAmount} bytes of output unread; cutting the session`);
      release();
      ws.terminate();
    }
  };
  const finish = (status: Status) => {
    if (ended) return;
    if (protocol.jsonStatus) send(ERROR, Buffer.from(JSON.stringify(channelStatus(status))));
    else if (status.status !== 'Success') send(ERROR, Buffer.from(status.message ?? ''));
    ws.close(1000);
    release();
  };

  ws.on('error', () => {}); // ws closes the socket after any error; 'close' cleans up
  ws.on('close', release);
  ws.on('message', (data: RawData, isBinary: boolean) => {
    if (ended || !stream) return;
    if (!isBinary) {
      return finish(badRequest('remote-command messages must be binary, the first byte naming the channel').status);
    }
    const frame = toBuffer(data);
    if (frame.length === 0) return;
    const payload = frame.subarray(1);
    switch (frame[0]) {
      case STDIN:
        if (stdinOpen && payload.length > 0) stream.writeStdin(payload);
        return;
      case RESIZE:
        for (const { width, height } of resizes.push(payload)) {
          if (options.tty && width > 0 && height > 0) stream.resize(width, height);
        }
        return;
      case CLOSE:
        if (!protocol.halfClose) return; // before v5, 255 is just a channel nobody reads
        if (payload.length !== 1) return finish(badRequest('a close signal is two bytes: [255, channel]').status);
        if (payload[0] === STDIN && stdinOpen) {
          stdinOpen = false;
          stream.closeStdin();
        }
        return;
      default:
        return; // a channel this session does not read; the apiserver ignores those too
    }
  });

  // Tells the client the session is up: an empty frame on the lowest channel it reads.
  send(options.stdout ? STDOUT : options.stderr ? STDERR : ERROR, Buffer.alloc(0));
  try {
    stream = open();
  } catch (err) {
    finish(err instanceof StatusError ? err.status : internalError(err instanceof Error ? err.message : String(err)));
    return;
  }
  running = true;
  const tty = stream.tty;
  stream.onStdout((chunk) => {
    if (options.stdout && chunk.length > 0) send(STDOUT, chunk);
  });
  stream.onStderr((chunk) => {
    if (options.stderr && !tty && chunk.length > 0) send(STDERR, chunk);
  });
  stream.onExit((exit) => {
    running = false;
    finish(exitStatus(exit));
  });
}

/** The Status the kubelet reports on channel 3 when a process ends. */
function exitStatus(exit: StreamExit): Status {
  if (exit.kind === 'error') return internalError(exit.message);
  const status: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 0 };
  if (exit.exitCode === 0) return status;
  return {
    ...status,
    status: 'Failure',
    message: `command terminated with non-zero exit code: ${exit.exitCode}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(exit.exitCode) }] },
  };
}

// The kubelet wraps runtime errors as "Internal error occurred: …"; the seam's
// message is shown as-is instead, as ContainerStream promises its authors.
const internalError = (message: string) =>
  failure(500, 'InternalError', message, { causes: [{ message }] }).status;

/** A Status as Go's json.Marshal writes it on channel 3: no kind or apiVersion, no zero code. */
function channelStatus(s: Status): Record<string, unknown> {
  return {
    metadata: s.metadata,
    status: s.status,
    ...(s.message !== undefined ? { message: s.message } : {}),
    ...(s.reason !== undefined ? { reason: s.reason } : {}),
    ...(s.details !== undefined ? { details: s.details } : {}),
    ...(s.code ? { code: s.code } : {}),
  };
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

/**
 * Reads the resize channel as the apiserver does, as a stream of JSON objects:
 * kubectl sends `{"Width":W,"Height":H}\n` per frame, client-node `{"height":H,"width":W}`
 * (Go matches keys case-insensitively), and one frame may hold several objects or
 * part of one. An object that is not a size is dropped; the channel goes on.
 */
class ResizeDecoder {
  private pending = '';

  push(payload: Buffer): Array<{ width: number; height: number }> {
    this.pending += payload.toString('utf8');
    const sizes: Array<{ width: number; height: number }> = [];
    let depth = 0;
    let inString = false;
    let start = 0;
    for (let i = 0; i < this.pending.length; i++) {
      const c = this.pending[i];
      if (inString) {
        if (c === '\\') i++;
        else if (c === '"') inString = false;
      } else if (depth === 0 && c !== '{') {
        if (c.trim() === '') continue;
        this.pending = ''; // not a JSON object: drop what we have and wait for the next one
        break;
      } else if (c === '"') {
        inString = true;
      } else if (c === '{') {
        if (depth++ === 0) start = i;
      } else if (c === '}' && --depth === 0) {
        const size = parseSize(this.pending.slice(start, i + 1));
        if (size) sizes.push(size);
        this.pending = this.pending.slice(i + 1);
        i = -1;
      }
    }
    if (this.pending.trim() === '' || this.pending.length > 4096) this.pending = ''; // no size is this long
    return sizes;
  }
}

function parseSize(text: string): { width: number; height: number } | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const field = (name: string) =>
    Object.entries(value as Record<string, unknown>).find(([k]) => k.toLowerCase() === name)?.[1] ?? 0;
  const [width, height] = [field('width'), field('height')];
  const isUint16 = (n: unknown): n is number => Number.isInteger(n) && (n as number) >= 0 && (n as number) <= 0xffff;
  return isUint16(width) && isUint16(height) ? { width, height } : undefined;
}
