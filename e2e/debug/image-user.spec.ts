// The restricted profile's trap, as the issue asks: an image that runs as root
// under runAsNonRoot is refused by the kubelet (CreateContainerConfigError).
// The form sees it coming from the image's known user and offers runAsUser;
// when someone starts anyway, the session page explains the refusal; with the
// offer taken, the same image starts as a non-root user.

import { expect, test } from '@playwright/test';
import { loginAs } from '../support/login';
import { seedDemoWorld } from '../pods/seed';
import { endSession, openDebugForm, podDebugPath, run, start, status, waitAttached } from './support';

test.describe.configure({ timeout: 120_000 });

test.beforeAll(async () => {
  await seedDemoWorld();
});

test('a root image under restricted: warned in the form, explained when started anyway, fixed with the runAsUser offer', async ({ page }) => {
  await loginAs(page, 'alice');
  await openDebugForm(page, podDebugPath('pxc', 'cluster1-pxc-0'));
  await page.getByLabel('Image', { exact: true }).fill('busybox:1.36');
  const warnings = page.getByRole('list', { name: 'Warnings' });
  await expect(warnings).toContainText('root');
  await expect(warnings.getByRole('button', { name: /^Run as user \d+/ })).toBeVisible();

  // Started anyway: the kubelet refuses, and the page says why and what to do.
  await start(page);
  const progress = page.getByRole('region', { name: 'Start progress' });
  await expect(progress).toContainText('CreateContainerConfigError', { timeout: 30_000 });
  await expect(progress).toContainText('The image runs as root, and the security context says runAsNonRoot');
  await expect(status(page)).toContainText('CreateContainerConfigError');
  await endSession(page);

  // The offer taken: Ephemera adds runAsUser, says so, and the same image starts.
  await openDebugForm(page, podDebugPath('pxc', 'cluster1-pxc-0'));
  await page.getByLabel('Image', { exact: true }).fill('busybox:1.36');
  await warnings.getByRole('button', { name: /^Run as user \d+/ }).click();
  await expect(page.getByText(/Runs as user \d+ \(Ephemera adds runAsUser\)/)).toBeVisible();
  await expect(page.getByLabel('Spec YAML', { exact: true })).toContainText(/runAsUser: \d+/);
  await start(page);
  await waitAttached(page);
  await run(page, 'id -u', /^\s*[1-9]\d*\s*$/m);
  await endSession(page);
});
