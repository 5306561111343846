// The source article's four workflows, end to end in the browser as the demo
// users: an ephemeral container in the pod's network; the same sharing the
// target container's processes (--target); the pod's volume mounted read-only
// (a write refused) and then read-write (the write works); a node debug pod
// with the node's / at /host. The demo's pods are pxc's Percona XtraDB
// Cluster (mysqld listening on 3306, its datadir volume).

import { expect, test } from '@playwright/test';
import { loginAs } from '../support/login';
import { kubectl, seedDemoWorld, unique } from '../pods/seed';
import { endSession, kubectlPreview, nodeDebugPath, openDebugForm, podDebugPath, run, start, terminalText, waitAttached } from './support';

// Each test signs in, starts a container in the dev cluster and works in its terminal.
test.describe.configure({ timeout: 120_000 });

test.beforeAll(async () => {
  await seedDemoWorld();
});

test('1. network: an ephemeral container sees the pod’s listening port', async ({ page }) => {
  await loginAs(page, 'alice');
  await openDebugForm(page, podDebugPath('pxc', 'cluster1-pxc-0'));
  // The defaults: an ephemeral container, the policy's default image, restricted, the image's shell.
  await expect(page.getByRole('radio', { name: /^Add an ephemeral container/ })).toBeChecked();
  await expect(page.getByRole('radio', { name: /^restricted/ })).toBeChecked();
  await expect(kubectlPreview(page)).toContainText('kubectl debug');
  await expect(kubectlPreview(page)).toContainText('cluster1-pxc-0');
  await expect(page.getByLabel('Spec YAML', { exact: true })).toContainText('ephemeralContainers');
  await expect(page.getByLabel('Spec YAML', { exact: true })).toContainText('runAsNonRoot: true');

  await start(page);
  await waitAttached(page);
  await expect(page.getByLabel('Session details')).toContainText('alice');
  await run(page, 'netstat -tln', ':3306');
  await endSession(page);
});

test('2. --target: ps shows the target container’s processes', async ({ page }) => {
  await loginAs(page, 'alice');
  await openDebugForm(page, podDebugPath('pxc', 'cluster1-pxc-1'));
  await page.getByLabel('Target container (share its processes)').selectOption('pxc');
  await page.getByRole('radio', { name: /^general/ }).check();
  await expect(kubectlPreview(page)).toContainText('--target=pxc');
  await expect(page.getByLabel('Spec YAML', { exact: true })).toContainText('SYS_PTRACE');
  await start(page);
  await waitAttached(page);
  await run(page, 'ps aux', 'mysqld');
  await endSession(page);
});

test('3. a volume mounted read-only refuses a write; mounted read-write, the write works', async ({ page }) => {
  const file = `e2e-${unique()}`;
  await loginAs(page, 'alice');
  await openDebugForm(page, podDebugPath('pxc', 'cluster1-pxc-2'));
  await page.getByRole('checkbox', { name: 'Mount datadir' }).check();
  await page.getByRole('textbox', { name: 'Mount path for datadir' }).fill('/db-mount');
  await expect(page.getByRole('checkbox', { name: 'Read-only datadir' })).toBeChecked();
  await expect(page.getByLabel('Spec YAML', { exact: true })).toContainText('mountPath: /db-mount');
  await expect(page.getByLabel('Spec YAML', { exact: true })).toContainText('readOnly: true');
  await start(page);
  await waitAttached(page);
  await run(page, `touch /db-mount/${file}; echo "exit=$?"`, 'Read-only file system');
  await expect(terminalText(page)).toContainText('exit=1');
  await endSession(page);

  await openDebugForm(page, podDebugPath('pxc', 'cluster1-pxc-2'));
  await page.getByRole('checkbox', { name: 'Mount datadir' }).check();
  await page.getByRole('textbox', { name: 'Mount path for datadir' }).fill('/db-mount');
  await page.getByRole('checkbox', { name: 'Read-only datadir' }).uncheck();
  await expect(page.getByLabel('Spec YAML', { exact: true })).not.toContainText('readOnly: true');
  await start(page);
  await waitAttached(page);
  await run(page, `touch /db-mount/${file} && echo "wrote-$((40+2))" && ls /db-mount`, 'wrote-42');
  await expect(terminalText(page)).toContainText(file);
  await endSession(page);
});

test('4. node debugging: a node-debugger pod with the node’s / at /host, deleted at the end', async ({ page }) => {
  await loginAs(page, 'ada');
  await page.goto('/clusters/dev-dashboard/nodes/node-a');
  await page.getByRole('link', { name: 'Debug node…' }).click();
  await expect(page.getByRole('form', { name: 'Debug session' })).toBeVisible();
  await openDebugForm(page, nodeDebugPath('node-a'));
  await page.getByRole('radio', { name: /^general/ }).check();
  // Node debugging is break-glass: without a reason it is refused, with the policy's example.
  await expect(page.getByRole('region', { name: 'Preview' }).getByRole('alert')).toContainText('breakGlass.reason');
  await page.getByLabel(/^Reason/).fill('INC-4242: node-a disk pressure');
  await expect(page.getByLabel('Spec YAML', { exact: true })).toContainText('node-debugger-node-a-');
  await expect(page.getByLabel('Spec YAML', { exact: true })).toContainText('hostPID: true');
  await expect(page.getByLabel('Spec YAML', { exact: true })).toContainText('mountPath: /host');
  await expect(kubectlPreview(page)).toContainText('node/node-a --image=ghcr.io/ephemera/debug-tools:1.0');
  await start(page);
  await waitAttached(page);
  const podName = (await page.getByLabel('Session details').textContent())?.match(/node-debugger-node-a-[a-z0-9]{5}/)?.[0];
  await run(page, 'ls /host/ && echo "host-$((40+2))"', 'host-42');
  await expect(terminalText(page)).toContainText('etc');
  await endSession(page);
  if (podName) {
    await expect.poll(async () => (await kubectl(['get', 'pod', '-n', 'default', podName])).code, { timeout: 30_000 }).not.toBe(0);
  }
});

test('node debugging with chroot /host runs in the node’s own filesystem', async ({ page }) => {
  await loginAs(page, 'ada');
  await openDebugForm(page, nodeDebugPath('node-b'));
  // chroot needs root (CAP_SYS_CHROOT): busybox runs as root, the default debug image does not.
  await page.getByLabel('Image', { exact: true }).fill('busybox:1.36');
  await page.getByRole('radio', { name: /^general/ }).check();
  await page.getByRole('checkbox', { name: /chroot \/host/ }).check();
  await page.getByLabel(/^Reason/).fill('INC-4243: node-b kubelet logs');
  await expect(page.getByLabel('Spec YAML', { exact: true })).toContainText('chroot');
  await start(page);
  await waitAttached(page);
  // Inside the chroot, the node's / is /, so there is no /host.
  await run(page, 'test -d /host || echo "inside=yes-$((1+1))"', 'inside=yes-2');
  await endSession(page);
});
