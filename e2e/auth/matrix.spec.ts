// Every cell of lib/auth/matrix.ts against the running server: each persona
// signs in through the dev IdP (nora, sam, alice, lena, ada; or nobody), then
// every page, API route and WebSocket endpoint is requested without following
// redirects. A first test fails when an endpoint exists that the table does
// not list, or the table lists one that is gone.

import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type APIRequestContext, type BrowserContext } from '@playwright/test';
import { WebSocket } from 'ws';
import {
  compareWithRoutes,
  endpointFromAppFile,
  endpointLabel,
  exportedMethods,
  MATRIX,
  PERSONA_USERS,
  PERSONAS,
  type EndpointId,
  type MatrixEntry,
  type Outcome,
  type Persona,
} from '@/lib/auth/matrix';
import { PROJECT_ROOT } from '@/scripts/lib/services';
import { routes as webSocketRoutes } from '@/server/upgrade';
import { loginAs, type DemoUsername } from '../support/login';

/** Every page, every exported handler of every route.ts, every WebSocket route, as they are now. */
function existingEndpoints(): EndpointId[] {
  const appDir = path.join(PROJECT_ROOT, 'app');
  const found: EndpointId[] = [];
  for (const entry of fs.readdirSync(appDir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.relative(PROJECT_ROOT, path.join(entry.parentPath, entry.name)).split(path.sep).join('/');
    const endpoint = endpointFromAppFile(file);
    if (endpoint?.kind === 'page') found.push(endpoint);
    if (endpoint?.kind === 'api') {
      const methods = exportedMethods(fs.readFileSync(path.join(PROJECT_ROOT, file), 'utf8'));
      if (methods.length === 0) throw new Error(`${file} exports no HTTP method handler that the matrix test can see`);
      for (const method of methods) found.push({ ...endpoint, method });
    }
  }
  for (const route of Object.keys(webSocketRoutes)) found.push({ kind: 'websocket', route });
  return found;
}

test('lib/auth/matrix.ts lists every page, API route and WebSocket endpoint, and nothing else', () => {
  const { unlisted, stale } = compareWithRoutes(existingEndpoints());
  expect(unlisted.map(endpointLabel), 'endpoints with no row in lib/auth/matrix.ts: decide who may use them there').toEqual([]);
  expect(stale.map(endpointLabel), 'rows in lib/auth/matrix.ts for endpoints that no longer exist').toEqual([]);
});

/** What the server answers `context` for `entry`, as the matrix writes outcomes. */
async function observe(entry: MatrixEntry, context: BrowserContext, baseURL: string): Promise<Outcome | number> {
  const url = new URL(entry.probe ?? entry.route, baseURL);
  if (entry.kind === 'websocket') return upgrade(url, context, baseURL);
  const method = entry.method ?? 'GET';
  if (entry.stream) return streamStatus(url, context, baseURL);
  const request: APIRequestContext = context.request;
  // Same-origin like a browser form or fetch: the proxy checks the Origin of everything but GET and HEAD.
  const response = await request.fetch(url.href, { method, maxRedirects: 0, headers: method === 'GET' || method === 'HEAD' ? {} : { Origin: new URL(baseURL).origin } });
  const status = response.status();
  if (status >= 300 && status < 400) return `redirect:${new URL(response.headers().location ?? '', url).pathname}`;
  return status;
}

/** A streaming answer (Server-Sent Events) never ends: read its status and headers, then hang up. */
async function streamStatus(url: URL, context: BrowserContext, baseURL: string): Promise<Outcome | number> {
  const cookie = (await context.cookies(baseURL)).map((c) => `${c.name}=${c.value}`).join('; ');
  const abort = new AbortController();
  const response = await fetch(url, { redirect: 'manual', signal: abort.signal, headers: cookie ? { Cookie: cookie } : {} });
  abort.abort();
  if (response.status >= 300 && response.status < 400) return `redirect:${new URL(response.headers.get('location') ?? '', url).pathname}`;
  return response.status;
}

/** 101 when the upgrade is accepted, else the refusal's status. */
async function upgrade(url: URL, context: BrowserContext, baseURL: string): Promise<number> {
  const cookie = (await context.cookies(baseURL)).map((c) => `${c.name}=${c.value}`).join('; ');
  url.protocol = url.protocol.replace(/^http/, 'ws');
  return new Promise<number>((resolve, reject) => {
    const ws = new WebSocket(url, { headers: { Origin: new URL(baseURL).origin, ...(cookie ? { Cookie: cookie } : {}) } });
    ws.once('upgrade', () => {
      ws.close();
      resolve(101);
    });
    ws.once('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      response.resume();
    });
    ws.once('error', reject);
  });
}

for (const persona of PERSONAS) {
  test.describe(`as ${persona}${persona === 'anonymous' ? '' : ` (${PERSONA_USERS[persona]})`}`, () => {
    let context: BrowserContext;

    test.beforeAll(async ({ browser, baseURL }) => {
      context = await browser.newContext({ baseURL });
      if (persona !== 'anonymous') await loginAs(await context.newPage(), PERSONA_USERS[persona] as DemoUsername, { baseURL });
    });

    test.afterAll(async () => {
      await context?.close();
    });

    for (const entry of MATRIX) {
      test(`${endpointLabel(entry)} → ${entry.expect[persona]}`, async ({ baseURL }) => {
        const observed = await observe(entry, context, baseURL!);
        if (entry.expect[persona] === 'cluster') {
          expect(typeof observed === 'number' && observed !== 401 && observed < 500, `got ${observed}`).toBe(true);
        } else expect(observed).toBe(entry.expect[persona]);
      });
    }
  });
}
