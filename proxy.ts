// Every request but static files passes here first (Next's Proxy, Node.js
// runtime): lib/auth/gate.ts decides from the session cookie and the Origin,
// and a refusal becomes a redirect to the login or no-access page for pages,
// or a 401/403 JSON answer for the API and for anything that is not a GET.
// Route handlers and server components check again (lib/auth/session.ts).

import { NextResponse, type NextRequest } from 'next/server';
import { recordDenial } from '@/lib/auth/denials';
import { decide, pageRedirect } from '@/lib/auth/gate';
import { readSession } from '@/lib/auth/session-token';
import { authSettings } from '@/lib/auth/settings';

export async function proxy(request: NextRequest) {
  const settings = authSettings();
  const { pathname, search } = request.nextUrl;
  const session = await readSession(new Map(request.cookies.getAll().map((cookie) => [cookie.name, cookie.value])), settings);
  const gate = decide({ method: request.method, pathname, origin: request.headers.get('origin') }, session, settings.sso.publicUrl);
  if (gate.kind === 'allow') return NextResponse.next();

  // A prefetch is the router guessing, not a person asking: refused, but not worth a record.
  const prefetch = request.headers.has('next-router-prefetch') || request.headers.get('purpose') === 'prefetch';
  if (!prefetch) recordDenial({ user: gate.user, route: `${request.method} ${pathname}`, reason: gate.reason, detail: gate.detail });
  const isPageView = !pathname.startsWith('/api/') && (request.method === 'GET' || request.method === 'HEAD');
  const target = isPageView ? pageRedirect(gate, `${pathname}${search}`) : null;
  if (target) return NextResponse.redirect(new URL(target, settings.sso.publicUrl));
  return NextResponse.json({ error: gate.message, ...(gate.status === 401 ? { signIn: '/login' } : {}) }, { status: gate.status });
}

export const config = {
  // Static chunks and the favicon carry no data; everything else is gated, unknown paths included.
  matcher: ['/((?!_next/static/|favicon\\.svg$).*)'],
};
