import { describe, expect, it } from 'vitest';
import type { EphemeraUser } from '@/lib/auth/types';
import { SESSION_OUTCOMES, type SessionRecord } from '@/lib/store/types';
import { mayEnd, sessionFilterFrom, sessionView } from './view';

const alice: EphemeraUser = { name: 'alice', groups: ['oncall'], roles: ['debugger'] };
const bob: EphemeraUser = { name: 'bob', groups: ['oncall'], roles: ['debugger'] };
const sam: EphemeraUser = { name: 'sam', groups: ['support'], roles: ['viewer'] };
const lena: EphemeraUser = { name: 'lena', groups: ['team-leads'], roles: ['lead'] };
const ada: EphemeraUser = { name: 'ada', groups: ['platform-admins'], roles: ['admin'] };

const record: SessionRecord = {
  id: '6f1b0c1e-0000-4000-8000-000000000042',
  user: 'alice',
  groups: ['oncall'],
  roles: ['debugger'],
  cluster: 'dev',
  namespace: 'shop',
  pod: 'checkout-debug',
  node: null,
  kind: 'copy',
  mode: 'interactive',
  container: 'debugger-xq2zt',
  image: 'busybox:1.36',
  profile: 'general',
  target: null,
  mounts: [],
  command: ['sh'],
  reason: 'INC-7: checkout crash loop',
  breakGlass: true,
  spec: { kind: 'Pod' },
  limits: { maxDurationSeconds: 3600, idleTimeoutSeconds: 900 },
  serverId: 'host:3000',
  state: 'running',
  createdAt: new Date('2026-11-27T06:00:00Z'),
  startedAt: new Date('2026-11-27T06:00:02Z'),
  endedAt: null,
  exitCode: null,
  endReason: null,
  endMessage: null,
};

describe('sessionView', () => {
  it('shows all of it (but the server id) to its owner, leads and admins', () => {
    for (const user of [alice, lena, ada]) {
      const view = sessionView(record, user);
      expect(view).toMatchObject({ detail: true, reason: 'INC-7: checkout crash loop', spec: { kind: 'Pod' }, groups: ['oncall'] });
      expect(view).not.toHaveProperty('serverId');
    }
  });

  it('shows who, what, when and how it ended to everyone else', () => {
    for (const user of [bob, sam]) {
      const view = sessionView(record, user);
      expect(view).toMatchObject({ detail: false, user: 'alice', kind: 'copy', pod: 'checkout-debug', state: 'running', breakGlass: true });
      for (const hidden of ['reason', 'spec', 'command', 'groups', 'roles', 'mounts', 'limits', 'serverId']) expect(view).not.toHaveProperty(hidden);
    }
  });
});

describe('mayEnd', () => {
  it('its owner or an admin', () => {
    expect([alice, bob, sam, lena, ada].map((user) => mayEnd(record, user))).toEqual([true, false, false, false, true]);
  });
});

describe('sessionFilterFrom', () => {
  it('reads the filters, mine=1 as the person themself', () => {
    expect(sessionFilterFrom(new URLSearchParams('state=running&kind=node&limit=20&before=2026-11-27T06:00:00Z&namespace='), alice)).toEqual({
      state: 'running',
      kind: 'node',
      limit: 20,
      before: new Date('2026-11-27T06:00:00Z'),
    });
    expect(sessionFilterFrom(new URLSearchParams('mine=1&user=bob'), alice)).toEqual({ user: 'alice' });
  });

  it('answers 400 naming the parameter', () => {
    expect(() => sessionFilterFrom(new URLSearchParams('state=paused'), alice)).toThrow('state must be one of starting, running, ended.');
    expect(() => sessionFilterFrom(new URLSearchParams('limit=5000'), alice)).toThrow('limit must be at most 1000.');
    expect(() => sessionFilterFrom(new URLSearchParams('colour=red'), alice)).toThrow(/unknown parameter colour: use user, cluster, namespace, pod, node, kind, profile, state, outcome, from, to, limit, q, before, mine\./);
  });

  it('reads node, profile and outcome', () => {
    expect(sessionFilterFrom(new URLSearchParams('node=node-a&profile=netadmin&outcome=user-ended'), lena)).toEqual({ node: 'node-a', profile: 'netadmin', outcome: 'user-ended' });
    expect(sessionFilterFrom(new URLSearchParams('outcome=running'), lena)).toEqual({ outcome: 'running' });
    expect(() => sessionFilterFrom(new URLSearchParams('outcome=ended'), lena)).toThrow(`outcome must be one of ${SESSION_OUTCOMES.join(', ')}.`);
    expect(SESSION_OUTCOMES.slice(0, 3)).toEqual(['starting', 'running', 'exited']);
  });

  it('reads from and to as instants, or as whole UTC days', () => {
    expect(sessionFilterFrom(new URLSearchParams('from=2026-11-27T06:00:00Z&to=2026-11-27T08:00:00%2B01:00'), lena)).toEqual({
      from: new Date('2026-11-27T06:00:00Z'),
      to: new Date('2026-11-27T07:00:00Z'),
    });
    // to=2026-11-27 takes in all of the 27th.
    expect(sessionFilterFrom(new URLSearchParams('from=2026-11-27&to=2026-11-27'), lena)).toEqual({
      from: new Date('2026-11-27T00:00:00Z'),
      to: new Date('2026-11-28T00:00:00Z'),
    });
    expect(sessionFilterFrom(new URLSearchParams('from=&to='), lena)).toEqual({});
  });

  it('answers 400 for a bad date, and for from not before to', () => {
    expect(() => sessionFilterFrom(new URLSearchParams('from=yesterday'), lena)).toThrow('from must be a date (2026-11-27) or an ISO 8601 instant (2026-11-27T06:00:00Z).');
    expect(() => sessionFilterFrom(new URLSearchParams('to=2026-02-30'), lena)).toThrow(/^to must be a date/);
    expect(() => sessionFilterFrom(new URLSearchParams('from=2026-11-28&to=2026-11-27'), lena)).toThrow('from must be before to.');
    expect(() => sessionFilterFrom(new URLSearchParams('from=2026-11-27T06:00:00Z&to=2026-11-27T06:00:00Z'), lena)).toThrow('from must be before to.');
  });

  it('q searches recordings: anyone’s for leads, one’s own for debuggers, never for viewers', () => {
    expect(sessionFilterFrom(new URLSearchParams('q=%20rm%20-rf%20'), lena)).toEqual({ text: 'rm -rf' });
    expect(sessionFilterFrom(new URLSearchParams('q=rm&user=bob'), alice)).toEqual({ text: 'rm', user: 'alice' });
    expect(() => sessionFilterFrom(new URLSearchParams('q=rm'), sam)).toThrow(/^q searches inside recordings, which are for their owners, leads and admins/);
    expect(() => sessionFilterFrom(new URLSearchParams('q=r'), lena)).toThrow('q must be at least 2 characters.');
    expect(sessionFilterFrom(new URLSearchParams('q='), sam)).toEqual({});
  });
});
