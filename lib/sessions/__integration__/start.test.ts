// Starting debug sessions against the real dev cluster, as the demo's people
// (impersonated, so the cluster's RBAC decides), under the demo's own policy
// (dev/demo/ephemera.yaml), with an in-memory PGlite store. Nothing mocked.

import fs from 'node:fs';
import path from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevCluster, type RunningDevCluster } from '@/dev/cluster/__integration__/harness';
import type { EphemeraUser } from '@/lib/auth/types';
import { parseConfigFile } from '@/lib/config/file';
import { createAccessChecker } from '@/lib/k8s/access';
import { CLUSTER, dashboardKubeConfig } from '@/lib/k8s/__integration__/support';
import { getJson } from '@/lib/k8s/raw';
import { userClient } from '@/lib/k8s/user-client';
import { PolicySchema, type Policy } from '@/lib/policy';
import { outputOf, parseCast } from '@/lib/recordings/asciicast';
import { IN_MEMORY, openStore } from '@/lib/store';
import type { SessionRecord, Store } from '@/lib/store/types';
import { recoverSessions } from '../cleanup';
import { endSession, forgetLiveSessions, liveSession } from '../live';
import type { ServerMessage } from '../protocol';
import { startSession, type SessionDeps, type StartResult } from '../start';

const alice: EphemeraUser = { name: 'alice', groups: ['oncall'], roles: ['debugger'] };
const sam: EphemeraUser = { name: 'sam', groups: ['support'], roles: ['viewer'] };

let cluster: RunningDevCluster;
let kubeConfig: KubeConfig;
let store: Store;
let demoPolicy: Policy;
const log: string[] = [];

beforeAll(async () => {
  cluster = await startDevCluster('demo');
  kubeConfig = dashboardKubeConfig(cluster);
  store = await openStore({ dataDir: IN_MEMORY });
  const root = path.resolve(import.meta.dirname, '..', '..', '..');
  demoPolicy = parseConfigFile(fs.readFileSync(path.join(root, 'dev/demo/ephemera.yaml'), 'utf8'), 'dev/demo/ephemera.yaml').policy;
});

afterAll(async () => {
  forgetLiveSessions();
  await store?.close();
  await cluster?.stop();
});

function deps(overrides: Partial<SessionDeps> = {}): SessionDeps {
  const clientFor = (_cluster: string, user: EphemeraUser) => userClient(CLUSTER, kubeConfig, user, 'impersonate');
  return {
    policy: demoPolicy,
    clientFor,
    random: Math.random,
    store: store.sessions,
    recordings: store.recordings,
    serverId: 'it-server:3000',
    access: createAccessChecker({ clientFor }),
    cleanupClientFor: clientFor,
    startTimeoutMs: 20_000,
    log: (line) => log.push(line),
    ...overrides,
  };
}

function started(result: StartResult): SessionRecord {
  if (!result.ok) throw new Error(`refused (${result.status}): ${result.message}`);
  return result.session;
}

