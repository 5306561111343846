// Sign-in configuration from the environment: the OpenID Connect provider, the
// session secret, the public URL and the session lifetime. Any standard OIDC
// provider works (Keycloak, Dex, Okta, Entra ID, Google): Ephemera needs its
// issuer URL (for discovery) and a confidential client registered there with
// the redirect URI `<public URL>/api/auth/callback/oidc`.
// Secrets come from the environment only and are never echoed in errors.

import { z } from 'zod';
import { config, ConfigError, optional, parseEnv } from './env';

export interface SsoConfig {
  /** The issuer URL, without a trailing slash; discovery is at `${issuer}/.well-known/openid-configuration`. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Shown on the sign-in button: "Sign in with <providerName>". */
  providerName: string;
  scopes: string;
  /** Encrypts and signs the session cookie (next-auth's secret). */
  sessionSecret: string;
  /** Where people reach Ephemera, an origin without a trailing slash; Origin checks compare against it. */
  publicUrl: string;
  /** A session ends this long after sign-in, however active it is. */
  sessionMaxAgeSeconds: number;
}

export const DEFAULT_SCOPES = 'openid profile email groups';
export const DEFAULT_SESSION_MAX_AGE_SECONDS = 8 * 60 * 60;
const MIN_SECRET_LENGTH = 32;

const LOOPBACK = /^(localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\])$/;

/** http is only for a browser and a server on the same machine; anything else needs https. */
export function isLoopbackUrl(url: URL): boolean {
  return LOOPBACK.test(url.hostname);
}

const httpUrl = (variable: string, { originOnly }: { originOnly: boolean }) =>
  z
    .string()
    .trim()
    .refine((value) => URL.canParse(value), `${variable} must be a URL, e.g. https://ephemera.example.com`)
    .transform((value) => new URL(value))
    .refine((url) => url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackUrl(url)), `${variable} must use https (plain http only on localhost or 127.0.0.1)`)
    .refine((url) => !url.search && !url.hash, `${variable} must not have a query or fragment`)
    .refine((url) => !originOnly || url.pathname === '/', `${variable} must be an origin without a path (Ephemera is served at /)`)
    .transform((url) => (originOnly ? url.origin : url.href.replace(/\/$/, '')));

const secret = (variable: string) =>
  z
    .string()
    .refine((value) => value.length >= MIN_SECRET_LENGTH, `${variable} must be at least ${MIN_SECRET_LENGTH} characters; generate one with \`openssl rand -base64 32\``);

