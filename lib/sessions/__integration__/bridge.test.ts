// The terminal bridge against the real dev cluster, as alice (on-call) through
// real impersonation, with a real WebSocket pair on the browser's side: what
// a browser types reaches a real shell, what the container prints reaches the
// browser, and every way a session ends says so.

import type { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectl, startDevCluster, type RunningDevCluster } from '@/dev/cluster/__integration__/harness';
import type { EphemeraUser } from '@/lib/auth/types';
import { dashboardKubeConfig } from '@/lib/k8s/__integration__/support';
import { userClient } from '@/lib/k8s/user-client';
import { HIGH_WATER_BYTES } from '../flow-control';
import { CLOSE } from '../protocol';
import { startBridgeServer, waitForContainer, type BridgeServer, type BridgeSettings } from './support';

const alice: EphemeraUser = { name: 'alice', groups: ['oncall'], roles: ['debugger'] };
const sam: EphemeraUser = { name: 'sam', groups: ['support'], roles: ['viewer'] };
const NAMESPACE = 'shop';

const podsYaml = `
apiVersion: v1
kind: Pod
metadata: { name: bridge-shell, namespace: ${NAMESPACE} }
spec:
  containers:
  - { name: shell, image: 'busybox:1.36', command: [sh], stdin: true, tty: true }
---
apiVersion: v1
kind: Pod
metadata: { name: bridge-exit, namespace: ${NAMESPACE} }
spec:
  restartPolicy: Never
  containers:
  - { name: shell, image: 'busybox:1.36', command: [sh], stdin: true, tty: true }
---
apiVersion: v1
kind: Pod
metadata: { name: bridge-done, namespace: ${NAMESPACE} }
spec:
  restartPolicy: Never
  containers:
  - { name: once, image: 'busybox:1.36', command: [sh, -c, 'echo one-shot says bye; exit 4'] }
`;

function session(kubeConfig: KubeConfig, overrides: Partial<BridgeSettings> = {}): BridgeSettings {
  return {
    kubeConfig,
    namespace: NAMESPACE,
    pod: 'bridge-shell',
    container: 'shell',
    action: 'attach',
    tty: true,
    stdin: true,
    idleTimeoutSeconds: 600,
    endsAt: new Date(Date.now() + 3_600_000),
    ...overrides,
  };
}

