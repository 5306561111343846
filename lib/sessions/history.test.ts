import { describe, expect, it } from 'vitest';
import type { EphemeraUser } from '@/lib/auth/types';
import type { SessionFilter, SessionRecord } from '@/lib/store/types';
import { HISTORY_PAGE_SIZE, outcomeText, sessionDuration, sessionHistory } from './history';

const alice: EphemeraUser = { name: 'alice', groups: ['oncall'], roles: ['debugger'] };
const sam: EphemeraUser = { name: 'sam', groups: ['support'], roles: ['viewer'] };
const lena: EphemeraUser = { name: 'lena', groups: ['team-leads'], roles: ['lead'] };
const ada: EphemeraUser = { name: 'ada', groups: ['platform-admins'], roles: ['admin'] };

function record(n: number, overrides: Partial<SessionRecord> = {}): SessionRecord {
  return {
    id: `6f1b0c1e-0000-4000-8000-${String(n).padStart(12, '0')}`,
    user: 'bob',
    groups: ['oncall'],
    roles: ['debugger'],
    cluster: 'dev',
    namespace: 'shop',
    pod: 'checkout-1',
    node: null,
    kind: 'ephemeral',
    mode: 'interactive',
    container: 'debugger-x7k2p',
    image: 'busybox:1.36',
    profile: 'general',
    target: null,
    mounts: [],
    command: null,
    reason: 'INC-7: checkout',
    breakGlass: false,
    spec: {},
    limits: { maxDurationSeconds: 3600, idleTimeoutSeconds: 900 },
    serverId: 'host:3000',
    state: 'ended',
    createdAt: new Date(Date.UTC(2026, 10, 27, 6, 0, 0) - n * 60_000),
    startedAt: null,
    endedAt: new Date(Date.UTC(2026, 10, 27, 6, 0, 0) - n * 60_000 + 5_000),
    exitCode: 0,
    endReason: 'exited',
    endMessage: null,
    ...overrides,
  };
}

/** A store that answers `count` sessions (at most the limit asked for) and remembers each filter. */
function fakeStore(count = 3) {
  const filters: SessionFilter[] = [];
  return {
    filters,
    list: async (filter: SessionFilter = {}) => {
      filters.push(filter);
      return Array.from({ length: Math.min(count, filter.limit ?? 100) }, (_, i) => record(i));
    },
  };
}

const history = (user: EphemeraUser, query: string, store = fakeStore()) => sessionHistory(store, user, new URLSearchParams(query));

describe('sessionHistory: whose sessions', () => {
  it('a debugger sees their own by default, whatever user the query names; everyone’s with all=1', async () => {
    const store = fakeStore();
    expect(await history(alice, 'user=bob&outcome=exited', store)).toMatchObject({ scope: 'own', mayChooseScope: true, form: { outcome: 'exited' }, filtered: true });
    expect(store.filters[0]).toEqual({ user: 'alice', outcome: 'exited', limit: HISTORY_PAGE_SIZE + 1 });
    expect(await history(alice, 'all=1&user=bob', store)).toMatchObject({ scope: 'everyone', form: { user: 'bob' } });
    expect(store.filters[1]).toEqual({ user: 'bob', limit: HISTORY_PAGE_SIZE + 1 });
  });

  it('viewers, leads and admins see everyone’s, and may filter by user', async () => {
    for (const user of [sam, lena, ada]) {
      const store = fakeStore();
      expect(await history(user, '', store)).toMatchObject({ scope: 'everyone', mayChooseScope: false, filtered: false });
      expect(store.filters[0]).toEqual({ limit: HISTORY_PAGE_SIZE + 1 });
    }
  });

  it('shows the reason and the rest to leads, metadata to viewers', async () => {
    expect((await history(lena, '')).sessions[0]).toMatchObject({ detail: true, reason: 'INC-7: checkout' });
    const seen = (await history(sam, '')).sessions[0];
    expect(seen).toMatchObject({ detail: false, user: 'bob' });
    expect(seen).not.toHaveProperty('reason');
  });
});

