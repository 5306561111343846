// Who sees what: sam (support, viewer) sees pods but no debug or recycle
// action; alice (on call) may recycle a controller-owned pod after confirming;
// a namespace the cluster does not let alice list never shows up, and when her
// access shrinks to one namespace, only that one does.

import { expect, test } from '@playwright/test';
import { loginAs } from '../support/login';
import { addDebugContainer, CLUSTER, kubectl, kubectlOk, ownedPod, seedDemoWorld, unique } from './seed';

// Each test signs in through the dev IdP and changes the cluster with kubectl: more than the default 30 s on a busy two-core machine.
test.describe.configure({ timeout: 60_000 });

test.beforeAll(async () => {
  await seedDemoWorld();
});

test('the viewer (sam) sees pods and ephemeral containers, but no debug or recycle action', async ({ page }) => {
  const name = `viewed-${unique()}`;
  await kubectlOk(['apply', '-f', '-'], ownedPod('shop', name));
  await addDebugContainer('shop', name, 'dbg');

  await loginAs(page, 'sam');
  await page.goto(`/clusters/${CLUSTER}/pods/shop/${name}`);
  await expect(page.getByRole('article', { name: 'ephemeral container dbg' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Debug…' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Recycle pod…' })).toHaveCount(0);

  await page.goto(`/clusters/${CLUSTER}/recycle`);
  const table = page.getByRole('table', { name: 'Pods carrying ephemeral containers' });
  await expect(table.getByRole('rowheader', { name: new RegExp(name) })).toBeVisible();
  await expect(table.getByRole('columnheader', { name: 'Action' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /Recycle/ })).toHaveCount(0);

  // The server refuses it anyway.
  const uid = (await kubectlOk(['get', 'pod', '-n', 'shop', name, '-o', 'jsonpath={.metadata.uid}'])).trim();
  const refused = await page.context().request.delete(`/api/clusters/${CLUSTER}/pods/shop/${name}?uid=${uid}`, { headers: { Origin: new URL(page.url()).origin } });
  expect(refused.status()).toBe(403);
  await kubectlOk(['delete', 'pod', '-n', 'shop', name, '--grace-period=0', '--force']);
});

test('alice recycles a debugged, controller-owned pod after confirming', async ({ page }) => {
  const name = `recycled-${unique()}`;
  await kubectlOk(['apply', '-f', '-'], ownedPod('shop', name));
  await addDebugContainer('shop', name, 'dbg');

  await loginAs(page, 'alice');
  await page.goto(`/clusters/${CLUSTER}/pods/shop/${name}`);
  await expect(page.getByRole('link', { name: 'Debug…' })).toBeVisible();

  await page.goto(`/clusters/${CLUSTER}/recycle`);
  const row = page.getByRole('table', { name: 'Pods carrying ephemeral containers' }).getByRole('row', { name: new RegExp(name) });
  await expect(row).toContainText('ReplicaSet/');
  await row.getByRole('button', { name: 'Recycle pod…' }).click();
  const dialog = page.getByRole('dialog', { name: `Recycle pod shop/${name}?` });
  await expect(dialog).toContainText('still running');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  expect((await kubectl(['get', 'pod', '-n', 'shop', name])).code).toBe(0);

  await row.getByRole('button', { name: 'Recycle pod…' }).click();
  await dialog.getByRole('button', { name: 'Delete pod' }).click();
  await expect(row).toHaveCount(0);
  await expect.poll(async () => (await kubectl(['get', 'pod', '-n', 'shop', name])).stderr).toContain('NotFound');
});
