// The session routes' handlers as the app runs them: configured from the
// environment (the dev cluster's kubeconfig, the demo's ephemera.yaml, PGlite
// in memory), signed in with a real session cookie, the pod read and the
// container started as the person. What the browser-level matrix test only
// probes, here with bodies.

import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevCluster, type RunningDevCluster } from '@/dev/cluster/__integration__/harness';
import { setDenialSink } from '@/lib/auth/denials';
import type { SessionIdentity } from '@/lib/auth/identity';
import { sessionToken } from '@/lib/auth/test-support';
import { setAuditRecorder } from '@/lib/audit/record';
import type { Store } from '@/lib/store/types';

const SECRET = 'routes-test-session-secret-0123456789abcdef';
const PUBLIC_URL = 'http://127.0.0.1:3999';
const CLUSTER = 'dev-dashboard';

const people: Record<string, SessionIdentity> = {
  alice: { name: 'alice', groups: ['oncall'] },
  sam: { name: 'sam', groups: ['support'] },
  lena: { name: 'lena', groups: ['team-leads'] },
};

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
let routes: { preview: Handler; options: Handler; start: Handler; list: Handler; get: Handler; end: Handler };
let cluster: RunningDevCluster;
let store: Store;
const saved = { ...process.env };
const denials: Array<Record<string, unknown>> = [];
setDenialSink((line) => denials.push(JSON.parse(line)));

beforeAll(async () => {
  cluster = await startDevCluster('demo');
  Object.assign(process.env, {
    EPHEMERA_OIDC_ISSUER: 'https://idp.example.test',
    EPHEMERA_OIDC_CLIENT_ID: 'ephemera',
    EPHEMERA_OIDC_CLIENT_SECRET: 'not-used-here',
    EPHEMERA_SESSION_SECRET: SECRET,
    EPHEMERA_PUBLIC_URL: PUBLIC_URL,
    EPHEMERA_KUBECONFIG: cluster.kubeconfig,
    EPHEMERA_CONFIG: path.resolve(import.meta.dirname, '../../../dev/demo/ephemera.yaml'),
    EPHEMERA_DATA_DIR: 'memory://',
  });
  // Configuration is read once, on first use: import the routes after the environment is set.
  routes = {
    preview: (await import('@/app/api/clusters/[cluster]/debug/preview/route')).POST as Handler,
    options: (await import('@/app/api/clusters/[cluster]/debug/options/route')).GET as Handler,
    start: (await import('@/app/api/clusters/[cluster]/sessions/route')).POST as Handler,
    list: (await import('@/app/api/sessions/route')).GET as Handler,
    get: (await import('@/app/api/sessions/[id]/route')).GET as Handler,
    end: (await import('@/app/api/sessions/[id]/route')).DELETE as Handler,
  };
  // Opening PGlite takes seconds on a busy machine: here, not inside a test's time.
  store = await (await import('@/lib/store/shared')).getStore();
  // As server/main.ts does: audit events go to the shared store.
  setAuditRecorder((event) => store.audit.append(event));
}, 120_000);

afterAll(async () => {
  setAuditRecorder(undefined);
  const { forgetLiveSessions } = await import('../live');
  forgetLiveSessions();
  await (await import('@/lib/store/shared')).closeStore();
  process.env = saved;
  await cluster?.stop();
});

async function call(handler: Handler, who: keyof typeof people, url: string, init: { method?: string; body?: unknown; params?: Record<string, string> } = {}) {
  const cookie = `ephemera.session-token=${await sessionToken(people[who], { secret: SECRET })}`;
  const request = new Request(`${PUBLIC_URL}${url}`, {
    method: init.method ?? 'GET',
    headers: { cookie, origin: PUBLIC_URL, 'content-type': 'application/json' },
    ...(init.body !== undefined ? { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) } : {}),
  });
  const response = await handler(request, { params: Promise.resolve(init.params ?? { cluster: CLUSTER }) });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