describe('terminal bridge on the dev cluster', () => {
  let cluster: RunningDevCluster;
  let dashboard: KubeConfig;
  let asAlice: KubeConfig;
  let server: BridgeServer;

  beforeAll(async () => {
    cluster = await startDevCluster('demo');
    dashboard = dashboardKubeConfig(cluster);
    asAlice = userClient('dev-dashboard', dashboard, alice, 'impersonate').kubeConfig;
    const applied = await kubectl(cluster, ['apply', '-f', '-'], { input: podsYaml });
    expect(applied.code, applied.stderr).toBe(0);
    await waitForContainer(dashboard, NAMESPACE, 'bridge-shell', 'running');
    await waitForContainer(dashboard, NAMESPACE, 'bridge-exit', 'running');
    await waitForContainer(dashboard, NAMESPACE, 'bridge-done', 'terminated');
    server = await startBridgeServer();
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    await cluster?.stop();
  });

  it('carries typing to a shell and its echo back; detaching leaves the shell for a re-attach', async () => {
    const ends: string[] = [];
    const { client } = await server.open(session(asAlice, { onEnd: (result) => ends.push(result.reason) }));
    expect(await client.message('attached')).toEqual({ type: 'attached', container: 'shell', tty: true, endsAt: expect.any(String), idleTimeoutSeconds: 600 });
    client.type('echo hi-$((40+2))\r');
    await client.output(/hi-42/);
    client.socket.close();
    await client.closed;
    await expect.poll(() => ends).toEqual(['browser-closed']);

    const again = (await server.open(session(asAlice))).client;
    await again.message('attached');
    again.type('echo back-$((1+1))\r');
    await again.output(/back-2/);
    again.socket.close();
  });

  it('resizes the terminal: stty size reports the new size', async () => {
    const { client } = await server.open(session(asAlice));
    await client.message('attached');
    client.control({ type: 'resize', cols: 123, rows: 45 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    client.type('stty size\r');
    await client.output(/45 123/);
    client.socket.close();
  });

  it('answers malformed frames with an error naming the fault, and the session goes on', async () => {
    const { client } = await server.open(session(asAlice));
    await client.message('attached');
    client.control('{not json');
    client.control({ type: 'bogus' });
    client.control({ type: 'resize', cols: 0, rows: 2.5 });
    client.control([1, 2]);
    client.type(Buffer.alloc(64 * 1024 + 1, 0x61));
    await client.until(() => client.messages.filter((m) => m.type === 'error').length === 5, 5_000, 'five errors');
    const errors = client.messages.filter((m) => m.type === 'error').map((m) => (m as { message: string }).message);
    expect(errors[0]).toMatch(/not JSON/);
    expect(errors[1]).toMatch(/unknown type "bogus"/);
    expect(errors[2]).toMatch(/cols=0, rows=2.5/);
    expect(errors[3]).toMatch(/JSON object/);
    expect(errors[4]).toMatch(/65537 bytes refused/);
    client.type('echo still-$((2+3))\r');
    await client.output(/still-5/);
    expect(client.messages.some((m) => m.type === 'ended')).toBe(false);
    client.socket.close();
  });

  it('reports the exit code of an exec’d process on the status channel, then closes with 1000', async () => {
    const ends: unknown[] = [];
    const { client } = await server.open(
      session(asAlice, { action: 'exec', command: ['sh', '-c', 'echo about-to-fail; exit 3'], tty: false, stdin: false, onEnd: (r) => ends.push(r) }),
    );
    expect(await client.message('ended')).toEqual({ type: 'ended', reason: 'exited', exitCode: 3, message: 'The process exited with code 3.' });
    expect(client.text()).toBe('about-to-fail\n');
    expect((await client.closed).code).toBe(CLOSE.ended);
    expect(ends).toEqual([{ reason: 'exited', exitCode: 3, message: 'The process exited with code 3.' }]);
  });

  it('reports the exit code of an attached shell from the pod’s status (an attach’s own status is always Success)', async () => {
    const { client } = await server.open(session(asAlice, { pod: 'bridge-exit' }));
    await client.message('attached');
    client.type('exit 7\r');
    expect(await client.message('ended')).toEqual({ type: 'ended', reason: 'exited', exitCode: 7, message: 'The process exited with code 7.' });
  });

  it('exit code 0 on Success', async () => {
    const { client } = await server.open(session(asAlice, { action: 'exec', command: ['true'], tty: false, stdin: false }));
    expect(await client.message('ended')).toMatchObject({ reason: 'exited', exitCode: 0 });
  });

  it('holds a flood of output for a slow browser within the high-water mark, and loses no byte', async () => {
    // More than the dev cluster's 64 MiB cut-off: the pause reaches the process (its pipe fills), nothing piles up anywhere.
    const total = 80_000_000;
    const { client, bridge } = await server.open(
      session(asAlice, { action: 'exec', command: ['head', '-c', String(total), '/dev/zero'], tty: false, stdin: false }),
      { keepOutput: false },
    );
    client.socket.pause(); // the browser stops reading
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const whilePaused = bridge.output.peakBuffered;
    expect(client.bytes).toBeLessThan(total);
    client.socket.resume();
    expect(await client.message('ended', 60_000)).toMatchObject({ reason: 'exited', exitCode: 0 });
    expect(client.bytes).toBe(total);
    expect(bridge.output.bytesSent).toBe(total);
    // Reached the mark (so the pause was exercised), never far past it.
    expect(whilePaused).toBeGreaterThan(HIGH_WATER_BYTES);
    expect(bridge.output.peakBuffered).toBeLessThan(2 * HIGH_WATER_BYTES);
  }, 90_000);

  it('carries a paste flood to the process without losing a byte (input waits in the browser’s socket while the cluster is behind)', async () => {
    const total = 6_000_000;
    const { client } = await server.open(
      session(asAlice, { action: 'exec', command: ['sh', '-c', `head -c ${total} | wc -c`], tty: false, stdin: true }),
    );
    await client.message('attached');
    const frame = Buffer.alloc(64 * 1024, 0x78);
    for (let sent = 0; sent < total; sent += frame.length) client.type(frame.subarray(0, Math.min(frame.length, total - sent)));
    expect(await client.message('ended', 30_000)).toMatchObject({ reason: 'exited', exitCode: 0 });
    expect(client.text().trim()).toBe(String(total));
  }, 60_000);

  it('ends an idle session after its idle timeout, with a message', async () => {
    const started = Date.now();
    const { client } = await server.open(session(asAlice, { idleTimeoutSeconds: 2 }));
    await client.message('attached');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    client.type('echo typing-$((3+3))\r'); // input restarts the clock
    const ended = await client.message('ended', 10_000);
    expect(ended).toEqual({ type: 'ended', reason: 'idle-timeout', exitCode: null, message: "No input for 2 s: the session's idle timeout ended it." });
    expect(Date.now() - started).toBeGreaterThanOrEqual(3_000);
    expect((await client.closed).code).toBe(CLOSE.ended);
  });

  it('ends a session at its maximum duration, with a message', async () => {
    const endsAt = new Date(Date.now() + 1_500);
    const { client } = await server.open(session(asAlice, { endsAt }));
    expect(await client.message('ended', 10_000)).toEqual({
      type: 'ended',
      reason: 'max-duration',
      exitCode: null,
      message: `The session reached its maximum duration (${endsAt.toISOString()}).`,
    });
  });

  it('ends on the browser’s request', async () => {
    const { client } = await server.open(session(asAlice));
    await client.message('attached');
    client.control({ type: 'end' });
    expect(await client.message('ended')).toMatchObject({ reason: 'user-ended', exitCode: null });
  });

  it('follows a one-shot container’s log to its exit code', async () => {
    const { client } = await server.open(session(asAlice, { pod: 'bridge-done', container: 'once', action: 'log', tty: false, stdin: false }));
    expect(await client.message('ended')).toMatchObject({ reason: 'exited', exitCode: 4 });
    expect(client.text()).toBe('one-shot says bye\n');
  });

  it('passes on the cluster’s refusal of an attach to a container that is not running', async () => {
    const { client } = await server.open(session(asAlice, { pod: 'bridge-done', container: 'once' }));
    const ended = await client.message('ended');
    expect(ended.reason).toBe('cluster-error');
    expect(ended.message).toBe('Attach to once in shop/bridge-done failed: cannot attach a container in a completed pod; current phase is Failed.');
  });

  it('passes on the cluster’s refusal of a log in its own words', async () => {
    const asNora = userClient('dev-dashboard', dashboard, { name: 'nora', groups: ['interns'], roles: [] }, 'impersonate').kubeConfig;
    const { client } = await server.open(session(asAlice, { pod: 'bridge-done', container: 'nope', action: 'log', tty: false, stdin: false }));
    expect((await client.message('ended')).message).toMatch(/^The cluster refused to follow the output of nope in shop\/bridge-done \(HTTP 400\): container nope is not valid for pod bridge-done/);
    const denied = (await server.open(session(asNora, { pod: 'bridge-done', container: 'once', action: 'log', tty: false, stdin: false }))).client;
    expect((await denied.message('ended')).message).toMatch(/\(HTTP 403\): pods "bridge-done" is forbidden: User "nora" cannot get resource "pods\/log"/);
  });

  it('passes on the cluster’s 403 in its own words', async () => {
    const asSam = userClient('dev-dashboard', dashboard, sam, 'impersonate').kubeConfig;
    const { client } = await server.open(session(asSam, { action: 'exec', command: ['sh'] }));
    const ended = await client.message('ended');
    expect(ended).toMatchObject({ reason: 'cluster-error', exitCode: null });
    expect(ended.message).toBe(
      'The cluster refused to exec into shell in shop/bridge-shell (HTTP 403): pods "bridge-shell" is forbidden: User "sam" cannot create resource "pods/exec" in API group "" in the namespace "shop"',
    );
  });
});

describe('terminal bridge when the cluster goes away', () => {
  it('ends with cluster-error and says so', async () => {
    const cluster = await startDevCluster('demo');
    const server = await startBridgeServer();
    try {
      const dashboard = dashboardKubeConfig(cluster);
      const applied = await kubectl(cluster, ['apply', '-f', '-'], { input: podsYaml.split('---')[0] });
      expect(applied.code, applied.stderr).toBe(0);
      await waitForContainer(dashboard, NAMESPACE, 'bridge-shell', 'running');
      const asAlice = userClient('dev-dashboard', dashboard, alice, 'impersonate').kubeConfig;
      const { client } = await server.open(session(asAlice));
      await client.message('attached');
      client.type('echo alive\r');
      await client.output(/alive/);
      cluster.process.kill('SIGKILL');
      const ended = await client.message('ended', 15_000);
      expect(ended.reason).toBe('cluster-error');
      expect(ended.message).toMatch(/^The connection to the cluster closed \(1006\) before the process in shell in shop\/bridge-shell ended: the cluster or the network went away/);
    } finally {
      await server.close();
      await cluster.stop();
    }
  }, 60_000);
});
