// The terminal WebSocket route end to end, minus sign-in: the real upgrade
// router (with a fixed user in place of the session cookie), the real store
// (PGlite in memory), the real live registry and the real dev cluster.

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KubeConfig } from '@kubernetes/client-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { kubectl, startDevCluster, type RunningDevCluster } from '@/dev/cluster/__integration__/harness';
import type { EphemeraUser } from '@/lib/auth/types';
import { dashboardKubeConfig } from '@/lib/k8s/__integration__/support';
import { userClient } from '@/lib/k8s/user-client';
import { TerminalClient, waitForContainer } from '@/lib/sessions/__integration__/support';
import { endSession, forgetLiveSessions, liveSession, registerLive } from '@/lib/sessions/live';
import { terminalHub } from '@/lib/sessions/terminal-hubs';
import { CLOSE, TERMINAL_WS_PATH } from '@/lib/sessions/protocol';
import { setAuditRecorder } from '@/lib/audit/record';
import { IN_MEMORY, openStore } from '@/lib/store';
import type { NewSession, Store } from '@/lib/store/types';
import { terminalRoute, type TerminalDeps } from '../terminal';
import { createUpgradeRouter, refuse } from '../upgrade';

const alice: EphemeraUser = { name: 'alice', groups: ['oncall'], roles: ['debugger'] };
const bob: EphemeraUser = { name: 'bob', groups: ['oncall'], roles: ['debugger'] };
const ada: EphemeraUser = { name: 'ada', groups: ['platform'], roles: ['admin'] };

const podsYaml = `
apiVersion: v1
kind: Pod
metadata: { name: term-shell, namespace: shop }
spec:
  containers:
  - { name: shell, image: 'busybox:1.36', command: [sh], stdin: true, tty: true }
---
apiVersion: v1
kind: Pod
metadata: { name: term-oneshot, namespace: shop }
spec:
  restartPolicy: Never
  containers:
  - { name: once, image: 'busybox:1.36', command: [sh, -c, 'echo listening on 8080; exit 2'] }
`;

let cluster: RunningDevCluster;
let store: Store;
let server: http.Server;
let base: string;
let connectAs: EphemeraUser = alice;

beforeAll(async () => {
  cluster = await startDevCluster('demo');
  const dashboard = dashboardKubeConfig(cluster);
  const applied = await kubectl(cluster, ['apply', '-f', '-'], { input: podsYaml });
  expect(applied.code, applied.stderr).toBe(0);
  await waitForContainer(dashboard, 'shop', 'term-shell', 'running');
  await waitForContainer(dashboard, 'shop', 'term-oneshot', 'terminated');
  store = await openStore({ dataDir: IN_MEMORY });
  setAuditRecorder((event) => store.audit.append(event));
  const deps: TerminalDeps = {
    sessions: store.sessions,
    liveSession,
    endSession: (id, reason, message, exitCode) => endSession(id, reason, message, exitCode, { store: store.sessions }),
    kubeConfigFor: (_cluster, user): KubeConfig => userClient('dev-dashboard', dashboard, user, 'impersonate').kubeConfig,
  };
  const router = createUpgradeRouter(
    { [TERMINAL_WS_PATH]: terminalRoute(async () => deps) },
    (_request, socket) => refuse(socket, 404, 'no'),
    async () => ({ ok: true, user: connectAs }),
  );
  server = http.createServer();
  server.on('upgrade', router.handleUpgrade);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `ws://127.0.0.1:${(server.address() as AddressInfo).port}${TERMINAL_WS_PATH}`;
}, 60_000);

afterEach(() => {
  connectAs = alice;
  forgetLiveSessions();
});

afterAll(async () => {
  setAuditRecorder(undefined);
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  await store?.close();
  await cluster?.stop();
});

