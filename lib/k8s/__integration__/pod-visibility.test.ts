// What each person sees of the shared cache is what the cluster lets them
// list, asked as them. olga may list pods in team-a only (a Role and
// RoleBinding made here with kubectl as dev-admin): she must never see a pod
// of team-b — not in a list, not in the live feed (not even its deletion),
// not by asking for it by name.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevCluster, type RunningDevCluster } from '@/dev/cluster/__integration__/harness';
import type { EphemeraUser } from '@/lib/auth/types';
import { UserFacingError } from '@/lib/http/errors';
import type { KubeConfig } from '@kubernetes/client-node';
import { listNodes } from '../nodes';
import { openPodFeed, type FeedEvent } from '../pod-feed';
import { listPods, podPage } from '../pods';
import { recycleListing, recyclePod } from '../recycle';
import type { WatchCache } from '../watch-cache';
import { admin, browseAs, dashboardKubeConfig, eventually, podManifest, startCache } from './support';

const olga: EphemeraUser = { name: 'olga', groups: ['contractors'], roles: ['debugger'] };
const alice: EphemeraUser = { name: 'alice', groups: ['oncall'], roles: ['debugger'] };
const sam: EphemeraUser = { name: 'sam', groups: ['support'], roles: ['viewer'] };

let cluster: RunningDevCluster;
let kubeConfig: KubeConfig;
let cache: WatchCache;

const ROLE = `
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: { name: pod-reader, namespace: team-a }
rules:
- apiGroups: [""]
  resources: [pods, pods/log]
  verbs: [get, list, watch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: { name: olga-reads-pods, namespace: team-a }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: Role, name: pod-reader }
subjects:
- { apiGroup: rbac.authorization.k8s.io, kind: User, name: olga }
`;

beforeAll(async () => {
  cluster = await startDevCluster('demo');
  await admin(cluster, ['create', 'namespace', 'team-a']);
  await admin(cluster, ['create', 'namespace', 'team-b']);
  await admin(cluster, ['apply', '-f', '-'], ROLE);
  await admin(cluster, ['apply', '-f', '-'], podManifest('team-a', 'api-0', { app: 'api' }));
  await admin(cluster, ['apply', '-f', '-'], podManifest('team-b', 'secret-project-0', { app: 'secret' }));
  kubeConfig = dashboardKubeConfig(cluster);
  cache = startCache(kubeConfig, { flushMs: 10 });
  await cache.whenSynced(15_000);
  await eventually(() => cache.podRow('team-b', 'secret-project-0') !== undefined && cache.namespaces().includes('team-b'));
});

afterAll(async () => {
  await cache?.stop();
  await cluster?.stop();
});

const statusOf = async (promise: Promise<unknown>) => {
  try {
    await promise;
    return 'resolved';
  } catch (error) {
    return error instanceof UserFacingError ? { status: error.status, message: error.message } : error;
  }
};

describe('a user who may list pods in one namespace only', () => {
  it('lists only that namespace’s pods, and only that namespace', async () => {
    const { browse } = browseAs(cache, kubeConfig, olga);
    const listing = await listPods(browse, {});
    expect(listing.rows.map((row) => row.key)).toEqual(['team-a/api-0']);
    expect(listing.namespaces).toEqual(['team-a']);
    expect(listing.visible).toBe(1);
  });

  it('is refused (403) the other namespace when asking for it by filter, with the cluster’s reason', async () => {
    const { browse } = browseAs(cache, kubeConfig, olga);
    expect(await statusOf(listPods(browse, { namespace: 'team-b' }))).toEqual({
      status: 403,
      message: expect.stringMatching(/^dev-dashboard does not allow olga to list pods in namespace team-b/),
    });
  });

  it('is refused by the cluster itself when asking for a pod of the other namespace by name', async () => {
    const { browse, client } = browseAs(cache, kubeConfig, olga);
    expect(await statusOf(podPage(client, browse, 'team-b', 'secret-project-0'))).toEqual({
      status: 403,
      message: expect.stringContaining('User "olga" cannot get resource "pods" in API group "" in the namespace "team-b"'),
    });
    const own = await podPage(client, browse, 'team-a', 'api-0');
    expect(own.detail.row.key).toBe('team-a/api-0');
    // She may not list events in team-a: the page says so instead of showing the cache's.
    expect(own.events).toMatchObject({ shown: false, reason: expect.stringContaining('list events in namespace team-a') });
  });

  it('hears only her namespace in the live feed: no snapshot row, change or deletion from the other', async () => {
    const { browse } = browseAs(cache, kubeConfig, olga);
    const sent: Array<{ event: FeedEvent; data: string }> = [];
    const feed = await openPodFeed({ browse, filter: {} }, { send: (event, data) => sent.push({ event, data }), keepAlive: () => {}, end: () => {} });
    try {
      expect(sent).toHaveLength(1);
      expect(JSON.parse(sent[0].data).rows.map((row: { key: string }) => row.key)).toEqual(['team-a/api-0']);

      await admin(cluster, ['apply', '-f', '-'], podManifest('team-b', 'secret-project-1'));
      await admin(cluster, ['label', 'pod', '-n', 'team-b', 'secret-project-0', 'touched=yes']);
      await admin(cluster, ['delete', 'pod', '-n', 'team-b', 'secret-project-1', '--grace-period=0', '--force']);
      await admin(cluster, ['apply', '-f', '-'], podManifest('team-a', 'api-1'));
      await eventually(() => sent.some((s) => s.event === 'change' && s.data.includes('team-a/api-1')), 10_000, 'api-1 in the feed');
      await eventually(() => cache.podRow('team-b', 'secret-project-1') === undefined, 10_000, 'the team-b pod gone from the cache');
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(sent.map((s) => s.data).join('\n')).not.toContain('team-b');
    } finally {
      feed.close();
    }
  });

  it('sees no nodes: nodes are cluster-wide and she may not list them', async () => {
    const { browse } = browseAs(cache, kubeConfig, olga);
    expect(await statusOf(listNodes(browse))).toMatchObject({ status: 403 });
  });
});

