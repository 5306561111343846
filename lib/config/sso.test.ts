import { describe, expect, it } from 'vitest';
import { ConfigError } from './env';
import { parseDuration, parseSsoConfig } from './sso';

const SECRET = 'x'.repeat(32);
const LISTEN = { host: '127.0.0.1', port: 3000 };
const complete = {
  EPHEMERA_OIDC_ISSUER: 'https://login.example.com/realms/ops/',
  EPHEMERA_OIDC_CLIENT_ID: 'ephemera',
  EPHEMERA_OIDC_CLIENT_SECRET: 'client-secret-value',
  EPHEMERA_SESSION_SECRET: SECRET,
};

function configError(env: Record<string, string | undefined>, listen = LISTEN): string {
  try {
    parseSsoConfig(env, listen);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('parseSsoConfig', () => {
  it('reads a complete configuration with defaults for the rest', () => {
    expect(parseSsoConfig(complete, LISTEN)).toEqual({
      issuer: 'https://login.example.com/realms/ops',
      clientId: 'ephemera',
      clientSecret: 'client-secret-value',
      providerName: 'login.example.com',
      scopes: 'openid profile email groups',
      sessionSecret: SECRET,
      publicUrl: 'http://127.0.0.1:3000',
      sessionMaxAgeSeconds: 8 * 3600,
    });
  });

  it('takes the optional settings', () => {
    const config = parseSsoConfig(
      {
        ...complete,
        EPHEMERA_OIDC_NAME: 'Okta',
        EPHEMERA_OIDC_SCOPES: 'openid, email',
        EPHEMERA_PUBLIC_URL: 'https://ephemera.example.com/',
        EPHEMERA_SESSION_MAX_AGE: '30m',
      },
      LISTEN,
    );
    expect(config).toMatchObject({ providerName: 'Okta', scopes: 'openid email', publicUrl: 'https://ephemera.example.com', sessionMaxAgeSeconds: 1800 });
  });

  it("accepts next-auth's own variable names, Ephemera's winning when both are set", () => {
    const { EPHEMERA_SESSION_SECRET: _unused, ...rest } = complete;
    const other = 'y'.repeat(40);
    expect(parseSsoConfig({ ...rest, NEXTAUTH_SECRET: other, NEXTAUTH_URL: 'https://a.example.com' }, LISTEN)).toMatchObject({
      sessionSecret: other,
      publicUrl: 'https://a.example.com',
    });
    expect(parseSsoConfig({ ...complete, NEXTAUTH_SECRET: other, NEXTAUTH_URL: 'https://a.example.com', EPHEMERA_PUBLIC_URL: 'https://b.example.com' }, LISTEN)).toMatchObject({
      sessionSecret: SECRET,
      publicUrl: 'https://b.example.com',
    });
  });

  it('names every missing setting and points to the demo', () => {
    const message = configError({});
    expect(message).toContain(
      'Sign-in is not configured: set EPHEMERA_OIDC_ISSUER, EPHEMERA_OIDC_CLIENT_ID, EPHEMERA_OIDC_CLIENT_SECRET, EPHEMERA_SESSION_SECRET (or NEXTAUTH_SECRET).',
    );
    expect(message).toContain('npm run demo');
  });

  it('never repeats a secret in an error', () => {
    const message = configError({ ...complete, EPHEMERA_SESSION_SECRET: 'short-but-secret' });
    expect(message).toContain('EPHEMERA_SESSION_SECRET must be at least 32 characters');
    expect(message).not.toContain('short-but-secret');
  });

  it.each([
    [{ EPHEMERA_OIDC_ISSUER: 'login.example.com' }, 'EPHEMERA_OIDC_ISSUER must be a URL'],
    [{ EPHEMERA_OIDC_ISSUER: 'http://login.example.com' }, 'EPHEMERA_OIDC_ISSUER must use https (plain http only on localhost or 127.0.0.1)'],
    [{ EPHEMERA_PUBLIC_URL: 'http://ephemera.internal' }, 'EPHEMERA_PUBLIC_URL must use https'],
    [{ EPHEMERA_PUBLIC_URL: 'https://example.com/ephemera' }, 'EPHEMERA_PUBLIC_URL must be an origin without a path'],
    [{ EPHEMERA_SESSION_MAX_AGE: 'forever' }, 'EPHEMERA_SESSION_MAX_AGE must be a duration such as 8h, 30m or 3600 (seconds) (got "forever")'],
    [{ EPHEMERA_OIDC_SCOPES: 'profile groups' }, 'EPHEMERA_OIDC_SCOPES must include openid'],
  ])('rejects %j', (override, message) => {
    expect(configError({ ...complete, ...override })).toContain(message);
  });

  it('allows plain http for a loopback issuer and public URL (the dev IdP)', () => {
    const config = parseSsoConfig({ ...complete, EPHEMERA_OIDC_ISSUER: 'http://127.0.0.1:5556', EPHEMERA_PUBLIC_URL: 'http://localhost:3000' }, LISTEN);
    expect(config).toMatchObject({ issuer: 'http://127.0.0.1:5556', publicUrl: 'http://localhost:3000', providerName: '127.0.0.1' });
  });

  it('needs EPHEMERA_PUBLIC_URL when listening on a non-loopback address', () => {
    expect(configError(complete, { host: '0.0.0.0', port: 8080 })).toContain('EPHEMERA_PUBLIC_URL is not set, and Ephemera listens on 0.0.0.0');
    expect(parseSsoConfig(complete, { host: '::1', port: 8080 }).publicUrl).toBe('http://[::1]:8080');
  });
});

describe('parseDuration', () => {
  it.each([
    ['3600', 3600],
    ['90s', 90],
    ['30m', 1800],
    ['8h', 28800],
    ['1d', 86400],
    [' 5 m ', 300],
  ])('%s is %d seconds', (text, seconds) => expect(parseDuration(text)).toBe(seconds));

  it.each(['', '0', '1w', '-5', '1.5h', 'h'])('refuses %j', (text) => expect(parseDuration(text)).toBeNull());
});
