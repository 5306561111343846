import { describe, expect, it } from 'vitest';
import { pod, running, waiting } from './__fixtures__/pods';
import { compileFilter, filterToSearch, matchesSelector, parseLabelSelector, SelectorError, sortRows, statusCategory } from './pod-filter';
import { toPodRow, type PodRow } from './pod-view';

const row = (name: string, namespace: string, extra: Partial<PodRow> = {}): PodRow => ({
  ...toPodRow(pod({ metadata: { name, namespace, labels: { app: name.split('-')[0] } } })),
  ...extra,
});

describe('statusCategory', () => {
  it.each([
    [{ status: 'Running', phase: 'Running' }, 'Running'],
    [{ status: 'CrashLoopBackOff', phase: 'Running' }, 'CrashLoopBackOff'],
    [{ status: 'Init:CrashLoopBackOff', phase: 'Pending' }, 'CrashLoopBackOff'],
    [{ status: 'ImagePullBackOff', phase: 'Pending' }, 'ImagePullBackOff'],
    [{ status: 'ErrImagePull', phase: 'Pending' }, 'ImagePullBackOff'],
    [{ status: 'Init:ErrImagePull', phase: 'Pending' }, 'ImagePullBackOff'],
    [{ status: 'Terminating', phase: 'Running' }, 'Terminating'],
    [{ status: 'Completed', phase: 'Succeeded' }, 'Succeeded'],
    [{ status: 'Error', phase: 'Failed' }, 'Failed'],
    [{ status: 'ContainerCreating', phase: 'Pending' }, 'Pending'],
    [{ status: 'NotReady', phase: 'Running' }, 'Running'],
    [{ status: 'Unknown', phase: '' }, 'Unknown'],
  ] as const)('%o → %s', (input, expected) => {
    expect(statusCategory(input)).toBe(expected);
  });

  it('puts a crash-looping pod from the API in its own category', () => {
    const crashing = toPodRow(pod({ status: { phase: 'Running', containerStatuses: [waiting('web', 'CrashLoopBackOff')] } }));
    expect(statusCategory(crashing)).toBe('CrashLoopBackOff');
    expect(statusCategory(toPodRow(pod({ status: { phase: 'Running', containerStatuses: [running('web')] } })))).toBe('Running');
  });
});

describe('label selectors', () => {
  it('parses equality, set and existence terms', () => {
    expect(parseLabelSelector('app=web, tier != db,env in (prod, staging),!canary,team,k==v,x notin (a)')).toEqual([
      { key: 'app', op: 'in', values: ['web'] },
      { key: 'tier', op: 'notin', values: ['db'] },
      { key: 'env', op: 'in', values: ['prod', 'staging'] },
      { key: 'canary', op: '!exists' },
      { key: 'team', op: 'exists' },
      { key: 'k', op: 'in', values: ['v'] },
      { key: 'x', op: 'notin', values: ['a'] },
    ]);
    expect(parseLabelSelector('  ')).toEqual([]);
    expect(parseLabelSelector('app.kubernetes.io/component=pxc')).toEqual([{ key: 'app.kubernetes.io/component', op: 'in', values: ['pxc'] }]);
  });

  it.each([
    ['app=web,', /empty term/],
    ['a b c', /not a label selector term/],
    ['-bad=x', /not a valid label key/],
    ['app=has space', /not a label selector term/],
    ['app=-x', /not a valid label value/],
  ])('refuses %j, naming the problem', (selector, message) => {
    expect(() => parseLabelSelector(selector)).toThrow(SelectorError);
    expect(() => parseLabelSelector(selector)).toThrow(message);
  });

  it('matches as the API server does: != and notin also match pods without the label', () => {
    const labels = { app: 'web', tier: 'front' };
    expect(matchesSelector(labels, parseLabelSelector('app=web'))).toBe(true);
    expect(matchesSelector(labels, parseLabelSelector('app=db'))).toBe(false);
    expect(matchesSelector(labels, parseLabelSelector('env!=prod'))).toBe(true);
    expect(matchesSelector(labels, parseLabelSelector('tier notin (front)'))).toBe(false);
    expect(matchesSelector(labels, parseLabelSelector('!canary,app'))).toBe(true);
    expect(matchesSelector(labels, parseLabelSelector('app,tier in (back)'))).toBe(false);
  });
});

describe('compileFilter', () => {
  const rows = [
    row('web-1', 'shop'),
    row('web-2', 'pxc'),
    row('checkout-1', 'shop', { status: 'CrashLoopBackOff', phase: 'Running' }),
    row('cluster1-pxc-0', 'pxc'),
  ];
  const names = (filter: Parameters<typeof compileFilter>[0]) => rows.filter(compileFilter(filter)).map((r) => r.key);

  it('keeps everything without criteria', () => {
    expect(names({})).toHaveLength(4);
  });
  it('filters by namespace, name (any case), status and label, all at once', () => {
    expect(names({ namespace: 'shop' })).toEqual(['shop/web-1', 'shop/checkout-1']);
    expect(names({ q: 'WEB' })).toEqual(['shop/web-1', 'pxc/web-2']);
    expect(names({ status: ['CrashLoopBackOff'] })).toEqual(['shop/checkout-1']);
    expect(names({ status: ['Running', 'CrashLoopBackOff'] })).toHaveLength(4);
    expect(names({ label: 'app=cluster1' })).toEqual(['pxc/cluster1-pxc-0']);
    expect(names({ namespace: 'shop', q: 'web', status: ['Running'], label: 'app=web' })).toEqual(['shop/web-1']);
  });
  it('filters by node and by carrying ephemeral containers', () => {
    const debugged = row('web-9', 'shop', { node: 'node-b', ephemeral: { count: 1, running: 0 } });
    expect([...rows, debugged].filter(compileFilter({ ephemeral: true })).map((r) => r.key)).toEqual(['shop/web-9']);
    expect([...rows, debugged].filter(compileFilter({ node: 'node-b' })).map((r) => r.key)).toEqual(['shop/web-9']);
  });
  it('throws SelectorError for a bad selector', () => {
    expect(() => compileFilter({ label: 'a b' })).toThrow(SelectorError);
  });
});

describe('filterToSearch and sortRows', () => {
  it('writes only the criteria that are set', () => {
    expect(filterToSearch({})).toBe('');
    expect(filterToSearch({ namespace: 'pxc', q: 'pxc-0', status: ['Running', 'Pending'], label: 'app in (a,b)' })).toBe(
      '?namespace=pxc&q=pxc-0&status=Running%2CPending&label=app+in+%28a%2Cb%29',
    );
    expect(filterToSearch({ node: 'node-a', ephemeral: true })).toBe('?node=node-a&ephemeral=true');
  });
  it('sorts by namespace, then name', () => {
    expect(sortRows([row('b', 'y'), row('a', 'y'), row('z', 'x')]).map((r) => r.key)).toEqual(['x/z', 'y/a', 'y/b']);
  });
});