describe('compose', () => {
  it('options: what alice may do on a pod', async () => {
    const { status, body } = await call(routes.options, 'alice', `/api/clusters/${CLUSTER}/debug/options?namespace=pxc&pod=cluster1-pxc-0`);
    expect(status).toBe(200);
    expect(body.profiles.map((p: { profile: string }) => p.profile)).toEqual(['restricted', 'general', 'netadmin']);
    expect(body.targets.map((t: { name: string }) => t.name)).toEqual(['pxc', 'logs']);
  });

  it('options: 400 without a pod or node, 403 for a viewer', async () => {
    expect((await call(routes.options, 'alice', `/api/clusters/${CLUSTER}/debug/options?namespace=pxc`)).status).toBe(400);
    expect((await call(routes.options, 'sam', `/api/clusters/${CLUSTER}/debug/options?namespace=pxc&pod=cluster1-pxc-0`)).body).toMatchObject({ rule: 'roles' });
  });

  it('preview: the exact patch and the kubectl line; a refusal with its own status and rule', async () => {
    const ok = await call(routes.preview, 'alice', `/api/clusters/${CLUSTER}/debug/preview`, { method: 'POST', body: { request: { kind: 'ephemeral', namespace: 'pxc', pod: 'cluster1-pxc-0' } } });
    expect(ok.status).toBe(200);
    expect(ok.body.yaml).toMatch(/^spec:\n {2}ephemeralContainers:\n {4}- name: debugger-/);
    expect(ok.body.kubectl.line).toMatch(/^kubectl debug -n pxc cluster1-pxc-0 --image=ghcr.io\/ephemera\/debug-tools:1.0 /);
    const refused = await call(routes.preview, 'alice', `/api/clusters/${CLUSTER}/debug/preview`, { method: 'POST', body: { kind: 'ephemeral', namespace: 'pxc', pod: 'cluster1-pxc-0', image: 'evil/miner:1' } });
    expect(refused).toMatchObject({ status: 403, body: { rule: 'images.approved', message: expect.stringContaining('is not an approved image') } });
    expect(denials.at(-1)).toMatchObject({ event: 'access.denied', reason: 'policy', user: 'alice', route: `POST /api/clusters/${CLUSTER}/debug/preview`, detail: expect.stringMatching(/^images\.approved: /) });
  });

  it('preview: 400 for no body, for a misspelt field, for an unknown mode', async () => {
    expect((await call(routes.preview, 'alice', `/api/clusters/${CLUSTER}/debug/preview`, { method: 'POST' })).status).toBe(400);
    const misspelt = await call(routes.preview, 'alice', `/api/clusters/${CLUSTER}/debug/preview`, { method: 'POST', body: { kind: 'ephemeral', namespace: 'pxc', pod: 'cluster1-pxc-0', imag: 'x' } });
    expect(misspelt).toMatchObject({ status: 400, body: { errors: [{ field: 'imag' }] } });
    expect((await call(routes.preview, 'alice', `/api/clusters/${CLUSTER}/debug/preview`, { method: 'POST', body: { request: {}, mode: 'batch' } })).status).toBe(400);
  });
});