const newSession = (overrides: Partial<NewSession> = {}): NewSession => ({
  user: 'alice', groups: ['oncall'], roles: ['debugger'], cluster: 'dev-dashboard', namespace: 'shop', pod: 'term-shell', node: null, kind: 'attach', mode: 'interactive',
  container: 'shell', image: 'busybox:1.36', profile: null, target: null, mounts: [], command: null, reason: null, breakGlass: false, spec: {},
  limits: { maxDurationSeconds: 3600, idleTimeoutSeconds: 900, reconnectGraceSeconds: 1 }, serverId: 'test:1', ...overrides,
});

async function running(overrides: Partial<NewSession> = {}) {
  const record = await store.sessions.create(newSession(overrides));
  registerLive(record.id, { store: store.sessions });
  return (await store.sessions.update(record.id, { state: 'running', startedAt: new Date() }))!;
}

const open = (id: string) => new TerminalClient(`${base}?session=${id}`);

describe('the terminal WebSocket route', () => {
  it('closes with 4404 for no session, 4403 for someone else’s, 4410 (after `ended`) for one that has ended', async () => {
    expect((await open('00000000-0000-0000-0000-000000000000').closed).code).toBe(CLOSE.notFound);
    expect((await new TerminalClient(base).closed).code).toBe(CLOSE.notFound);

    const record = await running();
    connectAs = bob;
    const refused = open(record.id);
    expect(await refused.closed).toEqual({ code: CLOSE.forbidden, reason: 'This session belongs to someone else.' });

    await endSession(record.id, 'user-ended', 'Ended by alice.');
    connectAs = alice;
    const late = open(record.id);
    expect(await late.closed).toMatchObject({ code: CLOSE.gone });
    expect(late.messages).toEqual([{ type: 'ended', reason: 'user-ended', exitCode: null, message: 'Ended by alice.' }]);
  });

  it('bridges a running session; a socket back within the grace period finds the same shell, and `end` ends the session in the store', async () => {
    const record = await running({ limits: { maxDurationSeconds: 3600, idleTimeoutSeconds: 900, reconnectGraceSeconds: 30 } });
    const first = open(record.id);
    expect(await first.message('attached')).toMatchObject({ container: 'shell', tty: true, idleTimeoutSeconds: 900 });
    first.type('export MARK=first-$((1+1)); echo $MARK\r');
    await first.output(/first-2/);
    first.socket.close();
    await first.closed;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await store.sessions.get(record.id))!.state).toBe('running');
    expect(terminalHub(record.id)?.viewers).toBe(0);

    connectAs = ada; // an admin may open anyone's session; the cluster still sees alice
    const second = open(record.id);
    await second.message('attached');
    second.type('echo second-$((2+2)) after $MARK\r');
    await second.output(/second-4 after first-2/);
    second.control({ type: 'end' });
    expect(await second.message('ended')).toMatchObject({ reason: 'user-ended', exitCode: null });
    expect((await second.closed).code).toBe(CLOSE.ended);
    await expect.poll(async () => (await store.sessions.get(record.id))?.endReason).toBe('user-ended');
    // Each attach is audited, saying whether the owner or an admin attached; then the end.
    await expect.poll(async () => (await store.audit.list({ sessionId: record.id })).map((e) => [e.actor, e.action, e.details.as ?? e.details.reason])).toEqual([
      ['alice', 'session.attach', 'owner'],
      ['ada', 'session.attach', 'admin'],
      ['alice', 'session.end', 'user-ended'],
    ]);
  });

  it('starts the terminal at the size in the URL', async () => {
    const record = await running();
    const client = new TerminalClient(`${base}?session=${record.id}&cols=101&rows=33`);
    await client.message('attached');
    client.type('stty size\r');
    await client.output(/33 101/);
    client.socket.close();
  });

  it('tells every open socket when the session ends elsewhere (the API’s DELETE)', async () => {
    const record = await running();
    const [a, b] = [open(record.id), open(record.id)];
    await Promise.all([a.message('attached'), b.message('attached')]);
    await endSession(record.id, 'user-ended', 'Ended by alice from the sessions page.');
    for (const client of [a, b]) {
      expect(await client.message('ended')).toEqual({ type: 'ended', reason: 'user-ended', exitCode: null, message: 'Ended by alice from the sessions page.' });
      expect((await client.closed).code).toBe(CLOSE.ended);
    }
  });

  it('forwards progress while the session starts, then attaches once it runs', async () => {
    const record = await store.sessions.create(newSession());
    const live = registerLive(record.id, { store: store.sessions });
    live.publish({ type: 'progress', phase: 'waiting', reason: 'ContainerCreating', message: 'The container is being created.' });
    const client = open(record.id);
    await client.message('progress');
    live.publish({ type: 'progress', phase: 'waiting', reason: 'PullingImage', message: 'Pulling busybox:1.36.' });
    await client.until(() => client.messages.length === 2);
    await store.sessions.update(record.id, { state: 'running', startedAt: new Date() });
    live.publish({ type: 'progress', phase: 'running' });
    await client.message('attached');
    expect(client.messages.map((m) => (m.type === 'progress' ? `${m.phase}:${m.reason ?? ''}` : m.type))).toEqual([
      'waiting:ContainerCreating',
      'waiting:PullingImage',
      'running:',
      'attached',
    ]);
    client.socket.close();
  });

  it('ends a session that is still starting when its socket says `end`, and answers input sent before the container runs', async () => {
    const record = await store.sessions.create(newSession());
    const live = registerLive(record.id, { store: store.sessions });
    live.publish({ type: 'progress', phase: 'waiting', reason: 'CreateContainerConfigError', message: 'container has runAsNonRoot and image will run as root' });
    const client = open(record.id);
    await client.message('progress');
    client.type('ls\r');
    expect(await client.message('error')).toMatchObject({ message: expect.stringContaining('not running yet') });
    client.control({ type: 'end' });
    expect(await client.message('ended')).toMatchObject({ reason: 'user-ended' });
    expect((await client.closed).code).toBe(1000);
    expect(await store.sessions.get(record.id)).toMatchObject({ state: 'ended', endReason: 'user-ended' });
  });

  it('follows a one-shot session’s log from its start and records its exit code', async () => {
    const record = await running({ pod: 'term-oneshot', container: 'once', mode: 'oneshot', kind: 'ephemeral', command: ['sh', '-c', 'echo listening on 8080; exit 2'] });
    const client = open(record.id);
    expect(await client.message('ended')).toMatchObject({ reason: 'exited', exitCode: 2 });
    expect(client.text()).toBe('listening on 8080\n');
    await expect.poll(async () => (await store.sessions.get(record.id))?.exitCode).toBe(2);
    expect((await store.sessions.get(record.id))?.endReason).toBe('exited');
  });

  it('ends the session in the store as `detached` when no socket comes back within the grace period', async () => {
    const record = await running({ limits: { maxDurationSeconds: 3600, idleTimeoutSeconds: 900, reconnectGraceSeconds: 2 } });
    const client = open(record.id);
    await client.message('attached');
    client.socket.close();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect((await store.sessions.get(record.id))?.state).toBe('running');
    await expect.poll(async () => (await store.sessions.get(record.id))?.endReason, { timeout: 5_000 }).toBe('detached');
    expect((await store.sessions.get(record.id))?.endMessage).toMatch(/^No browser was connected for 2 s \(the reconnect grace period\)/);
    const late = open(record.id);
    expect(await late.closed).toMatchObject({ code: CLOSE.gone });
    expect(late.messages).toEqual([expect.objectContaining({ type: 'ended', reason: 'detached' })]);
  });

  it('ends the session in the store at its idle timeout', async () => {
    const record = await running({ limits: { maxDurationSeconds: 3600, idleTimeoutSeconds: 1 } });
    const client = open(record.id);
    expect(await client.message('ended')).toMatchObject({ reason: 'idle-timeout' });
    await expect.poll(async () => (await store.sessions.get(record.id))?.endReason).toBe('idle-timeout');
  });
});
