// The cache's change feed, without a cluster: the informers' add/update/delete
// callbacks are called directly (pod-rows.test.ts covers the row index); lists,
// watches and recovery are tested against the dev cluster in
// __integration__/watch-cache.test.ts.

import { KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { pod } from './__fixtures__/pods';
import { WatchCache, type CacheUpdate } from './watch-cache';

const nowhere = new KubeConfig();
nowhere.loadFromOptions({ clusters: [{ name: 'c', server: 'https://127.0.0.1:9' }], users: [{ name: 'u' }], contexts: [{ name: 'x', cluster: 'c', user: 'u' }], currentContext: 'x' });

/** The informer callbacks, as client-node calls them. */
type Callbacks = { upsertPod(pod: V1Pod): void; deletePod(pod: V1Pod): void };

let cache: WatchCache;
afterEach(() => cache?.stop());

function fresh() {
  cache = new WatchCache('c', nowhere, { flushMs: 5, log: () => {} });
  return cache as unknown as Callbacks;
}

const p = (namespace: string, name: string, labels: Record<string, string> = {}) => pod({ metadata: { namespace, name, uid: `${namespace}-${name}`, labels } });

describe('WatchCache change feed', () => {
  it('keeps the rows the informer hands it, in list order', () => {
    const informer = fresh();
    informer.upsertPod(p('shop', 'b'));
    informer.upsertPod(p('pxc', 'a'));
    expect([...cache.sortedPodRows()].map((row) => row.key)).toEqual(['pxc/a', 'shop/b']);
    expect(cache.podRow('pxc', 'a')?.namespace).toBe('pxc');
  });

  it('tells listeners in batches, the latest change per pod', async () => {
    const informer = fresh();
    const updates: CacheUpdate[] = [];
    cache.subscribe((update) => updates.push(update));
    informer.upsertPod(p('pxc', 'a'));
    informer.upsertPod(p('pxc', 'a', { v: '2' }));
    informer.upsertPod(p('pxc', 'b'));
    informer.deletePod(p('pxc', 'b'));
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(updates).toHaveLength(1);
    expect(updates[0].pods).toEqual([
      { type: 'upsert', row: expect.objectContaining({ key: 'pxc/a', labels: { v: '2' } }) },
      { type: 'delete', key: 'pxc/b' },
    ]);
  });

  it('starts in state starting, holding nothing', () => {
    fresh();
    expect(cache.status()).toMatchObject({ state: 'starting', waitingFor: ['pods', 'nodes', 'namespaces', 'events'] });
    expect(cache.status().syncedAt).toBeUndefined();
  });
});
