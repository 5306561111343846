import { describe, expect, it } from 'vitest';
import { decide, pageRedirect, pathAccess, type Gate, type GateRequest } from './gate';
import type { SessionState } from './session-token';
import type { EphemeraUser } from './types';

const PUBLIC_URL = 'http://127.0.0.1:3000';
const ORIGIN = PUBLIC_URL;
const alice: EphemeraUser = { name: 'alice', groups: ['oncall'], roles: ['debugger'] };
const nora: EphemeraUser = { name: 'nora', groups: [], roles: [] };
const signedIn = (user: EphemeraUser): SessionState => ({ kind: 'signed-in', user, expiresAt: 0 });
const get = (pathname: string, origin: string | null = null): GateRequest => ({ method: 'GET', pathname, origin });
const post = (pathname: string, origin: string | null = ORIGIN): GateRequest => ({ method: 'POST', pathname, origin });

const outcome = (gate: Gate) => (gate.kind === 'allow' ? 'allow' : `${gate.status} ${gate.reason}`);

describe('pathAccess', () => {
  it.each([
    ['/login', 'public'],
    ['/api/auth/signin/oidc', 'public'],
    ['/api/auth/callback/oidc', 'public'],
    ['/api/auth/session', 'public'],
    ['/_next/static/chunks/app.js', 'public'],
    ['/favicon.svg', 'public'],
    ['/no-access', 'session'],
    ['/', 'role'],
    ['/api/clusters', 'role'],
    ['/api/ws/ping', 'role'],
    ['/login/extra', 'role'],
    ['/api/authx', 'role'],
    ['/_next/image', 'role'],
    ['/whoami', 'role'],
  ])('%s is %s', (path, access) => expect(pathAccess(path)).toBe(access));
});

describe('decide', () => {
  it.each<[string, GateRequest, SessionState, string]>([
    ['an anonymous page visit', get('/'), { kind: 'none' }, '401 no-session'],
    ['an anonymous API call', get('/api/clusters'), { kind: 'none' }, '401 no-session'],
    ['a forged or foreign cookie', get('/'), { kind: 'invalid' }, '401 invalid-session'],
    ['an expired session', get('/'), { kind: 'expired', name: 'alice' }, '401 session-expired'],
    ['a user with a role', get('/'), signedIn(alice), 'allow'],
    ['a user without a role, on a page', get('/'), signedIn(nora), '403 no-role'],
    ['a user without a role, on the API', get('/api/clusters'), signedIn(nora), '403 no-role'],
    ['a user without a role, on the no-access page', get('/no-access'), signedIn(nora), 'allow'],
    ['anyone, on the no-access page without a session', get('/no-access'), { kind: 'none' }, '401 no-session'],
    ['anyone, on the login page', get('/login'), { kind: 'none' }, 'allow'],
    ['anyone, on next-auth endpoints', get('/api/auth/csrf'), { kind: 'none' }, 'allow'],
    ['a sign-in post from our origin', post('/api/auth/signin/oidc'), { kind: 'none' }, 'allow'],
    ['a sign-in post from another origin', post('/api/auth/signin/oidc', 'http://evil.example'), { kind: 'none' }, '403 origin-mismatch'],
    ['the IdP posting to the callback', post('/api/auth/callback/oidc', 'http://127.0.0.1:5556'), { kind: 'none' }, 'allow'],
    ['a mutating API call from our origin', post('/api/clusters'), signedIn(alice), 'allow'],
    ['a mutating API call from another origin', post('/api/clusters', 'http://evil.example'), signedIn(alice), '403 origin-mismatch'],
    ['a mutating API call without Origin', post('/api/clusters', null), signedIn(alice), '403 origin-mismatch'],
    ['a cross-origin post without a session (Origin first)', post('/api/clusters', 'http://evil.example'), { kind: 'none' }, '403 origin-mismatch'],
    ['a GET from another origin (reads are not Origin-checked)', get('/api/clusters', 'http://evil.example'), signedIn(alice), 'allow'],
    ['an upgrade from our origin', { ...get('/api/ws/ping', ORIGIN), upgrade: true }, signedIn(alice), 'allow'],
    ['an upgrade from another origin', { ...get('/api/ws/ping', 'http://evil.example'), upgrade: true }, signedIn(alice), '403 origin-mismatch'],
    ['an upgrade without Origin', { ...get('/api/ws/ping'), upgrade: true }, signedIn(alice), '403 origin-mismatch'],
    ['an upgrade without a session', { ...get('/api/ws/ping', ORIGIN), upgrade: true }, { kind: 'none' }, '401 no-session'],
    ['an upgrade by a user without a role', { ...get('/api/ws/ping', ORIGIN), upgrade: true }, signedIn(nora), '403 no-role'],
  ])('%s: %s', (_label, request, session, expected) => {
    expect(outcome(decide(request, session, PUBLIC_URL))).toBe(expected);
  });

  it('names the user and the Origin in an Origin refusal', () => {
    expect(decide(post('/api/clusters', 'http://evil.example'), signedIn(alice), PUBLIC_URL)).toMatchObject({
      user: alice,
      detail: 'Origin: http://evil.example',
      message: expect.stringContaining('comes from http://evil.example, not http://127.0.0.1:3000'),
    });
  });

  it('says who is signed in when there is no role, and where to look', () => {
    const gate = decide(get('/'), signedIn(nora), PUBLIC_URL);
    expect(gate).toMatchObject({ user: nora, message: expect.stringContaining('signed in as nora') });
    expect(gate.kind === 'deny' && gate.message).toContain('/no-access');
  });
});

describe('pageRedirect', () => {
  const deny = (request: GateRequest, session: SessionState) => {
    const gate = decide(request, session, PUBLIC_URL);
    if (gate.kind !== 'deny') throw new Error('expected a denial');
    return gate;
  };

  it('sends an anonymous visitor to the login page, and back afterwards', () => {
    expect(pageRedirect(deny(get('/'), { kind: 'none' }), '/?x=1')).toBe('/login?callbackUrl=%2F%3Fx%3D1');
  });

  it('says the session expired', () => {
    expect(pageRedirect(deny(get('/'), { kind: 'expired', name: 'a' }), '/')).toBe('/login?callbackUrl=%2F&reason=expired');
  });

  it('sends a user without a role to the no-access page', () => {
    expect(pageRedirect(deny(get('/'), signedIn(nora)), '/')).toBe('/no-access');
  });

  it('has nowhere to send an Origin refusal', () => {
    expect(pageRedirect(deny(post('/', 'http://evil.example'), signedIn(alice)), '/')).toBeNull();
  });
});
