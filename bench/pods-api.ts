// The pods list API served from the shared cache, against `kubectl get pods
// -A -o json` on the same cluster: the dashboard's answer (filtered for the
// user, as JSON rows) vs the API server's full list through kubectl.

import { spawnSync } from 'node:child_process';
import { CoreV1Api, KubeConfig, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { median, ms, percentile, type Figure } from './stats';

const ROUNDS = 25;
const KUBECTL_ROUNDS = 5;

async function timedGet(url: string, cookie: string): Promise<{ wallMs: number; serverMs: number; bytes: number; rows: number }> {
  const started = performance.now();
  const response = await fetch(url, { headers: { cookie } });
  const body = await response.text();
  const wallMs = performance.now() - started;
  if (!response.ok) throw new Error(`GET ${url}: ${response.status} ${body.slice(0, 300)}`);
  const serverMs = Number(/app;dur=([\d.]+)/.exec(response.headers.get('server-timing') ?? '')?.[1] ?? NaN);
  return { wallMs, serverMs, bytes: body.length, rows: (JSON.parse(body) as { count: number }).count };
}

function kubectlList(kubeconfig: string): { wallMs: number; items: number } {
  const started = performance.now();
  const result = spawnSync('kubectl', ['--kubeconfig', kubeconfig, '--context', 'dev-admin', 'get', 'pods', '-A', '-o', 'json'], { maxBuffer: 1 << 30, encoding: 'utf8' });
  const wallMs = performance.now() - started;
  if (result.status !== 0) throw new Error(`kubectl get pods -A -o json: ${result.stderr}`);
  return { wallMs, items: (JSON.parse(result.stdout) as { items: unknown[] }).items.length };
}

export async function benchPodsApi(url: string, cookie: string, kubeconfig: string, expectPods: number): Promise<Figure[]> {
  const endpoint = `${url}/api/clusters/dev-dashboard/pods`;
  // Warm-up: the cache's first sync and the user's access reviews (cached 30 s) are not what is measured.
  const syncStarted = performance.now();
  let first = await timedGet(endpoint, cookie).catch(() => undefined);
  while (!first) {
    if (performance.now() - syncStarted > 120_000) throw new Error('the cache did not sync within 2 minutes');
    await new Promise((resolve) => setTimeout(resolve, 250));
    first = await timedGet(endpoint, cookie).catch(() => undefined);
  }
  const firstSync = performance.now() - syncStarted;
  if (first.rows < expectPods) throw new Error(`the API listed ${first.rows} pods, expected at least ${expectPods}`);
  const runs = [];
  for (let i = 0; i < ROUNDS; i++) runs.push(await timedGet(endpoint, cookie));
  // With churn: one pod changes before each request, so its namespace's rows are serialized again.
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  kc.setCurrentContext('dev-admin');
  const core = kc.makeApiClient(CoreV1Api);
  const churned = [];
  for (let i = 0; i < ROUNDS; i++) {
    const namespace = `scale-${String(i % 50).padStart(2, '0')}`;
    await core.patchNamespacedPod(
      { namespace, name: `web-${String(i % 50).padStart(5, '0')}`, body: { metadata: { labels: { churn: String(Date.now()) } } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    await new Promise((resolve) => setTimeout(resolve, 150));
    churned.push(await timedGet(endpoint, cookie));
  }
  const filtered = [];
  for (let i = 0; i < ROUNDS; i++) filtered.push(await timedGet(`${endpoint}?q=web-0&status=Running&label=shard%3D3`, cookie));
  const kubectl = [];
  for (let i = 0; i < KUBECTL_ROUNDS; i++) kubectl.push(kubectlList(kubeconfig));

  const serverMedian = median(runs.map((r) => r.serverMs));
  const serverP95 = percentile(runs.map((r) => r.serverMs), 95);
  const wallMedian = median(runs.map((r) => r.wallMs));
  const kubectlMedian = median(kubectl.map((r) => r.wallMs));
  return [
    { measure: 'first request: cache list + watch of every kind, first answer', value: ms(firstSync), note: 'once per cluster per process' },
    { measure: `pods API, server time (${first.rows} rows, ${(first.bytes / 1e6).toFixed(1)} MB), median`, value: ms(serverMedian), target: '≤ 50 ms', met: serverMedian <= 50, note: 'unchanged since the last request' },
    { measure: 'pods API, server time, p95', value: ms(serverP95), target: '≤ 50 ms', met: serverP95 <= 50 },
    { measure: 'pods API, server time with a pod changed before each request, median', value: ms(median(churned.map((r) => r.serverMs))), target: '≤ 50 ms', met: median(churned.map((r) => r.serverMs)) <= 50 },
    { measure: 'pods API, client wall time, median', value: ms(wallMedian), note: 'includes gzip, transfer and reading on localhost' },
    { measure: `pods API filtered (q, status, label → ${filtered[0].rows} rows), server median`, value: ms(median(filtered.map((r) => r.serverMs))) },
    { measure: `kubectl get pods -A -o json (${kubectl[0].items} pods), wall median`, value: ms(kubectlMedian) },
    { measure: 'ratio kubectl wall / pods API wall', value: `${(kubectlMedian / wallMedian).toFixed(1)}×`, note: `kubectl / API server time with churn: ${(kubectlMedian / median(churned.map((r) => r.serverMs))).toFixed(0)}×` },
  ];
}
