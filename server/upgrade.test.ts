import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createUpgradeRouter, refuse, routes, type UpgradeRouter } from './upgrade';

let server: http.Server | undefined;
let router: UpgradeRouter | undefined;
const fallbackPaths: string[] = [];

async function start(): Promise<string> {
  router = createUpgradeRouter(routes, (request, socket) => {
    fallbackPaths.push(request.url ?? '');
    refuse(socket, 418, 'fallback');
  });
  server = http.createServer((_request, response) => response.end());
  server.on('upgrade', router.handleUpgrade);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** The HTTP status the server answered an upgrade with, or 101 when it became a WebSocket. */
function upgradeStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('open', () => {
      ws.close();
      resolve(101);
    });
    ws.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
    ws.once('error', reject);
  });
}

afterEach(async () => {
  await router?.close();
  await new Promise((resolve) => server?.close(resolve));
  fallbackPaths.length = 0;
});

describe('upgrade router', () => {
  it('echoes text and binary messages on /api/ws/ping', async () => {
    const ws = new WebSocket(`${await start()}/api/ws/ping`);
    await new Promise((resolve) => ws.once('open', resolve));
    const received: Array<[string, boolean]> = [];
    ws.on('message', (data, isBinary) => received.push([data.toString(), isBinary]));
    ws.send('hello');
    ws.send(Buffer.from('bytes'));
    await expect.poll(() => received).toEqual([
      ['hello', false],
      ['bytes', true],
    ]);
    ws.close();
  });

  it('answers 404 for an unknown path under /api/ws/ without calling the fallback', async () => {
    expect(await upgradeStatus(`${await start()}/api/ws/nope`)).toBe(404);
    expect(fallbackPaths).toEqual([]);
  });

  it('hands every other path to the fallback', async () => {
    expect(await upgradeStatus(`${await start()}/_next/hmr?id=1`)).toBe(418);
    expect(fallbackPaths).toEqual(['/_next/hmr?id=1']);
  });

  it('closes open sockets with 1001 on close()', async () => {
    const ws = new WebSocket(`${await start()}/api/ws/ping`);
    await new Promise((resolve) => ws.once('open', resolve));
    const closed = new Promise<number>((resolve) => ws.once('close', resolve));
    await router!.close();
    expect(await closed).toBe(1001);
  });
});
