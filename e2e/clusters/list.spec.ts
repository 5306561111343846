import { KubeConfig, VersionApi } from '@kubernetes/client-node';
import { expect, test } from '@playwright/test';
import { formatVersion } from '@/lib/k8s/clusters';
import { UNREACHABLE_CONTEXT } from '../global-setup';
import { loginAs } from '../support/login';

test.beforeEach(async ({ page }) => {
  await loginAs(page, 'sam');
});

/** The dev cluster as the dashboard's context sees it, asked directly rather than through Ephemera. */
async function devCluster(): Promise<{ server: string; version: string }> {
  const kc = new KubeConfig();
  kc.loadFromFile(process.env.EPHEMERA_E2E_KUBECONFIG!);
  kc.setCurrentContext('dev-dashboard');
  return { server: kc.getCurrentCluster()!.server, version: formatVersion(await kc.makeApiClient(VersionApi).getCode()) };
}

test('lists the dev cluster as reachable, with its server and version', async ({ page }) => {
  const { server, version } = await devCluster();
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Clusters' })).toBeVisible();
  const row = page.getByRole('row', { name: /^dev-dashboard / });
  await expect(row.getByRole('cell', { name: server, exact: true })).toBeVisible();
  await expect(row.getByRole('status', { name: `Reachable ${version}`, exact: true })).toBeVisible();
});

test('shows a context whose server is a closed port as unreachable, saying why', async ({ page }) => {
  await page.goto('/');
  const row = page.getByRole('row', { name: new RegExp(`^${UNREACHABLE_CONTEXT} `) });
  await expect(row.getByRole('status', { name: /^Unreachable: Connection refused by 127\.0\.0\.1:\d+: nothing is listening there/ })).toBeVisible();
});

test('shows only the contexts named in EPHEMERA_CONTEXTS', async ({ page }) => {
  await page.goto('/');
  const rows = page.getByRole('table', { name: 'Configured clusters' }).getByRole('rowheader');
  await expect(rows).toHaveText(['dev-dashboard', UNREACHABLE_CONTEXT]);
});

test('GET /api/clusters answers the same as JSON', async ({ page }) => {
  const { server, version } = await devCluster();
  const response = await page.request.get('/api/clusters');
  expect(response.ok()).toBe(true);
  const body = await response.json();
  expect(body).toMatchObject({
    configured: true,
    clusters: [
      { name: 'dev-dashboard', server, user: 'dev-dashboard', status: { reachable: true, version } },
      { name: UNREACHABLE_CONTEXT, user: 'dev-dashboard', namespace: 'default', status: { reachable: false } },
    ],
  });
  // The view model carries names only; no token or key material reaches the browser.
  expect(JSON.stringify(body)).not.toMatch(/token|certificate-authority|BEGIN/i);
});
