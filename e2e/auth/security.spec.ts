import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { PROJECT_ROOT } from '@/scripts/lib/services';
import { loginAs } from '../support/login';
import { problemsOn } from '../support/problems';

const secrets = (): string[] => JSON.parse(process.env.EPHEMERA_E2E_SECRETS!);

test('every response carries the security headers, with a fresh CSP nonce per page', async ({ request }) => {
  const first = await request.get('/login');
  const second = await request.get('/login');
  for (const response of [first, second, await request.get('/api/clusters'), await request.get('/favicon.svg')]) {
    const headers = response.headers();
    expect(headers['content-security-policy']).toMatch(/^default-src 'self'; script-src 'self' 'nonce-[^']+' 'strict-dynamic' 'wasm-unsafe-eval'; /);
    expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['referrer-policy']).toBe('same-origin');
    expect(headers['permissions-policy']).toContain('camera=()');
    expect(headers['x-frame-options']).toBe('DENY');
  }
  const nonce = (csp: string) => /'nonce-([^']+)'/.exec(csp)![1];
  expect(nonce(first.headers()['content-security-policy'])).not.toBe(nonce(second.headers()['content-security-policy']));
  // Next puts the nonce on its own scripts.
  expect(await first.text()).toContain(`nonce="${nonce(first.headers()['content-security-policy'])}"`);
});

test('the login and home pages run under the CSP without a single violation', async ({ page }) => {
  const problems = problemsOn(page);
  await loginAs(page, 'alice');
  await expect(page.getByRole('heading', { level: 1, name: 'Clusters' })).toBeVisible();
  // A client component works only if its scripts ran: hydration happened under the policy.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login\?signedOut=1$/);
  expect(problems).toEqual([]);
});

test('the no-access page runs under the CSP without a single violation', async ({ page }) => {
  const problems = problemsOn(page);
  await loginAs(page, 'nora');
  await expect(page.getByRole('heading', { level: 1, name: 'No access to Ephemera yet' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sign out' }).first()).toBeEnabled();
  expect(problems).toEqual([]);
});

test('the session cookie is HttpOnly and SameSite=Lax (and not Secure on http://127.0.0.1)', async ({ page }) => {
  await loginAs(page, 'lena');
  const cookies = await page.context().cookies(process.env.EPHEMERA_E2E_URL);
  const ours = cookies.filter((cookie) => cookie.name.startsWith('ephemera.'));
  expect(ours.map((cookie) => cookie.name)).toContain('ephemera.session-token');
  for (const cookie of ours) expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: false, path: '/' });
  expect(await page.evaluate(() => document.cookie)).not.toContain('ephemera.');
});

test('a state-changing request from another origin is refused with 403 JSON', async ({ page }) => {
  await loginAs(page, 'ada');
  const foreign = await page.request.post('/api/clusters', { headers: { origin: 'http://evil.example' }, data: {} });
  expect(foreign.status()).toBe(403);
  expect((await foreign.json()).error).toContain('comes from http://evil.example');
  const own = await page.request.post('/api/clusters', { headers: { origin: process.env.EPHEMERA_E2E_URL! }, data: {} });
  expect(own.status()).toBe(405);
});

test('the session the browser can read holds no ID token, and no page or bundle holds a secret', async ({ page }) => {
  await loginAs(page, 'ada');
  const session = await page.request.get('/api/auth/session');
  const body = await session.text();
  expect(JSON.parse(body)).toMatchObject({ user: { name: 'ada', roles: ['admin'] } });
  expect(body).not.toMatch(/idToken|eyJ[\w-]+\.[\w-]+\./);

  const html = await (await page.request.get('/')).text();
  const pages = [body, html, await page.content()];
  const bundle = fs.readdirSync(path.join(PROJECT_ROOT, '.next', 'static'), { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
  expect(bundle.length).toBeGreaterThan(0);
  const files = bundle.map((entry) => fs.readFileSync(path.join(entry.parentPath, entry.name), 'utf8'));
  for (const secret of secrets()) {
    expect(secret.length).toBeGreaterThan(20);
    for (const text of [...pages, ...files]) expect(text.includes(secret)).toBe(false);
  }
  // Nor does the build read any secret-bearing variable into client code.
  for (const text of files) expect(text).not.toMatch(/EPHEMERA_(OIDC_CLIENT_SECRET|SESSION_SECRET)|NEXTAUTH_SECRET/);
});
