import { describe, expect, it } from 'vitest';
import { kubectlCommandFor, shellQuote } from './kubectl-command';
import { copy, ephemeral, node } from './test-support';

describe('kubectlCommandFor', () => {
  it('an ephemeral container with kubectl flags only', () => {
    const cmd = kubectlCommandFor(
      ephemeral({
        namespace: 'pxc', pod: 'cluster1-pxc-0', image: 'busybox:1.36', name: 'dbg', target: 'pxc', profile: 'general',
        stdin: true, tty: true, env: [{ name: 'A', value: '1' }], imagePullPolicy: 'IfNotPresent', command: ['sh', '-c', 'ss -tlnp'],
      }),
    );
    expect(cmd.argv).toEqual([
      'kubectl', 'debug', '-n', 'pxc', 'cluster1-pxc-0', '--image=busybox:1.36', '--container=dbg', '--profile=general', '--env=A=1',
      '--image-pull-policy=IfNotPresent', '--stdin', '--tty', '--target=pxc', '--', 'sh', '-c', 'ss -tlnp',
    ]);
    expect(cmd.line).toBe(
      "kubectl debug -n pxc cluster1-pxc-0 --image=busybox:1.36 --container=dbg --profile=general --env=A=1 --image-pull-policy=IfNotPresent --stdin --tty --target=pxc -- sh -c 'ss -tlnp'",
    );
    expect(cmd.customFile).toBeUndefined();
    expect(cmd.notes).toEqual([]);
  });

  it('volume mounts, runAsUser and stdinOnce go in a --custom file, with a note', () => {
    const cmd = kubectlCommandFor(
      ephemeral({
        namespace: 'pxc', pod: 'cluster1-pxc-0', image: 'busybox:1.36', name: 'dbg', stdin: true, stdinOnce: true, runAsUser: 65532,
        volumeMounts: [{ name: 'datadir', mountPath: '/db' }],
      }),
    );
    expect(cmd.argv).toContain('--custom=ephemera-custom.json');
    expect(cmd.argv.at(-1)).toBe('--custom=ephemera-custom.json');
    expect(JSON.parse(cmd.customFile!.content)).toEqual({
      volumeMounts: [{ name: 'datadir', mountPath: '/db', readOnly: true }],
      securityContext: { runAsUser: 65532 },
      stdinOnce: true,
    });
    expect(cmd.notes[0]).toBe('kubectl has no flags for volume mounts, runAsUser or stdinOnce: save the JSON below as ephemera-custom.json.');
  });

  it('args alone use --arguments-only; a command with args puts the args in the custom file', () => {
    const argsOnly = kubectlCommandFor(ephemeral({ namespace: 'n', pod: 'p', image: 'i', args: ['-v'] }));
    expect(argsOnly.argv.slice(-3)).toEqual(['--arguments-only', '--', '-v']);
    const both = kubectlCommandFor(ephemeral({ namespace: 'n', pod: 'p', image: 'i', command: ['ss'], args: ['-tlnp'] }));
    expect(both.argv.slice(-3)).toEqual(['--custom=ephemera-custom.json', '--', 'ss']);
    expect(JSON.parse(both.customFile!.content)).toEqual({ args: ['-tlnp'] });
  });

  it('env values kubectl --env cannot parse go in the custom file', () => {
    const cmd = kubectlCommandFor(ephemeral({ namespace: 'n', pod: 'p', image: 'i', env: [{ name: 'LIST', value: 'a,b' }] }));
    expect(cmd.argv.some((a) => a.startsWith('--env'))).toBe(false);
    expect(JSON.parse(cmd.customFile!.content)).toEqual({ env: [{ name: 'LIST', value: 'a,b' }] });
  });

  it('a node, chroot included in the command', () => {
    const cmd = kubectlCommandFor(node({ namespace: 'default', node: 'node-b', image: 'busybox:1.36', profile: 'sysadmin', chroot: true, command: ['dmesg'] }));
    expect(cmd.line).toBe('kubectl debug -n default node/node-b --image=busybox:1.36 --profile=sysadmin -- chroot /host dmesg');
    expect(cmd.notes).toEqual(['kubectl picks its own random suffix for the node-debugger pod name.']);
  });

  it('a pod copy with every copy flag that differs from the default', () => {
    const cmd = kubectlCommandFor(
      copy({
        namespace: 'shop', pod: 'checkout-x', copyTo: 'checkout-debug', name: 'checkout', setImages: { '*': 'busybox:1.36' },
        shareProcesses: false, sameNode: true, replace: true, profile: 'baseline', command: ['sleep', '3600'],
        keep: { labels: true, annotations: true, liveness: true, readiness: true, startup: true, initContainers: false },
      }),
    );
    expect(cmd.argv).toEqual([
      'kubectl', 'debug', '-n', 'shop', 'checkout-x', '--container=checkout', '--profile=baseline', '--copy-to=checkout-debug',
      '--set-image=*=busybox:1.36', '--share-processes=false', '--same-node', '--replace', '--keep-labels', '--keep-annotations',
      '--keep-liveness', '--keep-readiness', '--keep-startup', '--keep-init-containers=false', '--', 'sleep', '3600',
    ]);
    expect(cmd.line).toContain("'--set-image=*=busybox:1.36'");
  });
});

describe('shellQuote', () => {
  it('quotes only what a shell would split or expand', () => {
    expect(shellQuote('--image=busybox:1.36')).toBe('--image=busybox:1.36');
    expect(shellQuote("it's")).toBe("'it'\\''s'");
    expect(shellQuote('$HOME')).toBe("'$HOME'");
  });
});
