import { describe, expect, it } from 'vitest';
import type { SessionRecord } from '@/lib/store/types';
import { denied, sessionAttached, sessionEnded, sessionStarted } from './events';

const record = {
  id: '0b7c2a4e-3f1d-4c5e-9a8b-7d6e5f4a3b2c',
  user: 'alice',
  cluster: 'dev',
  namespace: 'shop',
  pod: 'checkout-7f9c',
  node: null,
  kind: 'ephemeral',
  mode: 'interactive',
  container: 'debugger-x7k2p',
  image: 'busybox:1.36',
  profile: 'sysadmin',
  reason: 'INC-42: checkout hangs',
  breakGlass: true,
  endReason: 'exited',
  exitCode: 0,
  endMessage: 'The shell exited.',
} as SessionRecord;

describe('audit events', () => {
  it('a break-glass start is session.start and session.breakglass with the reason', () => {
    const [start, glass] = sessionStarted(record);
    expect(start).toMatchObject({ actor: 'alice', action: 'session.start', cluster: 'dev', namespace: 'shop', target: 'checkout-7f9c', sessionId: record.id });
    expect(glass).toMatchObject({ action: 'session.breakglass', details: { reason: 'INC-42: checkout hangs', profile: 'sysadmin' } });
    expect(sessionStarted({ ...record, breakGlass: false })).toHaveLength(1);
  });

  it('an end carries the reason and exit code', () => {
    expect(sessionEnded(record)).toMatchObject({ action: 'session.end', details: { reason: 'exited', exitCode: 0 } });
  });

  it('an attach says whether the owner or an admin attached', () => {
    expect(sessionAttached(record, { name: 'alice' }).details).toMatchObject({ as: 'owner' });
    expect(sessionAttached(record, { name: 'ada' })).toMatchObject({ actor: 'ada', details: { as: 'admin', owner: 'alice' } });
  });

  it('a policy refusal is session.refused with its rule; other denials are auth.denied', () => {
    expect(denied({ user: { name: 'alice', groups: [], roles: ['debugger'] }, route: 'POST /api/clusters/dev/sessions', reason: 'policy', rule: 'namespaces.disabled', detail: 'namespaces.disabled: off in kube-system' })).toEqual({
      actor: 'alice',
      action: 'session.refused',
      target: 'POST /api/clusters/dev/sessions',
      details: { rule: 'namespaces.disabled', message: 'namespaces.disabled: off in kube-system' },
    });
    expect(denied({ route: 'GET /api/audit', reason: 'no-session' })).toEqual({ actor: null, action: 'auth.denied', target: 'GET /api/audit', details: { reason: 'no-session' } });
  });
});
