import { describe, expect, it } from 'vitest';
import { buildNodeDebugPod, type NodeDebugBuild } from './node';
import type { Refusal } from './types';
import { node, spelling } from './test-support';

const nodeA = { metadata: { name: 'node-a' } };
const base = { namespace: 'default', node: 'node-a', image: 'busybox:1.36' };

function ok(built: NodeDebugBuild | Refusal): NodeDebugBuild {
  if (!built.ok) throw new Error(built.errors.map((e) => e.message).join('\n'));
  return built;
}
const refused = (built: NodeDebugBuild | Refusal) => (built.ok ? [] : built.errors.map((e) => e.message));

describe('buildNodeDebugPod', () => {
  it('pins node-debugger-<node>-xxxxx to the node, tolerating every taint, never restarting, without labels (as v1.32)', () => {
    const built = ok(buildNodeDebugPod(node({ ...base, profile: 'baseline' }), nodeA, { random: spelling('x7k2p') }));
    expect(built.pod).toEqual({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'node-debugger-node-a-x7k2p' },
      spec: {
        containers: [{ name: 'debugger', image: 'busybox:1.36', resources: {}, terminationMessagePolicy: 'File' }],
        restartPolicy: 'Never',
        nodeName: 'node-a',
        tolerations: [{ operator: 'Exists' }],
      },
    });
    expect(built.namespace).toBe('default');
    expect(built.containerName).toBe('debugger');
  });

  it('warns before the start that chroot needs root when the image or the security context runs as someone else', () => {
    const imageUsers = [
      { repository: 'ghcr.io/ephemera/debug-tools', user: { uid: 65532 } },
      { repository: 'docker.io/library/busybox', user: { uid: 0 } },
    ];
    const codes = (image: string, extra: Record<string, unknown> = {}) =>
      ok(buildNodeDebugPod(node({ ...base, image, profile: 'general', chroot: true, stdin: true, tty: true, ...extra }), nodeA, { random: spelling('x7k2p'), imageUsers })).warnings.map((w) => w.code);
    const nonRoot = ok(buildNodeDebugPod(node({ ...base, image: 'ghcr.io/ephemera/debug-tools:1.0', profile: 'general', chroot: true }), nodeA, { random: spelling('x7k2p'), imageUsers }));
    expect(nonRoot.warnings.find((w) => w.code === 'chrootNeedsRoot')?.message).toContain('ghcr.io/ephemera/debug-tools:1.0 runs as user 65532');
    expect(codes('busybox:1.36')).not.toContain('chrootNeedsRoot');
    expect(codes('busybox:1.36', { runAsUser: 1000 })).toContain('chrootNeedsRoot');
    expect(codes('busybox:1.36', { custom: { securityContext: { runAsNonRoot: true } } })).toContain('chrootNeedsRoot');
    // Without chroot, the user does not matter here.
    expect(ok(buildNodeDebugPod(node({ ...base, image: 'ghcr.io/ephemera/debug-tools:1.0', profile: 'general' }), nodeA, { random: spelling('x7k2p'), imageUsers })).warnings.map((w) => w.code)).not.toContain('chrootNeedsRoot');
  });

  it('wraps the command in chroot /host when asked, for profiles that mount the node at /host', () => {
    const withCommand = ok(buildNodeDebugPod(node({ ...base, profile: 'sysadmin', chroot: true, command: ['journalctl', '-u', 'kubelet'] }), nodeA, { random: spelling('x7k2p') }));
    expect(withCommand.pod.spec.containers[0].command).toEqual(['chroot', '/host', 'journalctl', '-u', 'kubelet']);
    const shell = ok(buildNodeDebugPod(node({ ...base, profile: 'general', chroot: true, stdin: true, tty: true }), nodeA, { random: spelling('x7k2p') }));
    expect(shell.pod.spec.containers[0].command).toEqual(['chroot', '/host']);
  });

  it('takes the container name from the request', () => {
    const built = ok(buildNodeDebugPod(node({ ...base, name: 'mine' }), nodeA, { random: spelling('x7k2p') }));
    expect(built.pod.spec.containers[0].name).toBe('mine');
    expect(built.containerName).toBe('mine');
  });

  it('lets a custom container mount the host root the profile added, read-only', () => {
    const request = node({ ...base, profile: 'general', custom: { volumeMounts: [{ name: 'host-root', mountPath: '/host', readOnly: true }] } });
    expect(ok(buildNodeDebugPod(request, nodeA, { random: spelling('x7k2p') })).pod.spec.containers[0].volumeMounts).toEqual([
      { name: 'host-root', mountPath: '/host', readOnly: true },
    ]);
  });
});

describe('buildNodeDebugPod refuses', () => {
  const build = (r: Parameters<typeof node>[0]) => refused(buildNodeDebugPod(node(r), { metadata: { name: r.node } }, { random: spelling('x7k2p') }));

  it('chroot with a profile that does not mount /host', () => {
    for (const profile of ['baseline', 'restricted', 'netadmin'] as const) {
      expect(build({ ...base, profile, chroot: true })).toEqual([
        `chroot: Forbidden: the ${profile} profile does not mount the node's / at /host. Choose the general or sysadmin profile, or turn chroot off`,
      ]);
    }
  });

  it('mounting a volume the node pod does not have', () => {
    expect(build({ ...base, profile: 'restricted', custom: { volumeMounts: [{ name: 'host-root', mountPath: '/host' }] } })).toEqual([
      'custom.volumeMounts[0].name: Not found: "host-root". There are no volumes to mount',
    ]);
  });

  it('a node name that would not fit in a pod name', () => {
    const long = `n${'a'.repeat(239)}`;
    expect(build({ ...base, node: long })).toEqual([expect.stringMatching(/^node: Invalid value: "na+": must be no more than 233 characters to fit in node-debugger-<node>-xxxxx/)]);
  });

  it('no image', () => {
    expect(build({ namespace: 'default', node: 'node-a' })).toEqual([expect.stringMatching(/^image: Required value/)]);
  });

  it('a node that is not the one the request names', () => {
    expect(refused(buildNodeDebugPod(node(base), { metadata: { name: 'node-b' } }, { random: spelling('x7k2p') }))).toEqual([
      'node: Invalid value: "node-a": the node read from the cluster is "node-b". Read the node the request names',
    ]);
  });

  it('custom fields kubectl does not take, in its words; ports and resources are fine on a node pod', () => {
    expect(build({ ...base, custom: { lifecycle: {}, ports: [{ containerPort: 2345 }], resources: { limits: { cpu: '1' } } } })).toEqual([
      'custom.lifecycle: Forbidden: not modifiable via custom profile (kubectl: "name, command, image, lifecycle and volume devices are not modifiable via custom profile"). Remove it: a debug container has no lifecycle hooks',
    ]);
  });
});
