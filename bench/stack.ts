// What the benchmarks run against: the dev cluster with the demo and
// 10,000 pods in 50 namespaces on hollow nodes, the dev IdP, and Ephemera's
// production build. Stopped in reverse order; logs go to .ephemera/bench/.

import fs from 'node:fs';
import path from 'node:path';
import { chromium, type BrowserContext } from '@playwright/test';
import { freePort, startProcess } from '@/scripts/lib/processes';
import { DEMO_CONFIG_FILE, PROJECT_ROOT, staleBuildReason, startDevSso, startEphemera } from '@/scripts/lib/services';

export const CHROMIUM = { executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'] };

export interface BenchStack {
  url: string;
  kubeconfig: string;
  stop(): Promise<void>;
}

export async function startStack(options: { pods: number; namespaces: number }): Promise<BenchStack> {
  const stale = staleBuildReason();
  if (stale === 'no production build in .next/') throw new Error('The benchmarks run the production build: run `npm run build` first.');
  if (stale) process.stderr.write(`warning: measuring an old production build (${stale})\n`);
  const dir = path.join(PROJECT_ROOT, '.ephemera', 'bench');
  fs.mkdirSync(dir, { recursive: true });
  const log = fs.createWriteStream(path.join(dir, 'services.log'));
  const logTo = (label: string) => (line: string) => log.write(`${label} ${line}\n`);
  const kubeconfig = path.join(dir, 'kubeconfig');
  const stops: Array<() => Promise<unknown>> = [];
  const stop = async () => {
    for (const step of stops.reverse()) await step().catch(() => {});
    log.end();
  };
  try {
    const cluster = await startProcess(
      process.execPath,
      ['--import', 'tsx', 'dev/cluster/main.ts', '--listen', `127.0.0.1:${await freePort()}`, '--kubeconfig', kubeconfig, '--scenario', 'demo',
        '--scale-pods', String(options.pods), '--scale-namespaces', String(options.namespaces)],
      { name: 'dev cluster', ready: /^dev cluster ready on (https:\/\/\S+)/, cwd: PROJECT_ROOT, onLine: logTo('[cluster]'), timeoutMs: 120_000 },
    );
    stops.push(() => cluster.stop());
    const port = await freePort();
    const publicUrl = `http://127.0.0.1:${port}`;
    const sso = await startDevSso({ port: await freePort(), publicUrls: [publicUrl], onLine: logTo('[idp]') });
    stops.push(() => sso.idp.process.stop());
    const app = await startEphemera({
      env: { EPHEMERA_KUBECONFIG: kubeconfig, EPHEMERA_CONTEXTS: 'dev-dashboard', EPHEMERA_CONFIG: DEMO_CONFIG_FILE, HOST: '127.0.0.1', PORT: String(port), EPHEMERA_DATA_DIR: 'memory://', ...sso.envFor(publicUrl) },
      onLine: logTo('[ephemera]'),
    });
    stops.push(() => app.process.stop());
    return { url: app.url, kubeconfig, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Signs `user` in through the dev IdP in `context`; returns the Cookie header for clients other than the browser. */
export async function signIn(context: BrowserContext, url: string, user: string): Promise<string> {
  const page = await context.newPage();
  await page.goto(`${url}/login`);
  await page.getByRole('button', { name: /^Sign in with / }).click();
  await page.getByLabel('Username').fill(user);
  await page.getByLabel('Password').fill('demo');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL((target) => target.origin === new URL(url).origin && !target.pathname.startsWith('/api/auth/') && target.pathname !== '/login');
  await page.close();
  return (await context.cookies(url)).map((cookie) => `${cookie.name}=${cookie.value}`).join('; ');
}

export async function withBrowser<T>(run: (launch: () => Promise<BrowserContext>) => Promise<T>): Promise<T> {
  const browser = await chromium.launch(CHROMIUM);
  try {
    return await run(() => browser.newContext({ viewport: { width: 1400, height: 900 } }));
  } finally {
    await browser.close();
  }
}
