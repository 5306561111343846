import type { Account, Session } from 'next-auth';
import type { JWT } from 'next-auth/jwt';
import type { OAuthConfig } from 'next-auth/providers/oauth';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_FILE_CONFIG } from '@/lib/config/file';
import type { SsoConfig } from '@/lib/config/sso';
import { setDenialSink } from './denials';
import { nextAuthOptions } from './options';
import { buildAuthSettings } from './settings';
import { TEST_AUTH } from './test-support';

const sso: SsoConfig = {
  issuer: 'https://login.example.com/realms/ops',
  clientId: 'ephemera',
  clientSecret: 'client-secret',
  providerName: 'Keycloak',
  scopes: 'openid profile email groups',
  sessionSecret: 's'.repeat(32),
  publicUrl: 'https://ephemera.example.com',
  sessionMaxAgeSeconds: 3600,
};
const NOW = Date.UTC(2025, 0, 1, 12, 0, 0);
const logins: string[] = [];
const options = nextAuthOptions(
  buildAuthSettings(sso, { config: { ...DEFAULT_FILE_CONFIG, auth: TEST_AUTH }, found: true }),
  () => NOW,
  (line) => logins.push(line),
);
const callbacks = options.callbacks!;
const claims = { sub: 'a1b2', preferred_username: 'alice', name: 'Alice Ng', email: 'alice@example.com', groups: ['oncall'] };
const account = { provider: 'oidc', type: 'oauth', providerAccountId: 'a1b2', id_token: 'header.payload.signature', access_token: 'at' } as Account;

const denials: string[] = [];
const previousSink = setDenialSink((line) => denials.push(line));
afterAll(() => setDenialSink(previousSink));

describe('nextAuthOptions', () => {
  it('configures one OIDC provider by discovery, with PKCE, state and the ID token as the profile', () => {
    const provider = options.providers[0] as OAuthConfig<Record<string, unknown>>;
    expect(provider).toMatchObject({
      id: 'oidc',
      name: 'Keycloak',
      type: 'oauth',
      wellKnown: 'https://login.example.com/realms/ops/.well-known/openid-configuration',
      clientId: 'ephemera',
      clientSecret: 'client-secret',
      idToken: true,
      checks: ['pkce', 'state'],
      authorization: { params: { scope: 'openid profile email groups' } },
    });
    expect(provider.profile({ sub: 'a1b2', name: 'Alice Ng' }, {})).toEqual({ id: 'a1b2', name: 'Alice Ng' });
  });

  it('keeps the session in a JWT cookie with the configured lifetime, Secure on https', () => {
    // The token expires with the session; the cookie an hour later, so the login page can say "expired".
    expect(options.session).toEqual({ strategy: 'jwt', maxAge: 3600 + 3600 });
    expect(options.jwt).toEqual({ maxAge: 3600 });
    expect(options.useSecureCookies).toBe(true);
    expect(options.cookies?.sessionToken).toEqual({
      name: '__Secure-ephemera.session-token',
      options: { httpOnly: true, sameSite: 'lax', path: '/', secure: true },
    });
    expect(options.pages).toEqual({ signIn: '/login', error: '/login' });
  });

  it('builds the token at sign-in from the ID token claims, keeping the ID token and the absolute expiry', async () => {
    const token = await callbacks.jwt!({ token: { sub: 'a1b2', name: 'Alice Ng', picture: 'x' } as JWT, account, profile: claims, user: { id: 'a1b2' } });
    expect(token).toEqual({
      sub: 'a1b2',
      ephemera: {
        identity: { name: 'alice', groups: ['oncall'], displayName: 'Alice Ng', email: 'alice@example.com' },
        authTime: NOW / 1000,
        expiresAt: NOW / 1000 + 3600,
        idToken: 'header.payload.signature',
      },
    });
    expect(JSON.parse(logins.at(-1)!)).toEqual({ event: 'auth.login', time: '2025-01-01T12:00:00.000Z', user: 'alice', groups: ['oncall'], roles: ['debugger'] });
    expect(logins.at(-1)).not.toContain('header.payload.signature');
  });

  it('keeps the token as it is on later requests', async () => {
    const token = { sub: 'a1b2', ephemera: { identity: { name: 'alice', groups: [] }, authTime: 1, expiresAt: 2 } } as JWT;
    expect(await callbacks.jwt!({ token, user: { id: 'x' }, account: null })).toBe(token);
  });

  it('tells the browser who is signed in and their roles, never the ID token', async () => {
    const token = (await callbacks.jwt!({ token: { sub: 'a1b2' } as JWT, account, profile: claims, user: { id: 'a1b2' } })) as JWT;
    const session = await callbacks.session!({ session: { expires: 'x' } as Session, token, user: undefined as never, newSession: undefined, trigger: 'update' });
    expect(session).toEqual({
      expires: new Date(NOW + 3600_000).toISOString(),
      user: { name: 'alice', groups: ['oncall'], roles: ['debugger'], displayName: 'Alice Ng', email: 'alice@example.com' },
    });
    expect(JSON.stringify(session)).not.toContain('header.payload.signature');
  });

  it('refuses a sign-in whose ID token names nobody, and records it', async () => {
    expect(await callbacks.signIn!({ user: { id: 'x' }, account, profile: claims })).toBe(true);
    expect(await callbacks.signIn!({ user: { id: 'x' }, account, profile: { email: 'x@example.com' } })).toBe(false);
    expect(JSON.parse(denials.at(-1)!)).toMatchObject({ reason: 'no-identity', route: 'GET /api/auth/callback/oidc' });
  });
});
