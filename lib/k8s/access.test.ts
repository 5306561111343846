import { KubeConfig, type V1SelfSubjectAccessReview } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import type { EphemeraUser } from '@/lib/auth/types';
import { accessKey, createAccessChecker, describeAction, ForbiddenError, inNamespace, toDecision } from './access';
import type { UserClusterClient } from './user-client';

const alice: EphemeraUser = { name: 'alice', groups: ['oncall'], roles: ['debugger'] };

describe('describeAction', () => {
  it.each([
    [inNamespace('debug', 'pxc'), 'patch pods/ephemeralcontainers in namespace pxc'],
    [{ verb: 'list', resource: 'nodes' }, 'list nodes cluster-wide'],
    [{ verb: 'get', resource: 'deployments', group: 'apps', name: 'web', namespace: 'shop' }, 'get deployments.apps "web" in namespace shop'],
  ])('%j → %s', (attrs, text) => {
    expect(describeAction(attrs)).toBe(text);
  });
});

describe('accessKey', () => {
  it('is the same for the same identity whatever the order of groups', () => {
    const attrs = inNamespace('attach', 'pxc');
    expect(accessKey('access', 'dev', { name: 'a', groups: ['x', 'y', 'x'] }, attrs)).toBe(accessKey('access', 'dev', { name: 'a', groups: ['y', 'x'] }, attrs));
  });

  it.each([
    ['another cluster', accessKey('access', 'prod', alice, inNamespace('debug', 'pxc'))],
    ['another user', accessKey('access', 'dev', { name: 'sam', groups: ['oncall'] }, inNamespace('debug', 'pxc'))],
    ['other groups', accessKey('access', 'dev', { name: 'alice', groups: ['support'] }, inNamespace('debug', 'pxc'))],
    ['another namespace', accessKey('access', 'dev', alice, inNamespace('debug', 'shop'))],
    ['another verb', accessKey('access', 'dev', alice, { ...inNamespace('debug', 'pxc'), verb: 'update' })],
    ['a rules review', accessKey('rules', 'dev', alice, 'pxc')],
  ])('differs for %s', (_, other) => {
    expect(other).not.toBe(accessKey('access', 'dev', alice, inNamespace('debug', 'pxc')));
  });
});

describe('toDecision', () => {
  const attrs = inNamespace('debug', 'pxc');

  it('passes on the reason RBAC gives for a yes', () => {
    expect(toDecision('dev', alice, attrs, { allowed: true, reason: 'RBAC: allowed by RoleBinding "oncall-debug/pxc"' })).toEqual({
      allowed: true,
      reason: 'RBAC: allowed by RoleBinding "oncall-debug/pxc"',
    });
  });

  it('says what was refused, and what to do, for a no', () => {
    expect(toDecision('dev', { name: 'sam' }, attrs, { allowed: false })).toEqual({
      allowed: false,
      reason: 'dev does not allow sam to patch pods/ephemeralcontainers in namespace pxc. Ask a cluster administrator for a RoleBinding if you need it.',
    });
  });

  it('treats a missing status as a no, and keeps an evaluation error', () => {
    expect(toDecision('dev', alice, attrs, undefined).allowed).toBe(false);
    expect(toDecision('dev', alice, attrs, { allowed: false, evaluationError: 'role "gone" not found' }).reason).toContain('(role "gone" not found)');
  });
});

describe('ForbiddenError', () => {
  it('is a 403 whose JSON names the cluster and the action', async () => {
    const error = new ForbiddenError({ allowed: false, reason: 'no' }, 'dev', inNamespace('exec', 'shop'));
    expect(error.status).toBe(403);
    expect(error.details).toEqual({ cluster: 'dev', action: 'create pods/exec in namespace shop' });
  });
});

describe('createAccessChecker', () => {
  /** A client whose SelfSubjectAccessReview answers from `answer`, counting the calls. */
  function fakeClient(answer: (review: V1SelfSubjectAccessReview) => Promise<V1SelfSubjectAccessReview>) {
    const calls: V1SelfSubjectAccessReview[] = [];
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromOptions({ clusters: [{ name: 'c', server: 'https://dev.example:6443' }], users: [{ name: 'u' }], contexts: [{ name: 'dev', cluster: 'c', user: 'u' }], currentContext: 'dev' });
    const clientFor = (cluster: string, user: EphemeraUser) =>
      ({
        cluster,
        user,
        mode: 'impersonate',
        kubeConfig,
        authorization: {
          createSelfSubjectAccessReview: ({ body }: { body: V1SelfSubjectAccessReview }) => {
            calls.push(body);
            return answer(body);
          },
        },
      }) as unknown as UserClusterClient;
    return { calls, clientFor };
  }

  it('asks once per TTL, with the attributes as SelfSubjectAccessReview wants them', async () => {
    const clock = { t: 0 };
    const { calls, clientFor } = fakeClient(async (body) => ({ ...body, status: { allowed: true, reason: 'RBAC: allowed' } }));
    const checker = createAccessChecker({ clientFor, now: () => clock.t });
    expect(await checker.can(alice, 'dev', inNamespace('debug', 'pxc'))).toEqual({ allowed: true, reason: 'RBAC: allowed' });
    await checker.can(alice, 'dev', inNamespace('debug', 'pxc'));
    expect(calls).toEqual([
      {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SelfSubjectAccessReview',
        spec: { resourceAttributes: { verb: 'patch', group: '', resource: 'pods', subresource: 'ephemeralcontainers', namespace: 'pxc', name: '' } },
      },
    ]);
    clock.t = 30_000;
    await checker.can(alice, 'dev', inNamespace('debug', 'pxc'));
    expect(calls).toHaveLength(2);
  });

  it('fails closed when the cluster cannot be asked, says why, and asks again next time', async () => {
    let up = false;
    const refused = Object.assign(new Error('request failed, reason: connect ECONNREFUSED 10.0.0.1:6443'), { code: 'ECONNREFUSED' });
    const { calls, clientFor } = fakeClient(async (body) => {
      if (!up) throw refused;
      return { ...body, status: { allowed: true } };
    });
    const checker = createAccessChecker({ clientFor });
    expect(await checker.can(alice, 'dev', inNamespace('attach', 'pxc'))).toEqual({
      allowed: false,
      reason:
        'Could not ask dev whether alice may create pods/attach in namespace pxc: Connection refused by dev.example:6443: nothing is listening there. Is the API server running, and is the port right?',
    });
    up = true;
    expect((await checker.can(alice, 'dev', inNamespace('attach', 'pxc'))).allowed).toBe(true);
    expect(calls).toHaveLength(2);
  });
});
