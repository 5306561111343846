// The terminal bridge's benchmarks (DESIGN.md, "Targets"; issue 6), on one dev
// cluster for both sides of every ratio, acting as alice (on-call) through
// impersonation on both sides:
//   - throughput of N bytes of output (`head -c N /dev/zero`) through the
//     bridge's browser-side WebSocket vs `kubectl exec` directly, and through
//     the bridge while it records (a Recorder into an in-memory PGlite store,
//     the default deployment's store in this same process) vs without;
//   - keystroke echo round trip through the bridge vs client-node's Exec directly;
//   - many concurrent bridged sessions in this one process: RSS and errors;
//   - Start to prompt vs `kubectl debug -it` (start-to-prompt.ts).
// The browsers' side of throughput and concurrency runs in its own process
// (terminal-browsers.ts), so this process holds the server's part only.

import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { PassThrough, Writable } from 'node:stream';
import { Exec, type KubeConfig } from '@kubernetes/client-node';
import type { WebSocket } from 'ws';
import { kubectl, startDevCluster, type RunningDevCluster } from '@/dev/cluster/__integration__/harness';
import { dashboardKubeConfig } from '@/lib/k8s/__integration__/support';
import { userClient } from '@/lib/k8s/user-client';
import { startBridgeServer, waitForContainer, type BridgeServer, type HubSettings, type TerminalClient } from '@/lib/sessions/__integration__/support';
import { Recorder } from '@/lib/recordings/recorder';
import { IN_MEMORY, openStore } from '@/lib/store';
import type { NewSession } from '@/lib/store/types';
import { benchStartToPrompt } from './start-to-prompt';
import { median, ms, percentile, type Figure } from './stats';

const NAMESPACE = 'shop';
const SHELL_POD = 'bench-shell';
const alice = { name: 'alice', groups: ['oncall'], roles: ['debugger' as const] };

export interface TerminalBenchOptions {
  bytes: number;
  runs: number;
  keystrokes: number;
  sessions: number;
  /** Start-to-prompt runs each way. */
  startRuns: number;
  /** Pods the concurrent sessions attach to (sessions / pods attach to each). */
  fleetPods: number;
  log(line: string): void;
}

const shellPod = (name: string) => `apiVersion: v1
kind: Pod
metadata: { name: ${name}, namespace: ${NAMESPACE} }
spec:
  containers:
  - { name: shell, image: 'busybox:1.36', command: [sh], stdin: true, tty: true }
`;

export async function benchTerminal(options: TerminalBenchOptions): Promise<Figure[]> {
  const cluster = await startDevCluster('demo');
  const server = await startBridgeServer();
  try {
    const dashboard = dashboardKubeConfig(cluster);
    const asAlice = userClient('dev-dashboard', dashboard, alice, 'impersonate').kubeConfig;
    const pods = [SHELL_POD, ...Array.from({ length: options.fleetPods }, (_, i) => `bench-fleet-${i}`)];
    const applied = await kubectl(cluster, ['apply', '-f', '-'], { input: pods.map(shellPod).join('---\n') });
    if (applied.code !== 0) throw new Error(`creating the benchmark pods failed: ${applied.stderr}`);
    for (const pod of pods) await waitForContainer(dashboard, NAMESPACE, pod, 'running', 60_000);

    // Concurrency first: its memory figures start from this process's RSS, which the recorded throughput runs (an in-memory store) would inflate.
    options.log(`Concurrency: ${options.sessions} bridged sessions on ${options.fleetPods} pods…`);
    const figures = await concurrency(server, asAlice, options);
    options.log(`Throughput: ${options.bytes} bytes, ${options.runs} runs each way…`);
    figures.unshift(...(await throughput(cluster, server, asAlice, options)));
    options.log(`Keystroke echo: ${options.keystrokes} keystrokes each way…`);
    figures.push(...(await echo(server, asAlice, options)));
    options.log(`Start to prompt: ${options.startRuns} runs each way…`);
    figures.push(...(await benchStartToPrompt(cluster, dashboard, options.startRuns, options.log)));
    return figures;
  } finally {
    await server.close();
    await cluster.stop();
  }
}

const benchSession = (): NewSession => ({
  user: alice.name, groups: alice.groups, roles: alice.roles, cluster: 'dev-dashboard', namespace: NAMESPACE, pod: SHELL_POD, node: null, kind: 'exec', mode: 'oneshot',
  container: 'shell', image: 'busybox:1.36', profile: null, target: null, mounts: [], command: ['head'], reason: null, breakGlass: false, spec: {},
  limits: { maxDurationSeconds: 3600, idleTimeoutSeconds: 3600 }, serverId: 'bench:0',
});

