// The security headers on every response of Ephemera's server (server/main.ts
// sets them before Next or the upgrade router answers). Pure but for the nonce.
//
// The Content-Security-Policy, directive by directive:
//   default-src 'self'            nothing from other origins unless listed below.
//   script-src 'nonce-…' 'strict-dynamic' 'self'
//                                 Next's App Router streams its page data in inline
//                                 <script> tags and loads its chunks from /_next/static;
//                                 Next puts the per-request nonce (read from this same
//                                 header on the request) on all of them, and the chunks
//                                 they load inherit trust through 'strict-dynamic'. No
//                                 'unsafe-inline'. 'unsafe-eval' only in development,
//                                 where React uses eval for its debugging stacks.
//                                 'wasm-unsafe-eval': WebAssembly only (not JavaScript's eval):
//                                 the recording player's terminal emulator is compiled to it.
//   style-src 'self' 'nonce-…'    the Tailwind stylesheet, the few inline <style> tags Next
//                                 emits, and xterm.js's <style> elements (theme, cell size),
//                                 which the session page stamps with the nonce as they are
//                                 made (components/session/style-nonce.ts): without them the
//                                 terminal's text is drawn black on black.
//   style-src-attr 'unsafe-inline'   style attributes only: xterm.js colours 24-bit and
//                                 contrast-adjusted cells with them, and an attribute cannot
//                                 carry a nonce. An attribute has no selectors, so it cannot
//                                 read the page; <style> elements still need the nonce.
//   img-src 'self' data: blob:    the favicon and inline SVG/data images.
//   connect-src 'self' ws(s)://host   fetches and the terminal's WebSocket, same origin
//                                 only (ws: spelled out for browsers whose 'self' omits it).
//   object-src 'none', base-uri 'none'   no plugins; no <base> to redirect relative URLs.
//   form-action 'self'            forms only post to Ephemera.
//   frame-ancestors 'none'        never framed (clickjacking); X-Frame-Options for old browsers.
//   upgrade-insecure-requests     on https deployments only.

import { randomBytes } from 'node:crypto';

export interface HeaderContext {
  /** Fresh for every response. */
  nonce: string;
  publicUrl: string;
  dev: boolean;
}

export function newNonce(): string {
  return randomBytes(18).toString('base64');
}

export function contentSecurityPolicy({ nonce, publicUrl, dev }: HeaderContext): string {
  const url = new URL(publicUrl);
  const https = url.protocol === 'https:';
  const webSocketOrigin = `${https ? 'wss' : 'ws'}://${url.host}`;
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic' 'wasm-unsafe-eval'${dev ? " 'unsafe-eval'" : ''}`,
    `style-src 'self' 'nonce-${nonce}'`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self' ${webSocketOrigin}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(https ? ['upgrade-insecure-requests'] : []),
  ].join('; ');
}

export function securityHeaders(context: HeaderContext): Record<string, string> {
  const https = new URL(context.publicUrl).protocol === 'https:';
  return {
    'Content-Security-Policy': contentSecurityPolicy(context),
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=()',
    'Cross-Origin-Opener-Policy': 'same-origin',
    ...(https ? { 'Strict-Transport-Security': 'max-age=31536000' } : {}),
  };
}
