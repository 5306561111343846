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

test('alice never sees a namespace she may not list, by list, filter, link or API', async ({ page }) => {
  const namespace = `private-${unique()}`;
  await kubectlOk(['create', 'namespace', namespace]);
  await kubectlOk(['apply', '-f', '-'], ownedPod(namespace, 'hidden-0'));

  await loginAs(page, 'alice');
  await page.goto(`/clusters/${CLUSTER}/pods`);
  await expect(page.getByRole('table', { name: 'Pods' }).getByRole('rowheader', { name: 'cluster1-pxc-0' })).toBeVisible();
  await expect(page.getByRole('combobox', { name: 'Namespace' }).getByRole('option')).toHaveText(['All namespaces', 'pxc', 'shop']);
  await expect(page.getByRole('table', { name: 'Pods' })).not.toContainText('hidden-0');

  await page.goto(`/clusters/${CLUSTER}/pods?namespace=${namespace}`);
  await expect(page.getByRole('alert', { name: 'Cannot show these pods' })).toContainText(`does not allow alice to list pods in namespace ${namespace}`);
  await page.goto(`/clusters/${CLUSTER}/pods/${namespace}/hidden-0`);
  await expect(page.getByRole('alert', { name: 'Cannot show this pod' })).toContainText('cannot get resource "pods"');

  const api = await page.context().request.get(`/api/clusters/${CLUSTER}/pods`);
  const body = (await api.json()) as { namespaces: string[]; rows: Array<{ namespace: string }> };
  expect(body.namespaces).toEqual(['pxc', 'shop']);
  expect(new Set(body.rows.map((row) => row.namespace))).toEqual(new Set(['pxc', 'shop']));
  expect((await page.context().request.get(`/api/clusters/${CLUSTER}/pods?namespace=${namespace}`)).status()).toBe(403);
});

test('when alice may list pods in one namespace only, she sees that one only', async ({ page }) => {
  // Ephemera caches the cluster's answers for 30 s: wait for them to turn over, both ways.
  test.setTimeout(150_000);
  const binding = await kubectlOk(['get', 'rolebinding', '-n', 'shop', 'oncall-debug', '-o', 'json']);
  await kubectlOk(['delete', 'rolebinding', '-n', 'shop', 'oncall-debug']);
  try {
    await loginAs(page, 'alice');
    const namespacesSeen = async () => ((await (await page.context().request.get(`/api/clusters/${CLUSTER}/pods`)).json()) as { namespaces: string[] }).namespaces;
    await expect.poll(namespacesSeen, { timeout: 45_000, intervals: [1_000] }).toEqual(['pxc']);

    await page.goto(`/clusters/${CLUSTER}/pods`);
    await expect(page.getByRole('combobox', { name: 'Namespace' }).getByRole('option')).toHaveText(['All namespaces', 'pxc']);
    const namespaces = page.getByRole('table', { name: 'Pods' }).locator('tbody tr td:nth-of-type(1)');
    await expect(namespaces.first()).toHaveText('pxc');
    expect(new Set(await namespaces.allTextContents())).toEqual(new Set(['pxc']));
    await page.goto(`/clusters/${CLUSTER}/pods?namespace=shop`);
    await expect(page.getByRole('alert', { name: 'Cannot show these pods' })).toBeVisible();
  } finally {
    const restored = JSON.parse(binding) as { metadata: Record<string, unknown> };
    restored.metadata = { name: 'oncall-debug', namespace: 'shop' };
    await kubectlOk(['apply', '-f', '-'], JSON.stringify(restored));
    await expect
      .poll(async () => ((await (await page.context().request.get(`/api/clusters/${CLUSTER}/pods`)).json()) as { namespaces?: string[] }).namespaces, { timeout: 45_000, intervals: [1_000] })
      .toEqual(['pxc', 'shop']);
  }
});
