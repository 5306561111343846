// The guardrails in the browser: each refusal is shown with the policy rule
// that made it and its message, before anything reaches the cluster (and the
// routes refuse the same when asked directly).

import { expect, test } from '@playwright/test';
import { loginAs } from '../support/login';
import { CLUSTER, kubectlOk, seedDemoWorld, unique } from '../pods/seed';
import { openDebugForm, podDebugPath, previewRefusal } from './support';

test.describe.configure({ timeout: 60_000 });

test.beforeAll(async () => {
  await seedDemoWorld();
});

test('an unapproved image is refused with the approved ones named', async ({ page }) => {
  await loginAs(page, 'alice');
  await openDebugForm(page, podDebugPath('pxc', 'cluster1-pxc-0'));
  await page.getByLabel('Image', { exact: true }).fill('docker.io/library/ubuntu:latest');
  await expect(previewRefusal(page)).toContainText('images.approved');
  await expect(previewRefusal(page)).toContainText('is not an approved image');
  await expect(page.getByLabel('Spec YAML', { exact: true })).toHaveCount(0);
  // Start anyway: the server refuses the same, and nothing is started.
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  await expect(page.getByRole('alert', { name: 'Not started' })).toContainText('is not an approved image');
  expect(new URL(page.url()).pathname).toBe(podDebugPath('pxc', 'cluster1-pxc-0'));
});

test('a profile the policy does not give the role is disabled, and refused when asked for anyway', async ({ page }) => {
  await loginAs(page, 'alice');
  await openDebugForm(page, podDebugPath('pxc', 'cluster1-pxc-0'));
  const sysadmin = page.getByRole('radio', { name: /^sysadmin/ });
  await expect(sysadmin).toBeDisabled();
  await expect(page.getByText('Not allowed: the policy does not give this profile to your roles here.').first()).toBeVisible();
  const response = await page.request.post(`/api/clusters/${CLUSTER}/debug/preview`, {
    headers: { Origin: new URL(page.url()).origin },
    data: { request: { kind: 'ephemeral', namespace: 'pxc', pod: 'cluster1-pxc-0', profile: 'sysadmin' }, mode: 'interactive' },
  });
  expect(response.status()).toBe(403);
  expect(await response.json()).toMatchObject({ rule: 'profiles.byRole', message: expect.stringContaining('The sysadmin profile is not allowed for your roles') });
});

test('break-glass without a reason is refused, with the policy’s example; a reason lets it through', async ({ page }) => {
  await loginAs(page, 'alice');
  await openDebugForm(page, podDebugPath('pxc', 'cluster1-pxc-0'));
  await page.getByRole('radio', { name: /^Debug a copy of the pod/ }).check();
  await expect(page.getByLabel(/^Reason \(required/)).toBeVisible();
  await expect(previewRefusal(page)).toContainText('breakGlass.reason');
  await expect(previewRefusal(page)).toContainText('INC-1234: checkout pods crash-looping since 09:10');
  await page.getByLabel(/^Reason/).fill('just looking');
  await expect(previewRefusal(page)).toContainText('breakGlass.reason');
  await page.getByLabel(/^Reason/).fill('INC-77: replication lag on pxc-0');
  await expect(previewRefusal(page)).toHaveCount(0);
  await expect(page.getByLabel('kubectl command', { exact: true })).toContainText('--copy-to=');
});

test('a viewer sees no Debug link and no form, only a note saying why', async ({ page }) => {
  await loginAs(page, 'sam');
  await page.goto(`/clusters/${CLUSTER}/pods/pxc/cluster1-pxc-0`);
  await expect(page.getByRole('heading', { level: 1, name: 'cluster1-pxc-0' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Debug…' })).toHaveCount(0);
  await page.goto(podDebugPath('pxc', 'cluster1-pxc-0'));
  await expect(page.getByRole('note', { name: 'Debugging not allowed' })).toContainText('needs Ephemera’s debugger or admin role; you hold viewer');
  await expect(page.getByRole('form', { name: 'Debug session' })).toHaveCount(0);
  const response = await page.request.post(`/api/clusters/${CLUSTER}/sessions`, {
    headers: { Origin: new URL(page.url()).origin },
    data: { request: { kind: 'ephemeral', namespace: 'pxc', pod: 'cluster1-pxc-0' } },
  });
  expect(response.status()).toBe(403);
});

test('a namespace where debugging is off is refused up front, with the rule', async ({ page }) => {
  const name = `e2e-ks-${unique()}`;
  await kubectlOk(['run', name, '-n', 'kube-system', '--image=busybox:1.36', '--restart=Never', '--overrides={"spec":{"nodeName":"node-a"}}', '--', 'sleep', '3600']);
  try {
    await loginAs(page, 'ada');
    await page.goto(podDebugPath('kube-system', name));
    await expect(page.getByRole('alert', { name: 'Debugging refused here' })).toContainText('namespaces.disabled');
    await expect(page.getByRole('alert', { name: 'Debugging refused here' })).toContainText('Debugging is switched off in namespace kube-system');
    await expect(page.getByRole('button', { name: 'Start', exact: true })).toBeDisabled();
    await expect(previewRefusal(page)).toContainText('Debugging is switched off in namespace kube-system');
  } finally {
    await kubectlOk(['delete', 'pod', '-n', 'kube-system', name, '--grace-period=0', '--force']);
  }
});
