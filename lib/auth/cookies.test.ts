import { describe, expect, it } from 'vitest';
import { authCookies, parseCookieHeader, readSessionToken } from './cookies';

describe('authCookies', () => {
  it('on a loopback http URL: HttpOnly, SameSite=Lax, path /, not Secure, no prefixes', () => {
    const cookies = authCookies('http://127.0.0.1:3000');
    for (const spec of Object.values(cookies)) {
      expect(spec.options).toMatchObject({ httpOnly: true, sameSite: 'lax', path: '/', secure: false });
      expect(spec.name).toMatch(/^ephemera\./);
    }
    expect(cookies.sessionToken.name).toBe('ephemera.session-token');
    expect(cookies.csrfToken.name).toBe('ephemera.csrf-token');
    expect(authCookies('http://localhost:3000').sessionToken.options.secure).toBe(false);
  });

  it('on https: Secure with the __Secure- prefix, and __Host- for the CSRF token', () => {
    const cookies = authCookies('https://ephemera.example.com');
    for (const spec of Object.values(cookies)) expect(spec.options).toMatchObject({ httpOnly: true, sameSite: 'lax', path: '/', secure: true });
    expect(cookies.sessionToken.name).toBe('__Secure-ephemera.session-token');
    expect(cookies.pkceCodeVerifier.name).toBe('__Secure-ephemera.pkce.code_verifier');
    expect(cookies.csrfToken.name).toBe('__Host-ephemera.csrf-token');
  });

  it('is Secure on https even on localhost', () => {
    expect(authCookies('https://localhost:8443').sessionToken.options.secure).toBe(true);
  });

  it('lets the sign-in flow cookies (PKCE verifier, state) live 15 minutes; the session follows the session max age', () => {
    const cookies = authCookies('http://127.0.0.1:3000');
    expect(cookies.pkceCodeVerifier.options.maxAge).toBe(900);
    expect(cookies.state.options.maxAge).toBe(900);
    expect(cookies.sessionToken.options.maxAge).toBeUndefined();
  });
});

describe('parseCookieHeader', () => {
  it('splits, trims, unquotes and URL-decodes; the first of two equal names wins', () => {
    const cookies = parseCookieHeader('a=1; b = two ; c="q"; d=%3D%20; a=shadowed; broken; =x');
    expect([...cookies]).toEqual([
      ['a', '1'],
      ['b', 'two'],
      ['c', 'q'],
      ['d', '= '],
    ]);
  });

  it('keeps a value that is not valid URL encoding as it is', () => {
    expect(parseCookieHeader('x=%E0%A4%A').get('x')).toBe('%E0%A4%A');
  });

  it('is empty without a header', () => {
    expect(parseCookieHeader(undefined).size).toBe(0);
  });
});

describe('readSessionToken', () => {
  it('reads a whole cookie, or joins next-auth chunks in order', () => {
    expect(readSessionToken(new Map([['s', 'abc']]), 's')).toBe('abc');
    expect(readSessionToken(new Map([['s.1', 'def'], ['s.0', 'abc'], ['s.2', 'g']]), 's')).toBe('abcdefg');
    expect(readSessionToken(new Map([['other', 'x']]), 's')).toBeUndefined();
  });
});
