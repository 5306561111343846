import { describe, expect, it } from 'vitest';
import { commandOf, isCrashLooping, splitCommand, toDebugRequest, toSessionBody, type DebugFormState } from './form';

const base: DebugFormState = {
  kind: 'ephemeral',
  namespace: 'pxc',
  pod: 'cluster1-pxc-0',
  image: 'ghcr.io/ephemera/debug-tools:1.0',
  profile: 'restricted',
  target: '',
  mounts: {},
  run: 'shell',
  command: '',
  diagnostic: 'sockets',
  diagnosticText: '',
  reason: '',
  chroot: false,
  copyTo: 'cluster1-pxc-0-debug',
  container: '',
};

describe('splitCommand', () => {
  it.each([
    ['ps aux', ['ps', 'aux']],
    ['  sh   -c "echo hi there" ', ['sh', '-c', 'echo hi there']],
    ["echo 'a b' c\\ d", ['echo', 'a b', 'c d']],
    ['echo ""', ['echo', '']],
    ['', []],
  ])('%j → %j', (line, words) => expect(splitCommand(line)).toEqual(words));
});

describe('commandOf', () => {
  it('leaves the shell to the image, splits a command, runs presets and free text', () => {
    expect(commandOf(base)).toBeUndefined();
    expect(commandOf({ ...base, run: 'command', command: 'top -b' })).toEqual(['top', '-b']);
    expect(commandOf({ ...base, run: 'oneshot', diagnostic: 'sockets' })).toEqual(['netstat', '-tlnp']);
    expect(commandOf({ ...base, run: 'oneshot', diagnostic: 'dns' })).toEqual(['nslookup', 'kubernetes.default.svc.cluster.local']);
    expect(commandOf({ ...base, run: 'oneshot', diagnostic: 'custom', diagnosticText: 'ls /; exit 3' })).toEqual(['sh', '-c', 'ls /; exit 3']);
  });
});

describe('toDebugRequest and toSessionBody', () => {
  it('an interactive ephemeral container with a target and a read-only mount', () => {
    const state: DebugFormState = {
      ...base,
      target: 'pxc',
      mounts: { datadir: { enabled: true, mountPath: '/db-mount', readOnly: true }, config: { enabled: false, mountPath: '/x', readOnly: true } },
    };
    expect(toSessionBody(state)).toEqual({
      mode: 'interactive',
      request: {
        kind: 'ephemeral',
        pod: 'cluster1-pxc-0',
        namespace: 'pxc',
        target: 'pxc',
        profile: 'restricted',
        image: 'ghcr.io/ephemera/debug-tools:1.0',
        stdin: true,
        tty: true,
        volumeMounts: [{ name: 'datadir', mountPath: '/db-mount', readOnly: true }],
      },
    });
  });

  it('a one-shot diagnostic has neither stdin nor a tty', () => {
    const body = toSessionBody({ ...base, run: 'oneshot' });
    expect(body.mode).toBe('oneshot');
    expect(body.request).toMatchObject({ stdin: false, tty: false, command: ['netstat', '-tlnp'] });
  });

  it('a node pod with chroot, a copy, exec and attach', () => {
    expect(toDebugRequest({ ...base, kind: 'node', node: 'node-a', namespace: 'default', chroot: true, reason: ' INC-1: disk ' })).toMatchObject({
      kind: 'node',
      node: 'node-a',
      chroot: true,
      reason: 'INC-1: disk',
    });
    expect(toDebugRequest({ ...base, kind: 'copy' })).toMatchObject({ kind: 'copy', copyTo: 'cluster1-pxc-0-debug' });
    expect(toSessionBody({ ...base, kind: 'exec', container: 'logs', run: 'command', command: 'sh' })).toEqual({
      mode: 'interactive',
      request: { kind: 'exec', namespace: 'pxc', pod: 'cluster1-pxc-0', container: 'logs', command: ['sh'] },
    });
    expect(toSessionBody({ ...base, kind: 'attach', container: 'debugger-abcde' })).toEqual({
      mode: 'interactive',
      request: { kind: 'attach', namespace: 'pxc', pod: 'cluster1-pxc-0', container: 'debugger-abcde' },
    });
    expect(toDebugRequest({ ...base, kind: 'attach' })).toBeNull();
  });
});

describe('isCrashLooping', () => {
  it('from the status column or any container', () => {
    expect(isCrashLooping('CrashLoopBackOff', [])).toBe(true);
    expect(isCrashLooping('Running', [undefined, 'CrashLoopBackOff'])).toBe(true);
    expect(isCrashLooping('Running', [undefined])).toBe(false);
  });
});

describe('containerSessionCommand', () => {
  it('exec and attach as kubectl would be typed', async () => {
    const { containerSessionCommand } = await import('./form');
    expect(containerSessionCommand({ ...base, kind: 'exec', container: 'logs' })).toBe('kubectl exec -it -n pxc cluster1-pxc-0 -c logs -- sh');
    expect(containerSessionCommand({ ...base, kind: 'exec', container: 'logs', run: 'oneshot', diagnostic: 'custom', diagnosticText: 'ls /' })).toBe(
      "kubectl exec -n pxc cluster1-pxc-0 -c logs -- sh -c 'ls /'",
    );
    expect(containerSessionCommand({ ...base, kind: 'attach', container: 'debugger-x' })).toBe('kubectl attach -it -n pxc cluster1-pxc-0 -c debugger-x');
  });
});
