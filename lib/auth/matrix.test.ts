import { describe, expect, it } from 'vitest';
import { compareWithRoutes, endpointFromAppFile, exportedMethods, MATRIX, matrixCells, PERSONAS, type MatrixEntry } from './matrix';

describe('endpointFromAppFile', () => {
  it.each([
    ['app/page.tsx', { kind: 'page', route: '/' }],
    ['app/whoami/page.tsx', { kind: 'page', route: '/whoami' }],
    ['app/(dashboard)/clusters/[cluster]/pods/page.tsx', { kind: 'page', route: '/clusters/[cluster]/pods' }],
    ['app/@modal/login/page.tsx', { kind: 'page', route: '/login' }],
    ['app/api/clusters/route.ts', { kind: 'api', route: '/api/clusters' }],
    ['app/api/auth/[...nextauth]/route.ts', { kind: 'api', route: '/api/auth/[...nextauth]' }],
  ])('%s → %j', (file, endpoint) => {
    expect(endpointFromAppFile(file)).toEqual(endpoint);
  });

  it.each(['app/layout.tsx', 'app/globals.css', 'app/whoami/loading.tsx', 'components/page.tsx'])('ignores %s', (file) => {
    expect(endpointFromAppFile(file)).toBeNull();
  });
});

describe('exportedMethods', () => {
  it('finds handlers however they are exported', () => {
    expect(exportedMethods('export async function GET() {}\nexport const POST = withUser(async () => x);')).toEqual(['GET', 'POST']);
    expect(exportedMethods('export { auth as GET, auth as POST };')).toEqual(['GET', 'POST']);
    expect(exportedMethods('export { DELETE };\nexport const dynamic = "force-dynamic";\nconst GETTER = 1;')).toEqual(['DELETE']);
  });
});

describe('compareWithRoutes', () => {
  const row = (kind: MatrixEntry['kind'], route: string, method?: MatrixEntry['method']): MatrixEntry => ({
    kind,
    route,
    ...(method ? { method } : {}),
    expect: { anonymous: 401, 'no-role': 403, viewer: 200, debugger: 200, lead: 200, admin: 200 },
  });

  it('names the endpoints that have no row, and the rows with no endpoint', () => {
    const matrix = [row('page', '/'), row('api', '/api/x', 'GET'), row('websocket', '/api/ws/gone')];
    expect(
      compareWithRoutes(
        [
          { kind: 'page', route: '/' },
          { kind: 'api', route: '/api/x', method: 'GET' },
          { kind: 'api', route: '/api/x', method: 'DELETE' },
          { kind: 'websocket', route: '/api/ws/new' },
        ],
        matrix,
      ),
    ).toEqual({
      unlisted: [
        { kind: 'api', route: '/api/x', method: 'DELETE' },
        { kind: 'websocket', route: '/api/ws/new' },
      ],
      stale: [{ kind: 'websocket', route: '/api/ws/gone' }],
    });
  });
});

describe('MATRIX', () => {
  it('decides every persona for every endpoint, once', () => {
    for (const entry of MATRIX) expect(Object.keys(entry.expect).sort()).toEqual([...PERSONAS].sort());
    const ids = MATRIX.map((entry) => `${entry.kind} ${entry.method ?? ''} ${entry.route}`);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('gives a probe path to every route with [segments]', () => {
    expect(MATRIX.filter((entry) => entry.route.includes('[') && !entry.probe)).toEqual([]);
  });

  it('lets nobody anonymous past anything but the login page and next-auth', () => {
    const open = matrixCells().filter(({ persona, outcome }) => persona === 'anonymous' && (outcome === 200 || outcome === 101));
    expect(open.map(({ entry }) => entry.route)).toEqual(['/login', '/api/auth/[...nextauth]']);
  });
});