describe('start, list, end', () => {
  it('alice starts a session (201), sees it whole; sam sees its metadata; lena may not end it; alice ends it', async () => {
    const started = await call(routes.start, 'alice', `/api/clusters/${CLUSTER}/sessions`, { method: 'POST', body: { request: { kind: 'ephemeral', namespace: 'pxc', pod: 'cluster1-pxc-1', target: 'pxc' } } });
    expect(started.status).toBe(201);
    const id = started.body.session.id as string;
    expect(started.body.session).toMatchObject({ detail: true, state: 'starting', user: 'alice', target: 'pxc' });

    const mine = await call(routes.get, 'alice', `/api/sessions/${id}`, { params: { id } });
    expect(mine.body.session).toMatchObject({ id, detail: true, spec: { targetContainerName: 'pxc' } });
    const listed = await call(routes.list, 'sam', '/api/sessions?cluster=dev-dashboard&limit=5');
    const seen = listed.body.sessions.find((s: { id: string }) => s.id === id);
    expect(seen).toMatchObject({ detail: false, user: 'alice' });
    expect(seen).not.toHaveProperty('spec');
    expect((await call(routes.list, 'sam', '/api/sessions?state=paused')).status).toBe(400);

    expect((await call(routes.end, 'lena', `/api/sessions/${id}`, { method: 'DELETE', params: { id } })).status).toBe(403);
    const ended = await call(routes.end, 'alice', `/api/sessions/${id}`, { method: 'DELETE', params: { id } });
    expect(ended).toMatchObject({ status: 200, body: { session: { id, state: 'ended', endReason: 'user-ended', endMessage: 'Ended by alice.' } } });
    expect((await call(routes.get, 'sam', '/api/sessions/00000000-0000-4000-8000-000000000000', { params: { id: '00000000-0000-4000-8000-000000000000' } })).status).toBe(404);

    // The audit log has the start, lena's refused attempt and the end (recorded in the background).
    await expect.poll(async () => (await store.audit.list({ sessionId: id })).map((e) => [e.actor, e.action, e.details.reason ?? null])).toEqual([
      ['alice', 'session.start', null],
      ['alice', 'session.end', 'user-ended'],
    ]);
    const denials = await store.audit.list({ actor: 'lena', action: 'auth.denied' });
    expect(denials.at(-1)).toMatchObject({ target: `DELETE /api/sessions/${id}`, details: { reason: 'missing-role', detail: 'ending a session needs its owner (debugger) or an admin' } });
  });

  it('the list filters by profile, outcome and date; a bad date or outcome is a 400 naming it', async () => {
    const started = await call(routes.start, 'alice', `/api/clusters/${CLUSTER}/sessions`, { method: 'POST', body: { request: { kind: 'ephemeral', namespace: 'pxc', pod: 'cluster1-pxc-1', profile: 'netadmin' } } });
    expect(started.status).toBe(201);
    const id = started.body.session.id as string;
    await call(routes.end, 'alice', `/api/sessions/${id}`, { method: 'DELETE', params: { id } });
    const today = new Date().toISOString().slice(0, 10);
    const ids = async (query: string) => (await call(routes.list, 'lena', `/api/sessions?${query}`)).body.sessions.map((s: { id: string }) => s.id);

    expect(await ids(`user=alice&profile=netadmin&outcome=user-ended&from=${today}&to=${today}`)).toContain(id);
    expect(await ids('profile=netadmin&outcome=running')).not.toContain(id);
    expect(await ids('profile=restricted')).not.toContain(id);
    expect(await ids(`to=${today}T00:00:00Z`)).not.toContain(id);

    expect(await call(routes.list, 'lena', '/api/sessions?from=last-week')).toEqual({ status: 400, body: { error: 'from must be a date (2026-11-27) or an ISO 8601 instant (2026-11-27T06:00:00Z).' } });
    expect(await call(routes.list, 'lena', '/api/sessions?outcome=ok')).toMatchObject({ status: 400, body: { error: expect.stringMatching(/^outcome must be one of starting, running, exited/) } });
    expect(await call(routes.list, 'sam', '/api/sessions?q=tcpdump')).toMatchObject({ status: 400, body: { error: expect.stringMatching(/^q searches inside recordings/) } });
  });

  it('a policy refusal is audited as session.refused with its rule', async () => {
    const refused = await call(routes.start, 'alice', `/api/clusters/${CLUSTER}/sessions`, { method: 'POST', body: { request: { kind: 'ephemeral', namespace: 'kube-system', pod: 'coredns-0' } } });
    expect(refused).toMatchObject({ status: 403, body: { rule: 'namespaces.disabled' } });
    await expect.poll(async () => (await store.audit.list({ actor: 'alice', action: 'session.refused' })).map((e) => e.details.rule)).toContain('namespaces.disabled');
  });

  it('a viewer is refused before the body is read', async () => {
    expect(await call(routes.start, 'sam', `/api/clusters/${CLUSTER}/sessions`, { method: 'POST' })).toMatchObject({ status: 403, body: { rule: 'roles' } });
  });
});
