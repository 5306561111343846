// The rest of a session's life in the browser: a pod copy of the
// crash-looping pod, a one-shot diagnostic with its output, typing and
// reading, resize, reload and re-attach, the exit code, re-attaching to a
// running ephemeral container from the form, and the sessions list.

import { expect, test } from '@playwright/test';
import { loginAs } from '../support/login';
import { problemsOn } from '../support/problems';
import { kubectlOk, seedDemoWorld } from '../pods/seed';
import { endSession, openDebugForm, outputText, podDebugPath, run, start, status, terminalText, typeLine, waitAttached } from './support';

test.describe.configure({ timeout: 120_000 });

test.beforeAll(async () => {
  await seedDemoWorld();
});

async function checkoutPod(): Promise<string> {
  const names = await kubectlOk(['get', 'pods', '-n', 'shop', '-l', 'app=checkout', '-o', 'jsonpath={.items[*].metadata.name}']);
  return names.split(' ').find((name) => name.startsWith('checkout-7d9f8b6c4'))!;
}

test('a crash-looping pod offers a copy first; the copy’s debug container works, and the copy is gone at the end', async ({ page }) => {
  const pod = await checkoutPod();
  await loginAs(page, 'alice');
  await page.goto(`/clusters/dev-dashboard/pods/shop/${pod}`);
  await page.getByRole('link', { name: 'Debug…' }).click();
  await expect(page.getByRole('form', { name: 'Debug session' })).toBeVisible();
  await expect(page.getByRole('note').filter({ hasText: 'crash-looping' })).toBeVisible();
  await expect(page.getByRole('radio', { name: /^Debug a copy of the pod/ })).toBeChecked();
  await expect(page.getByLabel('Image', { exact: true })).not.toHaveValue('');
  await page.getByLabel(/^Reason/).fill('INC-1234: checkout pods crash-looping since 09:10');
  await expect(page.getByLabel('kubectl command', { exact: true })).toContainText('--copy-to=');
  await expect(page.getByLabel('Spec YAML', { exact: true })).toContainText('shareProcessNamespace: true');
  await start(page);
  await waitAttached(page);
  await expect(page.getByLabel('Session details')).toContainText('pod copy');
  await expect(page.getByLabel('Session details')).toContainText('INC-1234');
  await run(page, 'echo "copy-$((40+2))"', 'copy-42');
  await endSession(page);
  await expect
    .poll(async () => (await kubectlOk(['get', 'pods', '-n', 'shop', '-o', 'jsonpath={.items[*].metadata.name}'])).includes(`${pod.slice(0, 50)}-debug`), { timeout: 30_000 })
    .toBe(false);
});

test('a one-shot diagnostic shows its output, read-only, and the container exits', async ({ page }) => {
  await loginAs(page, 'alice');
  await openDebugForm(page, podDebugPath('pxc', 'cluster1-pxc-0'));
  await page.getByRole('radio', { name: /^One-shot diagnostic/ }).check();
  await page.getByRole('combobox', { name: 'Diagnostic' }).selectOption('sockets');
  await expect(page.getByLabel('Spec YAML', { exact: true })).toContainText('netstat');
  await expect(page.getByLabel('Spec YAML', { exact: true })).not.toContainText('stdin: true');
  await start(page, 'Run');
  await expect(outputText(page)).toContainText(':3306', { timeout: 30_000 });
  await expect(status(page)).toHaveText(/Session ended: exited with code 0/, { timeout: 30_000 });
  await expect(page.getByRole('group', { name: 'Command output' })).toBeVisible();
});

test('a one-shot free-text command shows its output and its exit code', async ({ page }) => {
  await loginAs(page, 'alice');
  await openDebugForm(page, podDebugPath('pxc', 'cluster1-pxc-0'));
  await page.getByRole('radio', { name: /^One-shot diagnostic/ }).check();
  await page.getByRole('combobox', { name: 'Diagnostic' }).selectOption('custom');
  await page.getByRole('textbox', { name: 'Diagnostic command' }).fill('sleep 2; echo "oneshot-$((40+2))"; exit 3');
  await start(page, 'Run');
  await expect(outputText(page)).toContainText('oneshot-42', { timeout: 30_000 });
  await expect(status(page)).toHaveText(/Session ended: exited with code 3/, { timeout: 30_000 });
  await expect(page.getByLabel('Session details')).toContainText('exit code 3');
});

// The starter ends the session as soon as it sees the container exit: the output must still reach the page,
// whether its socket was following the log by then or came after the end.
test('a one-shot command that exits at once still shows its output', async ({ page }) => {
  await loginAs(page, 'alice');
  await openDebugForm(page, podDebugPath('pxc', 'cluster1-pxc-0'));
  await page.getByRole('radio', { name: /^One-shot diagnostic/ }).check();
  await page.getByRole('combobox', { name: 'Diagnostic' }).selectOption('custom');
  await page.getByRole('textbox', { name: 'Diagnostic command' }).fill('echo "fast-$((40+2))"');
  await start(page, 'Run');
  await expect(status(page)).toHaveText(/Session ended: exited with code 0/, { timeout: 30_000 });
  await expect(outputText(page)).toContainText('fast-42');
});

