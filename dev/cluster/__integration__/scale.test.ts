// Hollow nodes: many pods the API serves like any other, with no process behind them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectl, startDevCluster, type RunningDevCluster } from './harness';

let cluster: RunningDevCluster;

beforeAll(async () => {
  cluster = await startDevCluster('none', ['--scale-pods', '1200', '--scale-namespaces', '12']);
});

afterAll(async () => {
  await cluster?.stop();
});

describe('--scale-pods', () => {
  it('serves every pod, Running, through paged lists (kubectl pages by 500)', async () => {
    const r = await kubectl(cluster, ['get', 'pods', '-A', '--no-headers']);
    const rows = r.stdout.trim().split('\n');
    expect(rows).toHaveLength(1200);
    expect(rows.every((row) => /\s1\/1\s+Running\s+0\s/.test(row))).toBe(true);
    const oneNamespace = await kubectl(cluster, ['get', 'pods', '-n', 'scale-03', '-o', 'name']);
    expect(oneNamespace.stdout.trim().split('\n')).toHaveLength(100);
  });

  it('keeps ordinary pods off hollow nodes', async () => {
    await kubectl(cluster, ['run', 'real-one', '-n', 'default', '--image=busybox', '--restart=Never', '--', 'sleep', '60']);
    const node = await kubectl(cluster, ['get', 'pod', '-n', 'default', 'real-one', '-o', 'jsonpath={.spec.nodeName}']);
    expect(node.stdout).toMatch(/^node-[abc]$/);
  });
});
