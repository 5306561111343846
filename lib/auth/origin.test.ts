import { describe, expect, it } from 'vitest';
import { needsOriginCheck, originProblem } from './origin';

describe('needsOriginCheck', () => {
  it.each([
    ['GET', '/api/clusters', false],
    ['HEAD', '/', false],
    ['OPTIONS', '/api/clusters', false],
    ['POST', '/api/clusters', true],
    ['put', '/api/sessions/1', true],
    ['PATCH', '/api/x', true],
    ['DELETE', '/api/sessions/1', true],
    ['POST', '/api/auth/signin/oidc', true],
    ['POST', '/api/auth/signout', true],
    // A page's POST is a Server Action: state-changing too.
    ['POST', '/', true],
    // The IdP may post the authorization response here; state and PKCE protect it.
    ['POST', '/api/auth/callback/oidc', false],
    ['GET', '/api/auth/callback/oidc', false],
  ])('%s %s → %s', (method, path, expected) => {
    expect(needsOriginCheck(method, path)).toBe(expected);
  });
});

describe('originProblem', () => {
  it('accepts the public origin, whatever the path or default port spelling', () => {
    expect(originProblem('http://127.0.0.1:3000', 'http://127.0.0.1:3000')).toBeNull();
    expect(originProblem('https://ephemera.example.com', 'https://ephemera.example.com:443')).toBeNull();
    expect(originProblem('https://ephemera.example.com', 'https://ephemera.example.com/')).toBeNull();
  });

  it.each([
    ['http://evil.example', 'The request comes from http://evil.example, not http://127.0.0.1:3000'],
    ['http://127.0.0.1:3001', 'The request comes from http://127.0.0.1:3001, not http://127.0.0.1:3000'],
    ['http://localhost:3000', 'The request comes from http://localhost:3000, not http://127.0.0.1:3000'],
    ['https://127.0.0.1:3000', 'The request comes from https://127.0.0.1:3000'],
    ['null', 'The request comes from null'],
    [null, 'The request has no Origin header; Ephemera only accepts it from http://127.0.0.1:3000.'],
    ['', 'The request has no Origin header'],
  ])('refuses Origin %j', (origin, message) => {
    expect(originProblem(origin, 'http://127.0.0.1:3000')).toContain(message);
  });
});
