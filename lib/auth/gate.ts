// The one decision every request and every WebSocket upgrade goes through
// before anything else sees it: let it in, or refuse it with 401/403 and a
// reason. Pure; proxy.ts and server/upgrade.ts turn the answer into a redirect,
// a JSON body or a refused handshake. Deny by default: only the paths listed
// as public are reachable without a session.

import type { DenialReason } from './denials';
import { needsOriginCheck, originProblem } from './origin';
import type { SessionState } from './session-token';
import type { EphemeraUser } from './types';

export type Gate =
  | { kind: 'allow'; user?: EphemeraUser }
  | { kind: 'deny'; status: 401 | 403; reason: DenialReason; message: string; user?: EphemeraUser; detail?: string };

/** What a path needs: nothing, a session, or a session with at least one role. */
export type PathAccess = 'public' | 'session' | 'role';

export const LOGIN_PATH = '/login';
export const NO_ACCESS_PATH = '/no-access';

/**
 * Public: the login page, next-auth's endpoints (sign-in, callback, CSRF,
 * sign-out, session), and static files, which hold no data. The no-access
 * page needs a session but no role: it tells a person who they are.
 */
export function pathAccess(pathname: string): PathAccess {
  if (pathname === LOGIN_PATH || pathname.startsWith('/api/auth/')) return 'public';
  if (pathname.startsWith('/_next/static/') || pathname === '/favicon.svg') return 'public';
  if (pathname === NO_ACCESS_PATH) return 'session';
  return 'role';
}

export interface GateRequest {
  method: string;
  pathname: string;
  /** The Origin header, if any. */
  origin: string | null;
  /** A WebSocket upgrade: always Origin-checked, whatever its method. */
  upgrade?: boolean;
}

const SESSION_DENIALS = {
  none: { reason: 'no-session', message: 'You are not signed in. Sign in at /login.' },
  invalid: { reason: 'invalid-session', message: 'Your session cookie is not valid here (it was issued with another secret, or altered). Sign in again at /login.' },
  expired: { reason: 'session-expired', message: 'Your session has expired. Sign in again at /login.' },
} as const;

export function decide(request: GateRequest, session: SessionState, publicUrl: string): Gate {
  const user = session.kind === 'signed-in' ? session.user : undefined;
  if (request.upgrade || needsOriginCheck(request.method, request.pathname)) {
    const problem = originProblem(request.origin, publicUrl);
    if (problem) return { kind: 'deny', status: 403, reason: 'origin-mismatch', message: problem, user, detail: `Origin: ${request.origin ?? '(none)'}` };
  }
  const access = pathAccess(request.pathname);
  if (access === 'public') return { kind: 'allow', user };
  if (session.kind !== 'signed-in') {
    const denial = SESSION_DENIALS[session.kind];
    return { kind: 'deny', status: 401, reason: denial.reason, message: denial.message, ...(session.kind === 'expired' && session.name ? { detail: `user ${session.name}` } : {}) };
  }
  if (access === 'role' && session.user.roles.length === 0) {
    return {
      kind: 'deny',
      status: 403,
      reason: 'no-role',
      message: `You are signed in as ${session.user.name}, but none of your groups gives an Ephemera role. See ${NO_ACCESS_PATH} for whom to ask.`,
      user,
    };
  }
  return { kind: 'allow', user };
}

/** Where a page request refused by `gate` is sent: the login page (back here afterwards), or the no-access page. */
export function pageRedirect(gate: Extract<Gate, { kind: 'deny' }>, pathAndQuery: string): string | null {
  if (gate.status === 401) {
    const params = new URLSearchParams({ callbackUrl: pathAndQuery });
    if (gate.reason === 'session-expired') params.set('reason', 'expired');
    return `${LOGIN_PATH}?${params}`;
  }
  return gate.reason === 'no-role' ? NO_ACCESS_PATH : null;
}
