import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Attach, CoreV1Api, KubeConfig, Watch } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import type { EphemeraUser } from '@/lib/auth/types';
import { describeUserRequestError, headerValue, impersonationHeaders, requestIdentity, userClient, UserCredentialsError } from './user-client';

const alice: EphemeraUser = { name: 'alice', groups: ['oncall', 'team-leads'], roles: ['debugger'], idToken: 'eyJ.alice.sig' };

describe('impersonationHeaders', () => {
  it('names the user, and each group once, in its own list entry', () => {
    expect(impersonationHeaders({ name: 'alice', groups: ['oncall', 'team-leads', 'oncall', ''] })).toEqual({
      'Impersonate-User': ['alice'],
      'Impersonate-Group': ['oncall', 'team-leads'],
    });
  });

  it('sends no Impersonate-Group for a user without groups', () => {
    expect(impersonationHeaders({ name: 'sam', groups: [] })).toEqual({ 'Impersonate-User': ['sam'] });
  });

  it('keeps commas inside a group name: the header is per group, not a list', () => {
    expect(impersonationHeaders({ name: 'sam', groups: ['cn=support,ou=groups'] })['Impersonate-Group']).toEqual(['cn=support,ou=groups']);
  });

  it('refuses a user without a name', () => {
    expect(() => impersonationHeaders({ name: ' ', groups: [] })).toThrow(new UserCredentialsError('The signed-in user has no name to act as; sign in again.'));
  });
});

describe('headerValue', () => {
  it('passes ASCII through and sends other letters as their UTF-8 bytes, as client-go does', () => {
    expect(headerValue('alice@example.com', 'user name')).toBe('alice@example.com');
    expect(Buffer.from(headerValue('zoë', 'user name'), 'latin1').toString('utf8')).toBe('zoë');
  });

  it('refuses control characters, which could forge another header', () => {
    expect(() => headerValue('sam\r\nImpersonate-Group: system:masters', 'user name')).toThrow(/contains control characters/);
  });
});

describe('requestIdentity', () => {
  it('impersonates by default mode', () => {
    expect(requestIdentity(alice, 'impersonate', 'prod')).toEqual({
      mode: 'impersonate',
      headers: { 'Impersonate-User': ['alice'], 'Impersonate-Group': ['oncall', 'team-leads'] },
    });
  });

  it('passes the ID token through, and nothing else', () => {
    expect(requestIdentity(alice, 'passthrough', 'prod')).toEqual({ mode: 'passthrough', token: 'eyJ.alice.sig' });
  });

  it('says what to do when pass-through has no token to pass', () => {
    expect(() => requestIdentity({ ...alice, idToken: undefined }, 'passthrough', 'prod')).toThrow(
      'Cluster prod accepts your own sign-in token (pass-through), and this session carries none. Sign out and sign in again.',
    );
  });
});

describe('describeUserRequestError', () => {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({ clusters: [{ name: 'c', server: 'https://prod.example:6443' }], users: [{ name: 'u' }], contexts: [{ name: 'prod', cluster: 'c', user: 'u' }], currentContext: 'prod' });
  const unauthorized = Object.assign(new Error('HTTP-Code: 401'), { code: 401 });

  it('blames the user’s own token for a 401 in pass-through, and says to sign in again', () => {
    expect(describeUserRequestError({ cluster: 'prod', mode: 'passthrough', kubeConfig }, unauthorized, 'list pods', 5000)).toBe(
      "prod refused your sign-in token (401 Unauthorized): it has expired, or this cluster does not trust Ephemera's identity provider. Sign out and sign in again.",
    );
  });

  it('blames the kubeconfig’s credentials for a 401 when impersonating', () => {
    expect(describeUserRequestError({ cluster: 'prod', mode: 'impersonate', kubeConfig }, unauthorized, 'list pods', 5000)).toMatch(/^The API server rejected the credentials/);
  });
});

// What actually goes over the wire, for each way client-node sends requests:
// REST clients, Watch (fetch) and WebSocket (Exec/Attach). A plain HTTP server
// records the raw header lines.
describe('the headers on the wire', () => {
  let server: http.Server;
  let seen: Array<{ url: string; lines: Array<[string, string]> }>;
  let dashboard: KubeConfig;

  const lines = (request: http.IncomingMessage): Array<[string, string]> => {
    const pairs: Array<[string, string]> = [];
    for (let i = 0; i < request.rawHeaders.length; i += 2) pairs.push([request.rawHeaders[i].toLowerCase(), request.rawHeaders[i + 1]]);
    return pairs.filter(([name]) => name === 'authorization' || name.startsWith('impersonate-'));
  };

  beforeAll(async () => {
    seen = [];
    server = http.createServer((request, response) => {
      seen.push({ url: request.url ?? '', lines: lines(request) });
      response.writeHead(200, { 'content-type': 'application/json' });
      if (request.url?.includes('watch=true')) response.end('');
      else response.end(JSON.stringify({ kind: 'NamespaceList', apiVersion: 'v1', metadata: {}, items: [] }));
    });
    const sockets = new WebSocketServer({ server });
    sockets.on('connection', (socket, request) => {
      seen.push({ url: request.url ?? '', lines: lines(request) });
      socket.close();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    dashboard = new KubeConfig();
    dashboard.loadFromOptions({
      clusters: [{ name: 'local', server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, skipTLSVerify: true }],
      users: [{ name: 'dashboard', token: 'dashboard-token' }],
      contexts: [{ name: 'local', cluster: 'local', user: 'dashboard' }],
      currentContext: 'local',
    });
  });

  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const impersonated: Array<[string, string]> = [
    ['authorization', 'Bearer dashboard-token'],
    ['impersonate-group', 'oncall'],
    ['impersonate-group', 'team-leads'],
    ['impersonate-user', 'alice'],
  ];

  const request = async (kubeConfig: KubeConfig, how: 'rest' | 'watch' | 'websocket') => {
    seen = [];
    if (how === 'rest') await kubeConfig.makeApiClient(CoreV1Api).listNamespace();
    if (how === 'watch') await new Promise<void>((resolve) => void new Watch(kubeConfig).watch('/api/v1/namespaces', {}, () => {}, () => resolve()));
    if (how === 'websocket') (await new Attach(kubeConfig).attach('pxc', 'cluster1-pxc-0', 'pxc', null, null, null, false)).close();
    await expect.poll(() => seen.length).toBe(1);
    return [...seen[0].lines].sort(([a, x], [b, y]) => a.localeCompare(b) || x.localeCompare(y));
  };

  it.each(['rest', 'watch', 'websocket'] as const)('impersonating, %s sends the dashboard token and one line per group', async (how) => {
    expect(await request(userClient('local', dashboard, alice, 'impersonate').kubeConfig, how)).toEqual(impersonated);
  });

  it.each(['rest', 'watch', 'websocket'] as const)('passing through, %s sends only the user token', async (how) => {
    expect(await request(userClient('local', dashboard, alice, 'passthrough').kubeConfig, how)).toEqual([['authorization', 'Bearer eyJ.alice.sig']]);
  });

  it('leaves the dashboard’s own KubeConfig as it was', async () => {
    expect(await request(dashboard, 'rest')).toEqual([['authorization', 'Bearer dashboard-token']]);
  });
});
