import { describe, expect, it } from 'vitest';
import { requestInfo } from './requestinfo';

const info = (method: string, path: string) => requestInfo(method, new URL(path, 'https://127.0.0.1'));

describe('requestInfo', () => {
  it.each([
    ['GET', '/api/v1/pods', { verb: 'list', resource: 'pods', namespace: '', name: '' }],
    ['GET', '/api/v1/namespaces/pxc/pods?watch=true', { verb: 'watch', resource: 'pods', namespace: 'pxc' }],
    ['GET', '/api/v1/watch/namespaces/pxc/pods', { verb: 'watch', resource: 'pods', namespace: 'pxc' }],
    ['GET', '/api/v1/namespaces/pxc/pods/p0', { verb: 'get', resource: 'pods', namespace: 'pxc', name: 'p0' }],
    ['PATCH', '/api/v1/namespaces/pxc/pods/p0/ephemeralcontainers',
      { verb: 'patch', resource: 'pods', subresource: 'ephemeralcontainers', name: 'p0', namespace: 'pxc' }],
    ['GET', '/api/v1/namespaces/pxc/pods/p0/exec?command=sh', { verb: 'create', subresource: 'exec' }],
    ['POST', '/api/v1/namespaces/pxc/pods/p0/attach', { verb: 'create', subresource: 'attach' }],
    ['GET', '/api/v1/namespaces/pxc', { verb: 'get', resource: 'namespaces', name: 'pxc', namespace: '' }],
    ['PUT', '/api/v1/namespaces/pxc/status', { verb: 'update', resource: 'namespaces', name: 'pxc', subresource: 'status' }],
    ['DELETE', '/api/v1/namespaces/pxc/pods', { verb: 'deletecollection', resource: 'pods', namespace: 'pxc' }],
    ['POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
      { verb: 'create', apiGroup: 'authorization.k8s.io', resource: 'selfsubjectaccessreviews' }],
    ['GET', '/apis/rbac.authorization.k8s.io/v1/namespaces/pxc/roles/r',
      { verb: 'get', apiGroup: 'rbac.authorization.k8s.io', resource: 'roles', namespace: 'pxc', name: 'r' }],
  ])('%s %s', (method, path, expected) => {
    expect(info(method, path)).toMatchObject({ resourceRequest: true, ...expected });
  });

  it.each(['/version', '/api', '/apis', '/api/v1', '/apis/rbac.authorization.k8s.io', '/healthz'])(
    '%s is a non-resource request',
    (path) => {
      expect(info('GET', path)).toMatchObject({ resourceRequest: false, verb: 'get', path });
    },
  );
});
