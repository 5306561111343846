// Browsing pods as alice (on call): find a demo pod by searching, open it with
// the keyboard, see its ephemeral containers, and see the list and the pod
// change live when kubectl changes the cluster. No reloads anywhere.

import { expect, test } from '@playwright/test';
import { UNREACHABLE_CONTEXT } from '../global-setup';
import { loginAs } from '../support/login';
import { addDebugContainer, CLUSTER, DEMO_SECRET_VALUE, kubectlOk, seedDemoWorld, unique } from './seed';

// Each test signs in through the dev IdP and changes the cluster with kubectl: more than the default 30 s on a busy two-core machine.
test.describe.configure({ timeout: 60_000 });

test.beforeAll(async () => {
  await seedDemoWorld();
});


test('finds a demo pod by name, keeps the search in the URL, opens it from the keyboard', async ({ page }) => {
  await loginAs(page, 'alice');
  await page.goto(`/clusters/${CLUSTER}/pods`);
  const table = page.getByRole('table', { name: 'Pods' });
  await expect(table.getByRole('rowheader', { name: 'cluster1-pxc-0' })).toBeVisible();

  // The search box advertises its shortcut once the page has hydrated and listens for keys.
  await expect(page.getByRole('searchbox', { name: 'Name' })).toHaveAttribute('aria-keyshortcuts', '/');
  await page.keyboard.press('/');
  await expect(page.getByRole('searchbox', { name: 'Name' })).toBeFocused();
  await page.keyboard.type('pxc-0');
  await expect(table.getByRole('rowheader')).toHaveText(['cluster1-pxc-0']);
  await expect(page).toHaveURL(/[?&]q=pxc-0/);

  // A deep link shows the same list.
  await page.reload();
  await expect(page.getByRole('searchbox', { name: 'Name' })).toHaveValue('pxc-0');
  await expect(table.getByRole('rowheader')).toHaveText(['cluster1-pxc-0']);

  await expect(page.getByRole('searchbox', { name: 'Name' })).toHaveAttribute('aria-keyshortcuts', '/');
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('j');
  await expect(table.getByRole('row', { selected: true })).toContainText('cluster1-pxc-0');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'cluster1-pxc-0' })).toBeVisible();
  await expect(page.getByRole('article', { name: 'container pxc' })).toContainText('percona/percona-xtradb-cluster:8.0.39-30.1');
});

test('filters by status and label: the crash-looping checkout pod', async ({ page }) => {
  await loginAs(page, 'alice');
  await page.goto(`/clusters/${CLUSTER}/pods?status=CrashLoopBackOff`);
  const table = page.getByRole('table', { name: 'Pods' });
  await expect(table.getByRole('rowheader')).toHaveText([/^checkout-/]);
  await expect(page.getByRole('button', { name: 'CrashLoopBackOff' })).toHaveAttribute('aria-pressed', 'true');
  await page.getByRole('button', { name: 'CrashLoopBackOff' }).click();
  await page.getByRole('textbox', { name: 'Labels' }).fill('app.kubernetes.io/component=pxc');
  await expect(table.getByRole('rowheader')).toHaveText(['cluster1-pxc-0', 'cluster1-pxc-1', 'cluster1-pxc-2']);
  await page.getByRole('textbox', { name: 'Labels' }).fill('app in (');
  await expect(page.getByRole('textbox', { name: 'Labels' })).toHaveAccessibleDescription(/"app in \(" is not a label selector term/);
  // The list stays as it was rather than emptying while the selector is being typed.
  await expect(table.getByRole('rowheader').first()).toBeVisible();
});

test('shows a pod created with kubectl without a reload', async ({ page }) => {
  await loginAs(page, 'alice');
  const name = `live-${unique()}`;
  await page.goto(`/clusters/${CLUSTER}/pods?namespace=shop`);
  await expect(page.getByLabel('Live updates: open')).toBeVisible();
  await kubectlOk(['run', name, '-n', 'shop', '--image=busybox:1.36', '--restart=Never', '--overrides={"spec":{"nodeName":"node-c"}}', '--', 'sleep', '3600']);
  await expect(page.getByRole('table', { name: 'Pods' }).getByRole('rowheader', { name })).toBeVisible();
  await kubectlOk(['delete', 'pod', '-n', 'shop', name, '--grace-period=0', '--force']);
  await expect(page.getByRole('table', { name: 'Pods' }).getByRole('rowheader', { name })).toHaveCount(0);
});

