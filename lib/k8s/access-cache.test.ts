import { describe, expect, it } from 'vitest';
import { AccessCache } from './access-cache';

function cacheAt(start = 0, options: { ttlMs?: number; maxEntries?: number } = {}) {
  const clock = { t: start };
  const cache = new AccessCache<string>({ ttlMs: options.ttlMs ?? 30_000, maxEntries: options.maxEntries ?? 3, now: () => clock.t });
  return { cache, clock };
}

describe('AccessCache', () => {
  it('keeps a value for the TTL and not a millisecond longer', () => {
    const { cache, clock } = cacheAt();
    cache.set('k', 'v');
    clock.t = 29_999;
    expect(cache.get('k')).toBe('v');
    clock.t = 30_000;
    expect(cache.get('k')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('evicts the least recently used entry beyond maxEntries', () => {
    const { cache } = cacheAt();
    cache.set('a', '1');
    cache.set('b', '2');
    cache.set('c', '3');
    cache.get('a');
    cache.set('d', '4');
    expect(['a', 'b', 'c', 'd'].map((key) => cache.get(key))).toEqual(['1', undefined, '3', '4']);
  });

  it('restarts the TTL when a key is set again', () => {
    const { cache, clock } = cacheAt();
    cache.set('k', 'old');
    clock.t = 20_000;
    cache.set('k', 'new');
    clock.t = 40_000;
    expect(cache.get('k')).toBe('new');
  });

  it('loads once for concurrent asks, then answers from the cache', async () => {
    const { cache } = cacheAt();
    let loads = 0;
    const load = async () => `answer ${++loads}`;
    expect(await Promise.all([cache.getOrLoad('k', load), cache.getOrLoad('k', load)])).toEqual(['answer 1', 'answer 1']);
    expect(await cache.getOrLoad('k', load)).toBe('answer 1');
    expect(loads).toBe(1);
  });

  it('loads again once the value has expired', async () => {
    const { cache, clock } = cacheAt();
    let loads = 0;
    const load = async () => `answer ${++loads}`;
    await cache.getOrLoad('k', load);
    clock.t = 30_000;
    expect(await cache.getOrLoad('k', load)).toBe('answer 2');
  });

  it('does not keep a failure: the next ask loads again', async () => {
    const { cache } = cacheAt();
    await expect(cache.getOrLoad('k', () => Promise.reject(new Error('unreachable')))).rejects.toThrow('unreachable');
    expect(await cache.getOrLoad('k', async () => 'recovered')).toBe('recovered');
  });
});