const settings = (kubeConfig: KubeConfig, overrides: Partial<HubSettings>): HubSettings => ({
  kubeConfig,
  namespace: NAMESPACE,
  pod: SHELL_POD,
  container: 'shell',
  action: 'exec',
  tty: false,
  stdin: false,
  idleTimeoutSeconds: 3600,
  endsAt: new Date(Date.now() + 3_600_000),
  ...overrides,
});

// ---------------------------------------------------------------- throughput

interface Transfer {
  bytes: number;
  /** First to last output byte. */
  streamMs: number;
  /** Request to end. */
  totalMs: number;
  /** How it ended, when not complete. */
  note?: string;
}

async function throughput(cluster: RunningDevCluster, server: BridgeServer, asAlice: KubeConfig, options: TerminalBenchOptions): Promise<Figure[]> {
  const command = ['head', '-c', String(options.bytes), '/dev/zero'];
  const viaKubectl: Transfer[] = [];
  const viaBridge: Transfer[] = [];
  const viaRecording: Transfer[] = [];
  const store = await openStore({ dataDir: IN_MEMORY });
  /** A bridged transfer recorded as a session would be; also how long after the last byte the recording was complete in the store. */
  const recordedExec = async (): Promise<Transfer & { storedAfterMs: number; storedBytes: number }> => {
    const session = await store.sessions.create(benchSession());
    const info = await store.recordings.begin(session.id, { version: 2, width: 80, height: 24, timestamp: Math.floor(Date.now() / 1000) }, { input: false });
    let failure: Error | undefined;
    const recorder = new Recorder({
      sink: { append: (chunk) => store.recordings.append(session.id, chunk), finish: () => store.recordings.finish(session.id) },
      startedAt: info.startedAt,
      recordInput: false,
      onFailure: (error) => (failure = error),
    });
    const transfer = await bridgedExec(server, settings(asAlice, { command, recorder }));
    const closing = performance.now();
    await recorder.close();
    if (failure) throw new Error(`the recording failed: ${failure.message}`);
    const stored = await store.recordings.get(session.id);
    return { ...transfer, storedAfterMs: performance.now() - closing, storedBytes: stored?.bytes ?? 0 };
  };
  const storedAfter: number[] = [];
  // Unmeasured: the dev cluster, client-node and the bridge are JavaScript, slow until the JIT has seen them.
  const warmUp = ['head', '-c', String(Math.min(options.bytes, 50_000_000)), '/dev/zero'];
  await kubectlExec(cluster, warmUp);
  await bridgedExec(server, settings(asAlice, { command: warmUp }));
  for (let run = 0; run < options.runs; run++) {
    // Alternating which goes first, so neither side always has the quieter machine.
    if (run % 2 === 0) viaKubectl.push(await kubectlExec(cluster, command));
    viaBridge.push(await bridgedExec(server, settings(asAlice, { command })));
    const recorded = await recordedExec();
    viaRecording.push(recorded);
    storedAfter.push(recorded.storedAfterMs);
    if (recorded.storedBytes !== options.bytes) options.log(`    the recording holds ${recorded.storedBytes} of ${options.bytes} bytes`);
    if (run % 2 === 1) viaKubectl.push(await kubectlExec(cluster, command));
    options.log(`  run ${run + 1}: kubectl ${rate(viaKubectl.at(-1)!)}, bridge ${rate(viaBridge.at(-1)!)}, bridge recording ${rate(recorded)}`);
    for (const t of [viaKubectl.at(-1)!, viaBridge.at(-1)!, recorded]) {
      if (t.bytes !== options.bytes) options.log(`    incomplete: ${t.bytes} bytes; ${t.note ?? ''}`);
    }
  }
  await store.close();
  const complete = (t: Transfer) => t.bytes === options.bytes;
  const lost = [...viaKubectl, ...viaBridge].filter((t) => !complete(t)).length;
  const speed = (ts: Transfer[], field: 'streamMs' | 'totalMs') => median(ts.map((t) => t.bytes / t[field]));
  // Paired by run (each run's two transfers are back to back), so a load that drifts over the runs cancels out.
  const pairRatios = (field: 'streamMs' | 'totalMs') => viaBridge.map((t, i) => t.bytes / t[field] / (viaKubectl[i].bytes / viaKubectl[i][field]));
  const ratios = pairRatios('streamMs');
  const ratio = median(ratios);
  const ratioTotal = median(pairRatios('totalMs'));
  const mb = (t: Transfer[], field: 'streamMs' | 'totalMs') => `${(speed(t, field) / 1000).toFixed(0)} MB/s`;
  const recordingRatios = viaRecording.map((t, i) => t.bytes / t.streamMs / (viaBridge[i].bytes / viaBridge[i].streamMs));
  const recordingRatio = median(recordingRatios);
  return [
    { measure: `kubectl exec -- head -c ${options.bytes}`, value: mb(viaKubectl, 'streamMs'), note: `median of ${options.runs}, first to last byte; ${mb(viaKubectl, 'totalMs')} start to exit` },
    { measure: 'same through the bridge (browser-side WebSocket)', value: mb(viaBridge, 'streamMs'), note: `first to last byte; ${mb(viaBridge, 'totalMs')} socket open to ended` },
    {
      measure: 'bridge / kubectl throughput',
      value: `${ratio.toFixed(2)}×`,
      target: '≥ 0.9×',
      met: ratio >= 0.9,
      note: `median of per-run ratios (${ratios.map((r) => r.toFixed(2)).join(', ')}); start to end ${ratioTotal.toFixed(2)}×${lost ? `; ${lost} transfers incomplete` : '; every byte arrived'}; load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} CPUs`,
    },
    {
      measure: 'bridge recording / bridge not recording throughput',
      value: `${recordingRatio.toFixed(2)}×`,
      note: `median of per-run ratios (${recordingRatios.map((r) => r.toFixed(2)).join(', ')}); ${mb(viaRecording, 'streamMs')} recording; recording complete in the store ${ms(median(storedAfter))} after the last byte (median)`,
    },
  ];
}

