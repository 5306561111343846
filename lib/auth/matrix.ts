// The authorization matrix: every page, API route (per HTTP method) and
// WebSocket endpoint × every kind of person → what they get. One table,
// checked cell by cell against the running server by e2e/auth/matrix.spec.ts,
// which also fails when a route exists that the table does not list (or the
// table lists one that is gone): a new endpoint has to be decided here first.
// Roles are Ephemera's (lib/auth/roles.ts); what the cluster then allows is
// the cluster's business and is tested elsewhere.

import type { Role } from './types';

/** Who asks: nobody signed in, a signed-in person without a role, or one holding exactly one role. */
export type Persona = 'anonymous' | 'no-role' | Role;
export const PERSONAS: readonly Persona[] = ['anonymous', 'no-role', 'viewer', 'debugger', 'lead', 'admin'];

/** The dev IdP's people (dev/idp/users.ts) who stand for each signed-in persona. */
export const PERSONA_USERS: Readonly<Record<Exclude<Persona, 'anonymous'>, string>> = {
  'no-role': 'nora',
  viewer: 'sam',
  debugger: 'alice',
  lead: 'lena',
  admin: 'ada',
};

/**
 * 200: served. 101: WebSocket accepted. 404: served, and the thing asked for is not there.
 * 400: past every gate, and the probe's empty body is refused as malformed (a POST that needs one).
 * 'cluster': Ephemera's gate lets the person through and the answer is the cluster's
 * (its RBAC as that person, or the object's absence): any status but 401, a redirect or a 5xx. 401/403: refused (JSON for the API, a
 * refused handshake for WebSockets). `redirect:/path`: the answer sends the
 * browser to /path (its query string aside).
 */
export type Outcome = 200 | 101 | 400 | 401 | 403 | 404 | 'cluster' | `redirect:${string}`;

export type EndpointKind = 'page' | 'api' | 'websocket';
export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';

export interface MatrixEntry {
  kind: EndpointKind;
  /** As the route tables name it: the app/ path with its [segments], or the upgrade path. */
  route: string;
  /** For API routes, the exported handler; pages are GET and WebSockets an upgrade. */
  method?: HttpMethod;
  /** The concrete path to request when `route` has [segments]. */
  probe?: string;
  expect: Readonly<Record<Persona, Outcome>>;
  /** Why the row is what it is, when it is not the usual. */
  note?: string;
  /** The answer is a stream that never ends (Server-Sent Events): only its status is read. */
  stream?: boolean;
}

const forRoles = (anonymous: Outcome, noRole: Outcome, withRole: Outcome): Record<Persona, Outcome> => ({
  anonymous,
  'no-role': noRole,
  viewer: withRole,
  debugger: withRole,
  lead: withRole,
  admin: withRole,
});

/** Any role may: a page sends the others to sign in or to the no-access page. */
const PAGE_FOR_ANY_ROLE = forRoles('redirect:/login', 'redirect:/no-access', 200);
/** Any role may: the API answers the others 401 (not signed in) or 403 (no role). */
const API_FOR_ANY_ROLE = forRoles(401, 403, 200);
const SOCKET_FOR_ANY_ROLE = forRoles(401, 403, 101);
const PUBLIC_API = forRoles(200, 200, 200);
/** Any role passes Ephemera's gate; the cluster, asked as that person, decides the rest. */
const API_AS_THE_USER = forRoles(401, 403, 'cluster');
/** Only roles that may debug (debugger, admin) get past Ephemera's gate; the others get 403 with the role to ask for. */
/** Only roles that may read the audit log (audit.read, audit.export: lead, admin); the others get 403. */
const LEADS_ONLY: Record<Persona, Outcome> = { anonymous: 401, 'no-role': 403, viewer: 403, debugger: 403, lead: 200, admin: 200 };
const debuggersOnly = (debuggers: Outcome): Record<Persona, Outcome> => ({ anonymous: 401, 'no-role': 403, viewer: 403, debugger: debuggers, lead: 403, admin: debuggers });

