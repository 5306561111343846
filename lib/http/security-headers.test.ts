import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, newNonce, securityHeaders } from './security-headers';

const directives = (csp: string) => Object.fromEntries(csp.split('; ').map((part) => [part.split(' ')[0], part.split(' ').slice(1).join(' ')]));

describe('contentSecurityPolicy', () => {
  it('allows only same-origin content, and scripts by the request nonce', () => {
    expect(directives(contentSecurityPolicy({ nonce: 'abc123', publicUrl: 'http://127.0.0.1:3000', dev: false }))).toEqual({
      'default-src': "'self'",
      'script-src': "'self' 'nonce-abc123' 'strict-dynamic' 'wasm-unsafe-eval'",
      'style-src': "'self' 'nonce-abc123'",
      'style-src-attr': "'unsafe-inline'",
      'img-src': "'self' data: blob:",
      'font-src': "'self'",
      'connect-src': "'self' ws://127.0.0.1:3000",
      'object-src': "'none'",
      'base-uri': "'none'",
      'form-action': "'self'",
      'frame-ancestors': "'none'",
    });
  });

  it('never allows inline scripts or <style> elements without the nonce; style attributes only', () => {
    for (const dev of [true, false]) {
      const csp = directives(contentSecurityPolicy({ nonce: 'n', publicUrl: 'http://127.0.0.1:3000', dev }));
      const withUnsafeInline = Object.keys(csp).filter((directive) => csp[directive].includes("'unsafe-inline'"));
      expect(withUnsafeInline).toEqual(['style-src-attr']);
    }
  });

  it("adds 'unsafe-eval' in development only", () => {
    expect(directives(contentSecurityPolicy({ nonce: 'n', publicUrl: 'http://127.0.0.1:3000', dev: true }))['script-src']).toBe(
      "'self' 'nonce-n' 'strict-dynamic' 'wasm-unsafe-eval' 'unsafe-eval'",
    );
  });

  it('uses wss and upgrades insecure requests on https', () => {
    const csp = directives(contentSecurityPolicy({ nonce: 'n', publicUrl: 'https://ephemera.example.com', dev: false }));
    expect(csp['connect-src']).toBe("'self' wss://ephemera.example.com");
    expect(csp).toHaveProperty('upgrade-insecure-requests');
  });
});

describe('securityHeaders', () => {
  it('sets the fixed headers, and HSTS only on https', () => {
    const local = securityHeaders({ nonce: 'n', publicUrl: 'http://127.0.0.1:3000', dev: false });
    expect(local).toMatchObject({
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
      'Referrer-Policy': 'same-origin',
      'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=()',
      'Cross-Origin-Opener-Policy': 'same-origin',
    });
    expect(local).not.toHaveProperty('Strict-Transport-Security');
    expect(securityHeaders({ nonce: 'n', publicUrl: 'https://e.example.com', dev: false })['Strict-Transport-Security']).toBe('max-age=31536000');
  });
});

describe('newNonce', () => {
  it('is fresh each time and matches what Next accepts as a nonce', () => {
    const nonces = new Set(Array.from({ length: 50 }, newNonce));
    expect(nonces.size).toBe(50);
    for (const nonce of nonces) expect(nonce).toMatch(/^[A-Za-z0-9+/_-]+={0,2}$/);
  });
});