const rate = (t: Transfer) => `${(t.bytes / t.streamMs / 1000).toFixed(0)} MB/s`;

function kubectlExec(cluster: RunningDevCluster, command: string[]): Promise<Transfer> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    let first = 0;
    let last = 0;
    let bytes = 0;
    const child = spawn(
      'kubectl',
      ['--kubeconfig', cluster.kubeconfig, '--context', 'dev-dashboard', '--as', alice.name, '--as-group', alice.groups[0], 'exec', '-n', NAMESPACE, SHELL_POD, '-c', 'shell', '--', ...command],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.on('data', (chunk: Buffer) => {
      last = performance.now();
      if (!first) first = last;
      bytes += chunk.length;
    });
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`kubectl exec exited with ${code}: ${stderr}`));
      resolve({ bytes, streamMs: last - first, totalMs: performance.now() - start });
    });
  });
}

async function bridgedExec(server: BridgeServer, session: HubSettings): Promise<Transfer> {
  const { url } = server.prepare(session);
  const result = (await browsers({ task: 'count', url })) as { bytes: number; firstByteMs: number; lastByteMs: number; endedMs: number; ended: { message: string } };
  return { bytes: result.bytes, streamMs: result.lastByteMs - result.firstByteMs, totalMs: result.endedMs, note: result.ended.message };
}

/** Runs terminal-browsers.ts with `task`; resolves with its JSON result. */
function browsers(task: unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'terminal-browsers.ts'), JSON.stringify(task)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('close', (code) => {
      const last = out.trim().split('\n').at(-1) ?? '';
      try {
        resolve(JSON.parse(last));
      } catch {
        reject(new Error(`terminal-browsers.ts exited with ${code}: ${out.slice(-500)}`));
      }
    });
  });
}

// ---------------------------------------------------------------- keystroke echo

/** Types one character at a time into a shell on a TTY and times each echo. */
async function echoTimes(type: (text: string) => void, onOutput: (listener: (chunk: Buffer) => void) => void, count: number): Promise<number[]> {
  let waiting: ((chunk: Buffer) => void) | undefined;
  onOutput((chunk) => waiting?.(chunk));
  const next = () => new Promise<Buffer>((resolve) => (waiting = resolve));
  const settle = () => new Promise((resolve) => setTimeout(resolve, 50));
  await settle();
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    if (i % 50 === 49) {
      type('\x15'); // kill the line, unmeasured, so it never grows long
      await settle();
    }
    const arrived = next();
    const start = performance.now();
    type('x');
    await arrived;
    times.push(performance.now() - start);
  }
  waiting = undefined;
  return times;
}

async function directEcho(asAlice: KubeConfig, count: number): Promise<number[]> {
  const stdin = new PassThrough();
  const listeners: Array<(chunk: Buffer) => void> = [];
  const stdout = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const listener of listeners) listener(chunk);
      callback();
    },
  });
  const connection = (await new Exec(asAlice).exec(NAMESPACE, SHELL_POD, 'shell', ['sh'], stdout, null, stdin, true)) as unknown as WebSocket;
  try {
    return await echoTimes((text) => stdin.write(text), (listener) => listeners.push(listener), count);
  } finally {
    connection.close();
  }
}

