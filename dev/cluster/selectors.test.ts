import { describe, expect, it } from 'vitest';
import { fieldMatcher, labelMatcher } from './selectors';
import type { KubeObject } from './types';

const pod = (name: string, labels: Record<string, string>, extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'pxc', labels }, ...extra,
});

describe('labelMatcher', () => {
  const a = pod('a', { app: 'pxc', tier: 'db' });
  const b = pod('b', { app: 'haproxy' });
  it.each([
    ['app=pxc', [true, false]],
    ['app==pxc', [true, false]],
    ['app!=pxc', [false, true]],
    ['app in (pxc, haproxy)', [true, true]],
    ['app notin (pxc)', [false, true]],
    ['tier', [true, false]],
    ['!tier', [false, true]],
    ['app in (pxc,haproxy),tier=db', [true, false]],
    ['', [true, true]],
  ])('%s', (selector, expected) => {
    const match = labelMatcher(selector);
    expect([match(a), match(b)]).toEqual(expected);
  });
  it('refuses what it cannot parse', () => {
    expect(() => labelMatcher('app=(x')).toThrow(/unable to parse requirement/);
  });
});

describe('fieldMatcher', () => {
  const running = pod('a', {}, { spec: { nodeName: 'node-a' }, status: { phase: 'Running' } });
  const pending = pod('b', {}, { spec: {}, status: { phase: 'Pending' } });
  it('matches name, node and phase', () => {
    expect(fieldMatcher('pods', 'metadata.name=a')(running)).toBe(true);
    expect(fieldMatcher('pods', 'metadata.name=a')(pending)).toBe(false);
    expect(fieldMatcher('pods', 'spec.nodeName=node-a,status.phase!=Pending')(running)).toBe(true);
    expect(fieldMatcher('pods', 'status.phase!=Pending')(pending)).toBe(false);
  });
  it('refuses fields the resource does not register, like the apiserver', () => {
    expect(() => fieldMatcher('pods', 'spec.containers=x')).toThrow('field label not supported: spec.containers');
  });
});
