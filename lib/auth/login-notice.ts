// What the login page says above its button, from the query string next-auth
// and the proxy send people there with. Pure.

export interface LoginNotice {
  tone: 'info' | 'error';
  text: string;
}

type Params = Record<string, string | string[] | undefined>;

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/** next-auth's error codes (`/login?error=…`), in words a person can act on. */
const ERRORS: Record<string, (provider: string) => string> = {
  OAuthSignin: (provider) => `Ephemera could not start the sign-in with ${provider}: the identity provider did not answer or rejected the request. Try again; if it keeps failing, tell your Ephemera administrator.`,
  OAuthCallback: (provider) => `${provider} sent back an answer Ephemera could not accept (an expired or repeated sign-in, or a clock or configuration mismatch). Try again.`,
  AccessDenied: (provider) => `The sign-in was cancelled or refused at ${provider}, or its answer named no user.`,
  // Also what a sign-in cancelled at the IdP becomes: next-auth reports the IdP's access_denied as a callback error.
  Callback: (provider) => `The sign-in did not complete: it was cancelled or refused at ${provider}, or its answer could not be used. Try again.`,
  Configuration: () => 'Sign-in is misconfigured on the server. Tell your Ephemera administrator.',
  SessionRequired: () => 'Please sign in to continue.',
};

export function loginNotice(params: Params, providerName: string): LoginNotice | null {
  const error = first(params.error);
  if (error) return { tone: 'error', text: (ERRORS[error] ?? (() => `The sign-in failed (${error}). Try again.`))(providerName) };
  if (first(params.reason) === 'expired') return { tone: 'info', text: 'Your session has expired. Sign in again to continue.' };
  if (first(params.signedOut) !== undefined) return { tone: 'info', text: 'You have signed out.' };
  return null;
}

/**
 * Where to go after signing in: a path on this site, never another site
 * (`//evil.example`, `/\evil.example`). next-auth hands back absolute URLs of
 * this site after an error; those become paths.
 */
export function safeCallbackUrl(value: string | string[] | undefined, publicUrl?: string): string {
  let url = first(value);
  if (url && publicUrl && URL.canParse(url) && new URL(url).origin === new URL(publicUrl).origin) {
    const { pathname, search } = new URL(url);
    url = `${pathname}${search}`;
  }
  if (!url || !url.startsWith('/') || url.startsWith('//') || url.startsWith('/\\')) return '/';
  if (url === '/login' || url.startsWith('/login?')) return '/';
  return url;
}
