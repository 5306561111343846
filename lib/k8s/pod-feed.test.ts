// The live feed's rules with a stand-in cache: a snapshot, then changes
// through the person's namespaces and criteria; a row that stops matching is
// deleted from the page; a change of access re-sends the snapshot.

import { describe, expect, it, vi } from 'vitest';
import type { ResourceAttributes } from './access';
import { pod } from './__fixtures__/pods';
import { openPodFeed, type FeedEvent } from './pod-feed';
import { toPodRow, type PodRow } from './pod-view';
import type { CacheListener, CacheUpdate, WatchCache } from './watch-cache';

function fakeCache(rows: PodRow[]) {
  const listeners = new Set<CacheListener>();
  const map = new Map(rows.map((row) => [row.key, row]));
  const cache = {
    status: () => ({ state: 'synced', since: 't', waitingFor: [] }),
    podRows: () => map.values(),
    sortedPodRows: (namespace?: string) => [...map.values()].filter((row) => !namespace || row.namespace === namespace).sort((a, b) => a.key.localeCompare(b.key)).values(),
    podNamespaces: () => [...new Set([...map.values()].map((row) => row.namespace))].sort(),
    podNamespacesJson: (namespaces: string[]) => {
      const rows = [...map.values()].filter((row) => namespaces.includes(row.namespace)).sort((a, b) => a.key.localeCompare(b.key));
      return { json: `[${rows.map((row) => JSON.stringify(row)).join(',')}]`, count: rows.length };
    },
    podRowJson: (row: PodRow) => JSON.stringify(row),
    namespaces: () => ['a', 'b'],
    subscribe: (listener: CacheListener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  } as unknown as WatchCache;
  let version = 0;
  const emit = (update: Partial<CacheUpdate>) => {
    for (const change of update.pods ?? []) {
      if (change.type === 'upsert') map.set(change.row.key, change.row);
      else map.delete(change.key);
    }
    listeners.forEach((listener) => listener({ version: ++version, pods: [], kinds: new Set(), ...update }));
  };
  return { cache, emit, listeners };
}

const row = (namespace: string, name: string, labels: Record<string, string> = {}) => toPodRow(pod({ metadata: { namespace, name, labels } }));

function recorder() {
  const sent: Array<{ event: FeedEvent; data: unknown }> = [];
  return { sent, sink: { send: (event: FeedEvent, data: string) => sent.push({ event, data: JSON.parse(data) }), keepAlive: () => {}, end: () => {} } };
}

describe('openPodFeed', () => {
  it('sends the visible, matching rows, then changes through the same filter', async () => {
    const { cache, emit } = fakeCache([row('a', 'web-1', { app: 'web' }), row('b', 'web-2', { app: 'web' }), row('a', 'db-1', { app: 'db' })]);
    const allowed = new Set(['a']);
    const ask = async (attrs: ResourceAttributes) => ({ allowed: allowed.has(attrs.namespace ?? ''), reason: 'r' });
    const { sent, sink } = recorder();
    const feed = await openPodFeed({ browse: { cluster: 'c', cache, ask }, filter: { label: 'app=web' } }, sink);

    expect(sent[0]).toMatchObject({ event: 'snapshot', data: { visible: 2, rows: [{ key: 'a/web-1' }] } });

    emit({
      pods: [
        { type: 'upsert', row: row('a', 'web-3', { app: 'web' }) },
        { type: 'upsert', row: row('b', 'web-4', { app: 'web' }) },
        { type: 'upsert', row: row('a', 'web-1', { app: 'api' }) },
        { type: 'delete', key: 'b/web-2' },
        { type: 'delete', key: 'a/db-1' },
      ],
      status: { state: 'reconnecting', since: 't', waitingFor: ['pods'], lastError: 'boom' },
    });
    expect(sent.slice(1)).toEqual([
      {
        event: 'change',
        data: [
          { type: 'upsert', row: expect.objectContaining({ key: 'a/web-3' }) },
          // web-1 lost its label: it leaves the page.
          { type: 'delete', key: 'a/web-1' },
          { type: 'delete', key: 'a/db-1' },
        ],
      },
      { event: 'status', data: expect.objectContaining({ state: 'reconnecting', lastError: 'boom' }) },
    ]);
    feed.close();
  });

  it('re-sends the snapshot when access changes with the namespaces, and stops listening once closed', async () => {
    const { cache, emit, listeners } = fakeCache([row('a', 'x'), row('b', 'y')]);
    const allowed = new Set(['a']);
    const ask = vi.fn(async (attrs: ResourceAttributes) => ({ allowed: allowed.has(attrs.namespace ?? ''), reason: 'r' }));
    const { sent, sink } = recorder();
    const feed = await openPodFeed({ browse: { cluster: 'c', cache, ask }, filter: {} }, sink);
    allowed.add('b');
    emit({ kinds: new Set(['namespaces'] as const) });
    await vi.waitFor(() => expect(sent).toHaveLength(3));
    expect(sent[1]).toEqual({ event: 'kinds', data: ['namespaces'] });
    expect(sent[2]).toMatchObject({ event: 'snapshot', data: { rows: [{ key: 'a/x' }, { key: 'b/y' }] } });
    feed.close();
    expect(listeners.size).toBe(0);
  });

  it('refuses (403) a namespace the person may not list, before sending anything', async () => {
    const { cache } = fakeCache([row('b', 'y')]);
    const ask = async () => ({ allowed: false, reason: 'c does not allow you to list pods in namespace b.' });
    const { sent, sink } = recorder();
    await expect(openPodFeed({ browse: { cluster: 'c', cache, ask }, filter: { namespace: 'b' } }, sink)).rejects.toMatchObject({ status: 403 });
    expect(sent).toEqual([]);
  });
});

describe('a status-only feed', () => {
  it('sends no rows and no row changes, only status and kinds', async () => {
    const { cache, emit } = fakeCache([row('a', 'x')]);
    const ask = async () => ({ allowed: true, reason: 'r' });
    const { sent, sink } = recorder();
    const feed = await openPodFeed({ browse: { cluster: 'c', cache, ask }, filter: {}, rows: false }, sink);
    emit({ pods: [{ type: 'upsert', row: row('a', 'y') }], kinds: new Set(['nodes'] as const) });
    expect(sent).toEqual([
      { event: 'snapshot', data: { status: expect.any(Object), visible: 0, rows: [] } },
      { event: 'kinds', data: ['nodes'] },
    ]);
    feed.close();
  });
});
