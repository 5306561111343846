// The shared watch cache against the real dev cluster, with the dashboard's
// own credentials: it syncs, it hears changes made with kubectl, fifty
// listeners share one watch per kind, and it recovers by itself when the
// cluster goes away (a proxy cut) and comes back, catching up on what changed.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevCluster, type RunningDevCluster } from '@/dev/cluster/__integration__/harness';
import type { WatchCache } from '../watch-cache';
import { admin, dashboardKubeConfig, eventually, nextUpdate, podManifest, startCache } from './support';
import { startTcpProxy, type TcpProxy } from './tcp-proxy';

let cluster: RunningDevCluster;
let proxy: TcpProxy;
let cache: WatchCache;

beforeAll(async () => {
  cluster = await startDevCluster('demo');
  const url = new URL(cluster.url);
  proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port) });
  cache = startCache(dashboardKubeConfig(cluster, proxy.url), { initialBackoffMs: 100, maxBackoffMs: 400, flushMs: 10 });
});

afterAll(async () => {
  await cache?.stop();
  await proxy?.close();
  await cluster?.stop();
});

describe('the shared watch cache', () => {
  it('syncs pods, nodes, namespaces and events with the dashboard’s own credentials', async () => {
    const status = await cache.whenSynced(15_000);
    expect(status).toMatchObject({ state: 'synced', waitingFor: [] });
    expect(status.syncedAt).toBeDefined();
    expect(cache.podRow('pxc', 'cluster1-pxc-0')).toMatchObject({ namespace: 'pxc', node: 'node-a', ready: '2/2' });
    expect(cache.nodes().map((node) => node.metadata?.name).sort()).toEqual(['node-a', 'node-b', 'node-c']);
    expect(cache.namespaces()).toEqual(expect.arrayContaining(['pxc', 'shop', 'kube-system', 'ephemera']));
  });

  it('keeps timestamps as the API sends them (strings), listed or watched', () => {
    expect(typeof cache.pod('pxc', 'cluster1-pxc-0')?.metadata?.creationTimestamp).toBe('string');
  });

  it('hears a pod created with kubectl, an ephemeral container added to it, and its deletion', async () => {
    const created = nextUpdate(cache, (u) => u.pods.some((c) => c.type === 'upsert' && c.row.key === 'shop/feed-probe'));
    await admin(cluster, ['apply', '-f', '-'], podManifest('shop', 'feed-probe'));
    await created;

    const debugged = nextUpdate(cache, (u) => u.pods.some((c) => c.type === 'upsert' && c.row.key === 'shop/feed-probe' && c.row.ephemeral.running === 1));
    await admin(cluster, ['debug', '-n', 'shop', 'feed-probe', '--image=busybox:1.36', '--attach=false', '-c', 'dbg', '--profile=general', '--', 'sleep', '3600']);
    const update = await debugged;
    expect(update.pods.find((c) => c.type === 'upsert' && c.row.key === 'shop/feed-probe')).toMatchObject({ row: { ephemeral: { count: 1, running: 1 } } });

    const deleted = nextUpdate(cache, (u) => u.pods.some((c) => c.type === 'delete' && c.key === 'shop/feed-probe'));
    await admin(cluster, ['delete', 'pod', '-n', 'shop', 'feed-probe', '--grace-period=0', '--force']);
    await deleted;
    expect(cache.podRow('shop', 'feed-probe')).toBeUndefined();
  });

  it('costs the cluster one watch per kind, however many listen', async () => {
    const unsubscribes = Array.from({ length: 50 }, () => cache.subscribe(() => {}));
    expect(cache.subscribers).toBeGreaterThanOrEqual(50);
    // Four informers, four long-lived watch connections; lists close when done.
    await eventually(() => proxy.open() === 4, 5_000, 'four open connections');
    unsubscribes.forEach((unsubscribe) => unsubscribe());
  });

  it('says it is reconnecting, with the error, while the cluster is away, and catches up when it is back', async () => {
    const away = nextUpdate(cache, (u) => u.status?.state === 'reconnecting');
    const refused = nextUpdate(cache, (u) => /Connection refused/.test(u.status?.lastError ?? ''));
    await proxy.cut();
    // First the open watches break, then every retry is refused.
    expect((await away).status?.lastError).toMatch(/^Watching \w+ failed: (https:\/\/127\.0\.0\.1:\d+ closed the connection in the middle of the watch|Connection refused)/);
    const update = await refused;
    expect(update.status).toMatchObject({ state: 'reconnecting' });
    expect(update.status?.lastError).toMatch(/^Watching \w+ failed: Connection refused by 127\.0\.0\.1:\d+: nothing is listening there/);
    expect(update.status?.syncedAt).toBeDefined();
    // The last known state stays readable meanwhile.
    expect(cache.podRow('pxc', 'cluster1-pxc-0')).toBeDefined();

    // Changes made while the cache cannot see them (kubectl goes to the cluster directly).
    await admin(cluster, ['apply', '-f', '-'], podManifest('shop', 'made-during-outage'));
    await admin(cluster, ['label', 'pod', '-n', 'pxc', 'cluster1-pxc-2', 'outage=seen']);

    const back = nextUpdate(cache, (u) => u.status?.state === 'synced');
    await proxy.restore();
    await back;
    await eventually(() => cache.podRow('shop', 'made-during-outage') !== undefined, 10_000, 'the pod made during the outage');
    await eventually(() => cache.podRow('pxc', 'cluster1-pxc-2')?.labels.outage === 'seen', 10_000, 'the label set during the outage');
    expect(cache.status()).toMatchObject({ state: 'synced', waitingFor: [] });
  });
});
