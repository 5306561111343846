import { describe, expect, it } from 'vitest';
import type { Pod } from '../types';
import { containerArgv, containerEnv, expand, verifyRunAsNonRoot } from './container-config';
import { defaultPullPolicy, lookupImage, parseReference, referenceError, resolveCommand } from './images';
import { goDuration } from './messages';
import { computePhase, qosClass } from './pod-status';

const pod = (spec: Partial<Pod['spec']> = {}): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'shop', uid: 'u-1' },
  spec: { containers: [{ name: 'app', image: 'busybox' }], ...spec },
});

describe('image references', () => {
  it.each([
    ['busybox', 'docker.io/library/busybox:latest'],
    ['busybox:1.36', 'docker.io/library/busybox:1.36'],
    ['docker.io/library/busybox', 'docker.io/library/busybox:latest'],
    ['library/busybox:1.36', 'docker.io/library/busybox:1.36'],
    ['nicolaka/netshoot', 'docker.io/nicolaka/netshoot:latest'],
    ['percona/percona-xtradb-cluster:8.0.39', 'docker.io/percona/percona-xtradb-cluster:8.0.39'],
    ['gcr.io/distroless/static:nonroot', 'gcr.io/distroless/static:nonroot'],
    ['localhost:5000/app', 'localhost:5000/app:latest'],
  ])('normalizes %s like containerd', (ref, normalized) => {
    expect(parseReference(ref).normalized).toBe(normalized);
  });

  it('resolves catalogue images with a stable digest and imageID', () => {
    const a = lookupImage('busybox')!;
    expect(a.name).toBe('docker.io/library/busybox:latest');
    expect(a.imageID).toMatch(/^docker\.io\/library\/busybox@sha256:[0-9a-f]{64}$/);
    expect(lookupImage('docker.io/library/busybox:latest')!.imageID).toBe(a.imageID);
    expect(lookupImage(`busybox@${a.digest}`)!.imageID).toBe(a.imageID);
    expect(lookupImage('busybox@sha256:' + '0'.repeat(64))).toBeUndefined();
    expect(lookupImage('no-such-image:1.0')).toBeUndefined();
  });

  it('picks tag variants: distroless static runs as root, :nonroot as 65532', () => {
    expect(lookupImage('gcr.io/distroless/static')!.entry.user.uid).toBe(0);
    expect(lookupImage('gcr.io/distroless/static:nonroot')!.entry.user.uid).toBe(65532);
    expect(lookupImage('ghcr.io/ephemera/debug-tools:1.0')!.entry.user.uid).toBe(65532);
  });

  it('refuses malformed references as docker/reference does', () => {
    expect(referenceError('busybox')).toBeUndefined();
    expect(referenceError('ghcr.io/ephemera/debug-tools:1.0')).toBeUndefined();
    expect(referenceError('Busybox')).toBe('invalid reference format: repository name (library/Busybox) must be lowercase');
    expect(referenceError('busybox:bad tag')).toBe('invalid reference format');
    expect(referenceError('busy//box')).toBe('invalid reference format');
  });

  it('defaults imagePullPolicy from the tag', () => {
    expect(defaultPullPolicy('busybox')).toBe('Always');
    expect(defaultPullPolicy('busybox:latest')).toBe('Always');
    expect(defaultPullPolicy('busybox:1.36')).toBe('IfNotPresent');
  });
});

