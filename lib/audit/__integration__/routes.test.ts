// The audit routes' handlers as the app runs them: configured from the
// environment (the demo's ephemera.yaml, PGlite in memory), signed in with a
// real session cookie, the recorder installed as server/main.ts installs it.

import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setDenialSink } from '@/lib/auth/denials';
import type { SessionIdentity } from '@/lib/auth/identity';
import { sessionToken } from '@/lib/auth/test-support';
import type { Store } from '@/lib/store/types';
import { setAuditRecorder } from '../record';

const SECRET = 'audit-routes-test-session-secret-0123456789';
const PUBLIC_URL = 'http://127.0.0.1:3998';

const people: Record<string, SessionIdentity> = {
  sam: { name: 'sam', groups: ['support'] },
  lena: { name: 'lena', groups: ['team-leads'] },
};

type Handler = (request: Request, context: unknown) => Promise<Response>;
let routes: { list: Handler; verify: Handler; export: Handler };
let store: Store;
const saved = { ...process.env };
setDenialSink(() => {});

beforeAll(async () => {
  Object.assign(process.env, {
    EPHEMERA_OIDC_ISSUER: 'https://idp.example.test',
    EPHEMERA_OIDC_CLIENT_ID: 'ephemera',
    EPHEMERA_OIDC_CLIENT_SECRET: 'not-used-here',
    EPHEMERA_SESSION_SECRET: SECRET,
    EPHEMERA_PUBLIC_URL: PUBLIC_URL,
    EPHEMERA_CONFIG: path.resolve(import.meta.dirname, '../../../dev/demo/ephemera.yaml'),
    EPHEMERA_DATA_DIR: 'memory://',
  });
  routes = {
    list: (await import('@/app/api/audit/route')).GET as Handler,
    verify: (await import('@/app/api/audit/verify/route')).GET as Handler,
    export: (await import('@/app/api/audit/export/route')).GET as Handler,
  };
  store = await (await import('@/lib/store/shared')).getStore();
  setAuditRecorder((event) => store.audit.append(event));
}, 120_000);

afterAll(async () => {
  setAuditRecorder(undefined);
  await (await import('@/lib/store/shared')).closeStore();
  process.env = saved;
});

async function call(handler: Handler, who: keyof typeof people | null, url: string) {
  const headers: Record<string, string> = who ? { cookie: `ephemera.session-token=${await sessionToken(people[who], { secret: SECRET })}` } : {};
  return handler(new Request(`${PUBLIC_URL}${url}`, { headers }), { params: Promise.resolve({}) });
}

describe('the audit API', () => {
  it('refuses the anonymous (401) and a viewer (403, itself recorded as a denial)', async () => {
    expect((await call(routes.list, null, '/api/audit')).status).toBe(401);
    const refused = await call(routes.verify, 'sam', '/api/audit/verify');
    expect(refused.status).toBe(403);
    expect((await refused.json()).error).toMatch(/leads and admins/);
    expect((await call(routes.export, 'sam', '/api/audit/export')).status).toBe(403);
    // recordAudit runs in the background: wait for the appends.
    await expect.poll(async () => (await store.audit.list({ actor: 'sam' })).map((e) => [e.action, e.target])).toEqual([
      ['auth.denied', 'GET /api/audit/verify'],
      ['auth.denied', 'GET /api/audit/export'],
    ]);
  });

  it('lists for a lead, with filters, and refuses a bad query with a 400 naming the field', async () => {
    await store.audit.append({ actor: 'alice', action: 'session.start', sessionId: '0b7c2a4e-3f1d-4c5e-9a8b-7d6e5f4a3b2c' });
    const response = await call(routes.list, 'lena', '/api/audit?actor=alice&action=session.start&session=0b7c2a4e-3f1d-4c5e-9a8b-7d6e5f4a3b2c');
    expect(response.status).toBe(200);
    const { events } = await response.json();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actor: 'alice', action: 'session.start', prevHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const bad = await call(routes.list, 'lena', '/api/audit?limit=0&action=nope');
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatch(/limit must be at least 1.*action must be one of/);
  });

  it('verifies, and exports JSON lines ending with the export itself', async () => {
    const verdict = await (await call(routes.verify, 'lena', '/api/audit/verify')).json();
    expect(verdict).toMatchObject({ ok: true, events: expect.any(Number) });
    const response = await call(routes.export, 'lena', '/api/audit/export');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/x-ndjson');
    const lines = (await response.text()).trimEnd().split('\n').map((line) => JSON.parse(line));
    expect(lines.map((e) => e.seq)).toEqual(lines.map((_, i) => i + 1));
    expect(lines.at(-1)).toMatchObject({ actor: 'lena', action: 'audit.export' });
  });
});
