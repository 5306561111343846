import { describe, expect, it } from 'vitest';
import { ObjectStore, type StoredEvent } from './store';
import { KIND } from './resources';
import type { KubeObject } from './types';

const ns = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });

describe('ObjectStore', () => {
  it('bumps the resourceVersion on every write and keeps identity fields', () => {
    const store = new ObjectStore();
    const a = store.create(KIND.namespaces, ns('a'));
    const b = store.update(KIND.namespaces, { ...a, metadata: { ...a.metadata, labels: { x: 'y' }, uid: 'forged' } });
    expect(Number(b.metadata.resourceVersion)).toBeGreaterThan(Number(a.metadata.resourceVersion));
    expect(b.metadata.uid).toBe(a.metadata.uid);
    expect(b.metadata.labels).toEqual({ x: 'y' });
  });

  it('refuses a stale update with 409 Conflict and a duplicate create with 409 AlreadyExists', () => {
    const store = new ObjectStore();
    const a = store.create(KIND.namespaces, ns('a'));
    store.update(KIND.namespaces, a);
    expect(() => store.update(KIND.namespaces, a, a.metadata.resourceVersion)).toThrow(/the object has been modified/);
    expect(() => store.create(KIND.namespaces, ns('a'))).toThrow('namespaces "a" already exists');
  });

  it('replays history after a resourceVersion, then follows', () => {
    const store = new ObjectStore();
    const a = store.create(KIND.namespaces, ns('a'));
    store.create(KIND.namespaces, ns('b'));
    const seen: StoredEvent[] = [];
    const stop = store.watch('namespaces', Number(a.metadata.resourceVersion), (e) => seen.push(e));
    store.remove(KIND.namespaces, undefined, 'a');
    stop();
    store.create(KIND.namespaces, ns('c'));
    expect(seen.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['ADDED b', 'DELETED a']);
  });

  it('answers 410 Expired for a resourceVersion that left the history, as etcd after compaction', () => {
    const store = new ObjectStore(3);
    const first = store.create(KIND.namespaces, ns('a'));
    for (const name of ['b', 'c', 'd', 'e']) store.create(KIND.namespaces, ns(name));
    expect(() => store.watch('namespaces', Number(first.metadata.resourceVersion), () => {})).toThrow(/too old resource version/);
    try {
      store.watch('namespaces', 1, () => {});
    } catch (error) {
      expect((error as { status: { code: number; reason: string } }).status).toMatchObject({ code: 410, reason: 'Expired' });
    }
  });

  it('hands out copies, so callers cannot change stored objects', () => {
    const store = new ObjectStore();
    store.create(KIND.namespaces, ns('a'));
    const copy = store.get(KIND.namespaces, undefined, 'a')!;
    copy.metadata.labels = { changed: 'yes' };
    expect(store.get(KIND.namespaces, undefined, 'a')!.metadata.labels).toBeUndefined();
  });
});