describe('commands inside images', () => {
  const busybox = lookupImage('busybox')!.entry;
  const distroless = lookupImage('gcr.io/distroless/static')!.entry;

  it('runs host binaries for shell images, but not ones the image lacks', () => {
    expect(resolveCommand(busybox, ['sh', '-c', 'true'])).toMatchObject({ args: ['-c', 'true'] });
    expect(resolveCommand(busybox, ['/bin/sh'])).toMatchObject({ file: '/bin/sh' });
    expect(resolveCommand(busybox, ['bash'])).toEqual({ error: 'exec: "bash": executable file not found in $PATH' });
  });

  it('gives distroless images only their own binary', () => {
    expect(resolveCommand(distroless, ['sh'])).toEqual({ error: 'exec: "sh": executable file not found in $PATH' });
    expect(resolveCommand(distroless, ['/bin/sh'])).toEqual({
      error: 'exec: "/bin/sh": stat /bin/sh: no such file or directory',
    });
    const server = resolveCommand(distroless, ['/server']);
    expect(server).toMatchObject({ file: process.execPath });
  });

  it('combines command/args with entrypoint/cmd as Kubernetes does, expanding $(VAR)', () => {
    const nginx = lookupImage('nginx')!.entry;
    const env = { GREETING: 'hi' };
    expect(containerArgv({ name: 'c' }, nginx, env)).toEqual(['/docker-entrypoint.sh', 'nginx', '-g', 'daemon off;']);
    expect(containerArgv({ name: 'c', args: ['nginx', '-T'] }, nginx, env)).toEqual(['/docker-entrypoint.sh', 'nginx', '-T']);
    expect(containerArgv({ name: 'c', command: ['sh'] }, nginx, env)).toEqual(['sh']);
    expect(containerArgv({ name: 'c', command: ['echo'], args: ['$(GREETING)', '$$(GREETING)', '$(NOPE)'] }, nginx, env)).toEqual([
      'echo',
      'hi',
      '$(GREETING)',
      '$(NOPE)',
    ]);
    expect(expand('a$b$(', {})).toBe('a$b$(');
  });

  it('builds the environment: image env, service links, spec env with fieldRef, HOSTNAME', () => {
    const p = pod({ containers: [] });
    const env = containerEnv(
      p,
      {
        name: 'app',
        tty: true,
        env: [
          { name: 'A', value: 'x' },
          { name: 'B', value: '$(A)-y' },
          { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
          { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
          { name: 'SECRET', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } },
        ],
      },
      lookupImage('busybox')!.entry,
      { podIP: '10.244.0.7', hostIP: '172.18.0.2' },
      0,
    );
    expect(env).toMatchObject({
      A: 'x',
      B: 'x-y',
      POD_NAME: 'web',
      POD_IP: '10.244.0.7',
      HOSTNAME: 'web',
      HOME: '/root',
      TERM: 'xterm',
      KUBERNETES_SERVICE_HOST: '10.96.0.1',
    });
    expect(env).not.toHaveProperty('SECRET');
  });
});

describe('runAsNonRoot', () => {
  const root = lookupImage('busybox')!.entry;
  const nonroot = lookupImage('ghcr.io/ephemera/debug-tools:1.0')!.entry;
  it('refuses a root image unless a non-zero runAsUser is set, with the kubelet wording', () => {
    const p = pod({ securityContext: { runAsNonRoot: true } });
    expect(verifyRunAsNonRoot(p, { name: 'app' }, root)).toBe(
      'container has runAsNonRoot and image will run as root (pod: "web_shop(u-1)", container: app)',
    );
    expect(verifyRunAsNonRoot(p, { name: 'app', securityContext: { runAsUser: 1000 } }, root)).toBeUndefined();
    expect(verifyRunAsNonRoot(p, { name: 'app', securityContext: { runAsUser: 0 } }, nonroot)).toBe(
      'container\'s runAsUser breaks non-root policy (pod: "web_shop(u-1)", container: app)',
    );
    expect(verifyRunAsNonRoot(p, { name: 'app' }, nonroot)).toBeUndefined();
    expect(verifyRunAsNonRoot(pod(), { name: 'app', securityContext: { runAsNonRoot: true } }, root)).toMatch(/will run as root/);
    expect(verifyRunAsNonRoot(p, { name: 'app', securityContext: { runAsNonRoot: false } }, root)).toBeUndefined();
  });
});

describe('wording helpers', () => {
  it.each([
    [10_000, '10s'],
    [20_000, '20s'],
    [80_000, '1m20s'],
    [160_000, '2m40s'],
    [300_000, '5m0s'],
    [300, '300ms'],
    [1462, '1.462s'],
    [3_600_000, '1h0m0s'],
  ])('formats %d ms as Go does: %s', (ms, text) => {
    expect(goDuration(ms)).toBe(text);
  });
});

describe('pod phase and QoS', () => {
  const term = (exitCode: number) => ({ terminated: { exitCode } });
  const st = (name: string, state: object, lastState: object = {}) =>
    ({ name, state, lastState, ready: false, restartCount: 0, image: '', imageID: '' }) as never;

  it('follows getPhase for restart policies', () => {
    expect(computePhase(pod(), [], [st('app', { waiting: {} })], false)).toBe('Pending');
    expect(computePhase(pod(), [], [st('app', { running: {} })], false)).toBe('Running');
    expect(computePhase(pod(), [], [st('app', term(0))], false)).toBe('Running');
    expect(computePhase(pod({ restartPolicy: 'Never' }), [], [st('app', term(0))], false)).toBe('Succeeded');
    expect(computePhase(pod({ restartPolicy: 'Never' }), [], [st('app', term(2))], false)).toBe('Failed');
    expect(computePhase(pod({ restartPolicy: 'OnFailure' }), [], [st('app', term(2))], false)).toBe('Running');
    expect(computePhase(pod(), [], [st('app', { waiting: {} }, term(1))], false)).toBe('Running');
    expect(computePhase(pod(), [], [st('app', term(143))], true)).toBe('Failed');
    const withInit = pod({ initContainers: [{ name: 'init' }], restartPolicy: 'Never' });
    expect(computePhase(withInit, [st('init', { running: {} })], [st('app', { waiting: {} })], false)).toBe('Pending');
    expect(computePhase(withInit, [st('init', term(1))], [st('app', { waiting: {} })], false)).toBe('Failed');
  });

  it('classifies QoS from requests and limits', () => {
    expect(qosClass(pod())).toBe('BestEffort');
    const limited = { cpu: '500m', memory: '128Mi' };
    expect(qosClass(pod({ containers: [{ name: 'a', resources: { limits: limited } }] }))).toBe('Guaranteed');
    expect(qosClass(pod({ containers: [{ name: 'a', resources: { requests: { cpu: '0.5' }, limits: limited } }] }))).toBe(
      'Guaranteed',
    );
    expect(qosClass(pod({ containers: [{ name: 'a', resources: { requests: { cpu: '100m' } } }] }))).toBe('Burstable');
  });
});
