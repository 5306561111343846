// The session history (/sessions) with its filters, as a lead, a debugger and
// a viewer see it. Four real sessions on a pod of this test's own, started
// through the JSON API as alice and ada: alice's one-shot that exits with 3
// (restricted), her one-shot still running (netadmin), her terminal she ends
// (general); ada's one-shot that exits with 0 (netadmin). The pod filter keeps
// other tests' sessions out of the rows counted here.

import { expect, test, type APIRequestContext, type Browser, type Page } from '@playwright/test';
import { loginAs, type DemoUsername } from '../support/login';
import { CLUSTER, kubectlOk, ownedPod, seedDemoWorld, unique } from '../pods/seed';

test.describe.configure({ timeout: 120_000 });

const POD = `history-${unique()}`;
const REASON = 'INC-77: history filters';
const IMAGE = 'ghcr.io/ephemera/debug-tools:1.0';
const today = () => new Date().toISOString().slice(0, 10);
const tomorrow = () => new Date(Date.now() + 24 * 60 * 60 * 1000).toISOString().slice(0, 10);

interface Seeded {
  exited3: string;
  running: string;
  userEnded: string;
  adaExited: string;
}
let seeded: Seeded;
let alicePage: Page;

async function signedIn(browser: Browser, user: DemoUsername): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await loginAs(page, user);
  return page;
}

async function startSession(request: APIRequestContext, profile: string, mode: 'oneshot' | 'interactive', command?: string[]): Promise<string> {
  const response = await request.post(`/api/clusters/${CLUSTER}/sessions`, {
    headers: { Origin: process.env.EPHEMERA_E2E_URL! },
    data: { mode, request: { kind: 'ephemeral', namespace: 'shop', pod: POD, image: IMAGE, profile, reason: REASON, ...(command ? { command } : {}) } },
  });
  expect(response.status(), await response.text()).toBe(201);
  return (await response.json()).session.id;
}

async function sessionState(request: APIRequestContext, id: string): Promise<string> {
  const { session } = await (await request.get(`/api/sessions/${id}`)).json();
  return session.state === 'ended' ? `${session.endReason} ${session.exitCode}` : session.state;
}

test.beforeAll(async ({ browser }) => {
  await seedDemoWorld();
  await kubectlOk(['apply', '-f', '-'], ownedPod('shop', POD));
  await expect.poll(() => kubectlOk(['get', 'pod', '-n', 'shop', POD, '-o', 'jsonpath={.status.phase}']), { timeout: 30_000 }).toBe('Running');

  alicePage = await signedIn(browser, 'alice');
  const ada = await signedIn(browser, 'ada');
  const alice = alicePage.request;
  const exited3 = await startSession(alice, 'restricted', 'oneshot', ['sh', '-c', 'exit 3']);
  const running = await startSession(alice, 'netadmin', 'oneshot', ['sleep', '600']);
  const userEnded = await startSession(alice, 'general', 'interactive');
  expect((await alice.delete(`/api/sessions/${userEnded}`, { headers: { Origin: process.env.EPHEMERA_E2E_URL! } })).status()).toBe(200);
  const adaExited = await startSession(ada.request, 'netadmin', 'oneshot', ['sh', '-c', 'exit 0']);
  seeded = { exited3, running, userEnded, adaExited };

  await expect.poll(() => sessionState(alice, exited3), { timeout: 60_000 }).toBe('exited 3');
  await expect.poll(() => sessionState(alice, running), { timeout: 60_000 }).toBe('running');
  await expect.poll(() => sessionState(ada.request, adaExited), { timeout: 60_000 }).toBe('exited 0');
  await ada.context().close();
});

test.afterAll(async () => {
  await alicePage?.request.delete(`/api/sessions/${seeded?.running}`, { headers: { Origin: process.env.EPHEMERA_E2E_URL! } });
  await alicePage?.context().close();
  await kubectlOk(['delete', 'pod', '-n', 'shop', POD, '--grace-period=0', '--force']);
});

const form = (page: Page) => page.getByRole('form', { name: 'Filter sessions' });
const table = (page: Page) => page.getByRole('table', { name: 'Sessions' });
/** The sessions listed, by id, in order. */
const listedIds = (page: Page) =>
  table(page)
    .locator('tbody tr a[href^="/sessions/"]')
    .evaluateAll((links) => links.map((link) => link.getAttribute('href')!.split('/').pop()!));

async function filterBy(page: Page, fields: { user?: string; pod?: string; profile?: string; outcome?: string; from?: string; to?: string }) {
  const f = form(page);
  if (fields.user !== undefined) await f.getByLabel('User', { exact: true }).fill(fields.user);
  if (fields.pod !== undefined) await f.getByLabel('Pod', { exact: true }).fill(fields.pod);
  if (fields.profile !== undefined) await f.getByLabel('Profile').selectOption(fields.profile);
  if (fields.outcome !== undefined) await f.getByLabel('Outcome').selectOption(fields.outcome);
  if (fields.from !== undefined) await f.getByLabel('From').fill(fields.from);
  if (fields.to !== undefined) await f.getByLabel('To', { exact: true }).fill(fields.to);
  // A GET form: the page loads again, at the URL that carries the filters.
  await Promise.all([page.waitForEvent('load'), f.getByRole('button', { name: 'Filter' }).click()]);
}

