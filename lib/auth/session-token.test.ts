import { encode } from 'next-auth/jwt';
import { describe, expect, it } from 'vitest';
import { newSessionClaims, readSession, sessionClaimsOf } from './session-token';
import { ALICE, NORA, sessionToken, TEST_SECRET, TEST_SETTINGS } from './test-support';

const cookies = (token: string, name = TEST_SETTINGS.cookieName) => new Map([[name, token]]);

describe('readSession', () => {
  it('reads the user, with roles and prefixed groups under the current configuration', async () => {
    const state = await readSession(cookies(await sessionToken(ALICE, { idToken: 'the.id.token' })), {
      ...TEST_SETTINGS,
      auth: { ...TEST_SETTINGS.auth, groupsPrefix: 'oidc:' },
    });
    expect(state).toMatchObject({
      kind: 'signed-in',
      user: { name: 'alice', groups: ['oidc:oncall'], roles: ['debugger'], displayName: 'Alice Ng', email: 'alice@example.com', idToken: 'the.id.token' },
    });
  });

  it('follows a changed role mapping without a new sign-in', async () => {
    const token = await sessionToken(ALICE);
    const promoted = { ...TEST_SETTINGS, auth: { ...TEST_SETTINGS.auth, roles: { ...TEST_SETTINGS.auth.roles, lead: ['oncall'] } } };
    expect(await readSession(cookies(token), promoted)).toMatchObject({ user: { roles: ['debugger', 'lead'] } });
  });

  it('reads a session with no role as signed in, with no roles', async () => {
    expect(await readSession(cookies(await sessionToken(NORA)), TEST_SETTINGS)).toMatchObject({ kind: 'signed-in', user: { name: 'nora', roles: [] } });
  });

  it('reads a token split into chunks', async () => {
    const token = await sessionToken(ALICE);
    const chunked = new Map([
      [`${TEST_SETTINGS.cookieName}.0`, token.slice(0, 100)],
      [`${TEST_SETTINGS.cookieName}.1`, token.slice(100)],
    ]);
    expect(await readSession(chunked, TEST_SETTINGS)).toMatchObject({ kind: 'signed-in' });
  });

  it('is none without the cookie', async () => {
    expect(await readSession(new Map(), TEST_SETTINGS)).toEqual({ kind: 'none' });
    expect(await readSession(cookies('x', 'other-cookie'), TEST_SETTINGS)).toEqual({ kind: 'none' });
  });

  it('is invalid for garbage, another secret, or a token without Ephemera claims', async () => {
    expect(await readSession(cookies('garbage'), TEST_SETTINGS)).toEqual({ kind: 'invalid' });
    expect(await readSession(cookies(await sessionToken(ALICE, { secret: 'another-secret-another-secret-00' })), TEST_SETTINGS)).toEqual({ kind: 'invalid' });
    expect(await readSession(cookies(await encode({ token: { sub: 'x', name: 'x' }, secret: TEST_SECRET })), TEST_SETTINGS)).toEqual({ kind: 'invalid' });
  });

  it('is expired once maxAge has passed since sign-in, even if the cookie was re-issued since', async () => {
    // One clock for signing in and reading: with the wall clock read twice, a second boundary between the two reads expired the 59 s one.
    const nowSeconds = Math.floor(Date.now() / 1000);
    const at = (ageSeconds: number) => sessionToken(ALICE, { ageSeconds, maxAgeSeconds: 60, nowSeconds });
    expect(await readSession(cookies(await at(61)), TEST_SETTINGS, nowSeconds * 1000)).toEqual({ kind: 'expired', name: 'alice' });
    expect(await readSession(cookies(await at(60)), TEST_SETTINGS, nowSeconds * 1000)).toEqual({ kind: 'expired', name: 'alice' });
    expect(await readSession(cookies(await at(59)), TEST_SETTINGS, nowSeconds * 1000 + 999)).toMatchObject({ kind: 'signed-in' });
  });

  it("is expired when next-auth's own exp has passed", async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await encode({ token: { ephemera: newSessionClaims(ALICE, undefined, now, 3600) }, secret: TEST_SECRET, maxAge: -60 });
    expect(await readSession(cookies(token), TEST_SETTINGS)).toEqual({ kind: 'expired', name: '' });
  });
});

describe('sessionClaimsOf', () => {
  it('refuses malformed claims', () => {
    expect(sessionClaimsOf(null)).toBeNull();
    expect(sessionClaimsOf({ ephemera: { identity: { name: '', groups: [] }, authTime: 1, expiresAt: 2 } })).toBeNull();
    expect(sessionClaimsOf({ ephemera: { identity: { name: 'a', groups: 'g' }, authTime: 1, expiresAt: 2 } })).toBeNull();
    expect(sessionClaimsOf({ ephemera: { identity: { name: 'a', groups: [] }, authTime: 1, expiresAt: 2 } })).toEqual({
      identity: { name: 'a', groups: [] },
      authTime: 1,
      expiresAt: 2,
    });
  });
});
