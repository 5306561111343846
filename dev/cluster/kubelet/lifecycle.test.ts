import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { StatusError } from '../status';
import { collect, readAll, setup, STDIO, until } from './test-support';

let env: ReturnType<typeof setup>;
afterEach(async () => {
  await env?.dispose();
});

/** Command lines of live (non-zombie) processes that contain `marker`. */
function processesWith(marker: string): string[] {
  return execFileSync('ps', ['-eo', 'stat=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.includes(marker) && !l.startsWith('Z'))
    .map((l) => l.replace(/^\S+\s+/, ''));
}
const sleeps = (marker: string) => processesWith(marker).filter((args) => args.startsWith('sleep '));

describe('a busybox pod', () => {
  it('reaches Running with the status a kubelet reports, and exec runs in it', async () => {
    env = setup();
    const created = env.create('web', { containers: [{ name: 'app', image: 'busybox', command: ['sleep', '3600'] }] });
    expect(env.pod('web')?.status).toBeUndefined();

    const pod = await env.waitRunning('web', 'app');
    const status = pod.status!;
    expect(status.phase).toBe('Running');
    expect(status.podIP).toMatch(/^10\.244\.0\.\d+$/);
    expect(status.podIPs).toEqual([{ ip: status.podIP }]);
    expect(status.hostIP).toBe('172.18.0.2');
    expect(status.qosClass).toBe('BestEffort');
    expect(status.startTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const cs = status.containerStatuses![0];
    expect(cs).toMatchObject({
      name: 'app',
      ready: true,
      started: true,
      restartCount: 0,
      image: 'docker.io/library/busybox:latest',
      lastState: {},
    });
    expect(cs.imageID).toMatch(/^docker\.io\/library\/busybox@sha256:[0-9a-f]{64}$/);
    expect(cs.containerID).toMatch(/^containerd:\/\/[0-9a-f]{64}$/);
    const conditions = Object.fromEntries(
      (status.conditions as Array<{ type: string; status: string; lastTransitionTime: string }>).map((c) => [c.type, c]),
    );
    expect(Object.keys(conditions)).toEqual(['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled']);
    for (const c of Object.values(conditions)) {
      expect(c.status).toBe('True');
      expect(c.lastTransitionTime).toMatch(/Z$/);
    }

    // The way there: Pending with ContainerCreating first.
    const history = env.store.history.get('web')!;
    expect(history[0].phase).toBe('Pending');
    expect(history[0].containerStatuses![0].state).toEqual({ waiting: { reason: 'ContainerCreating' } });
    expect(history[0].podIP).toBeUndefined();

    expect(env.store.events.map((e) => [e.reason, e.message, e.fieldPath])).toEqual([
      ['Pulling', 'Pulling image "busybox"', 'spec.containers{app}'],
      ['Pulled', expect.stringMatching(/^Successfully pulled image "busybox" in \d+ms \(\d+ms including waiting\)\. Image size: 4269694 bytes\.$/), 'spec.containers{app}'],
      ['Created', 'Created container: app', 'spec.containers{app}'],
      ['Started', 'Started container app', 'spec.containers{app}'],
    ]);

    const out = collect(env.kubelet.exec(created, 'app', ['sh', '-c', 'echo hi; echo oops >&2; echo $HOSTNAME; exit 3'], STDIO));
    expect(await out.exit).toEqual({ kind: 'exited', exitCode: 3 });
    expect(out.stdout).toBe('hi\nweb\n');
    expect(out.stderr).toBe('oops\n');
  });

  it('gives each pod its own IP', async () => {
    env = setup();
    env.create('a', { containers: [{ name: 'c', image: 'busybox', command: ['sleep', '60'] }] });
    env.create('b', { containers: [{ name: 'c', image: 'busybox', command: ['sleep', '60'] }] });
    const a = await env.waitRunning('a', 'c');
    const b = await env.waitRunning('b', 'c');
    expect(a.status!.podIP).not.toBe(b.status!.podIP);
  });
});

describe('failures to start', () => {
  it('reports ErrImagePull, then ImagePullBackOff, for an unknown image', async () => {
    env = setup({ backoffBaseMs: 300 });
    env.create('ghost', { containers: [{ name: 'app', image: 'nosuchimage:1.0' }] });
    const pulled = await env.store.until(() => {
      const w = env.statusOf('ghost', 'app')?.state.waiting;
      return w?.reason === 'ErrImagePull' && w;
    });
    expect(pulled.message).toBe(
      'rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nosuchimage:1.0": ' +
        'failed to resolve reference "docker.io/library/nosuchimage:1.0": docker.io/library/nosuchimage:1.0: not found',
    );
    const backoff = await env.store.until(() => {
      const w = env.statusOf('ghost', 'app')?.state.waiting;
      return w?.reason === 'ImagePullBackOff' && w;
    });
    expect(backoff.message).toBe(`Back-off pulling image "nosuchimage:1.0": ErrImagePull: ${pulled.message}`);
    expect(env.pod('ghost')!.status!.phase).toBe('Pending');
    const reasons = env.store.events.map((e) => `${e.type} ${e.reason}: ${e.message}`);
    expect(reasons.slice(0, 5)).toEqual([
      'Normal Pulling: Pulling image "nosuchimage:1.0"',
      `Warning Failed: Failed to pull image "nosuchimage:1.0": ${pulled.message}`,
      'Warning Failed: Error: ErrImagePull',
      'Normal BackOff: Back-off pulling image "nosuchimage:1.0"',
      'Warning Failed: Error: ImagePullBackOff',
    ]);
    // After the back-off it pulls again.
    await env.store.until(() => env.store.events.filter((e) => e.reason === 'Pulling').length >= 2);
    expect(() => env.kubelet.logs(env.pod('ghost')!, {})).toThrow(
      'container "app" in pod "ghost" is waiting to start: ',
    );
  });

  it('reports InvalidImageName for a reference that does not parse', async () => {
    env = setup();
    env.create('typo', { containers: [{ name: 'app', image: 'BusyBox' }] });
    const waiting = await env.store.until(() => {
      const w = env.statusOf('typo', 'app')?.state.waiting;
      return w?.reason === 'InvalidImageName' && w;
    });
    expect(waiting.message).toBe(
      'Failed to apply default image tag "BusyBox": couldn\'t parse image name "BusyBox": invalid reference format: repository name (library/BusyBox) must be lowercase',
    );
    expect(env.store.events.map((e) => `${e.reason}: ${e.message}`)).toEqual([
      `InspectFailed: ${waiting.message}`,
      'Failed: Error: InvalidImageName',
    ]);
  });

  it('refuses a root image under runAsNonRoot with CreateContainerConfigError', async () => {
    env = setup();
    const pod = env.create('strict', {
      securityContext: { runAsNonRoot: true },
      containers: [{ name: 'app', image: 'busybox', command: ['sleep', '60'] }],
    });
    const waiting = await env.store.until(() => {
      const w = env.statusOf('strict', 'app')?.state.waiting;
      return w?.reason === 'CreateContainerConfigError' && w;
    });
    const message = `container has runAsNonRoot and image will run as root (pod: "strict_default(${pod.metadata.uid})", container: app)`;
    expect(waiting.message).toBe(message);
    expect(env.store.events.at(-1)).toMatchObject({ type: 'Warning', reason: 'Failed', message: `Error: ${message}` });
    expect(env.pod('strict')!.status!.phase).toBe('Pending');
  });

  it('terminates with StartError when the command is not in the image', async () => {
    env = setup();
    env.create('nosh', {
      restartPolicy: 'Never',
      containers: [{ name: 'app', image: 'gcr.io/distroless/static:nonroot', command: ['sh'] }],
    });
    const term = await env.store.until(() => env.statusOf('nosh', 'app')?.state.terminated);
    expect(term).toMatchObject({
      exitCode: 128,
      reason: 'StartError',
      startedAt: '1970-01-01T00:00:00Z',
      message:
        'failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: ' +
        'unable to start container process: exec: "sh": executable file not found in $PATH: unknown',
    });
    await env.store.until(() => env.pod('nosh')!.status!.phase === 'Failed');
    expect(await readAll(env.kubelet.logs(env.pod('nosh')!, {}))).toBe('');
  });
});

describe('restarts', () => {
  it('crash-loops with growing back-off, CrashLoopBackOff waiting, and previous logs', async () => {
    env = setup({ backoffBaseMs: 200 });
    const pod = env.create('crash', {
      containers: [{ name: 'app', image: 'busybox', command: ['sh', '-c', 'echo "boom at $(date +%s%N)"; exit 1'] }],
    });
    const crashing = await env.store.until(() => {
      const s = env.statusOf('crash', 'app');
      return s && s.restartCount >= 2 && s.state.waiting?.reason === 'CrashLoopBackOff' && s;
    });
    expect(crashing.state.waiting!.message).toMatch(
      new RegExp(`^back-off (200|400)ms restarting failed container=app pod=crash_default\\(${pod.metadata.uid}\\)$`),
    );
    expect(crashing.lastState.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    expect(crashing.ready).toBe(false);
    expect(env.pod('crash')!.status!.phase).toBe('Running');
    const backoffs = env.store.events.filter((e) => e.reason === 'BackOff');
    expect(backoffs[0]).toMatchObject({
      type: 'Warning',
      message: `Back-off restarting failed container app in pod crash_default(${pod.metadata.uid})`,
    });

    const previous = await readAll(env.kubelet.logs(env.pod('crash')!, { previous: true }));
    expect(previous).toMatch(/^boom at \d+\n$/);
    // While backing off, the "current" log is the last instance's.
    const current = await readAll(env.kubelet.logs(env.pod('crash')!, {}));
    expect(current).toMatch(/^boom at \d+\n$/);

    // The delay doubles: the message shows 400ms once the second back-off is reached.
    await env.store.until(() => /back-off 400ms/.test(env.statusOf('crash', 'app')?.state.waiting?.message ?? ''), 10_000);
  });

  it('restarts the crashing shop app image (exits 1 after about a second)', async () => {
    env = setup({ backoffBaseMs: 100 });
    env.create('shop', { containers: [{ name: 'checkout', image: 'ghcr.io/ephemera/shop-checkout:1.8.0' }] });
    await env.waitRunning('shop', 'checkout');
    const restarted = await env.store.until(() => {
      const s = env.statusOf('shop', 'checkout');
      return s && s.restartCount >= 1 && s;
    });
    expect(restarted.lastState.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    const logs = await readAll(env.kubelet.logs(env.pod('shop')!, { previous: true }));
    expect(logs).toContain('starting checkout service');
    expect(logs).toContain('panic: database unavailable');
  });

  it('runs init containers first, regular containers wait in PodInitializing', async () => {
    env = setup();
    env.create('init', {
      initContainers: [{ name: 'migrate', image: 'busybox', command: ['sh', '-c', 'sleep 0.3; echo migrated'] }],
      containers: [{ name: 'app', image: 'busybox', command: ['sleep', '60'] }],
    });
    const during = await env.store.until(() => env.statusOf('init', 'migrate')?.state.running && env.pod('init')!.status!);
    expect(during.containerStatuses![0].state).toEqual({ waiting: { reason: 'PodInitializing' } });
    expect((during.conditions as Array<Record<string, string>>).find((c) => c.type === 'Initialized')).toMatchObject({
      status: 'False',
      reason: 'ContainersNotInitialized',
      message: 'containers with incomplete status: [migrate]',
    });
    const running = await env.waitRunning('init', 'app');
    expect(running.status!.initContainerStatuses![0]).toMatchObject({
      ready: true,
      state: { terminated: { exitCode: 0, reason: 'Completed' } },
    });
    expect(await readAll(env.kubelet.logs(running, { container: 'migrate' }))).toBe('migrated\n');
  });

  it('ends a restartPolicy Never pod as Succeeded, and refuses to attach to it', async () => {
    env = setup();
    env.create('job', { restartPolicy: 'Never', containers: [{ name: 'task', image: 'busybox', command: ['true'] }] });
    const done = await env.store.until(() => env.pod('job')!.status?.phase === 'Succeeded' && env.pod('job')!);
    expect(done.status!.containerStatuses![0].state.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    const ready = (done.status!.conditions as Array<Record<string, string>>).find((c) => c.type === 'Ready');
    expect(ready).toMatchObject({ status: 'False', reason: 'PodCompleted' });
    expect(() => env.kubelet.attach(done, 'task', STDIO)).toThrow(
      'cannot attach a container in a completed pod; current phase is Succeeded',
    );
    try {
      env.kubelet.exec(done, 'task', ['ls'], STDIO);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(StatusError);
      expect((e as StatusError).status).toMatchObject({ code: 500, message: 'container not found ("task")' });
    }
  });
});

describe('deletion', () => {
  it('stops every process of the pod (exec sessions too), then finalizes', async () => {
    env = setup();
    const marker = `98${process.pid}7`;
    const pod = env.create('doomed', {
      terminationGracePeriodSeconds: 30,
      containers: [
        { name: 'app', image: 'busybox', command: ['sh', '-c', `sleep ${marker}1 & sleep ${marker}2 & wait`] },
        { name: 'db', image: 'percona/percona-xtradb-cluster:8.0.39' },
      ],
    });
    await env.waitRunning('doomed', 'app');
    await env.waitRunning('doomed', 'db');
    const exec = collect(env.kubelet.exec(pod, 'app', ['sh', '-c', `sleep ${marker}3`], STDIO));
    await until(() => sleeps(marker).length === 3);
    // mysqld is up (and handling signals) once it says so.
    const db = env.kubelet.logs(env.pod('doomed')!, { container: 'db', follow: true });
    for await (const chunk of db) if (chunk.toString().includes('ready for connections')) break;

    env.remove('doomed');
    await env.store.until(() => env.store.finalized.includes('default/doomed'), 5000);
    expect(env.pod('doomed')).toBeUndefined();
    expect(processesWith(marker)).toEqual([]);
    expect((await exec.exit).kind).toBe('exited');
    const killing = env.store.events.filter((e) => e.reason === 'Killing').map((e) => e.message);
    expect(killing.sort()).toEqual(['Stopping container app', 'Stopping container db']);
    const last = env.store.history.get('doomed')!.at(-1)!;
    expect(last.containerStatuses!.every((c) => c.state.terminated)).toBe(true);
    // mysqld shuts down cleanly on SIGTERM (exit 0). sh has no handler for it: as PID 1 of its own
    // namespace it ignores it and is killed after the grace period (128 + 9); as a plain process it dies of it (128 + 15).
    const shExit = env.kubelet.isolation.mode === 'namespaces' ? 137 : 143;
    expect(last.containerStatuses!.find((c) => c.name === 'app')!.state.terminated).toMatchObject({ exitCode: shExit, reason: 'Error' });
    expect(last.containerStatuses!.find((c) => c.name === 'db')!.state.terminated).toMatchObject({ exitCode: 0 });
  });

  it('finalizes at once a pod that never ran here', async () => {
    env = setup();
    const pod = env.create('late', { containers: [{ name: 'c', image: 'busybox' }] }, { deletionTimestamp: new Date().toISOString() });
    expect(pod.metadata.deletionTimestamp).toBeDefined();
    await env.store.until(() => env.store.finalized.includes('default/late'));
  });

  it('kills everything on shutdown', async () => {
    env = setup();
    const marker = `97${process.pid}3`;
    env.create('left', { containers: [{ name: 'app', image: 'busybox', command: ['sh', '-c', `sleep ${marker}1 & sleep ${marker}2`] }] });
    await env.waitRunning('left', 'app');
    await until(() => sleeps(marker).length === 2);
    await env.kubelet.shutdown();
    expect(processesWith(marker)).toEqual([]);
  });
});