describe('sessionHistory: the query', () => {
  it('reads every filter of the API, ignores empty fields, limit and mine, and keeps the form as typed', async () => {
    const store = fakeStore();
    const page = await history(lena, 'user=alice&namespace=shop&pod=&node=node-a&profile=netadmin&outcome=running&from=2026-11-20&to=2026-11-27&limit=3&mine=1', store);
    expect(store.filters[0]).toEqual({
      user: 'alice',
      namespace: 'shop',
      node: 'node-a',
      profile: 'netadmin',
      outcome: 'running',
      from: new Date('2026-11-20T00:00:00Z'),
      to: new Date('2026-11-28T00:00:00Z'),
      limit: HISTORY_PAGE_SIZE + 1,
    });
    expect(page.form).toEqual({ user: 'alice', namespace: 'shop', node: 'node-a', profile: 'netadmin', outcome: 'running', from: '2026-11-20', to: '2026-11-27' });
  });

  it('says what is wrong with a bad value, keeps the form, and lists nothing', async () => {
    const store = fakeStore();
    expect(await history(lena, 'from=2026-11-28&to=2026-11-27', store)).toMatchObject({ error: 'from must be before to.', sessions: [], form: { from: '2026-11-28', to: '2026-11-27' } });
    expect(await history(lena, 'outcome=fine', store)).toMatchObject({ error: expect.stringMatching(/^outcome must be one of/) });
    expect(store.filters).toEqual([]);
  });
});

describe('sessionHistory: paging', () => {
  it('no older page when everything fits', async () => {
    const page = await history(lena, '', fakeStore(HISTORY_PAGE_SIZE));
    expect(page.sessions).toHaveLength(HISTORY_PAGE_SIZE);
    expect(page.older).toBeUndefined();
    expect(page.newest).toBeUndefined();
  });

  it('links the older page with the same filters, before the last row shown', async () => {
    const page = await history(alice, 'all=1&outcome=exited&node=&before=2026-11-28T00:00:00Z', fakeStore(HISTORY_PAGE_SIZE + 10));
    expect(page.sessions).toHaveLength(HISTORY_PAGE_SIZE);
    expect(page.newest).toBe('all=1&outcome=exited');
    expect(page.older).toBe(`all=1&outcome=exited&before=${encodeURIComponent(record(HISTORY_PAGE_SIZE - 1).createdAt.toISOString())}`);
  });
});

describe('how a row reads', () => {
  it('outcome: the state while open, then why it ended, with the exit code', () => {
    expect(outcomeText({ state: 'running', endReason: null, exitCode: null })).toBe('Running');
    expect(outcomeText({ state: 'ended', endReason: 'exited', exitCode: 3 })).toBe('Exited · code 3');
    expect(outcomeText({ state: 'ended', endReason: 'user-ended', exitCode: null })).toBe('Ended by a person');
    expect(outcomeText({ state: 'ended', endReason: null, exitCode: null })).toBe('Ended');
  });

  it('duration: from running (else from the request) to the end; starting or running while open', () => {
    const createdAt = new Date('2026-11-27T06:00:00Z');
    expect(sessionDuration({ state: 'ended', createdAt, startedAt: new Date('2026-11-27T06:00:02Z'), endedAt: new Date('2026-11-27T06:03:14Z') })).toBe('3m12s');
    expect(sessionDuration({ state: 'ended', createdAt, startedAt: null, endedAt: new Date('2026-11-27T06:02:00Z') })).toBe('2m');
    expect(sessionDuration({ state: 'running', createdAt, startedAt: createdAt, endedAt: null })).toBe('running');
    expect(sessionDuration({ state: 'starting', createdAt, startedAt: null, endedAt: null })).toBe('starting');
  });
});