describe('the demo’s people', () => {
  it('alice (oncall) sees pxc and shop, nothing of the other namespaces', async () => {
    const { browse } = browseAs(cache, kubeConfig, alice);
    const listing = await listPods(browse, {});
    expect(listing.namespaces).toEqual(['pxc', 'shop']);
    expect(new Set(listing.rows.map((row) => row.namespace))).toEqual(new Set(['pxc', 'shop']));
    expect(listing.rows.map((row) => row.name)).toContain('cluster1-pxc-0');
  });

  it('sam (support, cluster-wide view) sees every namespace, nodes with his visible pods counted', async () => {
    const { browse } = browseAs(cache, kubeConfig, sam);
    const listing = await listPods(browse, {});
    expect(listing.namespaces).toEqual(expect.arrayContaining(['pxc', 'shop', 'team-a', 'team-b']));
    const nodes = await listNodes(browse);
    expect(nodes.rows.map((row) => row.name)).toEqual(['node-a', 'node-b', 'node-c']);
    expect(nodes.rows.find((row) => row.name === 'node-a')?.pods).toBeGreaterThan(0);
  });

  it('on the recycle page, alice may recycle in pxc; sam (viewer) may not, whatever the cluster says', async () => {
    await admin(cluster, ['debug', '-n', 'pxc', 'cluster1-pxc-1', '--image=busybox:1.36', '--attach=false', '-c', 'dbg', '--profile=general', '--', 'sleep', '3600']);
    await eventually(() => (cache.podRow('pxc', 'cluster1-pxc-1')?.ephemeral.count ?? 0) > 0, 10_000, 'the debugger in the cache');
    const forAlice = await recycleListing(alice, browseAs(cache, kubeConfig, alice).browse);
    expect(forAlice.rows.map((row) => row.key)).toEqual(['pxc/cluster1-pxc-1']);
    expect(forAlice.rows[0]).toMatchObject({ recyclable: true, owner: { kind: 'StatefulSet', name: 'cluster1-pxc' } });
    expect(forAlice.permissions.pxc).toMatchObject({ allowed: true });
    const forSam = await recycleListing(sam, browseAs(cache, kubeConfig, sam).browse);
    expect(forSam.permissions.pxc).toMatchObject({ allowed: false, reason: expect.stringContaining('needs an Ephemera role that may debug') });
    const forOlga = await recycleListing(olga, browseAs(cache, kubeConfig, olga).browse);
    expect(forOlga.rows).toEqual([]);
  });
});

describe('recycling, as the person', () => {
  it('refuses a viewer, a pod without a controller and a pod replaced since; deletes the confirmed one', async () => {
    await admin(cluster, ['apply', '-f', '-'], podManifest('shop', 'bare-0'));
    await admin(cluster, ['debug', '-n', 'shop', 'bare-0', '--image=busybox:1.36', '--attach=false', '-c', 'dbg', '--profile=general', '--', 'sleep', '3600']);
    const uidOf = async (namespace: string, name: string) => (await admin(cluster, ['get', 'pod', '-n', namespace, name, '-o', 'jsonpath={.metadata.uid}'])).trim();

    const asSam = browseAs(cache, kubeConfig, sam);
    const pxcUid = await uidOf('pxc', 'cluster1-pxc-1');
    expect(await statusOf(recyclePod(sam, asSam.client, asSam.browse, 'pxc', 'cluster1-pxc-1', pxcUid))).toMatchObject({ status: 403 });

    const asAlice = browseAs(cache, kubeConfig, alice);
    expect(await statusOf(recyclePod(alice, asAlice.client, asAlice.browse, 'shop', 'bare-0', await uidOf('shop', 'bare-0')))).toMatchObject({
      status: 409,
      message: expect.stringContaining('has no controller to recreate it'),
    });
    expect(await statusOf(recyclePod(alice, asAlice.client, asAlice.browse, 'pxc', 'cluster1-pxc-1', 'some-older-uid'))).toMatchObject({
      status: 409,
      message: expect.stringContaining('was replaced since you looked at it'),
    });
    expect(await statusOf(recyclePod(alice, asAlice.client, asAlice.browse, 'pxc', 'cluster1-pxc-0', await uidOf('pxc', 'cluster1-pxc-0')))).toMatchObject({
      status: 409,
      message: expect.stringContaining('carries no ephemeral containers'),
    });

    await recyclePod(alice, asAlice.client, asAlice.browse, 'pxc', 'cluster1-pxc-1', pxcUid);
    const left = await admin(cluster, ['get', 'pod', '-n', 'pxc', 'cluster1-pxc-1', '-o', 'jsonpath={.metadata.deletionTimestamp}']).catch((error: Error) => error.message);
    expect(left).toMatch(/NotFound|\d{4}-\d\d-\d\dT/);
  });
});
