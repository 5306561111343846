// First paint of the pods page in Chromium, signed in, 10,000 pods behind it:
// first contentful paint, the first table row visible, and the whole list live
// (the feed's snapshot applied), each from the start of navigation.

import type { BrowserContext } from '@playwright/test';
import { median, ms, type Figure } from './stats';

const ROUNDS = 5;

/** First contentful paint of a light page (the nodes list): what this machine's Chromium needs for any page. */
async function controlPaint(context: BrowserContext, url: string): Promise<number> {
  const samples: number[] = [];
  for (let round = 0; round <= ROUNDS; round++) {
    const page = await context.newPage();
    await page.goto(`${url}/clusters/dev-dashboard/nodes`, { waitUntil: 'load' });
    const fcp = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN);
    await page.close();
    if (round > 0) samples.push(fcp);
  }
  return median(samples);
}

export async function benchFirstPaint(context: BrowserContext, url: string, expectPods: number): Promise<Figure[]> {
  const samples: Array<{ fcp: number; firstRow: number; complete: number; html: number }> = [];
  for (let round = 0; round <= ROUNDS; round++) {
    const page = await context.newPage();
    await page.goto(`${url}/clusters/dev-dashboard/pods`, { waitUntil: 'commit' });
    await page.getByRole('table', { name: 'Pods' }).getByRole('row').nth(1).waitFor();
    const firstRow = await page.evaluate(() => performance.now());
    // The server sends the first rows; the live feed's snapshot brings the rest and the note goes away.
    await page.waitForFunction(() => !document.body.innerText.includes('loading the rest') && !!document.querySelector('[aria-label="Live updates: open"]'));
    const complete = await page.evaluate(() => performance.now());
    const fcp = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN);
    const html = await page.evaluate(() => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).responseEnd);
    await page.close();
    // Round 0 warms the server's caches and Chromium's.
    if (round > 0) samples.push({ fcp, firstRow, complete, html });
  }
  const fcp = median(samples.map((s) => s.fcp));
  const firstRow = median(samples.map((s) => s.firstRow));
  const control = await controlPaint(context, url);
  return [
    { measure: 'pods page, HTML received (server render incl.), median', value: ms(median(samples.map((s) => s.html))) },
    { measure: 'pods page, first contentful paint, median', value: ms(fcp), target: '≤ 1 s', met: fcp <= 1000 },
    { measure: 'pods page, first pod row visible, median', value: ms(firstRow), target: '≤ 1 s', met: firstRow <= 1000 },
    { measure: `pods page, all ${expectPods.toLocaleString('en')}+ rows live (snapshot applied), median`, value: ms(median(samples.map((s) => s.complete))) },
    { measure: 'control: first contentful paint of the nodes page, median', value: ms(control), note: 'this machine’s floor for any page' },
    { measure: 'ratio pods page FCP / control FCP', value: `${(fcp / control).toFixed(2)}×` },
  ];
}
