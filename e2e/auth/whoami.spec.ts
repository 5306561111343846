// The "Who am I" page and its JSON: who the user is to Ephemera and to each
// cluster, and what the cluster's RBAC lets them do per namespace. Seeds its
// own RBAC in the dev cluster (as dev-admin): on-call may debug in
// whoami-debug and only view in whoami-view; support may view both.

import { ApiException, CoreV1Api, KubeConfig, RbacAuthorizationV1Api } from '@kubernetes/client-node';
import { expect, test } from '@playwright/test';
import { UNREACHABLE_CONTEXT } from '../global-setup';
import { loginAs } from '../support/login';

const DEBUG_NS = 'whoami-debug';
const VIEW_NS = 'whoami-view';
const RBAC = 'rbac.authorization.k8s.io';

async function ignoreConflict(create: Promise<unknown>): Promise<void> {
  try {
    await create;
  } catch (error) {
    if (!(error instanceof ApiException && error.code === 409)) throw error;
  }
}

test.beforeAll(async () => {
  const kc = new KubeConfig();
  kc.loadFromFile(process.env.EPHEMERA_E2E_KUBECONFIG!);
  kc.setCurrentContext('dev-admin');
  const core = kc.makeApiClient(CoreV1Api);
  const rbac = kc.makeApiClient(RbacAuthorizationV1Api);
  for (const name of [DEBUG_NS, VIEW_NS]) await ignoreConflict(core.createNamespace({ body: { metadata: { name } } }));
  await ignoreConflict(
    rbac.createClusterRole({
      body: {
        metadata: { name: 'whoami-e2e:debugger' },
        rules: [
          { apiGroups: [''], resources: ['pods', 'pods/log'], verbs: ['get', 'list', 'watch'] },
          { apiGroups: [''], resources: ['pods/ephemeralcontainers'], verbs: ['get', 'patch', 'update'] },
          { apiGroups: [''], resources: ['pods/attach', 'pods/exec'], verbs: ['create', 'get'] },
        ],
      },
    }),
  );
  const bind = (namespace: string, name: string, role: string, group: string) =>
    ignoreConflict(
      rbac.createNamespacedRoleBinding({
        namespace,
        body: { metadata: { name }, roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: role }, subjects: [{ apiGroup: RBAC, kind: 'Group', name: group }] },
      }),
    );
  await bind(DEBUG_NS, 'oncall-debug', 'whoami-e2e:debugger', 'oncall');
  await bind(VIEW_NS, 'oncall-view', 'view', 'oncall');
  for (const namespace of [DEBUG_NS, VIEW_NS]) await bind(namespace, 'support-view', 'view', 'support');
});

test('alice sees her groups, her role, and that she may debug where on-call may', async ({ page }) => {
  await loginAs(page, 'alice');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Who am I' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Who am I' })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Groups' })).toHaveText('oncall');
  await expect(page.getByRole('list', { name: 'Ephemera roles' })).toHaveText('debugger');
  await expect(page.getByText('The cluster sees you as alice in groups oncall, system:authenticated.')).toBeVisible();

  const debug = page.getByRole('region', { name: `Namespace ${DEBUG_NS} on dev-dashboard` });
  await expect(debug.getByRole('listitem').filter({ hasText: 'Debug with an ephemeral container' })).toContainText('allowed');
  await expect(debug.getByRole('listitem').filter({ hasText: 'Debug with an ephemeral container' })).not.toContainText('not allowed');

  // The cluster said no, and the reason says it was the cluster.
  const view = page.getByRole('region', { name: `Namespace ${VIEW_NS} on dev-dashboard` });
  await expect(view.getByRole('listitem').filter({ hasText: 'Debug with an ephemeral container' })).toContainText(
    `not allowed dev-dashboard does not allow alice to patch pods/ephemeralcontainers in namespace ${VIEW_NS}.`,
  );

  await debug.getByText(`Everything the cluster lets you do in ${DEBUG_NS}`).click();
  const table = debug.getByRole('table', { name: `Permissions in ${DEBUG_NS} on dev-dashboard` });
  const row = table.getByRole('row', { name: /^pods\/ephemeralcontainers debug/ });
  // get list watch create update patch delete deletecollection
  const [yes, no] = [/^yes$/, /no$/];
  await expect(row.getByRole('cell')).toHaveText([yes, no, no, no, yes, yes, no, no]);
});

test('sam may browse but not debug: the role says no before the cluster is asked', async ({ page }) => {
  await loginAs(page, 'sam');
  await page.goto('/whoami');
  const debug = page.getByRole('region', { name: `Namespace ${DEBUG_NS} on dev-dashboard` });
  await expect(debug.getByRole('listitem').filter({ hasText: 'Browse pods' })).not.toContainText('not allowed');
  await expect(debug.getByRole('listitem').filter({ hasText: 'Debug with an ephemeral container' })).toContainText(
    "not allowed Debug with an ephemeral container needs Ephemera's debugger or admin role; you hold viewer.",
  );
});

test('an unreachable cluster says why, and the rest of the page still renders', async ({ page }) => {
  await loginAs(page, 'lena');
  await page.goto('/whoami');
  await expect(page.getByRole('region', { name: UNREACHABLE_CONTEXT }).getByRole('alert')).toContainText(/Connection refused by 127\.0\.0\.1:\d+/);
  await expect(page.getByText('The cluster sees you as lena in groups team-leads, system:authenticated.')).toBeVisible();
});

test('GET /api/whoami answers the same as JSON, without the ID token', async ({ page }) => {
  await loginAs(page, 'alice');
  const response = await page.request.get('/api/whoami');
  expect(response.status()).toBe(200);
  const text = await response.text();
  expect(text).not.toMatch(/idToken|eyJ[\w-]+\.eyJ/);
  const body = JSON.parse(text);
  expect(body.user).toMatchObject({ name: 'alice', groups: ['oncall'], roles: ['debugger'] });
  const cluster = body.clusters.find((c: { name: string }) => c.name === 'dev-dashboard');
  expect(cluster).toMatchObject({ authMode: 'impersonate', seenAs: { username: 'alice' } });
  const namespace = cluster.namespaces.find((n: { name: string }) => n.name === DEBUG_NS);
  expect(namespace.capabilities.debug).toEqual({ allowed: true, reason: "Allowed by your Ephemera role and by the cluster's RBAC." });
});
