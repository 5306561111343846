// The kubelet's pods in namespaces of their own, with real processes: what
// each container sees of processes, network, files and its own privileges.
import { hostname } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import type { ContainerSpec } from '../types';
import { isolationSupport } from './isolation';
import { collect, setup, STDIO } from './test-support';

let env: ReturnType<typeof setup>;
afterEach(async () => {
  await env?.dispose();
});

const sleeper = (name: string, extra: Partial<ContainerSpec> = {}): ContainerSpec => ({ name, image: 'busybox', command: ['sleep', '3600'], ...extra });

/** Run a shell command in a running container; its stdout, with stderr after it. */
async function sh(pod: string, container: string, script: string): Promise<string> {
  const out = collect(env.kubelet.exec(env.pod(pod)!, container, ['sh', '-c', script], STDIO));
  await out.exit;
  return out.stdout + out.stderr;
}

describe.skipIf(isolationSupport().mode !== 'namespaces')('pods in namespaces', () => {
  it('gives each container its own PID namespace, or the pod\'s with shareProcessNamespace (/pause is PID 1)', async () => {
    env = setup();
    env.create('own', { containers: [sleeper('a'), sleeper('b')] });
    env.create('shared', { shareProcessNamespace: true, containers: [sleeper('a'), sleeper('b')] });
    // Containers start side by side: wait for each one exec'd into, not only the last one created.
    await Promise.all(['a', 'b'].flatMap((c) => [env.waitRunning('own', c), env.waitRunning('shared', c)]));
    expect(await sh('own', 'a', 'ps -eo pid=,args=')).toMatch(/^\s*1 sleep 3600\n\s*\d+ sh -c ps -eo pid=,args=\n\s*\d+ ps -eo pid=,args=\n$/);
    const shared = await sh('shared', 'a', 'ps -eo pid=,args=');
    expect(shared).toMatch(/^\s*1 \/pause\n/);
    expect(shared.match(/sleep 3600/g)).toHaveLength(2);
  });

  it('shares the node\'s namespaces with hostPID and hostNetwork', async () => {
    env = setup();
    env.create('host', { hostPID: true, hostNetwork: true, containers: [sleeper('a')] });
    await env.waitRunning('host', 'a');
    const out = await sh('host', 'a', `hostname; ps -o pid= -p ${process.pid}`);
    expect(out.split('\n').map((l) => l.trim())).toEqual([hostname(), String(process.pid), '']);
  });

  it('reaches other pods by IP, never their loopback', async () => {
    env = setup();
    env.create('web', { containers: [{ name: 'nginx', image: 'nginx' }] });
    env.create('client', { containers: [{ name: 'c', image: 'ubuntu', command: ['sleep', '3600'] }] });
    const web = await env.waitRunning('web', 'nginx');
    await env.waitRunning('client', 'c');
    const get = (host: string) => `exec 3<>/dev/tcp/${host}/80 && printf 'GET / HTTP/1.0\\r\\n\\r\\n' >&3 && grep -o -m1 'Welcome to nginx' <&3`;
    // The fake nginx listens a moment after it starts.
    const viaIP = collect(env.kubelet.exec(env.pod('client')!, 'c', ['bash', '-c', `for i in $(seq 50); do (${get(web.status!.podIP as string)}) 2>/dev/null && exit; sleep 0.1; done; exit 1`], STDIO));
    const viaLoopback = collect(env.kubelet.exec(env.pod('client')!, 'c', ['bash', '-c', get('127.0.0.1')], STDIO));
    if (isolationSupport().podNetwork) {
      await viaIP.exit;
      expect(viaIP.stdout).toBe('Welcome to nginx\n');
    }
    expect(await viaLoopback.exit).toEqual({ kind: 'exited', exitCode: 1 });
    expect(viaLoopback.stderr).toContain('Connection refused');
  });

  it('mounts volumes: an emptyDir shared by containers, a subPath, read-only mounts, and a read-only root', async () => {
    env = setup();
    env.create('vols', {
      securityContext: { fsGroup: 2000 },
      volumes: [{ name: 'scratch', emptyDir: {} }],
      containers: [
        sleeper('writer', { volumeMounts: [{ name: 'scratch', mountPath: '/etc/app.d' }], securityContext: { runAsUser: 1000 } }),
        sleeper('reader', {
          volumeMounts: [
            { name: 'scratch', mountPath: '/data', readOnly: true },
            { name: 'scratch', mountPath: '/logs', subPath: 'logs' },
          ],
          securityContext: { readOnlyRootFilesystem: true },
          workingDir: '/srv/app',
        }),
      ],
    });
    await Promise.all([env.waitRunning('vols', 'writer'), env.waitRunning('vols', 'reader')]);
    // runAsUser without runAsGroup: group 0; fsGroup: a supplementary group, and the volume's group.
    expect(await sh('vols', 'writer', 'id -u; id -G; echo hello > /etc/app.d/greeting && stat -c "%u %g %a" /etc/app.d/greeting')).toBe('1000\n0 2000\n1000 2000 644\n');
    expect(await sh('vols', 'reader', 'cat /data/greeting; touch /data/x /y /tmp/y; echo log > /logs/l && echo logged')).toBe(
      "hello\nlogged\ntouch: cannot touch '/data/x': Read-only file system\ntouch: cannot touch '/y': Read-only file system\ntouch: cannot touch '/tmp/y': Read-only file system\n",
    );
    expect(await sh('vols', 'writer', 'cat /etc/app.d/logs/l')).toBe('log\n');
    // A missing working directory is made before the root turns read-only; exec starts there too.
    expect(await sh('vols', 'reader', 'pwd')).toBe('/srv/app\n');
  });

  it('keeps a pod in ContainerCreating with FailedMount for a hostPath that fails its type check', async () => {
    env = setup();
    env.create('nohost', { volumes: [{ name: 'h', hostPath: { path: '/nonexistent/ephemera', type: 'Directory' } }], containers: [sleeper('a')] });
    const event = await env.store.until(() => env.store.events.find((e) => e.reason === 'FailedMount'));
    expect(event).toMatchObject({
      type: 'Warning',
      message: 'MountVolume.SetUp failed for volume "h" : hostPath type check failed: /nonexistent/ephemera is not a directory',
    });
    expect(env.statusOf('nohost', 'a')?.state).toEqual({ waiting: { reason: 'ContainerCreating' } });
  });

  it('refuses an ephemeral container whose target is not running (CreateContainerError), as containerd does', async () => {
    env = setup();
    env.create('done', { restartPolicy: 'Never', containers: [{ name: 'app', image: 'busybox', command: ['sleep', '0.2'] }, sleeper('side')] });
    await env.store.until(() => env.statusOf('done', 'app')?.state.terminated);
    env.addEphemeral('done', { name: 'dbg', image: 'busybox', command: ['ps'], targetContainerName: 'app' });
    const waiting = await env.store.until(() => env.statusOf('done', 'dbg')?.state.waiting?.reason === 'CreateContainerError' && env.statusOf('done', 'dbg')!.state.waiting!);
    expect(waiting.message).toMatch(/^failed to create containerd container: invalid target container: container "[0-9a-f]{64}" is not running/);
  });

  it('reports 137 for a PID 1 that ignores SIGTERM and is killed after the grace period', async () => {
    env = setup();
    env.create('stubborn', { terminationGracePeriodSeconds: 0, containers: [sleeper('a')] });
    await env.waitRunning('stubborn', 'a');
    env.remove('stubborn', 0);
    await env.store.until(() => env.store.finalized.includes('default/stubborn'));
    const last = env.store.history.get('stubborn')!.at(-1)!;
    expect(last.containerStatuses![0].state.terminated).toMatchObject({ exitCode: 137, reason: 'Error' });
  });
});

describe('pods as plain processes (isolation: none)', () => {
  it('runs containers on the node\'s namespaces and root, and says so', async () => {
    env = setup({ isolation: 'none' });
    expect(env.kubelet.isolation.mode).toBe('none');
    env.create('plain', { containers: [sleeper('a')] });
    await env.waitRunning('plain', 'a');
    expect((await sh('plain', 'a', `ps -o pid= -p ${process.pid}`)).trim()).toBe(String(process.pid));
  });
});
