// The dev cluster's own life: it starts from the README's command line, refuses bad flags clearly, and leaves nothing behind.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { descendants } from '../../../scripts/lib/processes';
import { PROJECT_ROOT } from '../../../scripts/lib/services';
import { kubectl, startDevCluster } from './harness';

/** Running, as opposed to gone or a zombie waiting for PID 1 (not the cluster) to reap it. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

describe('dev cluster lifecycle', () => {
  it('stops on SIGTERM with exit code 0 and leaves none of its container processes behind', async () => {
    const cluster = await startDevCluster('demo');
    // An interactive shell in an ephemeral container, plus every demo container.
    const add = await kubectl(cluster, ['debug', '-n', 'pxc', 'cluster1-pxc-0', '--image=busybox', '-c', 'lingering', '--attach=false', '-i', '--', 'sh']);
    expect(add.code).toBe(0);
    await new Promise((r) => setTimeout(r, 1_000));
    const tree = descendants(cluster.process.pid!);
    expect(tree.length).toBeGreaterThan(5);
    expect(await cluster.stop()).toBe(0);
    // Children get SIGKILL as the cluster stops; on a loaded machine the kernel may take a moment to finish them.
    await expect.poll(() => tree.filter(alive), { timeout: 5_000 }).toEqual([]);
  });

  it('refuses unknown flags and scenarios with a usage message', () => {
    const run = (args: string[]) =>
      spawnSync(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'dev/cluster/main.ts'), ...args], { encoding: 'utf8', cwd: PROJECT_ROOT });
    const unknown = run(['--kubeconfig', '/tmp/x', '--scenario', 'nope']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('unknown scenario "nope"; known: demo, none');
    const noKubeconfig = run([]);
    expect(noKubeconfig.status).toBe(2);
    expect(noKubeconfig.stderr).toContain('--kubeconfig FILE is required');
    const badListen = run(['--listen', 'nowhere', '--kubeconfig', '/tmp/x']);
    expect(badListen.stderr).toContain('--listen must be HOST:PORT');
  }, 120_000); // three cold starts of tsx: slow on a loaded two-core machine
});
