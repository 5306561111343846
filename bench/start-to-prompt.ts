// Time from Start to a shell's prompt (issue 6, "Benchmarks"): Ephemera's own
// path — startSession (lib/sessions/start.ts) as alice under the demo policy,
// then the terminal WebSocket route (server/terminal.ts) through the real
// upgrade router, the in-memory store and the live registry — until the first
// prompt byte reaches the socket; against `kubectl debug -it` on the same dev
// cluster, as alice, driven through a pseudo-terminal (node-pty), until its
// first prompt. Both add the same ephemeral container: the demo's default
// image, the restricted profile, targeting the same container, running `sh`.

import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { KubeConfig } from '@kubernetes/client-node';
import * as pty from 'node-pty';
import type { RunningDevCluster } from '@/dev/cluster/__integration__/harness';
import type { EphemeraUser } from '@/lib/auth/types';
import { parseConfigFile } from '@/lib/config/file';
import { createAccessChecker } from '@/lib/k8s/access';
import { CLUSTER } from '@/lib/k8s/__integration__/support';
import { userClient } from '@/lib/k8s/user-client';
import { TerminalClient } from '@/lib/sessions/__integration__/support';
import { endSession, liveSession } from '@/lib/sessions/live';
import { TERMINAL_WS_PATH } from '@/lib/sessions/protocol';
import { startSession, type SessionDeps } from '@/lib/sessions/start';
import { IN_MEMORY, openStore } from '@/lib/store';
import { terminalRoute, type TerminalDeps } from '@/server/terminal';
import { createUpgradeRouter, refuse } from '@/server/upgrade';
import { median, ms, type Figure } from './stats';

const alice: EphemeraUser = { name: 'alice', groups: ['oncall'], roles: ['debugger'] };
const TARGET = { namespace: 'pxc', pod: 'cluster1-pxc-0', container: 'pxc' };
/** A shell's prompt at the end of what arrived: `# ` for root, `$ ` otherwise. */
const PROMPT = /[#$] $/;

export async function benchStartToPrompt(cluster: RunningDevCluster, dashboard: KubeConfig, runs: number, log: (line: string) => void): Promise<Figure[]> {
  const ephemera = await startEphemeraTerminal(dashboard);
  try {
    const viaKubectl: number[] = [];
    const viaEphemera: number[] = [];
    // Unmeasured: the image pull and the JIT, once each way.
    await kubectlDebugToPrompt(cluster, ephemera.image);
    await ephemera.toPrompt();
    for (let run = 0; run < runs; run++) {
      // Alternating which goes first, so neither side always has the quieter machine.
      if (run % 2 === 0) viaKubectl.push(await kubectlDebugToPrompt(cluster, ephemera.image));
      viaEphemera.push(await ephemera.toPrompt());
      if (run % 2 === 1) viaKubectl.push(await kubectlDebugToPrompt(cluster, ephemera.image));
      log(`  run ${run + 1}: kubectl debug ${ms(viaKubectl.at(-1)!)}, Ephemera ${ms(viaEphemera.at(-1)!)}`);
    }
    const ratio = median(viaEphemera) / median(viaKubectl);
    return [
      { measure: 'Start to prompt, kubectl debug -it', value: ms(median(viaKubectl)), note: `median of ${runs}: ${viaKubectl.map(ms).join(', ')}` },
      { measure: 'Start to prompt, Ephemera (startSession → terminal socket)', value: ms(median(viaEphemera)), note: `median of ${runs}: ${viaEphemera.map(ms).join(', ')}` },
      { measure: 'Ephemera / kubectl debug, Start to prompt', value: `${ratio.toFixed(2)}×`, target: '≤ 1.0×', met: ratio <= 1, note: `${ephemera.image}, restricted, --target ${TARGET.container}` },
    ];
  } finally {
    await ephemera.stop();
  }
}

/** The store, the live registry and the terminal route, in this process, acting as alice by impersonation. */
async function startEphemeraTerminal(dashboard: KubeConfig) {
  const policy = parseConfigFile(fs.readFileSync(path.join(import.meta.dirname, '..', 'dev/demo/ephemera.yaml'), 'utf8'), 'dev/demo/ephemera.yaml').policy;
  const store = await openStore({ dataDir: IN_MEMORY });
  const clientFor = (_cluster: string, user: EphemeraUser) => userClient(CLUSTER, dashboard, user, 'impersonate');
  const sessionDeps: SessionDeps = {
    policy,
    clientFor,
    random: Math.random,
    store: store.sessions,
    recordings: store.recordings,
    serverId: 'bench:0',
    access: createAccessChecker({ clientFor }),
    cleanupClientFor: clientFor,
    startTimeoutMs: 60_000,
    log: () => {},
  };
  const terminalDeps: TerminalDeps = {
    sessions: store.sessions,
    recordings: store.recordings,
    liveSession,
    endSession: (id, reason, message, exitCode) => endSession(id, reason, message, exitCode, { store: store.sessions }),
    kubeConfigFor: (_cluster, user) => clientFor(CLUSTER, user).kubeConfig,
  };
  const router = createUpgradeRouter(
    { [TERMINAL_WS_PATH]: terminalRoute(async () => terminalDeps) },
    (_request, socket) => refuse(socket, 404, 'no'),
    async () => ({ ok: true, user: alice }),
  );
  const server = http.createServer();
  server.on('upgrade', router.handleUpgrade);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `ws://127.0.0.1:${(server.address() as AddressInfo).port}${TERMINAL_WS_PATH}`;

  return {
    image: policy.images.default,
    /** Start pressed → the first prompt on the terminal socket, in ms; then the session is ended. */
    async toPrompt(): Promise<number> {
      const start = performance.now();
      const result = await startSession(alice, CLUSTER, { kind: 'ephemeral', namespace: TARGET.namespace, pod: TARGET.pod, target: TARGET.container, command: ['sh'] }, 'interactive', sessionDeps);
      if (!result.ok) throw new Error(`Ephemera refused the session (${result.status}): ${result.message}`);
      const client = new TerminalClient(`${base}?session=${result.session.id}&cols=80&rows=24`);
      await client.until(() => PROMPT.test(client.text()), 60_000, 'a prompt');
      const elapsed = performance.now() - start;
      client.control({ type: 'end' });
      await client.closed;
      return elapsed;
    },
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await store.close();
    },
  };
}

/** `kubectl debug -it` as alice, in a pseudo-terminal: ms to its first prompt; then `exit`. */
function kubectlDebugToPrompt(cluster: RunningDevCluster, image: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const args = ['--kubeconfig', cluster.kubeconfig, '--context', CLUSTER, '--as', alice.name, '--as-group', alice.groups[0],
      'debug', '-it', '-n', TARGET.namespace, TARGET.pod, `--image=${image}`, `--target=${TARGET.container}`, '--profile=restricted', '--', 'sh'];
    const start = performance.now();
    const child = pty.spawn('kubectl', args, { name: 'xterm', cols: 80, rows: 24, env: process.env as Record<string, string> });
    let output = '';
    let elapsed: number | undefined;
    const timer = setTimeout(() => child.kill(), 60_000);
    child.onData((data) => {
      output += data;
      if (elapsed === undefined && PROMPT.test(output)) {
        elapsed = performance.now() - start;
        child.write('exit\r');
      }
    });
    child.onExit(({ exitCode }) => {
      clearTimeout(timer);
      if (elapsed !== undefined) resolve(elapsed);
      else reject(new Error(`kubectl debug exited with ${exitCode} before a prompt: ${output.slice(-500)}`));
    });
  });
}
