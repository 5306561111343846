import { expect, test, type Page } from '@playwright/test';
import { WebSocket } from 'ws';
import { startEphemera, type EphemeraServer } from '@/scripts/lib/services';
import { SHORT_SESSION_SECONDS } from '../global-setup';
import { demoUser, loginAs, sessionCookie, type DemoUsername } from '../support/login';

const signedInUser = (page: Page) => page.getByRole('region', { name: 'Signed in user' });

for (const [username, role] of [
  ['alice', 'debugger'],
  ['lena', 'lead'],
  ['sam', 'viewer'],
  ['ada', 'admin'],
] as const satisfies ReadonlyArray<readonly [DemoUsername, string]>) {
  test(`${username} signs in through the dev IdP and lands on the home page as ${role}`, async ({ page }) => {
    await loginAs(page, username);
    await expect(page).toHaveURL('/');
    await expect(page.getByRole('heading', { level: 1, name: 'Clusters' })).toBeVisible();
    await expect(signedInUser(page)).toContainText(demoUser(username).name);
    await expect(signedInUser(page).getByRole('list', { name: 'Your roles' }).getByRole('listitem')).toHaveText([role]);
  });
}

test('nora, in no mapped group, sees who she is and whom to ask, and no data', async ({ page }) => {
  await loginAs(page, 'nora');
  await expect(page).toHaveURL('/no-access');
  await expect(page.getByRole('heading', { level: 1, name: 'No access to Ephemera yet' })).toBeVisible();
  await expect(page.getByText('You are signed in as Nora Quinn (nora), nora@example.com.')).toBeVisible();
  await expect(page.getByText('None: Dev IdP sent no groups for you.')).toBeVisible();
  await expect(page.getByText(/Whom to ask:/)).toBeVisible();
  await expect(page.getByRole('table', { name: 'Groups that give each role' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Main' })).toHaveCount(0);

  // Every way in to data is closed to her.
  await page.goto('/');
  await expect(page).toHaveURL('/no-access');
  const api = await page.request.get('/api/clusters');
  expect(api.status()).toBe(403);
  expect((await api.json()).error).toContain('signed in as nora');
});

test('signing out ends the session and goes back to the login page', async ({ page }) => {
  await loginAs(page, 'alice');
  await signedInUser(page).getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login\?signedOut=1$/);
  await expect(page.getByRole('status').filter({ hasText: 'You have signed out.' })).toBeVisible();
  await page.goto('/');
  await expect(page).toHaveURL(/\/login\?callbackUrl=%2F$/);
  expect((await page.request.get('/api/clusters')).status()).toBe(401);
});

test('an anonymous visit to a page goes to the login page, and back there after signing in', async ({ page }) => {
  await page.goto('/?from=bookmark');
  await expect(page).toHaveURL('/login?callbackUrl=%2F%3Ffrom%3Dbookmark');
  await expect(page.getByRole('heading', { name: 'Sign in to Ephemera' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sign in with Dev IdP' })).toBeVisible();
  await page.getByRole('button', { name: 'Sign in with Dev IdP' }).click();
  await page.getByLabel('Username').fill('sam');
  await page.getByLabel('Password').fill('demo');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page).toHaveURL('/?from=bookmark');
});

test('a wrong password stays on the IdP with a message', async ({ page }) => {
  await page.goto('/login');
  await page.getByRole('button', { name: 'Sign in with Dev IdP' }).click();
  await page.getByLabel('Username').fill('alice');
  await page.getByLabel('Password').fill('wrong');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Unknown user or wrong password' })).toBeVisible();
  expect(new URL(page.url()).origin).toBe(process.env.EPHEMERA_E2E_IDP_URL);
});

test('cancelling at the IdP comes back to the login page with a reason', async ({ page }) => {
  await page.goto('/login');
  await page.getByRole('button', { name: 'Sign in with Dev IdP' }).click();
  await page.getByRole('link', { name: 'Cancel' }).click();
  // next-auth reports the IdP's access_denied as a callback error.
  await expect(page).toHaveURL(/\/login\?.*error=Callback/);
  await expect(page.getByRole('alert').filter({ hasText: 'cancelled or refused at Dev IdP' })).toBeVisible();
});

test('an anonymous API call gets 401 with a JSON message', async ({ request }) => {
  const response = await request.get('/api/clusters');
  expect(response.status()).toBe(401);
  expect(response.headers()['content-type']).toContain('application/json');
  expect(await response.json()).toEqual({ error: 'You are not signed in. Sign in at /login.', signIn: '/login' });
});

test.describe('an expired session', () => {
  let shortLived: EphemeraServer;
  test.beforeAll(async () => {
    test.setTimeout(60_000);
    shortLived = await startEphemera({ env: JSON.parse(process.env.EPHEMERA_E2E_SHORT_SESSION_ENV!) });
  });
  test.afterAll(async () => {
    await shortLived?.process.stop();
  });

  test(`goes back to the login page after ${SHORT_SESSION_SECONDS} s`, async ({ page }) => {
    // A sign-in, then a wait for the session to run out: more than the default 30 s on a busy machine.
    test.setTimeout(60_000 + SHORT_SESSION_SECONDS * 1000);
    await loginAs(page, 'alice', { baseURL: shortLived.url });
    await expect(page.getByRole('heading', { level: 1, name: 'Clusters' })).toBeVisible();
    // The session was issued before the home page showed; this is past its end.
    await page.waitForTimeout(SHORT_SESSION_SECONDS * 1000 + 500);
    await page.reload();
    await expect(page).toHaveURL(`${shortLived.url}/login?callbackUrl=%2F&reason=expired`);
    await expect(page.getByRole('status').filter({ hasText: 'Your session has expired. Sign in again to continue.' })).toBeVisible();
    expect((await page.request.get(`${shortLived.url}/api/clusters`)).status()).toBe(401);
  });
});

test.describe('WebSocket /api/ws/ping', () => {
  const wsUrl = () => `${process.env.EPHEMERA_E2E_URL!.replace(/^http/, 'ws')}/api/ws/ping`;
  const origin = () => process.env.EPHEMERA_E2E_URL!;

  /** The HTTP status the upgrade got: 101 when it became a WebSocket. */
  const upgradeStatus = (headers: Record<string, string>) =>
    new Promise<number>((resolve, reject) => {
      const ws = new WebSocket(wsUrl(), { headers });
      ws.once('open', () => {
        ws.close();
        resolve(101);
      });
      ws.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
      ws.once('error', reject);
    });

  test('is refused without a session', async () => {
    expect(await upgradeStatus({ origin: origin() })).toBe(401);
  });

  test('is refused with a session from another Origin', async ({ page }) => {
    await loginAs(page, 'alice');
    const cookie = await sessionCookie(page);
    expect(await upgradeStatus({ cookie, origin: 'http://evil.example' })).toBe(403);
    expect(await upgradeStatus({ cookie })).toBe(403);
    expect(await upgradeStatus({ cookie, origin: origin() })).toBe(101);
  });

  test('works with a session from the page, and stops working after signing out', async ({ page }) => {
    await loginAs(page, 'sam');
    const echo = () =>
      page.evaluate(async () => {
        const ws = new WebSocket(new URL('/api/ws/ping', location.href.replace(/^http/, 'ws')));
        const opened = await new Promise<boolean>((resolve) => {
          ws.onopen = () => resolve(true);
          ws.onerror = () => resolve(false);
        });
        if (!opened) return null;
        const reply = new Promise<string>((resolve) => (ws.onmessage = (event) => resolve(String(event.data))));
        ws.send('hello as sam');
        const data = await reply;
        ws.close();
        return data;
      });
    expect(await echo()).toBe('hello as sam');
    await signedInUser(page).getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/login/);
    expect(await echo()).toBeNull();
  });
});
