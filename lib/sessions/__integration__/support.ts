// A real browser-side WebSocket pair for the bridge: an HTTP server whose
// WebSocket connections are bridged with the options the test gives, and a
// client that records what the browser would see. Shared by the bridge tests
// and bench/terminal.ts.

import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { bridgeTerminal, type BridgeOptions, type BridgeResult, type TerminalBridge } from '../bridge';
import type { ServerMessage } from '../protocol';

export type BridgeSettings = Omit<BridgeOptions, 'onEnd'> & { onEnd?(result: BridgeResult): void };

export interface BridgeServer {
  /** A URL whose first WebSocket connection is bridged with `settings` (for a browser side in another process). */
  prepare(settings: BridgeSettings): { url: string; bridge: Promise<TerminalBridge> };
  /** Opens a browser-side socket bridged with `settings`. */
  open(settings: BridgeSettings, client?: TerminalClientOptions): Promise<{ client: TerminalClient; bridge: TerminalBridge }>;
  close(): Promise<void>;
}

export async function startBridgeServer(): Promise<BridgeServer> {
  const server = http.createServer();
  const wss = new WebSocketServer({ server });
  const pending = new Map<string, { settings: BridgeSettings; opened(bridge: TerminalBridge): void }>();
  let next = 0;
  wss.on('connection', (socket, request) => {
    const id = new URL(request.url ?? '/', 'http://bridge.invalid').searchParams.get('id') ?? '';
    const entry = pending.get(id);
    pending.delete(id);
    if (!entry) return socket.close(4404);
    entry.opened(bridgeTerminal(socket, { ...entry.settings, onEnd: (result) => entry.settings.onEnd?.(result) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const prepare = (settings: BridgeSettings) => {
    const id = String(next++);
    const bridge = new Promise<TerminalBridge>((resolve) => pending.set(id, { settings, opened: resolve }));
    return { url: `ws://127.0.0.1:${port}/?id=${id}`, bridge };
  };
  return {
    prepare,
    async open(settings, clientOptions) {
      const { url, bridge } = prepare(settings);
      const client = new TerminalClient(url, clientOptions);
      await client.opened;
      return { client, bridge: await bridge };
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
