// The signed-in user, for server components and route handlers. proxy.ts has
// already turned away requests without a session or a role; these checks are
// the second lock on the door, and they give the code the EphemeraUser.
//   pages and server components:  const user = await requireUser();   (or requireRole('lead'))
//   route handlers:                export const GET = withUser(async (user, request) => …, { role: 'viewer' });

import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { cache } from 'react';
import { parseCookieHeader } from './cookies';
import { recordDenial } from './denials';
import { LOGIN_PATH, NO_ACCESS_PATH } from './gate';
import { covers } from './roles';
import { readSession, type SessionState } from './session-token';
import { authSettings } from './settings';
import type { EphemeraUser, Role } from './types';

/** The request's session, read once per render however many components ask. */
const currentSession = cache(async (): Promise<SessionState> => {
  const jar = await cookies();
  return readSession(new Map(jar.getAll().map((cookie) => [cookie.name, cookie.value])), authSettings());
});

/** The signed-in user, or null; for pages that show something either way (the header, the login page). */
export async function currentUser(): Promise<EphemeraUser | null> {
  const session = await currentSession();
  return session.kind === 'signed-in' ? session.user : null;
}

/** The signed-in user with at least one role; otherwise off to the login or no-access page. */
export async function requireUser(route = 'page'): Promise<EphemeraUser> {
  const session = await currentSession();
  if (session.kind !== 'signed-in') {
    recordDenial({ route, reason: session.kind === 'expired' ? 'session-expired' : session.kind === 'none' ? 'no-session' : 'invalid-session' });
    redirect(session.kind === 'expired' ? `${LOGIN_PATH}?reason=expired` : LOGIN_PATH);
  }
  if (session.user.roles.length === 0) {
    recordDenial({ user: session.user, route, reason: 'no-role' });
    redirect(NO_ACCESS_PATH);
  }
  return session.user;
}

/** The signed-in user holding `role` (or a role that covers it, like admin); otherwise the no-access page says which role is needed. */
export async function requireRole(role: Role, route = 'page'): Promise<EphemeraUser> {
  const user = await requireUser(route);
  if (!covers(user.roles, role)) {
    recordDenial({ user, route, reason: 'missing-role', detail: `needs ${role}` });
    redirect(`${NO_ACCESS_PATH}?need=${role}`);
  }
  return user;
}

type Handler<Context> = (user: EphemeraUser, request: Request, context: Context) => Response | Promise<Response>;

/** A route handler that runs only for a signed-in user (with `role`, when given); 401/403 with a JSON message otherwise. */
export function withUser<Context>(handler: Handler<Context>, options: { role?: Role } = {}) {
  return async (request: Request, context: Context): Promise<Response> => {
    const route = `${request.method} ${new URL(request.url).pathname}`;
    const session = await readSession(parseCookieHeader(request.headers.get('cookie') ?? undefined), authSettings());
    if (session.kind !== 'signed-in') {
      const reason = session.kind === 'expired' ? 'session-expired' : session.kind === 'none' ? 'no-session' : 'invalid-session';
      recordDenial({ route, reason });
      return Response.json({ error: 'You are not signed in, or your session has expired. Sign in at /login.', signIn: LOGIN_PATH }, { status: 401 });
    }
    const { user } = session;
    const needed = options.role;
    if (user.roles.length === 0 || (needed && !covers(user.roles, needed))) {
      recordDenial({ user, route, reason: user.roles.length === 0 ? 'no-role' : 'missing-role', ...(needed ? { detail: `needs ${needed}` } : {}) });
      const message = needed ? `This needs the ${needed} role; you have ${user.roles.join(', ') || 'none'}.` : 'You have no Ephemera role.';
      return Response.json({ error: message }, { status: 403 });
    }
    return handler(user, request, context);
  };
}
