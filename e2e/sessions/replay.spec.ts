// Recordings in the browser (issue 7): a lead finds alice's session, replays
// it and seeks; a lead observes alice's running session live while alice sees
// who is watching; a viewer sees the session's details but no replay.

import fs from 'node:fs';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { loginAs, type DemoUsername } from '../support/login';
import { problemsOn } from '../support/problems';
import { seedDemoWorld, unique } from '../pods/seed';
import { endSession, openDebugForm, podDebugPath, run, start, waitAttached } from '../debug/support';

test.describe.configure({ timeout: 120_000 });

test.beforeAll(async () => {
  await seedDemoWorld();
});

async function signedIn(browser: Browser, who: DemoUsername): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await loginAs(page, who);
  return page;
}

/** The player's screen as text. */
const playerScreen = (page: Page) => page.getByTestId('recording-player').locator('.ap-term');

test('a lead finds alice’s session, replays it with its idle end marked, seeks, and downloads the .cast', async ({ page, browser }) => {
  const problems = problemsOn(page);
  await loginAs(page, 'alice');
  await openDebugForm(page, podDebugPath('pxc', 'cluster1-pxc-1'));
  const id = await start(page);
  await waitAttached(page);
  const token = `needle${unique()}`;
  await run(page, `echo "before-$((6*7)) ${token}"`, `before-42 ${token}`);
  // A quiet stretch of six seconds: the replay marks where it ends.
  await run(page, 'sleep 6; echo "after-$((7*7))"', 'after-49');
  await endSession(page);

  const lena = await signedIn(browser, 'lena');
  const lenaProblems = problemsOn(lena);
  // Found by what its terminal showed.
  await lena.goto('/sessions');
  await lena.getByLabel('Text in recordings').fill(token);
  await lena.getByRole('button', { name: 'Filter' }).click();
  await expect(lena).toHaveURL(new RegExp(`[?&]q=${token}`));
  await expect(lena.getByRole('table', { name: 'Sessions' }).getByRole('row')).toHaveCount(2); // the header and alice's session
  await lena.getByRole('table', { name: 'Sessions' }).getByRole('link', { name: /cluster1-pxc-1/ }).click();
  await expect(lena).toHaveURL(new RegExp(`/sessions/${id}$`));
  const replay = lena.getByRole('region', { name: 'Replay' });
  await expect(replay).toBeVisible();
  await expect(replay).toContainText('1 idle stretch of 5 s or more');
  // The spec sent to the cluster, beside the replay.
  await lena.getByText('What was sent to the cluster').click();
  await expect(lena.getByLabel('Sent to the cluster')).toContainText('image: ghcr.io/ephemera/debug-tools');

  // Nothing played yet; seeking to the end of the idle stretch shows what came before and right after it at once.
  await expect(lena.getByTestId('recording-player').locator('.ap-term-text')).toBeAttached();
  await expect(playerScreen(lena)).not.toContainText('before-42');
  await replay.getByRole('button', { name: 'Next idle end' }).click();
  await expect(playerScreen(lena)).toContainText('after-49', { timeout: 15_000 });
  await expect(playerScreen(lena)).toContainText('before-42');

  const download = lena.waitForEvent('download');
  await replay.getByRole('link', { name: 'Download .cast' }).click();
  const cast = fs.readFileSync(await (await download).path(), 'utf8');
  expect(cast.split('\n')[0]).toMatch(/^\{"version":2,"width":\d+,"height":\d+,/);
  expect(cast).toContain('after-');
  expect(problems).toEqual([]);
  expect(lenaProblems).toEqual([]);
});

test('a lead observes alice’s running session live, and alice sees who is watching', async ({ page, browser }) => {
  await loginAs(page, 'alice');
  await openDebugForm(page, podDebugPath('pxc', 'cluster1-pxc-1'));
  const id = await start(page);
  await waitAttached(page);
  await run(page, 'echo "early-$((1+1))"', 'early-2');

  const lena = await signedIn(browser, 'lena');
  const problems = problemsOn(lena);
  await lena.goto(`/sessions/${id}`);
  const live = lena.getByRole('region', { name: 'Live view' });
  await expect(live).toBeVisible();
  // What was there before she came, then what alice does while she watches.
  await expect(playerScreen(lena)).toContainText('early-2', { timeout: 15_000 });
  await run(page, 'echo "watched-$((2+3))"', 'watched-5');
  await expect(playerScreen(lena)).toContainText('watched-5', { timeout: 15_000 });
  await expect(page.getByRole('note', { name: 'Observers' })).toHaveText('Observed live by lena.', { timeout: 15_000 });
  await endSession(page);
  expect(problems).toEqual([]);
});

test('a viewer sees a session’s details but no replay, and the recording API refuses him', async ({ page, browser }) => {
  await loginAs(page, 'alice');
  await openDebugForm(page, podDebugPath('pxc', 'cluster1-pxc-1'));
  const id = await start(page);
  await waitAttached(page);
  await run(page, 'echo "private-$((4*4))"', 'private-16');
  await endSession(page);

  const sam = await signedIn(browser, 'sam');
  await sam.goto(`/sessions/${id}`);
  await expect(sam.getByRole('heading', { level: 1 })).toContainText('pxc/cluster1-pxc-1');
  await expect(sam.getByText('its recording is for the person who started it, leads and admins')).toBeVisible();
  await expect(sam.getByRole('region', { name: 'Replay' })).toHaveCount(0);
  await expect(sam.getByText('What was sent to the cluster')).toHaveCount(0);
  await expect(sam.locator('body')).not.toContainText('private-16');
  const refused = await sam.request.get(`/api/sessions/${id}/recording`);
  expect(refused.status()).toBe(403);
  expect((await refused.json()).error).toMatch(/^Recordings are for the session's owner, leads and admins/);
  for (const path of [`/api/sessions/${id}/recording/live`, `/api/sessions/${id}/observers`]) expect((await sam.request.get(path)).status()).toBe(403);
});
