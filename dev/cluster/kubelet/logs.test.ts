import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { setup, readAll } from './test-support';

let env: ReturnType<typeof setup>;
afterEach(async () => {
  await env?.dispose();
});

const TS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z /;

describe('logs', () => {
  it('follows the current instance until it ends', async () => {
    env = setup();
    env.create('job', {
      restartPolicy: 'Never',
      containers: [{ name: 'app', image: 'busybox', command: ['sh', '-c', 'echo one; echo two >&2; sleep 0.3; echo three'] }],
    });
    await env.waitRunning('job', 'app');
    const followed = await readAll(env.kubelet.logs(env.pod('job')!, { follow: true }));
    expect(followed).toBe('one\ntwo\nthree\n');
    await env.store.until(() => env.statusOf('job', 'app')?.state.terminated);
  });

  it('serves tailLines, timestamps, limitBytes and sinceSeconds', async () => {
    env = setup();
    env.create('chatty', {
      restartPolicy: 'Never',
      containers: [{ name: 'app', image: 'busybox', command: ['sh', '-c', 'for i in 1 2 3 4 5; do echo line $i; done'] }],
    });
    await env.store.until(() => env.statusOf('chatty', 'app')?.state.terminated);
    const pod = env.pod('chatty')!;
    expect(await readAll(env.kubelet.logs(pod, {}))).toBe('line 1\nline 2\nline 3\nline 4\nline 5\n');
    expect(await readAll(env.kubelet.logs(pod, { tailLines: 2 }))).toBe('line 4\nline 5\n');
    expect(await readAll(env.kubelet.logs(pod, { tailLines: 0 }))).toBe('');
    const stamped = (await readAll(env.kubelet.logs(pod, { timestamps: true, tailLines: 1 }))).split('\n');
    expect(stamped[0]).toMatch(TS);
    expect(stamped[0].replace(TS, '')).toBe('line 5');
    expect(await readAll(env.kubelet.logs(pod, { limitBytes: 10 }))).toBe('line 1\nlin');
    expect(await readAll(env.kubelet.logs(pod, { sinceSeconds: 60 }))).toContain('line 5');
    await new Promise((r) => setTimeout(r, 1100));
    expect(await readAll(env.kubelet.logs(pod, { sinceSeconds: 1 }))).toBe('');
  });

  it('writes CRI-format log files per container instance', async () => {
    env = setup();
    env.create('tty', {
      restartPolicy: 'Never',
      containers: [{ name: 'app', image: 'busybox', tty: true, command: ['sh', '-c', 'printf "a\\nb"'] }],
    });
    await env.store.until(() => env.statusOf('tty', 'app')?.state.terminated);
    const pod = env.pod('tty')!;
    const file = `${env.stateDir}/pods/default_tty_${pod.metadata.uid}/app/0.log`;
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\S+Z stdout F a$/);
    expect(lines[1]).toMatch(/^\S+Z stdout F b$/);
    expect(await readAll(env.kubelet.logs(pod, {}))).toBe('a\nb\n');
  });

  it('answers with the apiserver and kubelet refusals', async () => {
    env = setup();
    env.create('multi', {
      initContainers: [{ name: 'setup', image: 'busybox', command: ['true'] }],
      containers: [
        { name: 'a', image: 'busybox', command: ['sleep', '60'] },
        { name: 'b', image: 'busybox', command: ['sleep', '60'] },
      ],
      ephemeralContainers: [],
    });
    await env.waitRunning('multi', 'a');
    const pod = env.pod('multi')!;
    expect(() => env.kubelet.logs(pod, {})).toThrow(
      'a container name must be specified for pod multi, choose one of: [setup a b]',
    );
    expect(() => env.kubelet.logs(pod, { container: 'c' })).toThrow('container c is not valid for pod multi');
    expect(() => env.kubelet.logs(pod, { container: 'a', previous: true })).toThrow(
      'previous terminated container "a" in pod "multi" not found',
    );
    try {
      env.kubelet.logs(pod, { container: 'a', previous: true });
    } catch (e) {
      expect((e as { status: { code: number; reason: string } }).status).toMatchObject({ code: 400, reason: 'BadRequest' });
    }
  });

  it('serves an ephemeral container by name', async () => {
    env = setup();
    env.create('host', { containers: [{ name: 'app', image: 'busybox', command: ['sleep', '60'] }] });
    await env.waitRunning('host', 'app');
    env.addEphemeral('host', { name: 'probe', image: 'nicolaka/netshoot', command: ['sh', '-c', 'echo probed'] });
    await env.store.until(() => env.statusOf('host', 'probe')?.state.terminated);
    expect(await readAll(env.kubelet.logs(env.pod('host')!, { container: 'probe' }))).toBe('probed\n');
    expect(env.statusOf('host', 'probe')?.state.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
  });
});
