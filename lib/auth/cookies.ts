// Ephemera's cookies: names and flags for every cookie next-auth sets, and
// reading the session cookie back from a request. Pure.
//   HttpOnly always: no script, ours or injected, reads a session or a PKCE verifier.
//   SameSite=Lax: sent on the top-level redirect back from the IdP, not on
//     cross-site subrequests or posts.
//   Secure whenever the public URL is https, which it must be anywhere but
//     localhost/127.0.0.1 (lib/config/sso.ts); then also the __Secure-/__Host- prefixes.
// The names are Ephemera's own, not next-auth's defaults: cookies are scoped by
// host, not port, so two next-auth apps on localhost would otherwise overwrite
// each other's sessions.

export interface CookieSpec {
  name: string;
  options: { httpOnly: true; sameSite: 'lax'; path: '/'; secure: boolean; maxAge?: number };
}

/** The cookies next-auth sets, by its own keys (its `cookies` option). */
export interface AuthCookies {
  sessionToken: CookieSpec;
  callbackUrl: CookieSpec;
  csrfToken: CookieSpec;
  pkceCodeVerifier: CookieSpec;
  state: CookieSpec;
  nonce: CookieSpec;
}

const SIGN_IN_FLOW_SECONDS = 15 * 60;

export function authCookies(publicUrl: string): AuthCookies {
  const secure = new URL(publicUrl).protocol === 'https:';
  const prefix = secure ? '__Secure-' : '';
  const cookie = (name: string, maxAge?: number, hostOnly = false): CookieSpec => ({
    name: `${hostOnly && secure ? '__Host-' : prefix}ephemera.${name}`,
    options: { httpOnly: true, sameSite: 'lax', path: '/', secure, ...(maxAge ? { maxAge } : {}) },
  });
  return {
    sessionToken: cookie('session-token'),
    callbackUrl: cookie('callback-url'),
    // __Host-: no Domain attribute allowed, so no sibling subdomain can plant a CSRF token.
    csrfToken: cookie('csrf-token', undefined, true),
    pkceCodeVerifier: cookie('pkce.code_verifier', SIGN_IN_FLOW_SECONDS),
    state: cookie('state', SIGN_IN_FLOW_SECONDS),
    nonce: cookie('nonce'),
  };
}

/** Cookie name → value from a Cookie header (first occurrence wins, as browsers send the most specific first). */
export function parseCookieHeader(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (!name || cookies.has(name)) continue;
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    try {
      cookies.set(name, decodeURIComponent(value));
    } catch {
      cookies.set(name, value);
    }
  }
  return cookies;
}

/**
 * The session token: next-auth writes it whole, or split into `name.0`,
 * `name.1`, … when it is larger than one cookie may be.
 */
export function readSessionToken(cookies: ReadonlyMap<string, string>, name: string): string | undefined {
  const whole = cookies.get(name);
  if (whole) return whole;
  const chunks: string[] = [];
  for (let index = 0; cookies.has(`${name}.${index}`); index++) chunks.push(cookies.get(`${name}.${index}`)!);
  return chunks.length > 0 ? chunks.join('') : undefined;
}