async function until<T>(get: () => Promise<T | undefined | false> | T | undefined | false, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await get();
    if (value !== undefined && value !== false) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${what} did not happen within ${timeoutMs} ms; log: ${log.join('\n')}`);
}

const stateOf = async (id: string) => (await store.sessions.get(id))!;
const history = (id: string): ServerMessage[] => liveSession(id)?.history() ?? [];

/** The pod as the dashboard sees it, or undefined once it is gone. */
async function podOrGone(namespace: string, name: string): Promise<{ spec: { nodeName?: string }; metadata: { deletionTimestamp?: string } } | undefined> {
  try {
    return await getJson(kubeConfig, `/api/v1/namespaces/${namespace}/pods/${name}`);
  } catch (error) {
    if ((error as { code?: number }).code === 404) return undefined;
    throw error;
  }
}
const goneOrDeleting = async (namespace: string, name: string) => {
  const pod = await podOrGone(namespace, name);
  return pod === undefined || pod.metadata.deletionTimestamp !== undefined;
};

describe('an ephemeral container', () => {
  it('starts as alice with the default image and restricted profile, runs, and ends', async () => {
    const session = started(await startSession(alice, CLUSTER, { kind: 'ephemeral', namespace: 'pxc', pod: 'cluster1-pxc-0', target: 'pxc' }, 'interactive', deps()));
    expect(session).toMatchObject({ state: 'starting', user: 'alice', kind: 'ephemeral', image: 'ghcr.io/ephemera/debug-tools:1.0', profile: 'restricted', target: 'pxc', serverId: 'it-server:3000' });
    expect(session.container).toMatch(/^debugger-[a-z0-9]{5}$/);
    const running = await until(async () => ((await stateOf(session.id)).state === 'running' ? stateOf(session.id) : undefined), 'running');
    expect(running.startedAt).toBeInstanceOf(Date);
    expect(history(session.id)).toContainEqual({ type: 'progress', phase: 'running' });

    const ended = await endSession(session.id, 'user-ended', 'Ended by alice.');
    expect(ended).toMatchObject({ state: 'ended', endReason: 'user-ended', endMessage: 'Ended by alice.' });
    expect(history(session.id).at(-1)).toEqual({ type: 'ended', reason: 'user-ended', exitCode: null, message: 'Ended by alice.' });
  });

  it('an image that does not exist: ErrImagePull and ImagePullBackOff with their messages, then the start timeout', async () => {
    const policy = PolicySchema.parse({ ...demoPolicy, images: { ...demoPolicy.images, approved: [...demoPolicy.images.approved, { pattern: 'ghcr.io/ephemera/*' }] } });
    const session = started(
      await startSession(alice, CLUSTER, { kind: 'ephemeral', namespace: 'pxc', pod: 'cluster1-pxc-1', image: 'ghcr.io/ephemera/no-such-tool:1.0', runAsUser: 65532 }, 'interactive', deps({ policy, startTimeoutMs: 4_000 })),
    );
    const ended = await until(async () => ((await stateOf(session.id)).state === 'ended' ? stateOf(session.id) : undefined), 'the start timeout', 15_000);
    expect(ended.endReason).toBe('start-timeout');
    expect(ended.endMessage).toMatch(/^The container was not running within 4 s\. It was waiting: (ErrImagePull|ImagePullBackOff) \(.*not found\)/);
    const progress = history(session.id).filter((m): m is Extract<ServerMessage, { type: 'progress' }> => m.type === 'progress');
    expect(progress.map((m) => m.reason)).toEqual(expect.arrayContaining(['ErrImagePull', 'ImagePullBackOff']));
    expect(progress.find((m) => m.reason === 'ImagePullBackOff')?.message).toMatch(/^The registry has no such image.*The cluster says: .*ghcr\.io\/ephemera\/no-such-tool:1\.0.*not found/);
    expect(history(session.id).at(-1)).toMatchObject({ type: 'ended', reason: 'start-timeout' });
  });

  it('one-shot: runs the command without a terminal and ends with its exit code', async () => {
    const session = started(
      await startSession(alice, CLUSTER, { kind: 'ephemeral', namespace: 'pxc', pod: 'cluster1-pxc-2', command: ['sh', '-c', 'echo checked; exit 3'] }, 'oneshot', deps()),
    );
    expect(session.mode).toBe('oneshot');
    expect(session.spec).toMatchObject({ command: ['sh', '-c', 'echo checked; exit 3'] });
    expect((session.spec as { stdin?: boolean }).stdin).toBeUndefined();
    const ended = await until(async () => ((await stateOf(session.id)).state === 'ended' ? stateOf(session.id) : undefined), 'the command to exit');
    expect(ended).toMatchObject({ endReason: 'exited', exitCode: 3 });
  });

  it('one-shot: its output is recorded from the log, with nobody watching, complete when the session ends', async () => {
    const session = started(
      await startSession(
        alice,
        CLUSTER,
        { kind: 'ephemeral', namespace: 'pxc', pod: 'cluster1-pxc-2', command: ['sh', '-c', 'echo first line; sleep 1; printf "second ✓\\n"; exit 4'] },
        'oneshot',
        deps(),
      ),
    );
    await until(async () => (await stateOf(session.id)).state === 'ended', 'the command to exit');
    const info = await store.recordings.get(session.id);
    expect(info).toMatchObject({ endedAt: expect.any(Date), input: false });
    let text = '';
    for await (const line of (await store.recordings.cast(session.id))!) text += line;
    const { header, events } = parseCast(text);
    expect(header).toMatchObject({ width: 120, height: 30, title: `pxc/cluster1-pxc-2 · ${session.container} (alice)` });
    // As the page shows it: bare newlines as CR LF. (Times are when Ephemera read each line: output from before the
    // log follow connected shares its time, so how far apart the two lines are depends on the machine's speed.)
    expect(outputOf(events)).toBe('first line\r\nsecond ✓\r\n');
    const times = events.map(([time]) => time);
    expect(times).toEqual(times.toSorted((a, b) => a - b));
  });
});

describe('refusals', () => {
  it.each([
    ['an unapproved image', { kind: 'ephemeral', namespace: 'pxc', pod: 'cluster1-pxc-0', image: 'evil/miner:1.0' }, 'images.approved', /evil\/miner:1\.0 is not an approved image/],
    ['a forbidden profile', { kind: 'ephemeral', namespace: 'pxc', pod: 'cluster1-pxc-0', profile: 'sysadmin' }, 'profiles.byRole', /The sysadmin profile is not allowed for your roles \(debugger\)/],
    ['a missing break-glass reason', { kind: 'node', namespace: 'shop', node: 'node-a', profile: 'general' }, 'breakGlass.reason', /Node debugging is break-glass: write why/],
    ['a reason without a ticket', { kind: 'node', namespace: 'shop', node: 'node-a', profile: 'general', reason: 'because I want to look' }, 'breakGlass.reason', /must include a reference matching/],
    ['a disabled namespace', { kind: 'ephemeral', namespace: 'kube-system', pod: 'coredns-0' }, 'namespaces.disabled', /Debugging is switched off in namespace kube-system/],
  ])('%s: 403 naming the rule', async (_what, request, rule, message) => {
    const result = await startSession(alice, CLUSTER, request, 'interactive', deps());
    expect(result).toMatchObject({ ok: false, status: 403, rule, message: expect.stringMatching(message) });
  });

  it('a viewer: 403 by role, nothing sent', async () => {
    const result = await startSession(sam, CLUSTER, { kind: 'ephemeral', namespace: 'pxc', pod: 'cluster1-pxc-0' }, 'interactive', deps());
    expect(result).toMatchObject({ ok: false, status: 403, rule: 'roles', message: expect.stringContaining('needs the debugger or admin role') });
  });

  it('the cluster’s own refusals keep its words: a pod alice may not read (403), a pod that is not there (404), a copy name taken (409)', async () => {
    expect(await startSession(alice, CLUSTER, { kind: 'ephemeral', namespace: 'default', pod: 'anything' }, 'interactive', deps())).toMatchObject({ ok: false, status: 403 });
    expect(await startSession(alice, CLUSTER, { kind: 'ephemeral', namespace: 'pxc', pod: 'no-such-pod' }, 'interactive', deps())).toMatchObject({ ok: false, status: 404 });
    const taken = await startSession(
      alice,
      CLUSTER,
      { kind: 'copy', namespace: 'shop', pod: 'checkout-7d9f8b6c4-x2x9k', copyTo: 'payments-5f7d9c8b7-m4p2w', image: 'busybox:1.36', profile: 'general', reason: 'INC-7: checkout crash loop' },
      'interactive',
      deps(),
    );
    expect(taken).toMatchObject({ ok: false, status: 409, message: expect.stringContaining('already exists') });
  });
});

describe('node debug pods and pod copies', () => {
  it('a node debug session: a pod pinned to the node, deleted when the session ends', async () => {
    const session = started(
      await startSession(alice, CLUSTER, { kind: 'node', namespace: 'shop', node: 'node-a', profile: 'general', reason: 'INC-42: node-a disk pressure' }, 'interactive', deps()),
    );
    expect(session).toMatchObject({ kind: 'node', node: 'node-a', namespace: 'shop', container: 'debugger', breakGlass: true, reason: 'INC-42: node-a disk pressure' });
    expect(session.pod).toMatch(/^node-debugger-node-a-[a-z0-9]{5}$/);
    const pod = await podOrGone('shop', session.pod!);
    expect(pod?.spec.nodeName).toBe('node-a');
    await until(async () => (await stateOf(session.id)).state === 'running', 'running');

    await endSession(session.id, 'user-ended', 'Ended by alice.');
    await until(() => goneOrDeleting('shop', session.pod!), 'the node debug pod to be deleted');
  });

  it('a pod copy of the crash-looping pod: created, then deleted at the end', async () => {
    const session = started(
      await startSession(
        alice,
        CLUSTER,
        { kind: 'copy', namespace: 'shop', pod: 'checkout-7d9f8b6c4-x2x9k', copyTo: 'checkout-debug', image: 'busybox:1.36', profile: 'general', reason: 'INC-7: checkout crash loop' },
        'interactive',
        deps(),
      ),
    );
    expect(session).toMatchObject({ kind: 'copy', pod: 'checkout-debug', image: 'busybox:1.36' });
    expect(await podOrGone('shop', 'checkout-debug')).toBeDefined();
    await until(async () => (await stateOf(session.id)).state === 'running', 'running');
    await endSession(session.id, 'user-ended', 'Ended by alice.');
    await until(() => goneOrDeleting('shop', 'checkout-debug'), 'the copy to be deleted');
  });

  it('recoverSessions: a node pod left by a crashed process is deleted, its session interrupted', async () => {
    const crashed = deps({ serverId: 'crashed-host:3000' });
    const session = started(
      await startSession(alice, CLUSTER, { kind: 'node', namespace: 'shop', node: 'node-b', profile: 'general', reason: 'INC-43: node-b kubelet' }, 'interactive', crashed),
    );
    expect(await podOrGone('shop', session.pod!)).toBeDefined();
    forgetLiveSessions(); // the process "crashed": nothing follows the session any more

    const recovery = await recoverSessions(store.sessions, 'crashed-host:3000', crashed.cleanupClientFor);
    expect(recovery.interrupted.map((r) => r.id)).toEqual([session.id]);
    expect(recovery.deleted).toEqual([`shop/${session.pod}`]);
    expect(await stateOf(session.id)).toMatchObject({ state: 'ended', endReason: 'interrupted' });
    await until(() => goneOrDeleting('shop', session.pod!), 'the left-behind pod to be deleted');
  });
});

describe('exec and attach', () => {
  it('exec into a running container: no cluster change, the session is running at once', async () => {
    const session = started(await startSession(alice, CLUSTER, { kind: 'exec', namespace: 'pxc', pod: 'cluster1-pxc-0', container: 'pxc' }, 'interactive', deps()));
    expect(session).toMatchObject({ kind: 'exec', state: 'running', container: 'pxc', command: ['sh'] });
    await endSession(session.id, 'user-ended', 'Ended by alice.');
  });

  it('attach needs an ephemeral container; a viewer may not exec', async () => {
    expect(await startSession(alice, CLUSTER, { kind: 'attach', namespace: 'pxc', pod: 'cluster1-pxc-0', container: 'pxc' }, 'interactive', deps())).toMatchObject({
      ok: false,
      status: 404,
      errors: [{ field: 'container' }],
    });
    expect(await startSession(sam, CLUSTER, { kind: 'exec', namespace: 'pxc', pod: 'cluster1-pxc-0', container: 'pxc' }, 'interactive', deps())).toMatchObject({ ok: false, status: 403 });
  });
});