export const MATRIX: readonly MatrixEntry[] = [
  { kind: 'page', route: '/', expect: PAGE_FOR_ANY_ROLE },
  { kind: 'page', route: '/whoami', expect: PAGE_FOR_ANY_ROLE },
  {
    kind: 'page',
    route: '/login',
    expect: forRoles(200, 'redirect:/no-access', 'redirect:/'),
    note: 'Someone signed in is sent on: where they came from (/ by default), or to the no-access page without a role.',
  },
  {
    kind: 'page',
    route: '/no-access',
    expect: forRoles('redirect:/login', 200, 200),
    note: 'Needs a session but no role: it tells a person who they are and whom to ask.',
  },
  { kind: 'api', route: '/api/clusters', method: 'GET', expect: API_FOR_ANY_ROLE },
  { kind: 'api', route: '/api/whoami', method: 'GET', expect: API_FOR_ANY_ROLE },
  { kind: 'api', route: '/api/auth/[...nextauth]', method: 'GET', probe: '/api/auth/session', expect: PUBLIC_API, note: "next-auth's own endpoints: public." },
  {
    kind: 'api',
    route: '/api/auth/[...nextauth]',
    method: 'POST',
    probe: '/api/auth/signout',
    expect: forRoles('redirect:/api/auth/signout', 'redirect:/api/auth/signout', 'redirect:/api/auth/signout'),
    note: "next-auth's own endpoints: public, Origin-checked like every POST; without its CSRF token, next-auth sends the browser to confirm.",
  },
  { kind: 'websocket', route: '/api/ws/ping', expect: SOCKET_FOR_ANY_ROLE },
  {
    kind: 'websocket',
    route: '/api/ws/terminal',
    expect: SOCKET_FOR_ANY_ROLE,
    note: 'The handshake is accepted for any role; the socket then closes with 4404, 4403 or 4410 unless the session (?session=<id>) is the person’s own and they may attach, or they are an admin. The probe names no session: 4404.',
  },
  // Browsing (issue 5): any role may look; what is listed is what the cluster lets each person list.
  { kind: 'page', route: '/clusters/[cluster]/pods', probe: '/clusters/dev-dashboard/pods', expect: PAGE_FOR_ANY_ROLE },
  { kind: 'page', route: '/clusters/[cluster]/pods/[namespace]/[name]', probe: '/clusters/dev-dashboard/pods/default/matrix-absent', expect: PAGE_FOR_ANY_ROLE },
  { kind: 'page', route: '/clusters/[cluster]/nodes', probe: '/clusters/dev-dashboard/nodes', expect: PAGE_FOR_ANY_ROLE },
  { kind: 'page', route: '/clusters/[cluster]/nodes/[name]', probe: '/clusters/dev-dashboard/nodes/node-a', expect: PAGE_FOR_ANY_ROLE },
  { kind: 'page', route: '/clusters/[cluster]/recycle', probe: '/clusters/dev-dashboard/recycle', expect: PAGE_FOR_ANY_ROLE },
  { kind: 'api', route: '/api/clusters/[cluster]/pods', method: 'GET', probe: '/api/clusters/dev-dashboard/pods', expect: API_AS_THE_USER },
  { kind: 'api', route: '/api/clusters/[cluster]/pods/events', method: 'GET', probe: '/api/clusters/dev-dashboard/pods/events', stream: true, expect: API_AS_THE_USER },
  { kind: 'api', route: '/api/clusters/[cluster]/pods/[namespace]/[name]', method: 'GET', probe: '/api/clusters/dev-dashboard/pods/default/matrix-absent', expect: API_AS_THE_USER },
  { kind: 'api', route: '/api/clusters/[cluster]/pods/[namespace]/[name]', method: 'DELETE', probe: '/api/clusters/dev-dashboard/pods/default/matrix-absent', expect: API_AS_THE_USER },
  { kind: 'api', route: '/api/clusters/[cluster]/pods/[namespace]/[name]/log', method: 'GET', probe: '/api/clusters/dev-dashboard/pods/default/matrix-absent/log', expect: API_AS_THE_USER },
  { kind: 'api', route: '/api/clusters/[cluster]/nodes', method: 'GET', probe: '/api/clusters/dev-dashboard/nodes', expect: API_AS_THE_USER },
  { kind: 'api', route: '/api/clusters/[cluster]/nodes/[name]', method: 'GET', probe: '/api/clusters/dev-dashboard/nodes/node-a', expect: API_AS_THE_USER },
  { kind: 'api', route: '/api/clusters/[cluster]/recycle', method: 'GET', probe: '/api/clusters/dev-dashboard/recycle', expect: API_AS_THE_USER },
  // Debug sessions (issue 6): composing and starting need a role that may debug (sessions.start / diagnostics.run).
  {
    kind: 'api',
    route: '/api/clusters/[cluster]/debug/preview',
    method: 'POST',
    probe: '/api/clusters/dev-dashboard/debug/preview',
    expect: debuggersOnly(400),
    note: 'The probe sends no body: past the role check, that is a 400.',
  },
  {
    kind: 'api',
    route: '/api/clusters/[cluster]/debug/options',
    method: 'GET',
    probe: '/api/clusters/dev-dashboard/debug/options?namespace=default&pod=matrix-absent',
    expect: debuggersOnly('cluster'),
    note: 'Past the role check, the pod is read as the person: the cluster answers (404, or 403 where they may not read pods).',
  },
  // The debug form and the session pages (issue 6): every role may open them; viewers and leads see a note instead of the form,
  // and the routes behind them decide again.
  {
    kind: 'page',
    route: '/clusters/[cluster]/pods/[namespace]/[name]/debug',
    probe: '/clusters/dev-dashboard/pods/default/matrix-absent/debug',
    expect: PAGE_FOR_ANY_ROLE,
    note: 'Viewers and leads get a note that they cannot start sessions; for the others, an absent pod is a notice on the page.',
  },
  {
    kind: 'page',
    route: '/clusters/[cluster]/nodes/[name]/debug',
    probe: '/clusters/dev-dashboard/nodes/node-a/debug',
    expect: PAGE_FOR_ANY_ROLE,
    note: 'Viewers and leads get a note that they cannot start sessions; the policy decides node debugging in the form.',
  },
  { kind: 'page', route: '/sessions', expect: PAGE_FOR_ANY_ROLE, note: 'The session history is for every role: debuggers see their own (everyone’s metadata with all=1), viewers everyone’s metadata, leads and admins everyone’s in full.' },
  {
    kind: 'page',
    route: '/sessions/[id]',
    probe: '/sessions/00000000-0000-4000-8000-000000000000',
    expect: forRoles('redirect:/login', 'redirect:/no-access', 404),
    note: 'The probe names no session: 404 for every role.',
  },
  {
    kind: 'api',
    route: '/api/clusters/[cluster]/sessions',
    method: 'POST',
    probe: '/api/clusters/dev-dashboard/sessions',
    expect: debuggersOnly(400),
    note: 'The probe sends no body: past the role check, that is a 400.',
  },
  { kind: 'api', route: '/api/sessions', method: 'GET', expect: API_FOR_ANY_ROLE, note: 'Every role sees session metadata; the owner, leads and admins see the rest.' },
  { kind: 'api', route: '/api/sessions/[id]', method: 'GET', probe: '/api/sessions/00000000-0000-4000-8000-000000000000', expect: forRoles(401, 403, 404) },
  {
    kind: 'api',
    route: '/api/sessions/[id]',
    method: 'DELETE',
    probe: '/api/sessions/00000000-0000-4000-8000-000000000000',
    expect: debuggersOnly(404),
    note: 'Its owner (who may debug) or an admin may end a session; viewers and leads are refused before the lookup.',
  },
  // Recordings (issue 7): the owner (a debugger), leads and admins; viewers are refused before the lookup.
  ...(['/api/sessions/[id]/recording', '/api/sessions/[id]/recording/live'] as const).map(
    (route): MatrixEntry => ({
      kind: 'api',
      route,
      method: 'GET',
      probe: route.replace('[id]', '00000000-0000-4000-8000-000000000000'),
      expect: { anonymous: 401, 'no-role': 403, viewer: 403, debugger: 404, lead: 404, admin: 404 },
      note: 'Replay and live observing: the session’s owner, leads and admins. The probe names no session.',
    }),
  ),
  { kind: 'api', route: '/api/sessions/[id]/observers', method: 'GET', probe: '/api/sessions/00000000-0000-4000-8000-000000000000/observers', expect: forRoles(401, 403, 404) },
  // The audit log (issue 7): leads and admins read, verify and export it.
  { kind: 'api', route: '/api/audit', method: 'GET', expect: LEADS_ONLY },
  { kind: 'api', route: '/api/audit/verify', method: 'GET', expect: LEADS_ONLY },
  { kind: 'api', route: '/api/audit/export', method: 'GET', expect: LEADS_ONLY, note: 'A finite JSON-lines stream; the export is itself recorded.' },
];

