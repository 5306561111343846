import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');

export interface RunningDevCluster {
  url: string;
  kubeconfig: string;
  dir: string;
  process: ChildProcess;
  /** Output the dev cluster printed, for failure messages. */
  output(): string;
  stop(): Promise<number | null>;
}

/** Starts `dev/cluster/main.ts` as the README does, on a free port, and waits for its ready line. */
export async function startDevCluster(scenario: 'demo' | 'none' = 'demo', extraArgs: string[] = []): Promise<RunningDevCluster> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ephemera-it-'));
  const kubeconfig = path.join(dir, 'kubeconfig');
  const child = spawn(
    TSX,
    ['dev/cluster/main.ts', '--listen', '127.0.0.1:0', '--kubeconfig', kubeconfig, '--scenario', scenario, '--state-dir', path.join(dir, 'state'),
      // Tests need crash loops and image pulls in milliseconds, not a kubelet's 10 s.
      '--backoff-base-ms', '400', '--pull-delay-ms', '50', ...extraArgs],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`dev cluster did not start in 30s:\n${output}`)), 30_000);
    const onData = () => {
      const m = /dev cluster ready on (https:\/\/\S+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`dev cluster exited with ${code}:\n${output}`));
    });
  });
  return {
    url,
    kubeconfig,
    dir,
    process: child,
    output: () => output,
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const [code] = (await once(child, 'exit')) as [number | null];
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
