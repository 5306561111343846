// The dev cluster through @kubernetes/client-node, the library the dashboard uses.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import * as k8s from '@kubernetes/client-node';
import { startDevCluster, type RunningDevCluster } from './harness';

let cluster: RunningDevCluster;
let kc: k8s.KubeConfig;
let core: k8s.CoreV1Api;

beforeAll(async () => {
  cluster = await startDevCluster('demo');
  kc = new k8s.KubeConfig();
  kc.loadFromFile(cluster.kubeconfig);
  kc.setCurrentContext('dev-admin');
  core = kc.makeApiClient(k8s.CoreV1Api);
});

afterAll(async () => {
  await cluster?.stop();
});

async function until<T>(get: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await get();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('timed out');
}

describe('client-node against the dev cluster', () => {
  it('verifies the TLS certificate from the kubeconfig CA and lists pods', async () => {
    const list = await core.listNamespacedPod({ namespace: 'pxc' });
    expect(list.items.map((p) => p.metadata?.name)).toContain('cluster1-pxc-0');
    expect(Number(list.metadata?.resourceVersion)).toBeGreaterThan(0);
  });

  it('watches and runs an informer that sees an ephemeral container being added', async () => {
    const informer = k8s.makeInformer(kc, '/api/v1/namespaces/pxc/pods', () => core.listNamespacedPod({ namespace: 'pxc' }));
    const seen: string[] = [];
    informer.on('update', (pod) => {
      for (const c of pod.spec?.ephemeralContainers ?? []) seen.push(c.name);
    });
    await informer.start();
    try {
      await core.patchNamespacedPodEphemeralcontainers(
        {
          name: 'cluster1-pxc-1',
          namespace: 'pxc',
          body: { spec: { ephemeralContainers: [{ name: 'from-client-node', image: 'busybox', command: ['sleep', '30'] }] } },
        },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch),
      );
      await until(async () => (seen.includes('from-client-node') ? true : undefined));
      const cached = informer.get('cluster1-pxc-1', 'pxc');
      expect(cached?.spec?.ephemeralContainers?.map((c) => c.name)).toContain('from-client-node');
    } finally {
      await informer.stop();
    }
  });

  it('refuses a second ephemeral container with a taken name (422 Invalid)', async () => {
    const error = await core
      .patchNamespacedPodEphemeralcontainers(
        { name: 'cluster1-pxc-0', namespace: 'pxc', body: { spec: { ephemeralContainers: [{ name: 'pxc', image: 'busybox' }] } } },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch),
      )
      .then(() => undefined, (e: k8s.ApiException<string>) => e);
    expect(error?.code).toBe(422);
    expect(JSON.parse(error!.body).details.causes[0].message).toMatch(/Duplicate value: "pxc"/);
  });

  it('execs a command and reports its exit status', async () => {
    const stdout = new PassThrough();
    let out = '';
    stdout.on('data', (d) => (out += d));
    const status = await new Promise<k8s.V1Status>((resolve, reject) => {
      new k8s.Exec(kc)
        .exec('pxc', 'cluster1-pxc-0', 'pxc', ['sh', '-c', 'echo from-exec; exit 3'], stdout, null, null, false, (s) => resolve(s))
        .catch(reject);
    });
    expect(out).toBe('from-exec\n');
    expect(status.status).toBe('Failure');
    expect(status.details?.causes?.[0]).toEqual({ reason: 'ExitCode', message: '3' });
  });

  it('attaches to a running ephemeral container with a TTY', async () => {
    await core.patchNamespacedPodEphemeralcontainers(
      {
        name: 'cluster1-pxc-2',
        namespace: 'pxc',
        body: { spec: { ephemeralContainers: [{ name: 'tty-shell', image: 'busybox', command: ['sh'], stdin: true, tty: true }] } },
      },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch),
    );
    await until(async () => {
      const pod = await core.readNamespacedPod({ name: 'cluster1-pxc-2', namespace: 'pxc' });
      return pod.status?.ephemeralContainerStatuses?.find((s) => s.name === 'tty-shell')?.state?.running ? true : undefined;
    });
    const stdout = new PassThrough();
    const stdin = new PassThrough();
    let out = '';
    stdout.on('data', (d) => (out += d));
    const ws = await new k8s.Attach(kc).attach('pxc', 'cluster1-pxc-2', 'tty-shell', stdout, null, stdin, true);
    stdin.write('echo tty-$((6*7))\n');
    await until(async () => (out.includes('tty-42') ? true : undefined));
    ws.close();
  });
});
