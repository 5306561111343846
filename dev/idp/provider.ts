// The dev IdP's OpenID Provider: oidc-provider configured for one confidential
// client (Ephemera), the demo users, and ID tokens that carry the profile,
// e-mail and groups claims, as Keycloak, Dex or Okta do when asked.

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import Provider, { interactionPolicy, type KoaContext } from 'oidc-provider';
import { errorPage } from './pages';
import { userBySub } from './users';

export interface DevIdpClient {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
}

export interface ProviderOptions {
  issuer: string;
  client: DevIdpClient;
  /** Lifetime of ID and access tokens, seconds. */
  tokenTtlSeconds: number;
}

export const SCOPES = 'openid profile email groups';

/**
 * A login is asked for on every authorization request, even with a session at
 * the IdP: the demo is about switching between people, and after signing out of
 * Ephemera one expects to choose again. A real IdP would keep its SSO session.
 */
function askEveryTime() {
  const policy = interactionPolicy.base();
  policy.get('login')!.checks.add(
    new interactionPolicy.Check('dev_idp_asks_every_time', 'the dev IdP asks who you are on every sign-in', (ctx: KoaContext) =>
      ctx.oidc.result?.login ? interactionPolicy.Check.NO_NEED_TO_PROMPT : interactionPolicy.Check.REQUEST_PROMPT,
    ),
  );
  return policy;
}

/** Ephemera is a first-party client: it gets the scopes it asks for without a consent screen. */
async function grantWithoutConsent(ctx: KoaContext) {
  const { client, session, result, provider } = ctx.oidc;
  const existing = result?.consent?.grantId ?? session?.grantIdFor(client!.clientId);
  if (existing) return provider.Grant.find(existing);
  const grant = new provider.Grant({ clientId: client!.clientId, accountId: session!.accountId! });
  grant.addOIDCScope(SCOPES);
  await grant.save();
  return grant;
}

export function createProvider({ issuer, client, tokenTtlSeconds }: ProviderOptions): Provider {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return new Provider(issuer, {
    clients: [
      {
        client_id: client.clientId,
        client_secret: client.clientSecret,
        redirect_uris: client.redirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    // A fresh signing key and cookie key per run: nothing the dev IdP issued survives a restart.
    jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'dev-idp', use: 'sig', alg: 'RS256' }] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    claims: {
      openid: ['sub'],
      profile: ['name', 'preferred_username'],
      email: ['email', 'email_verified'],
      groups: ['groups'],
    },
    // Put the scope's claims into the ID token too: next-auth reads the ID token, not userinfo.
    conformIdTokenClaims: false,
    async findAccount(_ctx: KoaContext, sub: string) {
      const user = userBySub(sub);
      if (!user) return undefined;
      return {
        accountId: sub,
        claims: async () => ({
          sub,
          name: user.name,
          preferred_username: user.username,
          email: user.email,
          email_verified: true,
          groups: user.groups,
        }),
      };
    },
    interactions: { url: (_ctx: KoaContext, interaction: { uid: string }) => `/interaction/${interaction.uid}`, policy: askEveryTime() },
    loadExistingGrant: grantWithoutConsent,
    features: { devInteractions: { enabled: false } },
    pkce: { required: () => true },
    ttl: {
      AccessToken: tokenTtlSeconds,
      IdToken: tokenTtlSeconds,
      AuthorizationCode: 60,
      Interaction: 600,
      Session: 3600,
      Grant: 3600,
    },
    async renderError(ctx: KoaContext, out: Record<string, string>) {
      ctx.type = 'html';
      ctx.body = errorPage('Sign-in failed', { ...out, 'what now': 'Go back to the application and sign in again.' });
    },
  });
}
