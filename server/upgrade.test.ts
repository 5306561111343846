import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { setDenialSink } from '@/lib/auth/denials';
import { ALICE, NORA, sessionToken, TEST_SETTINGS } from '@/lib/auth/test-support';
import { createUpgradeRouter, refuse, routes, type UpgradeRouter } from './upgrade';
import { sessionAuthorizer } from './upgrade-auth';

let server: http.Server | undefined;
let router: UpgradeRouter | undefined;
let origin = '';
const fallbackPaths: string[] = [];
const denials: Array<Record<string, unknown>> = [];
const previousSink = setDenialSink((line) => denials.push(JSON.parse(line)));
afterAll(() => setDenialSink(previousSink));

/** Starts the router on a free port; the public URL is the server's own, as in production. */
async function start(): Promise<string> {
  server = http.createServer((_request, response) => response.end());
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  router = createUpgradeRouter(
    routes,
    (request, socket) => {
      fallbackPaths.push(request.url ?? '');
      refuse(socket, 418, 'fallback');
    },
    sessionAuthorizer({ ...TEST_SETTINGS, publicUrl: origin }),
  );
  server.on('upgrade', router.handleUpgrade);
  return origin.replace(/^http/, 'ws');
}

const cookie = async (identity = ALICE, options = {}) => `${TEST_SETTINGS.cookieName}=${await sessionToken(identity, options)}`;

/** The HTTP status and body the server answered an upgrade with, or 101 when it became a WebSocket. */
function upgrade(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => {
      ws.close();
      resolve({ status: 101, body: '' });
    });
    ws.once('unexpected-response', (_request, response) => {
      let body = '';
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    ws.once('error', reject);
  });
}

afterEach(async () => {
  await router?.close();
  await new Promise((resolve) => server?.close(resolve));
  fallbackPaths.length = 0;
  denials.length = 0;
});

describe('upgrade router', () => {
  it('echoes text and binary messages on /api/ws/ping for a signed-in user from the public origin', async () => {
    const ws = new WebSocket(`${await start()}/api/ws/ping`, { headers: { cookie: await cookie(), origin } });
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

  it('refuses an upgrade without a session with 401 and a JSON message, and records it', async () => {
    const answer = await upgrade(`${await start()}/api/ws/ping`, { origin });
    expect(answer.status).toBe(401);
    expect(JSON.parse(answer.body)).toEqual({ error: 'You are not signed in. Sign in at /login.' });
    expect(denials).toMatchObject([{ event: 'access.denied', route: 'UPGRADE /api/ws/ping', reason: 'no-session' }]);
  });

  it('refuses a forged, foreign or expired session with 401', async () => {
    const url = `${await start()}/api/ws/ping`;
    expect((await upgrade(url, { origin, cookie: `${TEST_SETTINGS.cookieName}=forged` })).status).toBe(401);
    expect((await upgrade(url, { origin, cookie: await cookie(ALICE, { secret: 'some-other-secret-some-other-secret' }) })).status).toBe(401);
    expect((await upgrade(url, { origin, cookie: await cookie(ALICE, { ageSeconds: 120, maxAgeSeconds: 60 }) })).status).toBe(401);
    expect(denials.map((denial) => denial.reason)).toEqual(['invalid-session', 'invalid-session', 'session-expired']);
  });

  it('refuses a valid session from another Origin, or with none, with 403', async () => {
    const url = `${await start()}/api/ws/ping`;
    const answer = await upgrade(url, { cookie: await cookie(), origin: 'http://evil.example' });
    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.body).error).toContain('comes from http://evil.example');
    expect((await upgrade(url, { cookie: await cookie() })).status).toBe(403);
    expect(denials).toMatchObject([
      { reason: 'origin-mismatch', user: 'alice', detail: 'Origin: http://evil.example' },
      { reason: 'origin-mismatch', user: 'alice', detail: 'Origin: (none)' },
    ]);
  });

  it('refuses a signed-in user without a role with 403', async () => {
    expect((await upgrade(`${await start()}/api/ws/ping`, { cookie: await cookie(NORA), origin })).status).toBe(403);
    expect(denials).toMatchObject([{ reason: 'no-role', user: 'nora' }]);
  });

  it('answers 404 for an unknown path under /api/ws/, but only to a signed-in user', async () => {
    const url = `${await start()}/api/ws/nope`;
    expect((await upgrade(url, { cookie: await cookie(), origin })).status).toBe(404);
    expect((await upgrade(url, { origin })).status).toBe(401);
    expect(fallbackPaths).toEqual([]);
  });

  it('hands every other path to the fallback', async () => {
    expect((await upgrade(`${await start()}/_next/hmr?id=1`)).status).toBe(418);
    expect(fallbackPaths).toEqual(['/_next/hmr?id=1']);
  });

  it('closes open sockets with 1001 on close()', async () => {
    const ws = new WebSocket(`${await start()}/api/ws/ping`, { headers: { cookie: await cookie(), origin } });
    await new Promise((resolve) => ws.once('open', resolve));
    const closed = new Promise<number>((resolve) => ws.once('close', resolve));
    await router!.close();
    expect(await closed).toBe(1001);
  });
});
