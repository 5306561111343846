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
import type { NewSession, RecordingStore, Store } from '@/lib/store/types';
import { outputOf, parseCast } from '@/lib/recordings/asciicast';
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
/** Where the route records; a test may swap in one that fails. */
let recordings: Pick<RecordingStore, 'begin' | 'append' | 'finish'>;

beforeAll(async () => {
  cluster = await startDevCluster('demo');
  const dashboard = dashboardKubeConfig(cluster);
  const applied = await kubectl(cluster, ['apply', '-f', '-'], { input: podsYaml });
  expect(applied.code, applied.stderr).toBe(0);
  await waitForContainer(dashboard, 'shop', 'term-shell', 'running');
  await waitForContainer(dashboard, 'shop', 'term-oneshot', 'terminated');
  store = await openStore({ dataDir: IN_MEMORY });
  recordings = store.recordings;
  setAuditRecorder((event) => store.audit.append(event));
  const deps: TerminalDeps = {
    sessions: store.sessions,
    get recordings() {
      return recordings;
    },
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
  recordings = store.recordings;
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

  it('records an interactive session: the recording replays byte for byte what the socket was sent, with its resizes, complete at the end', async () => {
    const record = await running({ limits: { maxDurationSeconds: 3600, idleTimeoutSeconds: 900, reconnectGraceSeconds: 1 } });
    const client = new TerminalClient(`${base}?session=${record.id}&cols=100&rows=30`);
    await client.message('attached');
    client.type('printf "rec-%s \\342\\234\\223\\n" $((6*7))\r');
    await client.output(/rec-42 ✓/);
    client.control({ type: 'resize', cols: 120, rows: 40 });
    client.type('stty size\r');
    await client.output(/40 120/);
    client.control({ type: 'end' });
    await client.message('ended');
    await client.closed;

    await expect.poll(async () => (await store.recordings.get(record.id))?.endedAt, { timeout: 5_000 }).toBeInstanceOf(Date);
    let text = '';
    for await (const line of (await store.recordings.cast(record.id))!) text += line;
    const { header, events } = parseCast(text);
    expect(header).toMatchObject({ version: 2, width: 100, height: 30, title: `shop/term-shell · shell (alice)` });
    expect(Buffer.from(outputOf(events), 'utf8').equals(Buffer.from(client.text(), 'utf8'))).toBe(true);
    expect(events.filter(([, code]) => code === 'r').map(([, , size]) => size)).toContain('120x40');
    expect(events.some(([, code]) => code === 'i')).toBe(false); // keystrokes only when the policy says so
    const times = events.map(([t]) => t);
    expect(times).toEqual(times.toSorted((a, b) => a - b));
  });

  it('records keystrokes too when the session’s rules say so', async () => {
    const record = await running({ limits: { maxDurationSeconds: 3600, idleTimeoutSeconds: 900, reconnectGraceSeconds: 1, recording: { input: true, onStoreFailure: 'end' } } });
    const client = open(record.id);
    await client.message('attached');
    client.type('echo typed-$((1+1))\r');
    await client.output(/typed-2/);
    client.control({ type: 'end' });
    await client.closed;
    await expect.poll(async () => (await store.recordings.get(record.id))?.endedAt, { timeout: 5_000 }).toBeInstanceOf(Date);
    let text = '';
    for await (const line of (await store.recordings.cast(record.id))!) text += line;
    const typed = parseCast(text).events.filter(([, code]) => code === 'i').map(([, , data]) => data).join('');
    expect(typed).toBe('echo typed-$((1+1))\r');
  });

  it('fails closed: a store that cannot take the recording ends the session as recording-failed, saying why', async () => {
    const broken = await openStore({ dataDir: IN_MEMORY });
    await broken.close();
    recordings = broken.recordings;
    const record = await running();
    const client = open(record.id);
    const ended = await client.message('ended');
    expect(ended).toMatchObject({ reason: 'recording-failed', exitCode: null });
    expect((ended as { message: string }).message).toMatch(/^Ephemera could not record this session \(.+\), and the policy ends sessions that cannot be recorded\.$/);
    expect(client.messages.some((message) => message.type === 'attached')).toBe(false);
    expect((await client.closed).code).toBe(CLOSE.ended);
    expect(await store.sessions.get(record.id)).toMatchObject({ state: 'ended', endReason: 'recording-failed' });
    const audit = await store.audit.list({ action: 'recording.failed', sessionId: record.id });
    expect(audit.map((event) => event.details)).toEqual([{ error: expect.any(String), then: 'end' }]);
  });

  it('fails closed mid-session too: when the store stops taking chunks, the session ends', async () => {
    const broken = await openStore({ dataDir: IN_MEMORY });
    let storeDown = false;
    recordings = {
      begin: (...args) => store.recordings.begin(...args),
      // The database goes away mid-session: from then on, appends meet a closed store.
      append: (...args) => (storeDown ? broken.recordings.append(...args) : store.recordings.append(...args)),
      finish: (...args) => store.recordings.finish(...args),
    };
    const record = await running();
    const client = open(record.id);
    await client.message('attached');
    client.type('echo before-$((1+1))\r');
    await client.output(/before-2/);
    // Stored within the flush interval.
    await expect.poll(async () => (await store.recordings.chunks(record.id)).map((chunk) => chunk.text).join(''), { timeout: 5_000 }).toContain('before-2');
    await broken.close();
    storeDown = true;
    client.type('echo after-$((2+2))\r');
    expect(await client.message('ended', 10_000)).toMatchObject({ reason: 'recording-failed' });
    expect(await store.sessions.get(record.id)).toMatchObject({ state: 'ended', endReason: 'recording-failed' });
    // What was stored before the failure is still there and readable.
    let text = '';
    for await (const line of (await store.recordings.cast(record.id))!) text += line;
    expect(outputOf(parseCast(text).events)).toContain('before-2');
  });

  it('goes on unrecorded when the rules say continue: the person is told, and the audit log has it', async () => {
    const broken = await openStore({ dataDir: IN_MEMORY });
    await broken.close();
    recordings = broken.recordings;
    const record = await running({ limits: { maxDurationSeconds: 3600, idleTimeoutSeconds: 900, reconnectGraceSeconds: 1, recording: { input: false, onStoreFailure: 'continue' } } });
    const client = open(record.id);
    await client.message('attached');
    const notice = await client.message('notice');
    expect((notice as { message: string }).message).toMatch(/^This session is not being recorded: Ephemera could not store its recording/);
    client.type('echo still-$((3+3))\r');
    await client.output(/still-6/);
    client.control({ type: 'end' });
    await client.closed;
    const audit = await store.audit.list({ action: 'recording.failed', sessionId: record.id });
    expect(audit.map((event) => event.details)).toEqual([{ error: expect.any(String), then: 'continue' }]);
  });
});