test('a lead filters everyone’s sessions by pod, user, outcome, profile and date; the filters live in the URL', async ({ page }) => {
  const { exited3, running, userEnded, adaExited } = seeded;
  await loginAs(page, 'lena');
  await page.goto('/sessions');
  await expect(page.getByRole('heading', { name: 'Debug sessions' })).toBeVisible();

  await filterBy(page, { pod: POD });
  await expect.poll(() => listedIds(page)).toEqual([adaExited, userEnded, running, exited3]);
  await expect(page).toHaveURL(new RegExp(`pod=${POD}`));
  // Every column a lead may see, the reason included.
  const row = table(page).getByRole('row').filter({ has: page.locator(`a[href="/sessions/${exited3}"]`) });
  for (const header of ['Who', 'Cluster', 'Namespace', 'Kind', 'Image', 'Profile', 'Reason', 'Started (UTC)', 'Duration', 'Outcome']) {
    await expect(table(page).getByRole('columnheader', { name: header, exact: true })).toBeVisible();
  }
  await expect(row).toContainText('alice');
  await expect(row).toContainText(CLUSTER);
  await expect(row).toContainText(IMAGE);
  await expect(row).toContainText('restricted');
  await expect(row).toContainText(REASON);
  await expect(row).toContainText('Exited · code 3');
  await expect(table(page).getByRole('row').filter({ has: page.locator(`a[href="/sessions/${running}"]`) }).getByRole('cell', { name: 'running', exact: true })).toBeVisible();

  await filterBy(page, { user: 'alice' });
  await expect.poll(() => listedIds(page)).toEqual([userEnded, running, exited3]);
  await filterBy(page, { outcome: 'exited' });
  await expect.poll(() => listedIds(page)).toEqual([exited3]);
  await filterBy(page, { outcome: 'user-ended' });
  await expect.poll(() => listedIds(page)).toEqual([userEnded]);
  await filterBy(page, { user: '', outcome: 'exited' });
  await expect.poll(() => listedIds(page)).toEqual([adaExited, exited3]);
  await filterBy(page, { outcome: '', profile: 'netadmin' });
  await expect.poll(() => listedIds(page)).toEqual([adaExited, running]);

  // A reload (or a shared link) shows the same list, the form as it was.
  await page.reload();
  await expect(form(page).getByLabel('Profile')).toHaveValue('netadmin');
  await expect(form(page).getByLabel('Pod', { exact: true })).toHaveValue(POD);
  await expect.poll(() => listedIds(page)).toEqual([adaExited, running]);

  await filterBy(page, { profile: '', from: today(), to: today() });
  await expect.poll(() => listedIds(page)).toEqual([adaExited, userEnded, running, exited3]);
  await filterBy(page, { from: tomorrow(), to: '' });
  await expect(page.getByRole('status').filter({ hasText: 'No sessions match these filters.' })).toBeVisible();
  await expect(table(page)).toHaveCount(0);

  // A bad value says what is wrong.
  await page.goto(`/sessions?pod=${POD}&from=${tomorrow()}&to=${today()}`);
  await expect(page.getByRole('alert').filter({ hasText: 'Cannot filter like this: from must be before to.' })).toBeVisible();
});

test('a debugger sees only her own by default, and everyone’s metadata when she asks', async ({ page }) => {
  const { exited3, running, userEnded, adaExited } = seeded;
  await loginAs(page, 'alice');
  await page.goto(`/sessions?pod=${POD}&user=ada`);
  await expect(page.getByRole('heading', { name: 'Your debug sessions' })).toBeVisible();
  await expect(form(page).getByLabel('User', { exact: true })).toHaveCount(0);
  await expect.poll(() => listedIds(page)).toEqual([userEnded, running, exited3]);

  await page.getByRole('link', { name: /^Everyone’s/ }).click();
  await expect(page.getByRole('heading', { name: 'Debug sessions' })).toBeVisible();
  await filterBy(page, { pod: POD });
  await expect(page).toHaveURL(/all=1/);
  await expect.poll(() => listedIds(page)).toEqual([adaExited, userEnded, running, exited3]);
  // Her own reasons, not ada's.
  const adaRow = table(page).getByRole('row').filter({ has: page.locator(`a[href="/sessions/${adaExited}"]`) });
  await expect(adaRow).toContainText('not shown to you');
  await expect(adaRow).not.toContainText(REASON);
  await expect(table(page).getByRole('row').filter({ has: page.locator(`a[href="/sessions/${exited3}"]`) })).toContainText(REASON);
  await filterBy(page, { user: 'ada' });
  await expect.poll(() => listedIds(page)).toEqual([adaExited]);
});

test('a viewer sees everyone’s sessions as metadata: no reason anywhere', async ({ page }) => {
  const { exited3, running, userEnded, adaExited } = seeded;
  await loginAs(page, 'sam');
  await page.goto('/sessions');
  await expect(page.getByRole('heading', { name: 'Debug sessions' })).toBeVisible();
  await expect(page.getByRole('link', { name: /^Everyone’s|^Only yours/ })).toHaveCount(0);
  await filterBy(page, { pod: POD, outcome: 'exited' });
  await expect.poll(() => listedIds(page)).toEqual([adaExited, exited3]);
  await filterBy(page, { outcome: '' });
  await expect.poll(() => listedIds(page)).toEqual([adaExited, userEnded, running, exited3]);
  await expect(table(page).getByRole('columnheader', { name: 'Reason' })).toHaveCount(0);
  await expect(table(page).getByRole('columnheader', { name: 'Outcome' })).toBeVisible();
  await expect(page.locator('main')).not.toContainText(REASON);
  await expect(table(page)).toContainText('Ended by a person');
});
