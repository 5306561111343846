// The Origin check, Ephemera's defence against cross-site request forgery on
// top of SameSite=Lax cookies: a state-changing request or a WebSocket upgrade
// is only taken from a page of Ephemera's own public origin. Pure.

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * next-auth's OAuth callback is exempt: the IdP may post the response there
 * from its own origin (response_mode=form_post), and the state and PKCE checks
 * of the sign-in flow protect it instead.
 */
const CALLBACK_PREFIX = '/api/auth/callback/';

/** Whether the request changes state and so needs its Origin checked. */
export function needsOriginCheck(method: string, pathname: string): boolean {
  return !SAFE_METHODS.has(method.toUpperCase()) && !pathname.startsWith(CALLBACK_PREFIX);
}

/** Null when `origin` (the request's Origin header) is Ephemera's public origin; otherwise what is wrong, for the 403 answer. */
export function originProblem(origin: string | null | undefined, publicUrl: string): string | null {
  const expected = new URL(publicUrl).origin;
  if (!origin) return `The request has no Origin header; Ephemera only accepts it from ${expected}.`;
  let actual: string;
  try {
    actual = new URL(origin).origin;
  } catch {
    actual = origin;
  }
  return actual === expected ? null : `The request comes from ${origin}, not ${expected}; Ephemera refuses it to protect against cross-site requests.`;
}
