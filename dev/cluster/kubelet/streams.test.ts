import { afterEach, describe, expect, it } from 'vitest';
import { StatusError } from '../status';
import { collect, readAll, setup, STDIO, until } from './test-support';

let env: ReturnType<typeof setup>;
afterEach(async () => {
  await env?.dispose();
});

const TTY = { stdin: true, stdout: true, stderr: false, tty: true };

describe('exec', () => {
  it('runs a shell on a terminal that echoes input, resizes, and passes the exit code', async () => {
    env = setup();
    const pod = env.create('web', { containers: [{ name: 'app', image: 'busybox', command: ['sleep', '3600'] }] });
    await env.waitRunning('web', 'app');
    const stream = env.kubelet.exec(pod, 'app', ['sh'], TTY);
    expect(stream.tty).toBe(true);
    const out = collect(stream);
    stream.resize(100, 30);
    stream.writeStdin(Buffer.from('echo ab$((20+3)); stty size\r'));
    await until(() => out.stdout.includes('ab23') && out.stdout.includes('30 100'), 5000, 'echo and size');
    expect(out.stdout).toContain('echo ab$((20+3))'); // the terminal echoed what was typed
    stream.writeStdin(Buffer.from('exit 5\r'));
    expect(await out.exit).toEqual({ kind: 'exited', exitCode: 5 });
    expect(out.stderr).toBe('');
  });

  it('feeds stdin through a pipe and ends it when the client closes stdin', async () => {
    env = setup();
    const pod = env.create('web', { containers: [{ name: 'app', image: 'alpine', command: ['sleep', '3600'] }] });
    await env.waitRunning('web', 'app');
    const stream = env.kubelet.exec(pod, 'app', ['cat'], { ...STDIO, stdin: true });
    const out = collect(stream);
    stream.writeStdin(Buffer.from('one\n'));
    stream.writeStdin(Buffer.from('two\n'));
    stream.closeStdin();
    expect(await out.exit).toEqual({ kind: 'exited', exitCode: 0 });
    expect(out.stdout).toBe('one\ntwo\n');
  });

  it('fails `sh` in a distroless container with the runtime message, but runs its own binary', async () => {
    env = setup();
    const pod = env.create('api', { containers: [{ name: 'server', image: 'gcr.io/distroless/static:nonroot' }] });
    await env.waitRunning('api', 'server');
    const sh = collect(env.kubelet.exec(pod, 'server', ['sh'], TTY));
    expect(await sh.exit).toEqual({
      kind: 'error',
      message:
        'OCI runtime exec failed: exec failed: unable to start container process: exec: "sh": executable file not found in $PATH: unknown',
    });
    const logs = env.kubelet.logs(env.pod('api')!, { follow: true });
    for await (const chunk of logs) if (chunk.toString().includes('listening on') || chunk.toString().includes('cannot listen')) break;
  });

  it('ends the process when the client goes away', async () => {
    env = setup();
    const pod = env.create('web', { containers: [{ name: 'app', image: 'busybox', command: ['sleep', '3600'] }] });
    await env.waitRunning('web', 'app');
    const stream = env.kubelet.exec(pod, 'app', ['sleep', '3600'], STDIO);
    const out = collect(stream);
    stream.detach();
    expect((await out.exit).kind).toBe('exited');
  });

  it('uses the default-container annotation, else the first container; refuses unknown ones', async () => {
    env = setup();
    const pod = env.create(
      'two',
      {
        containers: [
          { name: 'first', image: 'busybox', command: ['sleep', '3600'], env: [{ name: 'WHO', value: 'first' }] },
          { name: 'second', image: 'busybox', command: ['sleep', '3600'], env: [{ name: 'WHO', value: 'second' }] },
        ],
      },
      { annotations: { 'kubectl.kubernetes.io/default-container': 'second' } },
    );
    await env.waitRunning('two', 'first');
    await env.waitRunning('two', 'second');
    const out = collect(env.kubelet.exec(pod, '', ['sh', '-c', 'echo $WHO'], STDIO));
    await out.exit;
    expect(out.stdout).toBe('second\n');
    const plain = { ...pod, metadata: { ...pod.metadata, annotations: {} } };
    const first = collect(env.kubelet.exec(plain, '', ['sh', '-c', 'echo $WHO'], STDIO));
    await first.exit;
    expect(first.stdout).toBe('first\n');
    expect(() => env.kubelet.exec(pod, 'third', ['ls'], STDIO)).toThrow('container third is not valid for pod two');
  });

  it('runs as the image user (debug image: 65532) when the simulator runs as root', async () => {
    env = setup();
    const pod = env.create('dbg', { containers: [{ name: 'tools', image: 'ghcr.io/ephemera/debug-tools:1.0', command: ['sleep', '3600'] }] });
    await env.waitRunning('dbg', 'tools');
    const out = collect(env.kubelet.exec(pod, 'tools', ['id', '-u'], STDIO));
    await out.exit;
    const expected = process.getuid?.() === 0 ? '65532' : String(process.getuid?.());
    expect(out.stdout.trim()).toBe(expected);
  });
});

