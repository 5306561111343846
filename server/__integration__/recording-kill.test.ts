// Issue 7, against a real PostgreSQL server and two Ephemera processes on it:
// replica B (recording-replica.ts, a child process) runs alice's terminal
// session and records it; this process is replica A, where a lead observes
// that session live from the store. Then replica B is killed (SIGKILL, as a
// crash: no clean-up of any kind), and
//   - the stored recording is at most a second behind what alice's browser
//     had been sent (the recorder flushes every 500 ms),
//   - after the restart's recovery (interruptAll) the session shows as
//     interrupted, its recording still reads as a valid .cast whose output is
//     a prefix of what the browser got, and observing it ends ("offline").
// The shell prints the time in milliseconds every 100 ms, so "how much was
// lost" is read off the last line each side has.

import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectl, startDevCluster, type RunningDevCluster } from '@/dev/cluster/__integration__/harness';
import { dashboardKubeConfig } from '@/lib/k8s/__integration__/support';
import { outputOf, parseCast } from '@/lib/recordings/asciicast';
import { TerminalClient, waitForContainer } from '@/lib/sessions/__integration__/support';
import { liveCast } from '@/lib/sessions/live-cast';
import { TERMINAL_WS_PATH } from '@/lib/sessions/protocol';
import { openStore } from '@/lib/store';
import { startPostgres, type PostgresServer } from '@/lib/store/__integration__/postgres-server';
import type { NewSession, Store } from '@/lib/store/types';
import { startProcess, type StartedProcess } from '@/scripts/lib/processes';
import { PROJECT_ROOT } from '@/scripts/lib/services';

const REPLICA_B = 'replica-b:kill-test';
/** The recorder's flush interval (500 ms) plus the time to write a chunk and some margin on a busy machine. */
const MAX_LOSS_MS = 1_000;
/** How often the observer reads the store once caught up (the live route's is 250 ms). */
const OBSERVE_POLL_MS = 100;

const podsYaml = `
apiVersion: v1
kind: Pod
metadata: { name: kill-shell, namespace: shop }
spec:
  containers:
  - { name: shell, image: 'busybox:1.36', command: [sh], stdin: true, tty: true }
`;

let postgres: PostgresServer | undefined;
let cluster: RunningDevCluster | undefined;
let store: Store | undefined;
let replica: StartedProcess | undefined;
let client: TerminalClient | undefined;
const observing = new AbortController();
let replicaOutput = '';

beforeAll(async () => {
  // Both at once; whichever started is stopped in afterAll even when the other failed.
  const [pg, dev] = await Promise.allSettled([startPostgres('ephemera_kill'), startDevCluster('demo')]);
  if (pg.status === 'fulfilled') postgres = pg.value;
  if (dev.status === 'fulfilled') cluster = dev.value;
  if (pg.status === 'rejected') throw pg.reason;
  if (dev.status === 'rejected') throw dev.reason;
  const applied = await kubectl(cluster!, ['apply', '-f', '-'], { input: podsYaml });
  expect(applied.code, applied.stderr).toBe(0);
  await waitForContainer(dashboardKubeConfig(cluster!), 'shop', 'kill-shell', 'running');
  store = await openStore({ databaseUrl: postgres!.url });
}, 120_000);

afterAll(async () => {
  const steps: Array<[string, () => Promise<unknown> | unknown]> = [
    ['observer', () => observing.abort()],
    ['browser socket', () => client?.socket.terminate()],
    ['replica B', () => replica?.stop(2_000)],
    ['store', () => store?.close()],
    ['PostgreSQL', () => postgres?.stop()],
    ['dev cluster', () => cluster?.stop()],
  ];
  const failures: string[] = [];
  for (const [what, step] of steps) {
    try {
      await step();
    } catch (error) {
      failures.push(`${what}: ${(error as Error).message}`);
    }
  }
  if (failures.length > 0) throw new Error(`tear-down failed: ${failures.join('; ')}`);
}, 60_000);

const newSession = (): NewSession => ({
  user: 'alice', groups: ['oncall'], roles: ['debugger'], cluster: 'dev-dashboard', namespace: 'shop', pod: 'kill-shell', node: null, kind: 'attach', mode: 'interactive',
  container: 'shell', image: 'busybox:1.36', profile: null, target: null, mounts: [], command: null, reason: null, breakGlass: false, spec: {},
  limits: { maxDurationSeconds: 3600, idleTimeoutSeconds: 900, reconnectGraceSeconds: 60 }, serverId: REPLICA_B,
});

/** The millisecond timestamps the shell printed, complete lines only (a line still being written does not count). */
const stamps = (output: string): number[] =>
  output
    .split('\n')
    .slice(0, -1)
    .map((line) => line.replace(/\r$/, ''))
    .filter((line) => /^\d{13}$/.test(line))
    .map(Number);

async function storedOutput(id: string): Promise<{ output: string; endedAt: Date | null }> {
  let text = '';
  for await (const line of (await store!.recordings.cast(id))!) text += line;
  const { events } = parseCast(text); // throws if the killed process left it unreadable
  return { output: outputOf(events), endedAt: (await store!.recordings.get(id))!.endedAt };
}

