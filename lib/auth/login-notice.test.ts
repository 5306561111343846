import { describe, expect, it } from 'vitest';
import { loginNotice, safeCallbackUrl } from './login-notice';

describe('loginNotice', () => {
  it('says nothing on a plain visit', () => {
    expect(loginNotice({}, 'Okta')).toBeNull();
    expect(loginNotice({ callbackUrl: '/' }, 'Okta')).toBeNull();
  });

  it.each([
    ['OAuthSignin', 'could not start the sign-in with Okta'],
    ['OAuthCallback', 'Okta sent back an answer Ephemera could not accept'],
    ['AccessDenied', 'cancelled or refused at Okta'],
    ['Callback', 'The sign-in did not complete: it was cancelled or refused at Okta'],
    ['Configuration', 'misconfigured on the server'],
    ['Weird', 'The sign-in failed (Weird). Try again.'],
  ])('explains next-auth error %s', (error, text) => {
    expect(loginNotice({ error }, 'Okta')).toEqual({ tone: 'error', text: expect.stringContaining(text) });
  });

  it('says the session expired, or that you signed out', () => {
    expect(loginNotice({ reason: 'expired' }, 'x')).toEqual({ tone: 'info', text: 'Your session has expired. Sign in again to continue.' });
    expect(loginNotice({ signedOut: '' }, 'x')).toEqual({ tone: 'info', text: 'You have signed out.' });
    expect(loginNotice({ reason: ['expired', 'x'] }, 'x')?.text).toContain('expired');
  });
});

describe('safeCallbackUrl', () => {
  it.each([
    [undefined, '/'],
    ['/', '/'],
    ['/pods?ns=shop', '/pods?ns=shop'],
    [['/a', '/b'], '/a'],
    ['https://evil.example/', '/'],
    ['//evil.example/', '/'],
    ['/\\evil.example', '/'],
    ['javascript:alert(1)', '/'],
    ['/login', '/'],
    ['/login?callbackUrl=%2F', '/'],
  ])('%j → %s', (value, expected) => expect(safeCallbackUrl(value)).toBe(expected));
  it('turns an absolute URL of this site into its path, and refuses other sites', () => {
    expect(safeCallbackUrl('http://127.0.0.1:3000/pods?ns=a', 'http://127.0.0.1:3000')).toBe('/pods?ns=a');
    expect(safeCallbackUrl('http://127.0.0.1:3000/', 'http://127.0.0.1:3000')).toBe('/');
    expect(safeCallbackUrl('http://127.0.0.1:3001/pods', 'http://127.0.0.1:3000')).toBe('/');
    expect(safeCallbackUrl('http://evil.example/', 'http://127.0.0.1:3000')).toBe('/');
  });
});