/** "8h", "30m", "90s", "1d" or plain seconds. */
export function parseDuration(value: string): number | null {
  const match = /^(\d+)\s*([smhd]?)$/.exec(value.trim());
  if (!match) return null;
  const seconds = Number(match[1]) * { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[match[2] as '' | 's' | 'm' | 'h' | 'd'];
  return seconds > 0 ? seconds : null;
}

const SsoSchema = z.object({
  EPHEMERA_OIDC_ISSUER: optional(httpUrl('EPHEMERA_OIDC_ISSUER', { originOnly: false })),
  EPHEMERA_OIDC_CLIENT_ID: optional(z.string().trim().min(1)),
  EPHEMERA_OIDC_CLIENT_SECRET: optional(z.string().min(1)),
  EPHEMERA_OIDC_NAME: optional(z.string().trim().min(1)),
  EPHEMERA_OIDC_SCOPES: optional(
    z
      .string()
      .transform((value) => value.split(/[\s,]+/).filter(Boolean).join(' '))
      .refine((scopes) => scopes.split(' ').includes('openid'), 'EPHEMERA_OIDC_SCOPES must include openid'),
  ),
  EPHEMERA_SESSION_SECRET: optional(secret('EPHEMERA_SESSION_SECRET')),
  NEXTAUTH_SECRET: optional(secret('NEXTAUTH_SECRET')),
  EPHEMERA_PUBLIC_URL: optional(httpUrl('EPHEMERA_PUBLIC_URL', { originOnly: true })),
  NEXTAUTH_URL: optional(httpUrl('NEXTAUTH_URL', { originOnly: true })),
  EPHEMERA_SESSION_MAX_AGE: optional(
    z
      .string()
      .transform((value) => parseDuration(value))
      .refine((seconds) => seconds !== null, 'EPHEMERA_SESSION_MAX_AGE must be a duration such as 8h, 30m or 3600 (seconds)')
      .transform((seconds) => seconds!),
  ),
});

const SECRET_VARIABLES = ['EPHEMERA_OIDC_CLIENT_SECRET', 'EPHEMERA_SESSION_SECRET', 'NEXTAUTH_SECRET'];

/**
 * The sign-in configuration; `listen` is where the server listens, the public
 * URL's default when that is a loopback address (a reverse proxy or another
 * host needs EPHEMERA_PUBLIC_URL).
 */
export function parseSsoConfig(env: Record<string, string | undefined>, listen: { host: string; port: number }): SsoConfig {
  const vars = parseEnv(SsoSchema, env, SECRET_VARIABLES);
  const sessionSecret = vars.EPHEMERA_SESSION_SECRET ?? vars.NEXTAUTH_SECRET;
  const missing = [
    !vars.EPHEMERA_OIDC_ISSUER && 'EPHEMERA_OIDC_ISSUER',
    !vars.EPHEMERA_OIDC_CLIENT_ID && 'EPHEMERA_OIDC_CLIENT_ID',
    !vars.EPHEMERA_OIDC_CLIENT_SECRET && 'EPHEMERA_OIDC_CLIENT_SECRET',
    !sessionSecret && 'EPHEMERA_SESSION_SECRET (or NEXTAUTH_SECRET)',
  ].filter(Boolean);
  if (missing.length > 0) {
    throw new ConfigError(
      `Sign-in is not configured: set ${missing.join(', ')}.\n` +
        '  Ephemera signs people in with OpenID Connect; see the README section "Signing in".\n' +
        '  To try it without a provider, run `npm run demo`, which starts a development one.',
    );
  }
  const publicUrl = vars.EPHEMERA_PUBLIC_URL ?? vars.NEXTAUTH_URL ?? defaultPublicUrl(listen);
  const issuer = vars.EPHEMERA_OIDC_ISSUER!;
  return {
    issuer,
    clientId: vars.EPHEMERA_OIDC_CLIENT_ID!,
    clientSecret: vars.EPHEMERA_OIDC_CLIENT_SECRET!,
    providerName: vars.EPHEMERA_OIDC_NAME ?? new URL(issuer).hostname,
    scopes: vars.EPHEMERA_OIDC_SCOPES ?? DEFAULT_SCOPES,
    sessionSecret: sessionSecret!,
    publicUrl,
    sessionMaxAgeSeconds: vars.EPHEMERA_SESSION_MAX_AGE ?? DEFAULT_SESSION_MAX_AGE_SECONDS,
  };
}

function defaultPublicUrl({ host, port }: { host: string; port: number }): string {
  const hostPart = host.includes(':') ? `[${host}]` : host;
  const url = new URL(`http://${hostPart}:${port}`);
  if (!isLoopbackUrl(url)) {
    throw new ConfigError(
      `EPHEMERA_PUBLIC_URL is not set, and Ephemera listens on ${host}, which is not a loopback address. ` +
        'Set EPHEMERA_PUBLIC_URL to the https URL people use to reach Ephemera, e.g. https://ephemera.example.com.',
    );
  }
  return url.origin;
}

let loaded: SsoConfig | undefined;

/** The process's sign-in configuration, parsed on first use; throws ConfigError when incomplete or invalid. */
export function ssoConfig(): SsoConfig {
  loaded ??= parseSsoConfig(process.env, config());
  return loaded;
}
