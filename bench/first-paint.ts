// First paint of the pods page in Chromium, signed in, 10,000 pods behind it:
// first contentful paint, the first table row visible, and the whole list live
// (the feed's snapshot applied), each from the start of navigation.

import type { BrowserContext } from '@playwright/test';
import { median, ms, type Figure } from './stats';

const ROUNDS = 5;

/** First contentful paint of a light page (the nodes list): what this machine's Chromium needs for any page. */
async function controlPaint(context: BrowserContext, url: string): Promise<{ fcp: number; html: number }> {
  const samples: Array<{ fcp: number; html: number }> = [];
  for (let round = 0; round <= ROUNDS; round++) {
    const page = await context.newPage();
    await page.goto(`${url}/clusters/dev-dashboard/nodes`, { waitUntil: 'load' });
    const sample = await page.evaluate(() => ({
      fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN,
      html: (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).responseEnd,
    }));
    await page.close();
    if (round > 0) samples.push(sample);
  }
  return { fcp: median(samples.map((s) => s.fcp)), html: median(samples.map((s) => s.html)) };
}

/** Records, in the page, when the first pod row was painted: the frame after it entered the DOM. */
const FIRST_ROW_PROBE = `
  new MutationObserver((_, observer) => {
    if (!document.querySelector('table[aria-label="Pods"] tbody tr')) return;
    observer.disconnect();
    requestAnimationFrame(() => requestAnimationFrame(() => { window.__firstRowPainted = performance.now(); }));
  }).observe(document, { childList: true, subtree: true });
`;

export async function benchFirstPaint(context: BrowserContext, url: string, expectPods: number): Promise<Figure[]> {
  await context.addInitScript(FIRST_ROW_PROBE);
  const samples: Array<{ fcp: number; firstRow: number; complete: number; html: number }> = [];
  for (let round = 0; round <= ROUNDS; round++) {
    const page = await context.newPage();
    await page.goto(`${url}/clusters/dev-dashboard/pods`, { waitUntil: 'commit' });
    await page.waitForFunction(() => (window as unknown as { __firstRowPainted?: number }).__firstRowPainted !== undefined);
    const firstRow = await page.evaluate(() => (window as unknown as { __firstRowPainted: number }).__firstRowPainted);
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
    { measure: 'pods page, first pod row painted, median', value: ms(firstRow), target: '≤ 1 s', met: firstRow <= 1000 },
    { measure: `pods page, all ${expectPods.toLocaleString('en')}+ rows live (snapshot applied), median`, value: ms(median(samples.map((s) => s.complete))) },
    { measure: 'control: the nodes page, HTML received / first contentful paint, medians', value: `${ms(control.html)} / ${ms(control.fcp)}`, note: 'this machine’s floor for a page' },
    { measure: 'ratio pods page FCP / control FCP', value: `${(fcp / control.fcp).toFixed(2)}×` },
  ];
}
