// next-auth's configuration: one OpenID Connect provider found by discovery
// (any standard IdP), authorization code flow with PKCE and state, the ID
// token's claims as the profile, a JWT session in an encrypted HttpOnly cookie.

import type { AuthOptions, Session } from 'next-auth';
import type { OAuthConfig } from 'next-auth/providers/oauth';
import { signedIn } from '@/lib/audit/events';
import { recordAudit } from '@/lib/audit/record';
import { recordDenial } from './denials';
import { identityFromClaims, toEphemeraUser } from './identity';
import { newSessionClaims, SESSION_CLAIM, sessionClaimsOf } from './session-token';
import type { AuthSettings } from './settings';

/** The provider's id in next-auth's URLs: the IdP's redirect URI is `<public URL>/api/auth/callback/oidc`. */
export const PROVIDER_ID = 'oidc';

/**
 * The session cookie outlives the session by this much, so that a person
 * coming back a little late is told their session expired rather than that
 * they never signed in. The token inside is refused from the session's end on.
 */
export const COOKIE_GRACE_SECONDS = 60 * 60;

type Claims = Record<string, unknown> & { sub: string };

/** Where sign-ins are reported: one JSON line each, on stdout, until the audit log (issue 7) takes them. */
export type LoginLog = (line: string) => void;
const toStdout: LoginLog = (line) => process.stdout.write(`${line}\n`);

export function nextAuthOptions(settings: AuthSettings, now: () => number = () => Date.now(), log: LoginLog = toStdout): AuthOptions {
  const { sso, auth } = settings;
  const nowSeconds = () => Math.floor(now() / 1000);
  const provider: OAuthConfig<Claims> = {
    id: PROVIDER_ID,
    name: sso.providerName,
    type: 'oauth',
    wellKnown: `${sso.issuer}/.well-known/openid-configuration`,
    clientId: sso.clientId,
    clientSecret: sso.clientSecret,
    authorization: { params: { scope: sso.scopes } },
    // Validate the ID token (signature, issuer, audience, expiry) and take the profile from its claims.
    idToken: true,
    checks: ['pkce', 'state'],
    profile: (claims) => ({ id: claims.sub, name: typeof claims.name === 'string' ? claims.name : claims.sub }),
  };

  return {
    secret: sso.sessionSecret,
    providers: [provider],
    session: { strategy: 'jwt', maxAge: sso.sessionMaxAgeSeconds + COOKIE_GRACE_SECONDS },
    jwt: { maxAge: sso.sessionMaxAgeSeconds },
    cookies: settings.cookies,
    useSecureCookies: settings.cookies.sessionToken.options.secure,
    pages: { signIn: '/login', error: '/login' },
    callbacks: {
      signIn({ profile }) {
        if (profile && identityFromClaims(profile as Claims, auth.claims)) return true;
        recordDenial({ route: `GET /api/auth/callback/${PROVIDER_ID}`, reason: 'no-identity', detail: 'the ID token names no user (no sub claim)' });
        return false;
      },
      // At sign-in (account and profile present) the token is built from the ID token; afterwards it is kept as is.
      jwt({ token, account, profile }) {
        if (!account || !profile) return token;
        const identity = identityFromClaims(profile as Claims, auth.claims)!;
        const user = toEphemeraUser(identity, auth);
        log(JSON.stringify({ event: 'auth.login', time: new Date(now()).toISOString(), user: user.name, groups: user.groups, roles: user.roles }));
        void recordAudit(signedIn(user));
        return { sub: token.sub, [SESSION_CLAIM]: newSessionClaims(identity, account.id_token, nowSeconds(), sso.sessionMaxAgeSeconds) };
      },
      // What /api/auth/session tells the browser: who, and which roles; never the ID token.
      session({ session, token }) {
        const claims = sessionClaimsOf(token);
        if (!claims) return { expires: session.expires } as Session;
        const user = toEphemeraUser(claims.identity, auth);
        return { expires: new Date(claims.expiresAt * 1000).toISOString(), user } as unknown as Session;
      },
    },
  };
}
