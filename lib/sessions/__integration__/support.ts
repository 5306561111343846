// A real browser-side WebSocket pair for the terminal hub: an HTTP server whose
// WebSocket connections join a terminal hub made with the options the test
// gives (every connection to one prepared URL joins the same hub, as every
// socket of one session does in server/terminal.ts), and a client that
// records what the browser would see. Shared by the hub tests and
// bench/terminal.ts.

import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { openTerminalHub, type HubOptions, type HubResult, type TerminalHub } from '../terminal-hub';
import type { ServerMessage } from '../protocol';

/** As HubOptions; the grace period defaults to 0 (detach as soon as the last browser leaves). */
export type HubSettings = Omit<HubOptions, 'onEnd' | 'reconnectGraceSeconds'> & { reconnectGraceSeconds?: number; onEnd?(result: HubResult): void };

export interface BridgeServer {
  /** A URL whose connections join one hub made with `settings` (for a browser side in another process); `hub` once the first has. */
  prepare(settings: HubSettings): { url: string; hub: Promise<TerminalHub> };
  /** Opens a browser-side socket on a new hub made with `settings`. */
  open(settings: HubSettings, client?: TerminalClientOptions): Promise<{ client: TerminalClient; hub: TerminalHub; url: string }>;
  close(): Promise<void>;
}

export async function startBridgeServer(): Promise<BridgeServer> {
  const server = http.createServer();
  const wss = new WebSocketServer({ server });
  const prepared = new Map<string, { settings: HubSettings; hub?: TerminalHub; opened(hub: TerminalHub): void }>();
  let next = 0;
  wss.on('connection', (socket, request) => {
    const id = new URL(request.url ?? '/', 'http://bridge.invalid').searchParams.get('id') ?? '';
    const entry = prepared.get(id);
    if (!entry) return socket.close(4404);
    if (!entry.hub) {
      entry.hub = openTerminalHub({ reconnectGraceSeconds: 0, ...entry.settings, onEnd: (result) => entry.settings.onEnd?.(result) });
      entry.opened(entry.hub);
    }
    entry.hub.join(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const prepare = (settings: HubSettings) => {
    const id = String(next++);
    const hub = new Promise<TerminalHub>((resolve) => prepared.set(id, { settings, opened: resolve }));
    return { url: `ws://127.0.0.1:${port}/?id=${id}`, hub };
  };
  return {
    prepare,
    async open(settings, clientOptions) {
      const { url, hub } = prepare(settings);
      const client = new TerminalClient(url, clientOptions);
      await client.opened;
      return { client, hub: await hub, url };
    },
    async close() {
      for (const socket of wss.clients) socket.terminate();
      await new Promise((resolve) => wss.close(resolve));
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

export interface TerminalClientOptions {
  /** Keep the output (default); false counts bytes only (floods). */
  keepOutput?: boolean;
}

/** The browser's side of the terminal WebSocket. */
export class TerminalClient {
  readonly socket: WebSocket;
  readonly opened: Promise<void>;
  readonly closed: Promise<{ code: number; reason: string }>;
  readonly messages: ServerMessage[] = [];
  private readonly chunks: Buffer[] = [];
  bytes = 0;
  private waiters = new Set<() => void>();

  constructor(url: string, private readonly options: TerminalClientOptions = {}) {
    this.socket = new WebSocket(url);
    this.opened = new Promise((resolve, reject) => {
      this.socket.once('open', () => resolve());
      this.socket.once('error', reject);
    });
    this.closed = new Promise((resolve) => this.socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    this.socket.on('message', (data: Buffer, isBinary) => {
      if (isBinary) {
        this.bytes += data.length;
        if (this.options.keepOutput !== false) this.chunks.push(data);
      } else {
        this.messages.push(JSON.parse(data.toString()) as ServerMessage);
      }
      for (const wake of this.waiters) wake();
    });
    this.socket.on('close', () => {
      for (const wake of this.waiters) wake();
    });
  }

  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }

  type(text: string | Buffer): void {
    this.socket.send(typeof text === 'string' ? Buffer.from(text) : text, { binary: true });
  }

  control(message: unknown): void {
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** Resolves once `check` holds, re-checked on every frame; rejects after `timeoutMs` with what arrived. */
  until(check: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const wake = () => {
        if (!check()) return;
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters.delete(wake);
        reject(new Error(`${what} not seen within ${timeoutMs} ms; output ${JSON.stringify(this.text().slice(-500))}, messages ${JSON.stringify(this.messages)}`));
      }, timeoutMs);
      this.waiters.add(wake);
    });
  }

  output(pattern: RegExp, timeoutMs?: number): Promise<void> {
    return this.until(() => pattern.test(this.text()), timeoutMs, `output ${pattern}`);
  }

  async message<T extends ServerMessage['type']>(type: T, timeoutMs?: number): Promise<Extract<ServerMessage, { type: T }>> {
    await this.until(() => this.messages.some((m) => m.type === type), timeoutMs, `a "${type}" message`);
    return this.messages.find((m) => m.type === type) as Extract<ServerMessage, { type: T }>;
  }
}

/** Waits until the pod's container is running (or has terminated, for `terminated`). */
export async function waitForContainer(kubeConfig: KubeConfig, namespace: string, pod: string, state: 'running' | 'terminated', timeoutMs = 30_000): Promise<void> {
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const found = await core.readNamespacedPod({ name: pod, namespace }).catch(() => undefined);
    if (found?.status?.containerStatuses?.some((s) => s.state?.[state])) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${namespace}/${pod} did not reach ${state} within ${timeoutMs} ms`);
}
