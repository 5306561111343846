import { KubeConfig } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '@/lib/config/env';
import { formatVersion, mergeKubeconfigs, toClusterViews, type KubeconfigEntries } from './clusters';

const entries: KubeconfigEntries = {
  clusters: [
    { name: 'eu', server: 'https://eu.example:6443', skipTLSVerify: false },
    { name: 'us', server: 'https://us.example:6443', skipTLSVerify: false },
  ],
  contexts: [
    { name: 'prod-eu', cluster: 'eu', user: 'oncall', namespace: 'payments' },
    { name: 'prod-us', cluster: 'us', user: 'oncall' },
    { name: 'orphan', cluster: 'gone', user: 'oncall' },
  ],
};

describe('toClusterViews', () => {
  it('maps every context to name, server, user name and namespace', () => {
    expect(toClusterViews(entries, null, 'kubeconfig /k')).toEqual([
      { name: 'prod-eu', server: 'https://eu.example:6443', user: 'oncall', namespace: 'payments' },
      { name: 'prod-us', server: 'https://us.example:6443', user: 'oncall', namespace: 'default' },
      { name: 'orphan', server: null, user: 'oncall', namespace: 'default' },
    ]);
  });

  it('keeps only the EPHEMERA_CONTEXTS, in the order given', () => {
    expect(toClusterViews(entries, ['prod-us', 'prod-eu'], 'kubeconfig /k').map((view) => view.name)).toEqual(['prod-us', 'prod-eu']);
  });

  it('refuses an EPHEMERA_CONTEXTS entry that is not a context, listing the ones there are', () => {
    expect(() => toClusterViews(entries, ['prod-eu', 'staging'], 'kubeconfig /k')).toThrow(
      new ConfigError('EPHEMERA_CONTEXTS names staging, not a context in kubeconfig /k. Contexts there: prod-eu, prod-us, orphan.'),
    );
  });
});

describe('mergeKubeconfigs', () => {
  const file = (context: string, cluster: string, server: string) => {
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: cluster, server, skipTLSVerify: false }],
      users: [{ name: 'me' }],
      contexts: [{ name: context, cluster, user: 'me' }],
      currentContext: context,
    });
    return kc;
  };

  it('keeps the first entry of each name, as kubectl does', () => {
    const merged = mergeKubeconfigs([file('a', 'c1', 'https://first'), file('b', 'c1', 'https://second')]);
    expect(merged.clusters).toEqual([{ name: 'c1', server: 'https://first', skipTLSVerify: false }]);
    expect(merged.users.map((user) => user.name)).toEqual(['me']);
    expect(merged.contexts.map((context) => context.name)).toEqual(['a', 'b']);
    expect(merged.currentContext).toBe('a');
  });
});

describe('formatVersion', () => {
  it.each([
    [{ major: '1', minor: '31', gitVersion: 'v1.31.2' }, 'v1.31'],
    [{ major: '1', minor: '30+', gitVersion: 'v1.30.4-gke.1348000' }, 'v1.30'],
    [{ major: '', minor: '', gitVersion: 'v1.29.0-eks-1' }, 'v1.29'],
    [{ major: '', minor: '', gitVersion: 'custom' }, 'custom'],
  ])('%j → %s', (info, expected) => {
    expect(formatVersion(info)).toBe(expected);
  });
});
