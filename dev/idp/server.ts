// The dev IdP's HTTP server: oidc-provider for the protocol endpoints
// (discovery, authorize, token, userinfo, jwks, end session) and our own pages
// for the one interaction a person sees, the login form.
//
// Plain HTTP on a loopback address only. That is acceptable here and nowhere
// else: the IdP and the app run on the same machine, the traffic never leaves
// it, and the users and their password are public demo data. A real IdP must
// be served over HTTPS (tokens and passwords travel through it), which is why
// Ephemera only accepts a plain-http issuer on localhost (lib/config/env.ts).

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type Provider from 'oidc-provider';
import { errorPage, loginPage, pageCsp } from './pages';
import { createProvider, type DevIdpClient } from './provider';
import { checkCredentials, DEMO_USERS } from './users';

export interface DevIdpOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  client: DevIdpClient;
  tokenTtlSeconds: number;
}

export interface DevIdp {
  /** The issuer URL, e.g. http://127.0.0.1:5556. */
  url: string;
  close(): Promise<void>;
}

const INTERACTION = /^\/interaction\/([\w-]+)(?:\/(login|abort))?$/;
const MAX_FORM_BYTES = 8 * 1024;

export async function startDevIdp(options: DevIdpOptions): Promise<DevIdp> {
  if (!isLoopback(options.host)) {
    throw new Error(`the dev IdP serves plain HTTP and only listens on a loopback address (127.0.0.1, ::1, localhost), not ${options.host}`);
  }
  let handle: http.RequestListener = (_request, response) => response.writeHead(503).end();
  const server = http.createServer((request, response) => handle(request, response));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, resolve);
  });
  const address = server.address() as AddressInfo;
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;

  // The issuer includes the port, known only once listening.
  const provider = createProvider({ issuer: url, client: options.client, tokenTtlSeconds: options.tokenTtlSeconds });
  const csp = pageCsp(options.client.redirectUris);
  const protocol = provider.callback();
  handle = (request, response) => {
    response.setHeader('Content-Security-Policy', csp);
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.setHeader('Referrer-Policy', 'no-referrer');
    const match = INTERACTION.exec(new URL(request.url ?? '/', url).pathname);
    if (!match) return protocol(request, response);
    interaction(provider, request, response, match[2] as 'login' | 'abort' | undefined).catch((error: unknown) => {
      sendHtml(response, 400, errorPage('Sign-in failed', { error: (error as Error).message, 'what now': 'Go back to the application and sign in again.' }));
    });
  };

  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function interaction(provider: Provider, request: http.IncomingMessage, response: http.ServerResponse, step: 'login' | 'abort' | undefined) {
  const details = await provider.interactionDetails(request, response);
  const clientId = String(details.params.client_id ?? '');

  if (step === 'abort') {
    return provider.interactionFinished(request, response, { error: 'access_denied', error_description: 'The user cancelled the sign-in.' }, { mergeWithLastSubmission: false });
  }
  if (details.prompt.name !== 'login') {
    // Consent is granted without asking (provider.ts), so login is the only prompt a person meets.
    return sendHtml(response, 400, errorPage('Unexpected step', { prompt: details.prompt.name }));
  }
  if (step === undefined && request.method === 'GET') {
    const hint = typeof details.params.login_hint === 'string' ? details.params.login_hint : '';
    return sendHtml(response, 200, loginPage({ uid: details.uid, clientId, users: DEMO_USERS, username: hint }));
  }
  if (step === 'login' && request.method === 'POST') {
    const form = await readForm(request);
    const username = form.get('username') ?? '';
    const user = checkCredentials(username, form.get('password') ?? '');
    if (!user) {
      const error = 'Unknown user or wrong password. The demo users are listed below; their password is "demo".';
      return sendHtml(response, 401, loginPage({ uid: details.uid, clientId, users: DEMO_USERS, username, error }));
    }
    return provider.interactionFinished(request, response, { login: { accountId: user.sub } }, { mergeWithLastSubmission: false });
  }
  sendHtml(response, 405, errorPage('Method not allowed', { method: request.method, path: request.url }));
}

async function readForm(request: http.IncomingMessage): Promise<URLSearchParams> {
  let body = '';
  for await (const chunk of request) {
    body += chunk;
    if (body.length > MAX_FORM_BYTES) throw new Error('the login form is too large');
  }
  return new URLSearchParams(body);
}

function sendHtml(response: http.ServerResponse, status: number, html: string) {
  response.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' }).end(html);
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
