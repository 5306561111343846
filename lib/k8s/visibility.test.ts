import { describe, expect, it } from 'vitest';
import type { ResourceAttributes } from './access';
import { podVisibility, sameVisibility, sees } from './visibility';

/** A cluster that allows `list pods` in `allowed` namespaces ('' = cluster-wide), recording what it was asked. */
function cluster(allowed: string[]) {
  const asked: string[] = [];
  const ask = async (attrs: ResourceAttributes) => {
    asked.push(`${attrs.verb} ${attrs.resource} ${attrs.namespace ?? ''}`.trim());
    const ok = allowed.includes(attrs.namespace ?? '');
    return { allowed: ok, reason: ok ? 'ok' : `no list pods in ${attrs.namespace ?? 'the cluster'}` };
  };
  return { ask, asked };
}

describe('podVisibility', () => {
  it('asks once, cluster-wide, and sees everything (future namespaces too) when that is allowed', async () => {
    const { ask, asked } = cluster(['']);
    const visibility = await podVisibility(ask, ['a', 'b']);
    expect(asked).toEqual(['list pods']);
    expect(visibility.everywhere).toBe(true);
    expect(sees(visibility, 'created-later')).toBe(true);
  });

  it('otherwise asks per namespace and keeps the refusals’ reasons', async () => {
    const { ask, asked } = cluster(['a']);
    const visibility = await podVisibility(ask, ['a', 'b']);
    expect(asked).toEqual(['list pods', 'list pods a', 'list pods b']);
    expect([...visibility.namespaces]).toEqual(['a']);
    expect(sees(visibility, 'b')).toBe(false);
    expect(sees(visibility, 'created-later')).toBe(false);
    expect(visibility.reasons.get('b')).toBe('no list pods in b');
  });

  it('compares answers by what they show', async () => {
    const one = await podVisibility(cluster(['a']).ask, ['a', 'b']);
    expect(sameVisibility(one, await podVisibility(cluster(['a']).ask, ['a', 'b']))).toBe(true);
    expect(sameVisibility(one, await podVisibility(cluster(['a', 'b']).ask, ['a', 'b']))).toBe(false);
    expect(sameVisibility(one, await podVisibility(cluster(['']).ask, ['a']))).toBe(false);
  });
});
