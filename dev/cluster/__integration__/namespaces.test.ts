// Pods' namespaces, measured with the real kubectl: the source article's four
// workflows (network shared, process namespace of a target, volumes read-only
// and read-write, the node at /host), pods that do not share loopback, and the
// dev cluster killed with SIGKILL leaving nothing behind once the next one ran.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { isolationSupport } from '../kubelet/isolation';
import { registryDir } from '../kubelet/registry';
import { kubectl, startDevCluster, type RunningDevCluster } from './harness';

const support = isolationSupport();

async function waitFor<T>(check: () => Promise<T | undefined | false>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await check();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Process lines (pid and command) of `ps -eo pid,args` output, header dropped. */
const processes = (out: string) =>
  out
    .split('\n')
    .filter((l) => /^\s*\d+\s/.test(l))
    .map((l) => l.trim().replace(/^(\d+)\s+/, '$1 '));

describe.skipIf(support.mode !== 'namespaces')(`pods with namespaces of their own (${support.reason})`, () => {
  let cluster: RunningDevCluster;

  beforeAll(async () => {
    cluster = await startDevCluster('demo');
    await waitFor(async () => {
      const r = await kubectl(cluster, ['get', 'pods', '-n', 'pxc', '-o', 'jsonpath={.items[*].status.containerStatuses[*].ready}']);
      return r.stdout !== '' && !r.stdout.includes('false');
    }, 'the pxc pods to be ready');
  });

  afterAll(async () => {
    // Already stopped by the last test, unless it failed before.
    await cluster?.stop();
  });

  const debug = (pod: string, args: string[], script: string) =>
    kubectl(cluster, ['debug', '-n', 'pxc', pod, '-i', '--image=busybox', '--profile=general', ...args, '--', 'sh', '-c', `sleep 1; ${script}`], { timeoutMs: 30_000 });

  it('1: sees the pod network but only its own processes: ps shows the shell, netstat shows 3306', async () => {
    const r = await debug('cluster1-pxc-0', ['-c', 'debug-1'], 'ps -eo pid,args; netstat -tln');
    const ps = processes(r.stdout);
    expect(ps).toEqual([expect.stringMatching(/^1 sh -c sleep 1; ps/), expect.stringMatching(/^\d+ ps -eo pid,args$/)]);
    expect(r.stdout).toMatch(/^tcp6?\s.*:3306\s.*LISTEN/m);
  });

  it('2: sees the target container\'s processes with --target=pxc: mysqld is PID 1', async () => {
    const r = await debug('cluster1-pxc-0', ['-c', 'debug-2', '--target=pxc'], 'ps -eo pid,args');
    const ps = processes(r.stdout);
    expect(ps[0]).toMatch(/^1 mysqld /);
    expect(ps.some((l) => /sh -c sleep 1; ps/.test(l))).toBe(true);
    expect(ps).toHaveLength(3);
  });

  it('3: mounts the datadir volume: read-only refuses writes, read-write accepts them', async () => {
    const container = (name: string, readOnly: boolean, script: string) => ({
      name,
      image: 'busybox',
      command: ['sh', '-c', script],
      targetContainerName: 'pxc',
      volumeMounts: [{ name: 'datadir', mountPath: '/db-mount', ...(readOnly ? { readOnly: true } : {}) }],
    });
    const patch = {
      spec: {
        ephemeralContainers: [
          container('debug-3', true, 'ls /db-mount; touch /db-mount/from-debug-3'),
          container('debug-3w', false, 'touch /db-mount/from-debug-3w && echo written'),
        ],
      },
    };
    const r = await kubectl(cluster, ['patch', 'pod', '-n', 'pxc', 'cluster1-pxc-0', '--subresource=ephemeralcontainers', '--type=strategic', '-p', JSON.stringify(patch)]);
    expect(r.stderr).toBe('');
    const exitCodes = await waitFor(async () => {
      const p = await kubectl(cluster, ['get', 'pod', '-n', 'pxc', 'cluster1-pxc-0', '-o', 'json']);
      const statuses: Array<{ name: string; state: { terminated?: { exitCode: number } } }> = JSON.parse(p.stdout).status.ephemeralContainerStatuses ?? [];
      const code = (name: string) => statuses.find((s) => s.name === name)?.state.terminated?.exitCode;
      return code('debug-3') !== undefined && code('debug-3w') !== undefined && [code('debug-3'), code('debug-3w')];
    }, 'both debug containers to finish');
    expect(exitCodes).toEqual([1, 0]);

    const ro = await kubectl(cluster, ['logs', '-n', 'pxc', 'cluster1-pxc-0', '-c', 'debug-3']);
    // The fake mysqld's database files, through the volume.
    expect(ro.stdout.split('\n')).toEqual(expect.arrayContaining(['ibdata1', 'mysql.ibd', 'grastate.dat', 'auto.cnf', 'mysql']));
    expect(ro.stdout).toContain("touch: cannot touch '/db-mount/from-debug-3': Read-only file system");
    const rw = await kubectl(cluster, ['logs', '-n', 'pxc', 'cluster1-pxc-0', '-c', 'debug-3w']);
    expect(rw.stdout).toBe('written\n');
    // The database container sees the write in its own mount of the same volume.
    const ls = await kubectl(cluster, ['exec', '-n', 'pxc', 'cluster1-pxc-0', '-c', 'pxc', '--', 'ls', '/var/lib/mysql']);
    expect(ls.stdout.split('\n')).toContain('from-debug-3w');
    expect(ls.stdout.split('\n')).not.toContain('from-debug-3');
  });

  it('4: a node debug pod sees the node\'s root at /host, its processes and its network', async () => {
    const r = await kubectl(
      cluster,
      ['debug', 'node/node-a', '--profile=general', '-i', '--image=busybox', '--', 'sh', '-c', `sleep 1; ls /host; ls /host${cluster.dir}; ps -eo pid,args`],
      { timeoutMs: 30_000 },
    );
    const lines = r.stdout.split('\n');
    expect(lines).toEqual(expect.arrayContaining(['etc', 'proc', 'usr', 'kubeconfig', 'state']));
    // hostPID: the dev cluster itself is among the processes.
    expect(processes(r.stdout).some((l) => l.startsWith(`${cluster.process.pid} `))).toBe(true);
  });

  it('keeps loopback ports apart: each pod sees only its own listeners', async () => {
    const probe = 'sleep 1; ss -tln; (exec 3<>/dev/tcp/127.0.0.1/3309 && echo 3309-open || echo 3309-refused) 2>/dev/null';
    const run = (pod: string, name: string) =>
      kubectl(cluster, ['debug', '-n', 'pxc', pod, '-i', '--image=ubuntu', '--profile=general', '-c', name, '--', 'bash', '-c', probe], { timeoutMs: 30_000 });
    const [haproxy, pxc] = await Promise.all([run('cluster1-haproxy-0', 'ports-1'), run('cluster1-pxc-0', 'ports-2')]);
    // Both pods are on node-a; both listen on 3306, each in its own network namespace.
    expect(haproxy.stdout).toMatch(/:3306\s/);
    expect(haproxy.stdout).toMatch(/:3309\s/);
    expect(haproxy.stdout).toContain('3309-open');
    expect(pxc.stdout).toMatch(/:3306\s/);
    expect(pxc.stdout).not.toMatch(/:3309\s/);
    expect(pxc.stdout).toContain('3309-refused');
  });

  // Last: it ends the cluster the others used.
  it('leaves no process, mount or network namespace after a SIGKILL, once the next dev cluster has started and stopped', async () => {
    const marker = `4${process.pid}`.slice(0, 7);
    // A node debugger shares the node's PID namespace: its children are not in one the kernel tears down.
    const node = await kubectl(cluster, ['debug', 'node/node-b', '--profile=general', '--image=busybox', '--', 'sh', '-c', `sleep ${marker}1 & sleep ${marker}2`]);
    expect(node.code).toBe(0);
    const ephemeral = await kubectl(cluster, ['debug', '-n', 'pxc', 'cluster1-pxc-1', '--image=busybox', '--target=pxc', '-c', 'bg', '--', 'sh', '-c', `sleep ${marker}3 & sleep ${marker}4`]);
    expect(ephemeral.code).toBe(0);
    const sleeps = () =>
      execFileSync('ps', ['-eo', 'stat=,args='], { encoding: 'utf8' })
        .split('\n')
        .map((l) => l.trim().split(/\s+/))
        .filter(([stat, ...args]) => !stat?.startsWith('Z') && args.join(' ').startsWith(`sleep ${marker}`));
    await waitFor(async () => sleeps().length === 4, 'the marked sleeps');

    const first = cluster;
    const firstPid = first.process.pid!;
    first.process.kill('SIGKILL');
    await first.stop();
    // The next one cleans up as it starts, pods or not ("killed 2 process(es) left by a dev cluster that
    // did not stop cleanly"); a kubelet of another suite running meanwhile may have been first to do it.
    const second = await startDevCluster('none');
    expect(sleeps()).toEqual([]);
    expect(await second.stop()).toBe(0);

    const ours = (text: string) => text.split('\n').filter((l) => l.includes(first.dir) || l.includes(second.dir));
    expect(ours(readFileSync('/proc/mounts', 'utf8'))).toEqual([]);
    expect(ours(execFileSync('ps', ['-eo', 'args='], { encoding: 'utf8' }))).toEqual([]);
    expect(execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })).not.toMatch(/ephemera/);
    const registry = existsSync(registryDir()) ? readdirSync(registryDir()) : [];
    expect(registry.filter((f) => f.startsWith(`${firstPid}-`) || f.startsWith(`${second.process.pid}-`))).toEqual([]);
    expect(existsSync(path.join(first.dir, 'state'))).toBe(false);
  }, 60_000);
});
