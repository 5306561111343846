// Signing in through the dev IdP, for any browser test:
//   await loginAs(page, 'alice');            // lands on the home page (nora: the no-access page)
//   const cookie = await sessionCookie(page); // for a WebSocket or request made outside the browser

import { expect, type Page } from '@playwright/test';
import { DEMO_PASSWORD, DEMO_USERS, type DemoUser } from '@/dev/idp/users';

export type DemoUsername = 'alice' | 'lena' | 'sam' | 'ada' | 'nora';

export function demoUser(username: DemoUsername): DemoUser {
  return DEMO_USERS.find((user) => user.username === username)!;
}

/**
 * Signs in as a demo user from the login page of the app at `baseURL` (the
 * test's baseURL by default), through the dev IdP's form, and waits until the
 * browser is back on the app.
 */
export async function loginAs(page: Page, username: DemoUsername, { baseURL, password = DEMO_PASSWORD }: { baseURL?: string; password?: string } = {}): Promise<void> {
  const app = new URL(baseURL ?? process.env.EPHEMERA_E2E_URL!);
  await page.goto(new URL('/login', app).href);
  await page.getByRole('button', { name: /^Sign in with / }).click();
  await expect(page.getByRole('heading', { name: 'Sign in', exact: true })).toBeVisible();
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL((url) => url.origin === app.origin && !url.pathname.startsWith('/api/auth/') && url.pathname !== '/login');
}

/** The Cookie header that carries the browser's Ephemera session, for clients other than the page. */
export async function sessionCookie(page: Page): Promise<string> {
  const cookies = await page.context().cookies(process.env.EPHEMERA_E2E_URL);
  const session = cookies.filter((cookie) => cookie.name.includes('ephemera.session-token'));
  if (session.length === 0) throw new Error('no Ephemera session cookie in this browser context; call loginAs first');
  return session.map((cookie) => `${cookie.name}=${cookie.value}`).join('; ');
}
