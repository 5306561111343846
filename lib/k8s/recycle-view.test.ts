import { describe, expect, it } from 'vitest';
import { pod, pxcPod } from './__fixtures__/pods';
import { sortRecycleRows, toRecycleRow } from './recycle-view';

describe('toRecycleRow', () => {
  it('is undefined for a pod without ephemeral containers', () => {
    expect(toRecycleRow(pod())).toBeUndefined();
  });

  it('counts ephemeral containers and running ones, dates the oldest, names the controller', () => {
    expect(toRecycleRow(pxcPod())).toEqual({
      key: 'pxc/cluster1-pxc-0',
      uid: 'uid-pxc-0',
      name: 'cluster1-pxc-0',
      namespace: 'pxc',
      node: 'node-a',
      status: 'Running',
      ephemeral: { count: 2, running: 1 },
      containers: [
        { name: 'debugger-abc12', image: 'busybox:1.36', state: 'running' },
        { name: 'debugger-old', image: 'busybox:1.36', state: 'terminated' },
      ],
      oldestStartedAt: '2026-01-01T12:00:00Z',
      owner: { kind: 'StatefulSet', name: 'cluster1-pxc', controller: true },
      recyclable: true,
    });
  });

  it('never offers to recycle a pod no controller would recreate', () => {
    const bare = pod({ spec: { nodeName: 'n', containers: [{ name: 'web', image: 'w' }], ephemeralContainers: [{ name: 'dbg', image: 'busybox' }] } });
    expect(toRecycleRow(bare)).toMatchObject({ recyclable: false, ephemeral: { count: 1, running: 0 }, containers: [{ name: 'dbg', state: 'unknown' }] });
    expect(toRecycleRow(bare)).not.toHaveProperty('owner');
    expect(toRecycleRow(bare)).not.toHaveProperty('oldestStartedAt');
  });

  it('sorts the longest-carried debugger first, not-yet-started last', () => {
    const a = toRecycleRow(pxcPod())!;
    const b = { ...a, key: 'b', oldestStartedAt: '2025-12-01T00:00:00Z' };
    const c = { ...a, key: 'c', oldestStartedAt: undefined };
    expect(sortRecycleRows([c, a, b]).map((row) => row.key)).toEqual(['b', 'pxc/cluster1-pxc-0', 'c']);
  });
});
