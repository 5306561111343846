import { expect, test } from '@playwright/test';
import { WebSocket } from 'ws';
import { loginAs, sessionCookie } from '../support/login';

test.beforeEach(async ({ page }) => {
  await loginAs(page, 'alice');
});

test('a WebSocket to /api/ws/ping from the page echoes through the custom server', async ({ page }) => {
  await page.goto('/');
  const echoed = await page.evaluate(async () => {
    const ws = new WebSocket(new URL('/api/ws/ping', location.href.replace(/^http/, 'ws')));
    await new Promise((resolve, reject) => {
      ws.onopen = resolve;
      ws.onerror = () => reject(new Error('WebSocket to /api/ws/ping failed'));
    });
    const reply = new Promise<string>((resolve) => (ws.onmessage = (event) => resolve(String(event.data))));
    ws.send('hello from the browser');
    const data = await reply;
    ws.close();
    return data;
  });
  expect(echoed).toBe('hello from the browser');
});

test('an upgrade to an unknown /api/ws/ path is refused with 404', async ({ baseURL, page }) => {
  const headers = { cookie: await sessionCookie(page), origin: baseURL! };
  const status = await new Promise<number>((resolve, reject) => {
    const ws = new WebSocket(`${baseURL!.replace(/^http/, 'ws')}/api/ws/no-such-endpoint`, { headers });
    ws.once('open', () => reject(new Error('the upgrade was accepted')));
    ws.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
    ws.once('error', reject);
  });
  expect(status).toBe(404);
});