// ---------------------------------------------------------------- the routes that exist

/** One endpoint as the route tables define it: kind, route and (API) method. */
export interface EndpointId {
  kind: EndpointKind;
  route: string;
  method?: HttpMethod;
}

export const endpointLabel = (id: EndpointId): string =>
  id.kind === 'api' ? `${id.method} ${id.route}` : id.kind === 'websocket' ? `WebSocket ${id.route}` : `page ${id.route}`;

/**
 * The URL path of an app/ file (relative to the project, `/` separators):
 * route groups `(name)` vanish, parallel-route slots `@slot` too, and
 * [segments] stay as written. Null for a file that is neither a page nor a route.
 */
export function endpointFromAppFile(file: string): { kind: 'page' | 'api'; route: string } | null {
  const match = /^app\/(?:(.*)\/)?(page|route)\.(?:tsx|ts|jsx|js)$/.exec(file);
  if (!match) return null;
  const segments = (match[1] ?? '').split('/').filter((segment) => segment && !/^\(.*\)$/.test(segment) && !segment.startsWith('@'));
  return { kind: match[2] === 'page' ? 'page' : 'api', route: `/${segments.join('/')}` };
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/** The HTTP methods a route.ts exports: `export const GET`, `export async function POST`, `export { handler as GET }`. */
export function exportedMethods(source: string): HttpMethod[] {
  const found = new Set<HttpMethod>();
  const method = `(${METHODS.join('|')})`;
  for (const m of source.matchAll(new RegExp(`export\\s+(?:async\\s+)?(?:const|let|var|function)\\s+${method}\\b`, 'g'))) found.add(m[1] as HttpMethod);
  for (const list of source.matchAll(/export\s*\{([^}]*)\}/g)) {
    for (const item of list[1].split(',')) {
      const name = item.trim().split(/\s+as\s+/).pop()?.trim();
      if (name && (METHODS as readonly string[]).includes(name)) found.add(name as HttpMethod);
    }
  }
  return METHODS.filter((m) => found.has(m));
}

const sameEndpoint = (a: EndpointId, b: EndpointId) => a.kind === b.kind && a.route === b.route && (a.method ?? null) === (b.method ?? null);

/** Endpoints that exist but have no row, and rows for endpoints that no longer exist. */
export function compareWithRoutes(existing: readonly EndpointId[], matrix: readonly MatrixEntry[] = MATRIX): { unlisted: EndpointId[]; stale: EndpointId[] } {
  return {
    unlisted: existing.filter((id) => !matrix.some((entry) => sameEndpoint(entry, id))),
    stale: matrix.filter((entry) => !existing.some((id) => sameEndpoint(entry, id))).map(({ kind, route, method }) => ({ kind, route, ...(method ? { method } : {}) })),
  };
}

/** Every cell, for counting and for the test titles. */
export function matrixCells(matrix: readonly MatrixEntry[] = MATRIX): Array<{ entry: MatrixEntry; persona: Persona; outcome: Outcome }> {
  return matrix.flatMap((entry) => PERSONAS.map((persona) => ({ entry, persona, outcome: entry.expect[persona] })));
}
