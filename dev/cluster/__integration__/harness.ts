import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, startProcess } from '../../../scripts/lib/processes';
import { PROJECT_ROOT } from '../../../scripts/lib/services';

export interface RunningDevCluster {
  url: string;
  kubeconfig: string;
  dir: string;
  process: ChildProcess;
  /** Output the dev cluster printed, for failure messages. */
  output(): string;
  /** SIGTERM only, so a test sees whether the dev cluster cleans up after itself; resolves with its exit code. */
  stop(): Promise<number | null>;
}

/** Starts `dev/cluster/main.ts` as the README does, on a free port, and waits for its ready line. */
export async function startDevCluster(scenario: 'demo' | 'none' = 'demo', extraArgs: string[] = []): Promise<RunningDevCluster> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ephemera-it-'));
  const kubeconfig = path.join(dir, 'kubeconfig');
  let output = '';
  const started = await startProcess(
    process.execPath,
    [
      '--import', 'tsx', path.join(PROJECT_ROOT, 'dev/cluster/main.ts'),
      '--listen', `127.0.0.1:${await freePort()}`, '--kubeconfig', kubeconfig, '--scenario', scenario,
      '--state-dir', path.join(dir, 'state'),
      // Tests need crash loops and image pulls in milliseconds, not a kubelet's 10 s.
      '--backoff-base-ms', '400', '--pull-delay-ms', '50',
      ...extraArgs,
    ],
    {
      name: 'dev cluster',
      ready: /^dev cluster ready on (https:\/\/\S+)/,
      cwd: PROJECT_ROOT,
      onLine: (line) => (output += line + '\n'),
    },
  );
  const child = started.child;
  return {
    url: started.match[1],
    kubeconfig,
    dir,
    process: child,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const { code } = await started.exited;
      rmSync(dir, { recursive: true, force: true });
      return code;
    },
  };
}

export interface KubectlResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real kubectl against the dev cluster. */
export function kubectl(cluster: RunningDevCluster, args: string[], options: { input?: string; timeoutMs?: number; context?: string } = {}): Promise<KubectlResult> {
  return new Promise((resolve) => {
    const child = spawn('kubectl', ['--kubeconfig', cluster.kubeconfig, '--context', options.context ?? 'dev-admin', ...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 20_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    if (options.input !== undefined) child.stdin.end(options.input);
    else child.stdin.end();
  });
}

export function kubectlAvailable(): boolean {
  return spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status === 0;
}
