// Ephemera's WebSocket endpoints. Every upgrade under /api/ws/ is ours and is
// decided here: first the session and Origin (upgrade-auth.ts), then the path;
// anything else (Next's HMR in development) goes to the fallback. The checks
// come before the handshake, so a refused upgrade never becomes a WebSocket.

import type { IncomingMessage } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { EphemeraUser } from '@/lib/auth/types';
import { TERMINAL_WS_PATH } from '@/lib/sessions/protocol';
import { appTerminalDeps, terminalRoute } from './terminal';
import type { AuthorizeUpgrade } from './upgrade-auth';

export const WS_PREFIX = '/api/ws/';

/** Serves one accepted WebSocket for `user`; the request is the one that asked for the upgrade. */
export type WebSocketRoute = (socket: WebSocket, request: IncomingMessage, user: EphemeraUser) => void;

export type UpgradeListener = (request: IncomingMessage, socket: Duplex, head: Buffer) => void;

/** Sends every message back as it came: proves the upgrade path works end to end, for tests and probes. */
const echo: WebSocketRoute = (socket) => {
  socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary }));
};

/** Path → endpoint (the query string is the endpoint's: the terminal's ?session=<id>). Live observers join this table. */
export const routes: Readonly<Record<string, WebSocketRoute>> = {
  '/api/ws/ping': echo,
  [TERMINAL_WS_PATH]: terminalRoute(appTerminalDeps),
};

export interface UpgradeRouter {
  handleUpgrade: UpgradeListener;
  /** Closes every open WebSocket with 1001 (going away); resolves once all are gone. */
  close(graceMs?: number): Promise<void>;
}

export function createUpgradeRouter(
  table: Readonly<Record<string, WebSocketRoute>>,
  fallback: UpgradeListener,
  authorize: AuthorizeUpgrade,
): UpgradeRouter {
  const sockets = new WebSocketServer({ noServer: true });

  const handleUpgrade: UpgradeListener = (request, socket, head) => {
    const path = new URL(request.url ?? '/', 'http://upgrade.invalid').pathname;
    if (!path.startsWith(WS_PREFIX)) {
      fallback(request, socket, head);
      return;
    }
    // The client may hang up while the session is read; that must not throw.
    const dropOnError = () => socket.destroy();
    socket.on('error', dropOnError);
    authorize(request)
      .then((decision) => {
        // Refused before the path is looked at: without a session, nobody learns which endpoints exist.
        if (!decision.ok) return refuse(socket, decision.status, decision.message);
        const route = table[path];
        if (!route) return refuse(socket, 404, `No WebSocket endpoint at ${path}`);
        socket.off('error', dropOnError);
        sockets.handleUpgrade(request, socket, head, (ws) => route(ws, request, decision.user));
      })
      .catch((error: unknown) => {
        console.error('Ephemera: upgrade check failed', path, error);
        refuse(socket, 500, 'The session could not be checked.');
      });
  };

  const close = async (graceMs = 2_000) => {
    const open = [...sockets.clients];
    for (const ws of open) ws.close(1001, 'Ephemera is shutting down');
    const closed = Promise.all(open.map((ws) => new Promise((resolve) => ws.once('close', resolve))));
    // A peer that never answers the close frame must not hold the shutdown.
    const timer = setTimeout(() => open.forEach((ws) => ws.terminate()), graceMs);
    await closed;
    clearTimeout(timer);
    await new Promise((resolve) => sockets.close(resolve));
  };

  return { handleUpgrade, close };
}

/** Answers an upgrade request with an HTTP error and a JSON message; the socket is not a WebSocket yet. */
export function refuse(socket: Duplex, status: number, message: string): void {
  if (socket.destroyed) return;
  const body = `${JSON.stringify({ error: message })}\n`;
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
      'Connection: close\r\nContent-Type: application/json\r\nX-Content-Type-Options: nosniff\r\nCache-Control: no-store\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}
