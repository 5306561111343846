// The session cookie's contents. next-auth encrypts it (JWE, A256GCM, key
// derived from the session secret); this module decides what goes in at
// sign-in and reads it back for the proxy, server components, route handlers
// and WebSocket upgrades, all with next-auth's own `decode`.
//
// The session ends `maxAge` after sign-in, whatever happens in between:
// next-auth re-issues the cookie with a fresh `exp` whenever /api/auth/session
// is asked, so its `exp` alone would slide; `expiresAt` does not.

import { decode } from 'next-auth/jwt';
import { z } from 'zod';
import type { AuthFileConfig } from '@/lib/config/file';
import { readSessionToken } from './cookies';
import { toEphemeraUser, type SessionIdentity } from './identity';
import type { EphemeraUser } from './types';

/** What Ephemera keeps in the session token, under one key beside next-auth's own claims (sub, iat, exp, jti). */
const SessionClaims = z.object({
  identity: z.object({
    name: z.string().min(1),
    groups: z.array(z.string()),
    displayName: z.string().optional(),
    email: z.string().optional(),
  }),
  /** Seconds since the epoch. */
  authTime: z.number(),
  expiresAt: z.number(),
  /** The IdP's ID token: in the encrypted cookie only, never in what /api/auth/session answers. */
  idToken: z.string().optional(),
});
export type SessionClaims = z.infer<typeof SessionClaims>;

export const SESSION_CLAIM = 'ephemera';

/** The token payload for a fresh sign-in. */
export function newSessionClaims(identity: SessionIdentity, idToken: string | undefined, nowSeconds: number, maxAgeSeconds: number): SessionClaims {
  return { identity, authTime: nowSeconds, expiresAt: nowSeconds + maxAgeSeconds, ...(idToken ? { idToken } : {}) };
}

/** Ephemera's claims from a decoded token, or null when they are missing or malformed. */
export function sessionClaimsOf(payload: Record<string, unknown> | null | undefined): SessionClaims | null {
  const parsed = SessionClaims.safeParse(payload?.[SESSION_CLAIM]);
  return parsed.success ? parsed.data : null;
}

export interface SessionSettings {
  cookieName: string;
  secret: string;
  auth: AuthFileConfig;
}

export type SessionState =
  | { kind: 'none' }
  | { kind: 'invalid' }
  | { kind: 'expired'; name: string }
  | { kind: 'signed-in'; user: EphemeraUser; expiresAt: number };

/** Who the request's cookies say is signed in, and if no one, why not. */
export async function readSession(cookies: ReadonlyMap<string, string>, settings: SessionSettings, nowMs = Date.now()): Promise<SessionState> {
  const token = readSessionToken(cookies, settings.cookieName);
  if (!token) return { kind: 'none' };
  let payload: Record<string, unknown> | null;
  try {
    payload = await decode({ token, secret: settings.secret });
  } catch (error) {
    // jose's JWTExpired: next-auth's own exp has passed (it was not refreshed in time).
    return (error as { code?: string }).code === 'ERR_JWT_EXPIRED' ? { kind: 'expired', name: '' } : { kind: 'invalid' };
  }
  const claims = sessionClaimsOf(payload);
  if (!claims) return { kind: 'invalid' };
  if (nowMs / 1000 >= claims.expiresAt) return { kind: 'expired', name: claims.identity.name };
  return { kind: 'signed-in', user: toEphemeraUser(claims.identity, settings.auth, claims.idToken), expiresAt: claims.expiresAt };
}
