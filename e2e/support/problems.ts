import type { ConsoleMessage, Page } from '@playwright/test';

/** Console errors and CSP violations on `page` from now on (Chrome reports a violation as a console error). */
export function problemsOn(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() === 'error' || /Content Security Policy/i.test(message.text())) problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  return problems;
}