describe('attach and ephemeral containers', () => {
  it('starts an ephemeral container in a running pod; attach -it sees the prompt; detaching ends the shell (stdinOnce)', async () => {
    env = setup();
    env.create('db', { containers: [{ name: 'app', image: 'busybox', command: ['sleep', '3600'] }] });
    await env.waitRunning('db', 'app');
    const pod = env.addEphemeral('db', {
      name: 'debugger-x1',
      image: 'busybox',
      stdin: true,
      stdinOnce: true,
      tty: true,
      targetContainerName: 'app',
    });
    const started = await env.waitRunning('db', 'debugger-x1');
    expect(started.status!.ephemeralContainerStatuses![0]).toMatchObject({
      name: 'debugger-x1',
      ready: false,
      image: 'docker.io/library/busybox:latest',
    });
    // The shell prints its prompt before anyone attaches: the first attacher still sees it.
    await new Promise((r) => setTimeout(r, 200));
    const stream = env.kubelet.attach(pod, 'debugger-x1', TTY);
    const out = collect(stream);
    await until(() => /[#$] $/.test(out.stdout), 3000, 'prompt');

    // A second client sees the same output (fan-out), but not what came before.
    const watcher = env.kubelet.attach(pod, 'debugger-x1', { ...TTY, stdin: false });
    const seen = collect(watcher);
    stream.writeStdin(Buffer.from('echo hello-$((6*7))\r'));
    await until(() => out.stdout.includes('hello-42') && seen.stdout.includes('hello-42'), 3000, 'fan-out');
    expect(seen.stdout).not.toMatch(/^[#$] /);

    stream.detach();
    const term = await env.store.until(() => env.statusOf('db', 'debugger-x1')?.state.terminated);
    expect(term.exitCode).toBe(129); // hung up, as when containerd closes the console
    // Attach ends with Success whatever the exit code, as the kubelet's streaming server answers.
    expect(await seen.exit).toEqual({ kind: 'exited', exitCode: 0 });
    // Ephemeral containers never restart, and the pod keeps running.
    await new Promise((r) => setTimeout(r, 300));
    expect(env.statusOf('db', 'debugger-x1')?.restartCount).toBe(0);
    expect(env.statusOf('db', 'debugger-x1')?.state.terminated).toBeDefined();
    expect(env.pod('db')!.status!.phase).toBe('Running');
    // Its log holds the session.
    expect(await readAll(env.kubelet.logs(env.pod('db')!, { container: 'debugger-x1' }))).toContain('hello-42');
    // It can no longer be attached to.
    expect(() => env.kubelet.attach(env.pod('db')!, 'debugger-x1', TTY)).toThrow(StatusError);
  });

  it('attaches to a container without stdin for its output only', async () => {
    env = setup();
    const pod = env.create('ticker', {
      containers: [{ name: 'app', image: 'busybox', command: ['sh', '-c', 'i=0; while true; do i=$((i+1)); echo tick $i; sleep 0.05; done'] }],
    });
    await env.waitRunning('ticker', 'app');
    await new Promise((r) => setTimeout(r, 200));
    const stream = env.kubelet.attach(pod, 'app', { ...STDIO, stdin: true });
    expect(stream.tty).toBe(false);
    const out = collect(stream);
    stream.writeStdin(Buffer.from('ignored\n'));
    await until(() => (out.stdout.match(/tick/g) ?? []).length >= 2, 3000, 'ticks');
    expect(out.stdout).not.toMatch(/^tick 1\n/); // output from now on, not from the start
    stream.detach();
    expect(env.statusOf('ticker', 'app')?.state.running).toBeDefined();
  });

  it('writes stdin of a non-TTY container and closes it with stdinOnce', async () => {
    env = setup();
    const pod = env.create('reader', {
      restartPolicy: 'Never',
      containers: [{ name: 'app', image: 'busybox', command: ['sh', '-c', 'while read l; do echo "got $l"; done; echo bye'], stdin: true, stdinOnce: true }],
    });
    await env.waitRunning('reader', 'app');
    const stream = env.kubelet.attach(pod, 'app', { ...STDIO, stdin: true });
    const out = collect(stream);
    stream.writeStdin(Buffer.from('a\nb\n'));
    await until(() => out.stdout.includes('got b'), 3000, 'echo');
    stream.closeStdin();
    expect(await out.exit).toEqual({ kind: 'exited', exitCode: 0 });
    expect(out.stdout).toBe('got a\ngot b\nbye\n');
    await env.store.until(() => env.pod('reader')!.status!.phase === 'Succeeded');
  });

  it('refuses to attach to a container that is not running', async () => {
    env = setup({ pullDelayMs: 500 });
    const pod = env.create('slow', { containers: [{ name: 'app', image: 'busybox', command: ['sleep', '60'] }] });
    try {
      env.kubelet.attach(pod, 'app', TTY);
      expect.unreachable();
    } catch (e) {
      expect((e as StatusError).status).toMatchObject({ code: 500, message: 'container not found ("app")' });
    }
    const unscheduled = { ...pod, metadata: { ...pod.metadata, uid: 'other' }, spec: { ...pod.spec, nodeName: undefined } };
    expect(() => env.kubelet.attach(unscheduled, 'app', TTY)).toThrow('pod slow does not have a host assigned');
  });
});
