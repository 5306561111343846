// Who sees what: sam (support, viewer) sees pods but no debug or recycle
// action; alice (on call) may recycle a controller-owned pod after confirming;
// a namespace the cluster does not let alice list never shows up, and when her
// access shrinks to one namespace, only that one does.

import { expect, test, type Page } from '@playwright/test';
import { stringify } from 'yaml';
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

/** The namespaces in which the cluster lets alice (group oncall) list pods, asked as her with kubectl: other specs add bindings too. */
async function namespacesAliceMayList(): Promise<string[]> {
  const all = (await kubectlOk(['get', 'namespaces', '-o', 'jsonpath={.items[*].metadata.name}'])).split(/\s+/).filter(Boolean);
  const answers = await Promise.all(all.map((namespace) => kubectl(['auth', 'can-i', 'list', 'pods', '-n', namespace, '--as', 'alice', '--as-group', 'oncall'])));
  return all.filter((_, i) => answers[i].stdout.trim() === 'yes').sort();
}

const namespacesSeen = async (page: Page) =>
  ((await (await page.context().request.get(`/api/clusters/${CLUSTER}/pods`)).json()) as { namespaces?: string[] }).namespaces;

test('alice never sees a namespace she may not list, by list, filter, link or API', async ({ page }) => {
  test.setTimeout(120_000);
  const namespace = `private-${unique()}`;
  await kubectlOk(['create', 'namespace', namespace]);
  await kubectlOk(['apply', '-f', '-'], ownedPod(namespace, 'hidden-0'));
  const allowed = await namespacesAliceMayList();
  expect(allowed).toEqual(expect.arrayContaining(['pxc', 'shop']));
  expect(allowed).not.toContain(namespace);

  await loginAs(page, 'alice');
  // Answers about namespaces other specs bound moments ago may still be cached (30 s).
  await expect.poll(() => namespacesSeen(page), { timeout: 45_000, intervals: [1_000] }).toEqual(allowed);
  await page.goto(`/clusters/${CLUSTER}/pods`);
  await expect(page.getByRole('table', { name: 'Pods' }).getByRole('rowheader', { name: 'cluster1-pxc-0' })).toBeVisible();
  await expect(page.getByRole('combobox', { name: 'Namespace' }).getByRole('option')).toHaveText(['All namespaces', ...allowed]);
  await expect(page.getByRole('table', { name: 'Pods' })).not.toContainText('hidden-0');

  await page.goto(`/clusters/${CLUSTER}/pods?namespace=${namespace}`);
  await expect(page.getByRole('alert', { name: 'Cannot show these pods' })).toContainText(`does not allow alice to list pods in namespace ${namespace}`);
  await page.goto(`/clusters/${CLUSTER}/pods/${namespace}/hidden-0`);
  await expect(page.getByRole('alert', { name: 'Cannot show this pod' })).toContainText('cannot get resource "pods"');

  const body = (await (await page.context().request.get(`/api/clusters/${CLUSTER}/pods`)).json()) as { namespaces: string[]; rows: Array<{ namespace: string }> };
  expect(body.namespaces).toEqual(allowed);
  for (const row of body.rows) expect(allowed).toContain(row.namespace);
  expect((await page.context().request.get(`/api/clusters/${CLUSTER}/pods?namespace=${namespace}`)).status()).toBe(403);
});

test('when alice may list pods in one namespace only, she sees that one only', async ({ page }) => {
  // Ephemera caches the cluster's answers for 30 s: wait for them to turn over, both ways.
  test.setTimeout(180_000);
  const before = await namespacesAliceMayList();
  // Every RoleBinding that lets oncall (or alice) in anywhere but pxc goes for the length of the test.
  const bindings = (JSON.parse(await kubectlOk(['get', 'rolebindings', '-A', '-o', 'json'])) as { items: Array<{ metadata: Record<string, unknown> & { name: string; namespace: string }; roleRef: unknown; subjects?: Array<{ kind: string; name: string }> }> }).items.filter(
    (binding) => binding.metadata.namespace !== 'pxc' && (binding.subjects ?? []).some((subject) => (subject.kind === 'Group' && subject.name === 'oncall') || (subject.kind === 'User' && subject.name === 'alice')),
  );
  for (const binding of bindings) await kubectlOk(['delete', 'rolebinding', '-n', binding.metadata.namespace, binding.metadata.name]);
  try {
    expect(await namespacesAliceMayList()).toEqual(['pxc']);
    await loginAs(page, 'alice');
    await expect.poll(() => namespacesSeen(page), { timeout: 45_000, intervals: [1_000] }).toEqual(['pxc']);

    await page.goto(`/clusters/${CLUSTER}/pods`);
    await expect(page.getByRole('combobox', { name: 'Namespace' }).getByRole('option')).toHaveText(['All namespaces', 'pxc']);
    const namespaces = page.getByRole('table', { name: 'Pods' }).locator('tbody tr td:nth-of-type(1)');
    await expect(namespaces.first()).toHaveText('pxc');
    expect(new Set(await namespaces.allTextContents())).toEqual(new Set(['pxc']));
    await page.goto(`/clusters/${CLUSTER}/pods?namespace=shop`);
    await expect(page.getByRole('alert', { name: 'Cannot show these pods' })).toBeVisible();
  } finally {
    const restored = bindings.map(({ metadata, roleRef, subjects }) => ({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: metadata.name, namespace: metadata.namespace },
      roleRef,
      subjects,
    }));
    if (restored.length > 0) await kubectlOk(['apply', '-f', '-'], restored.map((binding) => stringify(binding)).join('---\n'));
    expect(await namespacesAliceMayList()).toEqual(before);
    await expect.poll(() => namespacesSeen(page), { timeout: 45_000, intervals: [1_000] }).toEqual(before);
  }
});