/** Follows session `id` as replica A's live route does, keeping every message and when each timestamp line arrived. */
function observe(id: string, signal: AbortSignal) {
  const messages: unknown[] = [];
  /** For each line that arrived as an event (not in the starting screen): how long after the shell printed it. */
  const delays: number[] = [];
  let output = '';
  let seen = 0;
  const done = (async () => {
    for await (const message of liveCast({
      recordings: store!.recordings,
      sessionId: id,
      pollMs: OBSERVE_POLL_MS,
      signal,
      onPoll: () => store!.recordings.observing(id, 'lena'),
      sessionEnded: async () => (await store!.sessions.get(id))?.state === 'ended',
    })) {
      const parsed = JSON.parse(message) as unknown;
      messages.push(parsed);
      if (!Array.isArray(parsed)) {
        output += (parsed as { init?: string }).init ?? '';
        seen = stamps(output).length;
        continue;
      }
      const [, code, data] = parsed as [number, string, string];
      if (code !== 'o') continue;
      output += data;
      const all = stamps(output);
      for (const stamp of all.slice(seen)) delays.push(Date.now() - stamp);
      seen = all.length;
    }
  })();
  done.catch(() => {}); // awaited by the test; a failed test must not leave an unhandled rejection
  return { messages, delays, done, lines: () => seen };
}

describe('a replica killed mid-session, on a real PostgreSQL server', () => {
  it('loses at most a second of recording, shows as interrupted after the restart, and was observed live from the other replica', async () => {
    const s = store!;
    const created = await s.sessions.create(newSession());
    const record = (await s.sessions.update(created.id, { state: 'running', startedAt: new Date() }))!;

    replica = await startProcess(
      process.execPath,
      [
        '--import', 'tsx', path.join(PROJECT_ROOT, 'server/__integration__/recording-replica.ts'),
        '--database-url', postgres!.url, '--kubeconfig', cluster!.kubeconfig, '--server-id', REPLICA_B,
      ],
      { name: 'replica B', ready: /^recording replica \S+ ready on (127\.0\.0\.1:\d+)$/, cwd: PROJECT_ROOT, onLine: (line) => (replicaOutput += line + '\n') },
    );
    client = new TerminalClient(`ws://${replica.match[1]}${TERMINAL_WS_PATH}?session=${record.id}&cols=100&rows=30`);
    await client.message('attached');
    // The recording is begun before the hub attaches: replica A can follow it from now on.
    expect(await s.recordings.get(record.id)).toMatchObject({ endedAt: null });
    const observer = observe(record.id, observing.signal);

    client.type('while true; do date +%s%3N; sleep 0.1; done\r');
    // About two seconds of lines, the lead seeing them as they come.
    await client.until(() => stamps(client!.text()).length >= 20, 15_000, '20 timestamp lines');
    await expect.poll(() => observer.lines(), { timeout: 5_000 }).toBeGreaterThanOrEqual(5);
    expect(observer.delays.length).toBeGreaterThan(0);
    const observedDelay = Math.max(...observer.delays);
    // The flush interval, the observer's poll and the reads, with margin.
    expect(observedDelay).toBeLessThanOrEqual(1_500);
    // Replica B's page shows who observes: replica A's observer is in the shared store.
    expect(await s.recordings.observers(record.id, 10_000)).toEqual(['lena']);

    // The crash.
    process.kill(replica.child.pid!, 'SIGKILL');
    expect(await replica.exited).toEqual({ code: null, signal: 'SIGKILL' });
    await client.closed;
    const browser = client.text();
    const sent = stamps(browser);
    // A chunk whose COMMIT left replica B just before the kill is still the server's to apply.
    await new Promise((resolve) => setTimeout(resolve, 200));

    const stored = await storedOutput(record.id);
    const kept = stamps(stored.output);
    expect(kept.length).toBeGreaterThan(0);
    const lossMs = sent.at(-1)! - kept.at(-1)!;
    const linesLost = sent.filter((stamp) => stamp > kept.at(-1)!).length;
    console.log(
      `recording-kill: the browser's last line was printed at ${sent.at(-1)}, the stored recording's at ${kept.at(-1)}: ` +
        `${lossMs} ms (${linesLost} of ${sent.length} lines) lost; the observer saw lines at most ${observedDelay} ms after they were printed`,
    );
    expect(lossMs).toBeGreaterThanOrEqual(0);
    expect(lossMs).toBeLessThanOrEqual(MAX_LOSS_MS);
    // What is stored is exactly what the browser was sent, up to where it stops; never marked complete.
    expect(browser.startsWith(stored.output)).toBe(true);
    expect(stored.endedAt).toBeNull();
    // Until the restart, the session still looks running.
    expect((await s.sessions.get(record.id))?.state).toBe('running');

    // The restart: replica B's start-up recovery (recoverSessions) ends what it held.
    const interrupted = await s.sessions.interruptAll(REPLICA_B);
    expect(interrupted.map((session) => session.id)).toEqual([record.id]);
    expect(await s.sessions.get(record.id)).toMatchObject({ state: 'ended', endReason: 'interrupted', endedAt: expect.any(Date) });

    // The lead's observer sees the end, and the recording reads the same as right after the kill.
    await observer.done;
    expect(observer.messages.at(-1)).toEqual({ state: 'offline' });
    const after = await storedOutput(record.id);
    expect(after.output).toBe(stored.output);
    expect(browser.startsWith(after.output)).toBe(true);

    // Observing it afresh: the whole stored output as the starting screen, then offline at once.
    const again: unknown[] = [];
    for await (const message of liveCast({
      recordings: s.recordings,
      sessionId: record.id,
      pollMs: OBSERVE_POLL_MS,
      signal: new AbortController().signal,
      sessionEnded: async () => (await s.sessions.get(record.id))?.state === 'ended',
    })) {
      again.push(JSON.parse(message));
    }
    expect(again).toEqual([expect.objectContaining({ init: after.output }), { state: 'offline' }]);
  }, 90_000);
});
