// The cluster side of the bridge: client-node's own WebSocketHandler (the one
// its Attach and Exec use), given three things its defaults lack:
//   - the session's streams, not process.stdin/stdout (a [255, n] close frame
//     from the cluster acts on the streams it was given);
//   - the Status on channel 3 for attach too (client-node reports it for exec only);
//   - the cluster's own words when it refuses the upgrade (a 403 from RBAC, a
//     400 for a container that is not running): ws alone reports only
//     "Unexpected server response: 403".

import type { IncomingMessage } from 'node:http';
import type { KubeConfig, V1Status } from '@kubernetes/client-node';
// Not re-exported by the package's index; the same module its Attach and Exec import.
import { WebSocketHandler, type WebSocketInterface } from '@kubernetes/client-node/dist/web-socket-handler.js';
import type { Readable, Writable } from 'node:stream';
import WebSocket from 'ws';

const STATUS_CHANNEL = 3;
const CLOSE_CHANNEL = 255;

/** The cluster answered the exec/attach request with an HTTP error instead of a WebSocket. */
export class ClusterRefusal extends Error {
  override name = 'ClusterRefusal';
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export interface ClusterStreams {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  /** The Status the cluster sent on channel 3 (the process ended, or the stream could not run). */
  onStatus(status: V1Status): void;
}

/** A WebSocketInterface for client-node's Attach/Exec that also reports refusals and the status channel. */
export function clusterSocket(kubeConfig: KubeConfig, streams: ClusterStreams): WebSocketInterface {
  const handler = new WebSocketHandler(kubeConfig, openWithRefusals, streams);
  return {
    connect: (path, textHandler, binaryHandler) =>
      handler
        .connect(path, textHandler, (channel, payload) => {
          // client-node throws on channels it does not know; a close frame was already handled above it.
          if (channel === CLOSE_CHANNEL) return true;
          if (channel === STATUS_CHANNEL) streams.onStatus(parseStatus(payload));
          return binaryHandler ? binaryHandler(channel, payload) : true;
        })
        .catch((error: unknown) => {
          // client-node rejects with ws's ErrorEvent; the error it wraps is ours or ws's.
          throw (error as { error?: unknown } | null)?.error ?? error;
        }),
  };
}

function openWithRefusals(uri: string, protocols: string[], options: WebSocket.ClientOptions): WebSocket {
  const socket = new WebSocket(uri, protocols, options);
  socket.once('unexpected-response', (_request, response: IncomingMessage) => {
    const chunks: Buffer[] = [];
    let size = 0;
    response.on('data', (chunk: Buffer) => {
      if ((size += chunk.length) <= 64 * 1024) chunks.push(chunk);
    });
    response.on('error', () => {});
    response.on('end', () => {
      const code = response.statusCode ?? 0;
      // The first error rejects client-node's connect(); terminate() then ends the handshake (and emits close).
      socket.emit('error', new ClusterRefusal(code, refusalMessage(code, Buffer.concat(chunks).toString('utf8'))));
      socket.terminate();
    });
  });
  return socket;
}

/** The Status's message when the body is one, else the HTTP status and whatever text came. */
export function refusalMessage(code: number, body: string): string {
  try {
    const status = JSON.parse(body) as { kind?: string; message?: unknown };
    if (typeof status.message === 'string' && status.message) return status.message;
  } catch {
    // not JSON: the text itself, below
  }
  const text = body.trim().slice(0, 500);
  return `the cluster refused the connection with HTTP ${code}${text ? `: ${text}` : ''}`;
}

function parseStatus(payload: Buffer): V1Status {
  const text = payload.toString('utf8');
  try {
    return JSON.parse(text) as V1Status;
  } catch {
    // Before v4 the channel carried only a failure's message, as text.
    return { status: 'Failure', message: text };
  }
}

/** The exit code a channel-3 Status reports, or null when it reports something else (an error running the stream). */
export function exitCodeOf(status: V1Status): number | null {
  if (status.status === 'Success') return 0;
  if (status.reason !== 'NonZeroExitCode') return null;
  const cause = status.details?.causes?.find((c) => c.reason === 'ExitCode');
  const code = Number(cause?.message);
  return Number.isInteger(code) ? code : null;
}
