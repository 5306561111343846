// next-auth's endpoints: /api/auth/signin/oidc, /callback/oidc, /csrf, /session, /signout.
import NextAuth from 'next-auth';
import type { NextRequest } from 'next/server';
import { nextAuthOptions } from '@/lib/auth/options';
import { authSettings } from '@/lib/auth/settings';

type Context = { params: Promise<{ nextauth: string[] }> };

// Built on the first request, not at import: `next build` loads this module without any configuration.
let handler: ((request: NextRequest, context: Context) => Promise<Response>) | undefined;

function auth(request: NextRequest, context: Context): Promise<Response> {
  handler ??= NextAuth(nextAuthOptions(authSettings()));
  return handler!(request, context);
}

export { auth as GET, auth as POST };
