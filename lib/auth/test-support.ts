// Shared by tests that need a real session cookie: the same next-auth `encode`
// the sign-in uses, with a test secret.

import { encode } from 'next-auth/jwt';
import { DEFAULT_FILE_CONFIG, type AuthFileConfig } from '@/lib/config/file';
import type { SessionIdentity } from './identity';
import { newSessionClaims, SESSION_CLAIM, type SessionSettings } from './session-token';

export const TEST_SECRET = 'test-session-secret-0123456789abcdef';

export const TEST_AUTH: AuthFileConfig = {
  ...DEFAULT_FILE_CONFIG.auth,
  roles: { viewer: ['support'], debugger: ['oncall'], lead: ['team-leads'], admin: ['platform-admins'] },
};

export const TEST_SETTINGS: SessionSettings = { cookieName: 'ephemera.session-token', secret: TEST_SECRET, auth: TEST_AUTH };

export const ALICE: SessionIdentity = { name: 'alice', groups: ['oncall'], displayName: 'Alice Ng', email: 'alice@example.com' };
export const NORA: SessionIdentity = { name: 'nora', groups: [], displayName: 'Nora Quinn' };

/** A session token as next-auth would issue it at sign-in, `ageSeconds` before `nowSeconds` (default: now). */
export async function sessionToken(
  identity: SessionIdentity,
  {
    ageSeconds = 0,
    maxAgeSeconds = 3600,
    secret = TEST_SECRET,
    idToken,
    nowSeconds = Math.floor(Date.now() / 1000),
  }: { ageSeconds?: number; maxAgeSeconds?: number; secret?: string; idToken?: string; nowSeconds?: number } = {},
): Promise<string> {
  const now = nowSeconds - ageSeconds;
  return encode({ token: { sub: identity.name, [SESSION_CLAIM]: newSessionClaims(identity, idToken, now, maxAgeSeconds) }, secret, maxAge: maxAgeSeconds * 2 });
}