test('shows a pod’s ephemeral containers with their states, and a new one as soon as kubectl adds it', async ({ page }) => {
  await loginAs(page, 'alice');
  const first = `dbg-${unique()}`;
  await addDebugContainer('pxc', 'cluster1-pxc-2', first);
  await page.goto(`/clusters/${CLUSTER}/pods/pxc/cluster1-pxc-2`);
  const section = page.getByRole('region', { name: 'Ephemeral containers' });
  const card = section.getByRole('article', { name: `ephemeral container ${first}` });
  await expect(card.getByRole('status')).toHaveAccessibleName(`State of ${first}: running`);
  await expect(card).toContainText('busybox:1.36');
  await expect(card).toContainText('sleep 3600');
  await expect(card).toContainText('SYS_PTRACE');

  const second = `dbg-${unique()}`;
  await addDebugContainer('pxc', 'cluster1-pxc-2', second);
  await expect(section.getByRole('article', { name: `ephemeral container ${second}` }).getByRole('status')).toHaveAccessibleName(`State of ${second}: running`, { timeout: 15_000 });

  // The list counts them too.
  await page.goto(`/clusters/${CLUSTER}/pods?q=cluster1-pxc-2`);
  await expect(page.getByRole('table', { name: 'Pods' }).getByRole('row', { name: /cluster1-pxc-2/ })).toContainText(/\d+ \(\d+ running\)/);
});

// As ada (cluster-admin): the cluster would let her read the Secret, so only Ephemera's own restraint keeps it off the page.
test('shows no Secret value anywhere: not in the page, the YAML or the API', async ({ page }) => {
  await loginAs(page, 'ada');
  await page.goto(`/clusters/${CLUSTER}/pods/pxc/cluster1-pxc-0`);
  const container = page.getByRole('article', { name: 'container pxc' });
  await expect(container.getByRole('list', { name: 'Environment of pxc' })).toContainText('MYSQL_ROOT_PASSWORD=(secretKeyRef: internal-cluster1/root)');
  await page.getByText('Show the pod as YAML').click();
  await expect(page.getByLabel('Pod YAML')).toContainText('secretKeyRef:');
  await expect(page.getByLabel('Log of pxc')).toBeVisible();
  expect(await page.content()).not.toContain(DEMO_SECRET_VALUE);

  const api = await page.context().request.get(`/api/clusters/${CLUSTER}/pods/pxc/cluster1-pxc-0`);
  expect(api.ok()).toBe(true);
  expect(await api.text()).not.toContain(DEMO_SECRET_VALUE);
  // The Secret is really there: an admin could read it with kubectl, Ephemera just never does.
  expect(Buffer.from(await kubectlOk(['get', 'secret', '-n', 'pxc', 'internal-cluster1', '-o', 'jsonpath={.data.root}']), 'base64').toString()).toBe(DEMO_SECRET_VALUE);
});

test('an unreachable cluster says what failed, and still lists the others to switch to', async ({ page }) => {
  await loginAs(page, 'alice');
  await page.goto(`/clusters/${UNREACHABLE_CONTEXT}/pods`);
  const alert = page.getByRole('alert', { name: `${UNREACHABLE_CONTEXT} is unreachable` });
  await expect(alert).toContainText(`Ephemera cannot read ${UNREACHABLE_CONTEXT}.`);
  await expect(alert).toContainText(/Watching \w+ failed: Connection refused by 127\.0\.0\.1:\d+: nothing is listening there/);
  await expect(alert).toContainText('It reconnects by itself');
  await page.getByRole('combobox', { name: 'Cluster' }).selectOption(CLUSTER);
  await expect(page).toHaveURL(new RegExp(`/clusters/${CLUSTER}/pods$`));
  await expect(page.getByRole('table', { name: 'Pods' })).toBeVisible();
});
