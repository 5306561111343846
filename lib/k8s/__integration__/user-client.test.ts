// Impersonation is real: the cluster layer, called directly (Ephemera's own
// role checks bypassed), acts as the user against the dev cluster with the
// demo RBAC, and the dev cluster's RBAC decides — for sam (support: view) no,
// for alice (oncall) yes. Pass-through sends the user's token and nothing of
// the dashboard's.

import { ApiException, Exec, PatchStrategy, setHeaderOptions, type V1Pod } from '@kubernetes/client-node';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectl, startDevCluster, type RunningDevCluster } from '@/dev/cluster/__integration__/harness';
import type { EphemeraUser } from '@/lib/auth/types';
import { createAccessChecker, inNamespace } from '../access';
import { loadClusters, type ClusterConnection } from '../clusters';
import { userClient } from '../user-client';

const sam: EphemeraUser = { name: 'sam', groups: ['support'], roles: ['viewer'] };
const alice: EphemeraUser = { name: 'alice', groups: ['oncall'], roles: ['debugger'] };

let cluster: RunningDevCluster;
let dashboard: ClusterConnection;

beforeAll(async () => {
  cluster = await startDevCluster('demo');
  const registry = loadClusters({ kind: 'kubeconfig', paths: [cluster.kubeconfig], from: 'EPHEMERA_KUBECONFIG' }, null);
  dashboard = registry.connection('dev-dashboard')!;
});

afterAll(async () => {
  await cluster?.stop();
});

const debugContainer = (name: string) => ({
  spec: { ephemeralContainers: [{ name, image: 'busybox:1.36', command: ['sleep', '3600'], targetContainerName: 'pxc', stdin: true, tty: true }] },
});

/** PATCH pods/ephemeralcontainers (strategic merge), as `kubectl debug` sends it. */
function addDebugContainer(user: EphemeraUser, pod: string, name: string): Promise<V1Pod> {
  return userClient('dev-dashboard', dashboard.kubeConfig, user, 'impersonate').core.patchNamespacedPodEphemeralcontainers(
    { name: pod, namespace: 'pxc', body: debugContainer(name) },
    setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
  );
}

async function rejection(promise: Promise<unknown>): Promise<{ code: number; message?: string }> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ApiException);
    const { code, body } = error as ApiException<string | undefined>;
    return { code, message: body && JSON.parse(body).message };
  }
  throw new Error('expected the cluster to refuse');
}

describe('acting as the signed-in user (impersonation)', () => {
  it('refuses sam (support) an ephemeral container in pxc: the dev cluster’s 403 names User "sam"', async () => {
    expect(await rejection(addDebugContainer(sam, 'cluster1-pxc-0', 'debugger-sam'))).toEqual({
      code: 403,
      message: 'pods "cluster1-pxc-0" is forbidden: User "sam" cannot patch resource "pods/ephemeralcontainers" in API group "" in the namespace "pxc"',
    });
  });

  it('lets alice (oncall) add one: the cluster’s RBAC for oncall decides', async () => {
    const pod = await addDebugContainer(alice, 'cluster1-pxc-1', 'debugger-alice');
    expect(pod.spec?.ephemeralContainers?.map((container) => container.name)).toContain('debugger-alice');
  });

  it('would not let the dashboard’s own service account do it: the permission is alice’s, not Ephemera’s', async () => {
    const result = await kubectl(cluster, ['auth', 'can-i', 'patch', 'pods/ephemeralcontainers', '-n', 'pxc'], { context: 'dev-dashboard' });
    expect(result.stdout.trim()).toBe('no');
  });

  it('is who SelfSubjectReview says: the user and the groups, as the cluster sees them', async () => {
    const review = await userClient('dev-dashboard', dashboard.kubeConfig, { ...sam, groups: ['support', 'team-leads'] }, 'impersonate').authentication.createSelfSubjectReview({
      body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
    });
    expect(review.status?.userInfo).toEqual({ username: 'sam', groups: ['support', 'team-leads', 'system:authenticated'] });
  });

  it('carries the identity over WebSocket too: exec as sam is refused at the handshake', async () => {
    const kubeConfig = userClient('dev-dashboard', dashboard.kubeConfig, sam, 'impersonate').kubeConfig;
    const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
    await expect(new Exec(kubeConfig).exec('pxc', 'cluster1-pxc-0', 'pxc', ['true'], sink, sink, null, false)).rejects.toThrow(/403/);
  });
});

describe('access reviews as the user', () => {
  const checker = createAccessChecker({ clientFor: (name, user) => userClient(name, dashboard.kubeConfig, user, 'impersonate') });

  it.each([
    ['alice', 'debug', 'pxc', true],
    ['alice', 'attach', 'shop', true],
    ['alice', 'exec', 'pxc', true],
    ['alice', 'createPods', 'pxc', true],
    ['alice', 'debug', 'default', false],
    ['sam', 'listPods', 'pxc', true],
    ['sam', 'debug', 'pxc', false],
    ['sam', 'exec', 'shop', false],
  ] as const)('%s: %s in %s → %s', async (name, check, namespace, allowed) => {
    const user = name === 'alice' ? alice : sam;
    expect((await checker.can(user, 'dev-dashboard', inNamespace(check, namespace))).allowed).toBe(allowed);
  });

  it('says why sam may not debug, in words', async () => {
    expect(await checker.can(sam, 'dev-dashboard', inNamespace('debug', 'pxc'))).toEqual({
      allowed: false,
      reason: 'dev-dashboard does not allow sam to patch pods/ephemeralcontainers in namespace pxc. Ask a cluster administrator for a RoleBinding if you need it.',
    });
  });

  it('lists alice’s rules in pxc, ephemeral containers included', async () => {
    const rules = await checker.rulesFor(alice, 'dev-dashboard', 'pxc');
    expect(rules.namespace).toBe('pxc');
    expect(rules.resourceRules).toContainEqual({ verbs: ['get', 'patch', 'update'], apiGroups: [''], resources: ['pods/ephemeralcontainers'] });
  });
});

describe('pass-through', () => {
  it('sends the user’s token instead of the dashboard’s credentials and impersonation', async () => {
    // The dev cluster only trusts its own tokens; a service-account token stands in for an ID token.
    const issued = await kubectl(cluster, ['create', 'token', 'default', '-n', 'pxc']);
    expect(issued.code, issued.stderr).toBe(0);
    const user: EphemeraUser = { ...sam, idToken: issued.stdout.trim() };
    const review = await userClient('dev-dashboard', dashboard.kubeConfig, user, 'passthrough').authentication.createSelfSubjectReview({
      body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
    });
    // Had the Impersonate-* headers gone too, the service account (no impersonate right) would have got a 403.
    expect(review.status?.userInfo?.username).toBe('system:serviceaccount:pxc:default');
  });

  it('is refused by the cluster when the token is not one it trusts', async () => {
    const client = userClient('dev-dashboard', dashboard.kubeConfig, { ...sam, idToken: 'not-a-token-this-cluster-issued' }, 'passthrough');
    expect((await rejection(client.core.listNamespacedPod({ namespace: 'pxc' }))).code).toBe(401);
  });
});
