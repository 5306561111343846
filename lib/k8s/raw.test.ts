import { describe, expect, it } from 'vitest';
import { UserFacingError } from '@/lib/http/errors';
import { ClusterRequestError } from './access';
import { KubeStatusError, userFacing } from './raw';
import { notSyncedError } from './sync';

const context = { cluster: 'prod', server: 'https://10.0.0.1:6443', action: 'read pod pxc/cluster1-pxc-0' };
const status = (code: number, message: string) => new KubeStatusError(code, JSON.stringify({ kind: 'Status', code, message }));

describe('userFacing: a failed request on behalf of a person', () => {
  it('keeps the cluster’s 403 and 404, in its own words', () => {
    const forbidden = userFacing(status(403, 'pods "cluster1-pxc-0" is forbidden: User "sam" cannot get resource "pods"'), context) as UserFacingError;
    expect(forbidden.status).toBe(403);
    expect(forbidden.message).toBe('prod refused to read pod pxc/cluster1-pxc-0: pods "cluster1-pxc-0" is forbidden: User "sam" cannot get resource "pods".');
    const missing = userFacing(status(404, 'pods "x" not found'), context) as UserFacingError;
    expect([missing.status, missing.message]).toEqual([404, 'Could not read pod pxc/cluster1-pxc-0 on prod: pods "x" not found.']);
  });

  it('turns the cluster’s 400 and 422 into a 400, and a 409 stays a 409', () => {
    expect((userFacing(status(400, 'previous terminated container "pxc" in pod "p" not found'), context) as UserFacingError).status).toBe(400);
    expect((userFacing(status(422, 'invalid'), context) as UserFacingError).status).toBe(400);
    expect((userFacing(status(409, 'Precondition failed: UID in precondition: a, UID in object meta: b'), context) as UserFacingError).status).toBe(409);
  });

  it('makes anything else a 502 that says what went wrong', () => {
    const refused = userFacing(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), context);
    expect(refused).toBeInstanceOf(ClusterRequestError);
    expect((refused as UserFacingError).status).toBe(502);
    expect(refused.message).toBe('Could not read pod pxc/cluster1-pxc-0 on prod: Connection refused by 10.0.0.1:6443: nothing is listening there. Is the API server running, and is the port right?');
    expect((userFacing(status(500, 'etcdserver: request timed out'), context) as UserFacingError).status).toBe(502);
  });

  it('passes an error meant for people through unchanged', () => {
    const own = new UserFacingError('already worded', 404);
    expect(userFacing(own, context)).toBe(own);
  });

  it('reads the message of a Status body, or the body itself', () => {
    expect(status(404, 'gone').message).toBe('gone');
    expect(new KubeStatusError(502, '<html>Bad Gateway</html>').message).toBe('<html>Bad Gateway</html>');
    expect(new KubeStatusError(500, '').message).toBe('HTTP 500');
  });
});

describe('notSyncedError', () => {
  it('is a 503 with the cache’s last error and its status', () => {
    const error = notSyncedError('prod', { state: 'reconnecting', since: 't', waitingFor: ['pods'], lastError: 'Watching pods failed: Connection refused.' });
    expect(error.status).toBe(503);
    expect(error.message).toBe('Ephemera cannot read prod yet: Watching pods failed: Connection refused. It keeps retrying by itself.');
    expect(error.details).toMatchObject({ cluster: 'prod', status: { state: 'reconnecting' } });
  });
});