test('the terminal: typing and output, resize, the exit code', async ({ page }) => {
  await loginAs(page, 'alice');
  await openDebugForm(page, podDebugPath('pxc', 'cluster1-pxc-1'));
  await start(page);
  await waitAttached(page);
  await run(page, 'echo "typed-$((6*7))"', 'typed-42');

  // Resize: a smaller window fits fewer columns, and the shell is told.
  await run(page, 'echo "size-a $(stty size)"', /size-a \d+ \d+/);
  const before = (await terminalText(page).textContent())!.match(/size-a (\d+) (\d+)/)!;
  await page.setViewportSize({ width: 700, height: 600 });
  await expect(async () => {
    await typeLine(page, 'echo "size-b $(stty size)"');
    const after = (await terminalText(page).textContent())!.match(/size-b (\d+) (\d+)/);
    expect(after).not.toBeNull();
    expect(Number(after![2])).toBeLessThan(Number(before[2]));
  }).toPass({ timeout: 15_000 });

  await typeLine(page, 'exit 3');
  await expect(status(page)).toHaveText(/Session ended: exited with code 3/, { timeout: 20_000 });
  await expect(page.getByLabel('Session details')).toContainText('exit code 3');
});

// xterm.js adds <style> elements of its own; refused by the CSP, its text is drawn black on black while the
// accessible transcript still reads right. So this looks at the colours the browser actually computed.
test('the terminal draws under the CSP: no violation, light text on its dark background, 24-bit colours', async ({ page }) => {
  const problems = problemsOn(page);
  await loginAs(page, 'alice');
  // Through the form: the session page is reached by a client-side navigation, as people reach it.
  await openDebugForm(page, podDebugPath('pxc', 'cluster1-pxc-1'));
  await start(page);
  await waitAttached(page);
  await run(page, "printf 'plain-%s \\033[38;2;255;128;0morange-%s\\033[0m\\n' 42 42", 'plain-42 orange-42');
  const screen = page.getByRole('group', { name: 'Terminal' }).locator('.xterm-rows');
  const colourOf = (text: string) =>
    screen.locator('span', { hasText: text }).last().evaluate((span) => getComputedStyle(span).color);
  const background = await screen.evaluate((rows) => getComputedStyle(rows.closest('.xterm')!.querySelector('.xterm-viewport')!).backgroundColor);
  expect(await colourOf('plain-42')).toBe('rgb(255, 255, 255)');
  expect(background).toBe('rgb(0, 0, 0)');
  expect(await colourOf('orange-42')).toBe('rgb(255, 128, 0)');
  await endSession(page);
  expect(problems).toEqual([]);
});

// The demo policy sets stdinOnce: the server holds the one attach through the reconnect grace period, so a reload
// finds the same shell rather than one that got SIGHUP.
test('reloading the page re-attaches to the same, still-running container', async ({ page }) => {
  await loginAs(page, 'alice');
  await openDebugForm(page, podDebugPath('pxc', 'cluster1-pxc-1'));
  await start(page);
  await waitAttached(page);
  await run(page, 'export MARK="kept-$((40+2))"; echo "before-$((40+2))"', 'before-42');
  const url = page.url();
  await page.reload();
  expect(page.url()).toBe(url);
  await waitAttached(page);
  // The same shell: what it was told before the reload, it still knows.
  await run(page, 'echo "after-$MARK"', 'after-kept-42');
  await endSession(page);
});

test('exec into an existing container: a shell in the pod’s own container (its environment)', async ({ page }) => {
  await loginAs(page, 'alice');
  await openDebugForm(page, podDebugPath('pxc', 'cluster1-pxc-0'));
  await page.getByRole('radio', { name: /^Exec into a container/ }).check();
  await page.getByLabel('Container to exec into').selectOption('logs');
  await expect(page.getByLabel('kubectl command', { exact: true })).toHaveText('kubectl exec -it -n pxc cluster1-pxc-0 -c logs -- sh');
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  await page.waitForURL(/\/sessions\/[0-9a-f-]{36}$/);
  await waitAttached(page);
  await expect(page.getByLabel('Session details')).toContainText('exec');
  await run(page, 'echo "exec-$((40+2)) $LOG_DATA_DIR"', 'exec-42 /var/lib/mysql');
  await endSession(page);
});

test('re-attaching to a running ephemeral container from the form, and the sessions list', async ({ page, context }) => {
  await loginAs(page, 'alice');
  await openDebugForm(page, podDebugPath('pxc', 'cluster1-pxc-2'));
  const first = await start(page);
  await waitAttached(page);
  const container = (await page.getByLabel('Session details').textContent())!.match(/debugger-[a-z0-9]{5}/)![0];
  await run(page, 'echo "first-$((40+2))"', 'first-42');

  // The first terminal stays open in its tab; the form, in another, offers to re-attach rather than add a container.
  const other = await context.newPage();
  await openDebugForm(other, podDebugPath('pxc', 'cluster1-pxc-2'));
  const note = other.getByRole('note').filter({ hasText: 'can never be removed' });
  await expect(note).toContainText(container);
  await note.getByRole('button', { name: /^Re-attach to debugger-/ }).click();
  await other.getByLabel('Ephemeral container to re-attach to').selectOption(container);
  await expect(other.getByLabel('kubectl command', { exact: true })).toContainText(`kubectl attach -it -n pxc cluster1-pxc-2 -c ${container}`);
  await other.getByRole('button', { name: 'Start', exact: true }).click();
  await other.waitForURL(/\/sessions\/[0-9a-f-]{36}$/);
  await waitAttached(other);
  await run(other, 'echo "second-$((40+2))"', 'second-42');
  await endSession(other);

  await other.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sessions' }).click();
  const table = other.getByRole('table', { name: 'Sessions' });
  await expect(table.getByRole('link', { name: container }).first()).toBeVisible();
  await expect(table.locator(`a[href="/sessions/${first}"]`)).toBeVisible();
});
