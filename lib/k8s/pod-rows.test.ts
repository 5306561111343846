import { describe, expect, it } from 'vitest';
import { pod } from './__fixtures__/pods';
import { PodRowIndex } from './pod-rows';

const p = (namespace: string, name: string, labels: Record<string, string> = {}) => pod({ metadata: { namespace, name, uid: `${namespace}-${name}`, labels } });

describe('PodRowIndex', () => {
  it('keeps rows in namespace, then name order, as pods come and go', () => {
    const index = new PodRowIndex();
    for (const [namespace, name] of [['shop', 'b'], ['pxc', 'z'], ['shop', 'a'], ['pxc', 'a']]) index.upsert(p(namespace, name));
    expect([...index.sorted()].map((row) => row.key)).toEqual(['pxc/a', 'pxc/z', 'shop/a', 'shop/b']);
    expect(index.delete(p('pxc', 'a'))).toBe('pxc/a');
    index.upsert(p('default', 'x'));
    expect([...index.sorted()].map((row) => row.key)).toEqual(['default/x', 'pxc/z', 'shop/a', 'shop/b']);
    expect([...index.sorted('shop')].map((row) => row.key)).toEqual(['shop/a', 'shop/b']);
    expect(index.namespaces()).toEqual(['default', 'pxc', 'shop']);
    index.delete(p('default', 'x'));
    expect(index.namespaces()).toEqual(['pxc', 'shop']);
    expect(index.size).toBe(3);
  });

  it('serializes a row once per change, and only the current one', () => {
    const index = new PodRowIndex();
    const old = index.upsert(p('pxc', 'a'));
    expect(index.rowJson(old)).toBe(index.rowJson(old));
    const current = index.upsert(p('pxc', 'a', { v: '2' }));
    expect(JSON.parse(index.rowJson(current)).labels).toEqual({ v: '2' });
    expect(JSON.parse(index.rowJson(old)).labels).toEqual({});
    expect(JSON.parse(index.rowJson(current)).labels).toEqual({ v: '2' });
  });

  it('serves the JSON of whole namespaces, rebuilt when a pod in one of them changes', () => {
    const index = new PodRowIndex();
    index.upsert(p('pxc', 'a'));
    index.upsert(p('shop', 'b'));
    const first = index.namespacesJson(['pxc', 'shop']);
    expect(first.count).toBe(2);
    expect((JSON.parse(first.json) as Array<{ key: string }>).map((row) => row.key)).toEqual(['pxc/a', 'shop/b']);
    expect(index.namespacesJson(['pxc', 'shop'])).toBe(first);

    index.upsert(p('shop', 'b', { changed: 'yes' }));
    const second = index.namespacesJson(['pxc', 'shop']);
    expect(second).not.toBe(first);
    expect((JSON.parse(second.json) as Array<{ labels: Record<string, string> }>)[1].labels).toEqual({ changed: 'yes' });
    expect(index.namespacesJson(['shop'])).toEqual({ json: `[${index.rowJson(index.get('shop', 'b')!)}]`, count: 1 });

    index.delete(p('shop', 'b'));
    expect(index.namespacesJson(['pxc', 'shop']).count).toBe(1);
    expect(index.namespacesJson(['gone'])).toEqual({ json: '[]', count: 0 });
  });
});
