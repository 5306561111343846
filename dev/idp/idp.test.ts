import { createHash, createPublicKey, randomBytes, verify, type JsonWebKey } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseIdpArgs } from './args';
import { startDevIdp, type DevIdp } from './server';

const CLIENT = { clientId: 'ephemera', clientSecret: 'test-secret', redirectUris: ['http://127.0.0.1:3999/api/auth/callback/oidc'] };
const REDIRECT = CLIENT.redirectUris[0];

let idp: DevIdp;
beforeAll(async () => {
  idp = await startDevIdp({ host: '127.0.0.1', port: 0, client: CLIENT, tokenTtlSeconds: 120 });
});
afterAll(() => idp.close());

/** A browser stand-in: follows nothing by itself and keeps cookies by name (paths ignored; good enough here). */
class Browser {
  private cookies = new Map<string, string>();
  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set('cookie', [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; '));
    const response = await fetch(new URL(url, idp.url), { ...init, headers, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [name, value] = [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)];
      if (value) this.cookies.set(name, value);
      else this.cookies.delete(name);
    }
    return response;
  }
  postForm(url: string, form: Record<string, string>) {
    return this.request(url, { method: 'POST', body: new URLSearchParams(form), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  }
}

const location = (response: Response) => response.headers.get('location')!;

function authorizeUrl(challenge: string, state: string) {
  const params = new URLSearchParams({
    client_id: CLIENT.clientId,
    redirect_uri: REDIRECT,
    response_type: 'code',
    scope: 'openid profile email groups',
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  return `/auth?${params}`;
}

/** Runs the authorization code flow with PKCE up to the login form; returns its URL. */
async function startLogin(browser: Browser, verifier: string, state = 'st') {
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const toInteraction = await browser.request(authorizeUrl(challenge, state));
  expect(toInteraction.status).toBe(303);
  expect(location(toInteraction)).toMatch(/^\/interaction\/[\w-]+$/);
  return location(toInteraction);
}

/** Logs in on the form and follows the provider back to the client's redirect URI. */
async function login(browser: Browser, interaction: string, username: string, password = 'demo') {
  const afterLogin = await browser.postForm(`${interaction}/login`, { username, password });
  expect(afterLogin.status).toBe(303);
  const toClient = await browser.request(location(afterLogin));
  expect(toClient.status).toBe(303);
  return new URL(location(toClient));
}

async function redeem(code: string, verifier: string) {
  const response = await fetch(`${idp.url}/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${CLIENT.clientId}:${CLIENT.clientSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, string> };
}

/** The ID token's claims, after checking its RS256 signature against the IdP's JWKS. */
async function verifiedClaims(idToken: string): Promise<Record<string, unknown>> {
  const { keys } = (await (await fetch(`${idp.url}/jwks`)).json()) as { keys: Array<JsonWebKey & { kid: string }> };
  const [header, payload, signature] = idToken.split('.');
  const { kid, alg } = JSON.parse(Buffer.from(header, 'base64url').toString());
  expect(alg).toBe('RS256');
  const key = createPublicKey({ key: keys.find((candidate) => candidate.kid === kid)!, format: 'jwk' });
  expect(verify('sha256', Buffer.from(`${header}.${payload}`), key, Buffer.from(signature, 'base64url'))).toBe(true);
  return JSON.parse(Buffer.from(payload, 'base64url').toString());
}

describe('dev IdP', () => {
  it('publishes discovery for its issuer with S256 PKCE and the groups scope', async () => {
    const discovery = await (await fetch(`${idp.url}/.well-known/openid-configuration`)).json();
    expect(discovery).toMatchObject({
      issuer: idp.url,
      authorization_endpoint: `${idp.url}/auth`,
      token_endpoint: `${idp.url}/token`,
      code_challenge_methods_supported: ['S256'],
    });
    expect(discovery.scopes_supported).toContain('groups');
  });

  it('issues an ID token with the profile, e-mail and groups claims after a login with PKCE', async () => {
    const browser = new Browser();
    const verifier = randomBytes(32).toString('base64url');
    const interaction = await startLogin(browser, verifier, 'state-1');
    const form = await browser.request(interaction);
    expect(form.status).toBe(200);
    const html = await form.text();
    expect(html).toContain('<form');
    for (const user of ['alice', 'lena', 'sam', 'ada', 'nora']) expect(html).toContain(`<code>${user}</code>`);
    expect(form.headers.get('content-security-policy')).toContain("form-action 'self' http://127.0.0.1:3999");

    const callback = await login(browser, interaction, 'alice');
    expect(`${callback.origin}${callback.pathname}`).toBe(REDIRECT);
    expect(callback.searchParams.get('state')).toBe('state-1');

    const tokens = await redeem(callback.searchParams.get('code')!, verifier);
    expect(tokens.status).toBe(200);
    const claims = await verifiedClaims(tokens.body.id_token);
    expect(claims).toMatchObject({
      iss: idp.url,
      aud: 'ephemera',
      preferred_username: 'alice',
      name: 'Alice Ng',
      email: 'alice@example.com',
      groups: ['oncall'],
    });
    expect(Number(claims.exp) - Number(claims.iat)).toBe(120);
  });

  it('gives nora an empty groups claim', async () => {
    const browser = new Browser();
    const verifier = randomBytes(32).toString('base64url');
    const callback = await login(browser, await startLogin(browser, verifier), 'NORA');
    const claims = await verifiedClaims((await redeem(callback.searchParams.get('code')!, verifier)).body.id_token);
    expect(claims).toMatchObject({ preferred_username: 'nora', groups: [] });
  });

  it('refuses a wrong password on the form, keeping the username', async () => {
    const browser = new Browser();
    const interaction = await startLogin(browser, randomBytes(32).toString('base64url'));
    const response = await browser.postForm(`${interaction}/login`, { username: 'alice', password: 'nope' });
    expect(response.status).toBe(401);
    const html = await response.text();
    expect(html).toContain('role="alert"');
    expect(html).toContain('value="alice"');
  });

  it('refuses a code redeemed with the wrong PKCE verifier', async () => {
    const browser = new Browser();
    const verifier = randomBytes(32).toString('base64url');
    const callback = await login(browser, await startLogin(browser, verifier), 'sam');
    const tokens = await redeem(callback.searchParams.get('code')!, randomBytes(32).toString('base64url'));
    expect(tokens).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('requires PKCE', async () => {
    const params = new URLSearchParams({ client_id: CLIENT.clientId, redirect_uri: REDIRECT, response_type: 'code', scope: 'openid', state: 's' });
    const response = await new Browser().request(`/auth?${params}`);
    const back = new URL(location(response));
    expect(back.searchParams.get('error')).toBe('invalid_request');
    expect(back.searchParams.get('error_description')).toMatch(/requires PKCE/);
  });

  it('asks who you are again on the next sign-in, even with a session', async () => {
    const browser = new Browser();
    await login(browser, await startLogin(browser, randomBytes(32).toString('base64url')), 'ada');
    await startLogin(browser, randomBytes(32).toString('base64url'));
  });

  it('lets another person sign in in the same browser, ending the first one’s IdP session through a script its CSP allows', async () => {
    const browser = new Browser();
    await login(browser, await startLogin(browser, randomBytes(32).toString('base64url')), 'alice');
    const verifier = randomBytes(32).toString('base64url');
    const interaction = await startLogin(browser, verifier);
    const afterLogin = await browser.postForm(`${interaction}/login`, { username: 'nora', password: 'demo' });
    const logoutPage = await browser.request(location(afterLogin));
    expect(logoutPage.status).toBe(200);
    const html = await logoutPage.text();
    // The page submits its form with an inline script; the CSP must allow exactly that script.
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)![1];
    const hash = createHash('sha256').update(script).digest('base64');
    expect(logoutPage.headers.get('content-security-policy')).toContain(`'sha256-${hash}'`);

    const action = /<form method="post" action="([^"]+)"/.exec(html)![1];
    const fields = Object.fromEntries([...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)].map((match) => [match[1], match[2]]));
    let response = await browser.postForm(action, fields);
    while (response.status === 303 || response.status === 302) {
      const next = location(response);
      if (next.startsWith(REDIRECT)) break;
      response = await browser.request(next);
    }
    const callback = new URL(location(response));
    const claims = await verifiedClaims((await redeem(callback.searchParams.get('code')!, verifier)).body.id_token);
    expect(claims).toMatchObject({ preferred_username: 'nora' });
  });

  it('returns access_denied to the client when the person cancels', async () => {
    const browser = new Browser();
    const interaction = await startLogin(browser, randomBytes(32).toString('base64url'), 'st-9');
    const resume = await browser.request(`${interaction}/abort`);
    const back = new URL(location(await browser.request(location(resume))));
    expect(back.searchParams.get('error')).toBe('access_denied');
    expect(back.searchParams.get('state')).toBe('st-9');
  });

  it('only listens on loopback addresses', async () => {
    await expect(startDevIdp({ host: '0.0.0.0', port: 0, client: CLIENT, tokenTtlSeconds: 60 })).rejects.toThrow(/only listens on a loopback address/);
  });
});

describe('parseIdpArgs', () => {
  const base = ['--listen', '127.0.0.1:5556', '--client-id', 'c', '--client-secret', 's', '--redirect-uri', 'http://127.0.0.1:3000/cb'];

  it('reads the listen address, the client and a default token lifetime', () => {
    expect(parseIdpArgs(base)).toEqual({
      host: '127.0.0.1',
      port: 5556,
      client: { clientId: 'c', clientSecret: 's', redirectUris: ['http://127.0.0.1:3000/cb'] },
      tokenTtlSeconds: 600,
    });
  });

  it('takes several redirect URIs, an IPv6 loopback and a token lifetime', () => {
    const options = parseIdpArgs([...base, '--redirect-uri', 'http://localhost:4000/cb', '--listen', '[::1]:0', '--token-ttl', '30']);
    expect(options).toMatchObject({ host: '::1', port: 0, tokenTtlSeconds: 30 });
    expect(options.client.redirectUris).toEqual(['http://127.0.0.1:3000/cb', 'http://localhost:4000/cb']);
  });

  it.each([
    [['--listen', '127.0.0.1:1'], 'missing --client-id, --client-secret, --redirect-uri'],
    [[...base, '--listen', '5556'], '--listen must be HOST:PORT'],
    [[...base, '--redirect-uri', 'ftp://x'], '--redirect-uri must be an http(s) URL (got "ftp://x")'],
    [[...base, '--token-ttl', '0'], '--token-ttl must be a whole number of seconds (got "0")'],
    [[...base, '--tokens', '1'], "Unknown option '--tokens'"],
  ])('rejects %j', (argv, message) => {
    expect(() => parseIdpArgs(argv)).toThrow(message);
  });
});
