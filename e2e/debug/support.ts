// What the debug browser tests share: opening the form, waiting for the
// preview, starting, and talking to the terminal through what a person (or a
// screen reader) perceives: the status line and the terminal's text.

import { expect, type Locator, type Page } from '@playwright/test';
import { CLUSTER } from '../pods/seed';

export const podDebugPath = (namespace: string, pod: string) => `/clusters/${CLUSTER}/pods/${namespace}/${pod}/debug`;
export const nodeDebugPath = (node: string) => `/clusters/${CLUSTER}/nodes/${node}/debug`;

/** Opens the debug form and waits for the policy's options (the default image is filled in). */
export async function openDebugForm(page: Page, path: string): Promise<void> {
  await page.goto(path);
  await expect(page.getByRole('form', { name: 'Debug session' })).toBeVisible();
  await expect(page.getByLabel('Image', { exact: true })).not.toHaveValue('');
}

/** The preview's kubectl line, once the preview answers for what the form says now. */
export function kubectlPreview(page: Page): Locator {
  return page.getByLabel('kubectl command', { exact: true });
}

export function previewRefusal(page: Page): Locator {
  return page.getByRole('region', { name: 'Preview' }).getByRole('alert');
}

/** Presses Start (or Run) and waits for the session page. */
export async function start(page: Page, button: 'Start' | 'Run' = 'Start'): Promise<string> {
  await expect(kubectlPreview(page)).toContainText('kubectl ');
  await expect(page.getByRole('region', { name: 'Preview' })).toHaveAttribute('aria-busy', 'false');
  await page.getByRole('button', { name: button, exact: true }).click();
  await page.waitForURL(/\/sessions\/[0-9a-f-]{36}$/, { timeout: 20_000 });
  return new URL(page.url()).pathname.split('/').pop()!;
}

export const status = (page: Page) => page.getByRole('status', { name: 'Session status' });
export const terminalText = (page: Page) => page.getByRole('log', { name: 'Terminal text' });
export const outputText = (page: Page) => page.getByRole('log', { name: 'Output text' });

export async function waitAttached(page: Page): Promise<void> {
  await expect(status(page)).toHaveText(/Connected to /, { timeout: 30_000 });
}

/** Types a line into the terminal, as a person would after clicking it. */
export async function typeLine(page: Page, line: string): Promise<void> {
  await page.getByRole('group', { name: 'Terminal' }).click();
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
}

/** Runs `command` in the terminal and waits for `expected` in what the terminal shows. */
export async function run(page: Page, command: string, expected: string | RegExp): Promise<void> {
  await typeLine(page, command);
  await expect(terminalText(page)).toContainText(expected, { timeout: 15_000 });
}

/** Ends the session with the button and waits for the ending to show. */
export async function endSession(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'End session' }).click();
  await expect(status(page)).toHaveText(/^Session ended: /, { timeout: 20_000 });
}