async function bridgedEcho(server: BridgeServer, asAlice: KubeConfig, count: number): Promise<number[]> {
  const { client } = await server.open(settings(asAlice, { command: ['sh'], tty: true, stdin: true }));
  await client.message('attached');
  try {
    return await echoTimes((text) => client.type(text), (listener) => onBinary(client, listener), count);
  } finally {
    client.socket.close();
  }
}

function onBinary(client: TerminalClient, listener: (chunk: Buffer) => void): void {
  client.socket.on('message', (data: Buffer, isBinary) => {
    if (isBinary) listener(data);
  });
}

async function echo(server: BridgeServer, asAlice: KubeConfig, options: TerminalBenchOptions): Promise<Figure[]> {
  const direct: number[] = [];
  const bridged: number[] = [];
  // Alternating halves, so neither side has the quieter machine.
  const half = Math.ceil(options.keystrokes / 2);
  for (let round = 0; round < 2; round++) {
    direct.push(...(await directEcho(asAlice, half)));
    bridged.push(...(await bridgedEcho(server, asAlice, half)));
  }
  const added = percentile(bridged, 99) - percentile(direct, 99);
  return [
    { measure: 'keystroke echo, client-node Exec directly', value: `p50 ${ms(percentile(direct, 50))}, p99 ${ms(percentile(direct, 99))}`, note: `${direct.length} keystrokes, TTY shell; load average ${os.loadavg()[0].toFixed(1)}` },
    { measure: 'keystroke echo through the bridge', value: `p50 ${ms(percentile(bridged, 50))}, p99 ${ms(percentile(bridged, 99))}`, note: `${bridged.length} keystrokes` },
    {
      measure: 'added by the bridge (p99)',
      value: ms(added),
      target: '≤ 2 ms',
      met: added <= 2,
      note: `p50 ${ms(percentile(bridged, 50) - percentile(direct, 50))}`,
    },
  ];
}

// ---------------------------------------------------------------- concurrency

async function concurrency(server: BridgeServer, asAlice: KubeConfig, options: TerminalBenchOptions): Promise<Figure[]> {
  global.gc?.();
  const before = process.memoryUsage();
  let peakRss = before.rss;
  let peakHeap = before.heapUsed;
  const sampler = setInterval(() => {
    const now = process.memoryUsage();
    peakRss = Math.max(peakRss, now.rss);
    peakHeap = Math.max(peakHeap, now.heapUsed);
  }, 100);
  const endings = new Map<string, number>();
  const groups = Array.from({ length: options.sessions }, (_, i) => i % options.fleetPods);
  const prepared = groups.map((group) =>
    server.prepare(
      settings(asAlice, {
        action: 'attach',
        pod: `bench-fleet-${group}`,
        tty: true,
        stdin: true,
        onEnd: (result) => endings.set(result.reason, (endings.get(result.reason) ?? 0) + 1),
      }),
    ),
  );
  const start = performance.now();
  const result = (await browsers({ task: 'fleet', urls: prepared.map((p) => p.url), groups, timeoutMs: 120_000 })) as {
    sessions: number;
    attached: number;
    marked: number;
    errors: string[];
  };
  const elapsed = performance.now() - start;
  const hubs = await Promise.all(prepared.map((p) => p.hub));
  await Promise.all(hubs.map((hub) => hub.ended));
  clearInterval(sampler);
  const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
  const unexpected = [...endings].filter(([reason]) => reason !== 'detached');
  const errors = result.errors.length + (result.sessions - result.attached) + unexpected.reduce((sum, [, n]) => sum + n, 0);
  for (const error of result.errors.slice(0, 5)) options.log(`  error: ${error}`);
  return [
    {
      measure: `${options.sessions} concurrent bridged sessions, one process`,
      value: `RSS ${mib(before.rss)} → peak ${mib(peakRss)}`,
      note: `heap ${mib(before.heapUsed)} → peak ${mib(peakHeap)} (${((peakHeap - before.heapUsed) / options.sessions / 1024).toFixed(0)} KiB per session); attached ${result.attached}, output seen by ${result.marked}; ${(elapsed / 1000).toFixed(1)} s for all`,
    },
    {
      measure: 'errors among them',
      value: String(errors),
      note: unexpected.length ? `ends other than detached (grace 0, browser closed): ${unexpected.map(([r, n]) => `${r} ×${n}`).join(', ')}` : 'every session ended by its browser closing',
    },
  ];
}
