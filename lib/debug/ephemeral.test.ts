import { describe, expect, it } from 'vitest';
import { buildEphemeralContainer, type EphemeralBuild } from './ephemeral';
import type { Pod, Refusal } from './types';
import { ephemeral, spelling, webPod } from './test-support';

const IMAGE = 'ghcr.io/ephemera/debug-tools:1.0';
const base = { namespace: 'shop', pod: 'web-0', image: IMAGE };

function ok(built: EphemeralBuild | Refusal): EphemeralBuild {
  if (!built.ok) throw new Error(built.errors.map((e) => e.message).join('\n'));
  return built;
}
function refused(built: EphemeralBuild | Refusal): string[] {
  if (built.ok) throw new Error('expected a refusal');
  return built.errors.map((e) => e.message);
}

describe('buildEphemeralContainer', () => {
  it('sends the container alone when the pod has no ephemeral containers yet', () => {
    const built = ok(buildEphemeralContainer(ephemeral({ ...base, name: 'dbg', profile: 'baseline' }), webPod(), { random: spelling() }));
    expect(built.patch).toEqual({
      spec: { ephemeralContainers: [{ name: 'dbg', image: IMAGE, resources: {}, terminationMessagePolicy: 'File' }] },
    });
    expect(built.request.name).toBe('dbg');
  });

  it('lists every ephemeral container, old and new, in $setElementOrder when some exist', () => {
    const pod = webPod();
    pod.spec.ephemeralContainers = [{ name: 'd1', image: 'busybox' }, { name: 'd2', image: 'busybox' }];
    const built = ok(buildEphemeralContainer(ephemeral({ ...base, name: 'd3', profile: 'baseline' }), pod, { random: spelling() }));
    expect(built.patch.spec['$setElementOrder/ephemeralContainers']).toEqual([{ name: 'd1' }, { name: 'd2' }, { name: 'd3' }]);
    expect(built.patch.spec.ephemeralContainers.map((c) => c.name)).toEqual(['d3']);
  });

  it('names it debugger-xxxxx from the injected random source, skipping names any container has', () => {
    const pod = webPod();
    pod.spec.initContainers!.push({ name: 'debugger-bbbbb' });
    pod.spec.ephemeralContainers = [{ name: 'debugger-ccccc', image: 'busybox' }];
    pod.spec.containers.push({ name: 'debugger-ddddd', image: 'x' });
    const built = ok(buildEphemeralContainer(ephemeral(base), pod, { random: spelling('bbbbb', 'ccccc', 'ddddd', 'x7k2p') }));
    expect(built.container.name).toBe('debugger-x7k2p');
    expect(built.request.name).toBe('debugger-x7k2p');
  });

  it('maps command, args, env, pull policy, stdin, tty and stdinOnce', () => {
    const request = ephemeral({
      ...base, name: 'dbg', profile: 'general', command: ['ss'], args: ['-tlnp'], env: [{ name: 'A', value: '1' }, { name: 'EMPTY' }],
      imagePullPolicy: 'IfNotPresent', stdin: true, tty: true, stdinOnce: true,
    });
    expect(ok(buildEphemeralContainer(request, webPod(), { random: spelling() })).container).toEqual({
      name: 'dbg',
      image: IMAGE,
      command: ['ss'],
      args: ['-tlnp'],
      env: [{ name: 'A', value: '1' }, { name: 'EMPTY' }],
      resources: {},
      terminationMessagePolicy: 'File',
      imagePullPolicy: 'IfNotPresent',
      securityContext: { capabilities: { add: ['SYS_PTRACE'] } },
      stdin: true,
      stdinOnce: true,
      tty: true,
    });
  });

  it('mounts pod volumes read-only unless read-write is asked for', () => {
    const request = ephemeral({
      ...base, name: 'dbg', profile: 'baseline',
      volumeMounts: [{ name: 'data', mountPath: '/debug/data' }, { name: 'config', mountPath: '/debug/config', readOnly: false }],
    });
    expect(ok(buildEphemeralContainer(request, webPod(), { random: spelling() })).container.volumeMounts).toEqual([
      { name: 'data', mountPath: '/debug/data', readOnly: true },
      { name: 'config', mountPath: '/debug/config' },
    ]);
  });

  it('merges the custom container over the profile, as kubectl --custom does', () => {
    const request = ephemeral({
      ...base, name: 'dbg', profile: 'general', env: [{ name: 'B', value: '3' }, { name: 'C', value: '4' }],
      custom: { env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }], securityContext: { runAsUser: 1000, capabilities: { add: ['NET_RAW'] } }, workingDir: '/tmp' },
    });
    const container = ok(buildEphemeralContainer(request, webPod(), { random: spelling() })).container;
    expect(container.env).toEqual([{ name: 'A', value: '1' }, { name: 'B', value: '2' }, { name: 'C', value: '4' }]);
    expect(container.securityContext).toEqual({ capabilities: { add: ['NET_RAW'] }, runAsUser: 1000 });
    expect(container.workingDir).toBe('/tmp');
  });

  it('adds runAsUser on top of the profile and says so as an Adjustment', () => {
    const built = ok(buildEphemeralContainer(ephemeral({ ...base, image: 'busybox:1.36', name: 'dbg', runAsUser: 65532 }), webPod(), { random: spelling() }));
    expect(built.container.securityContext).toEqual({
      capabilities: { drop: ['ALL'] }, runAsNonRoot: true, allowPrivilegeEscalation: false, seccompProfile: { type: 'RuntimeDefault' }, runAsUser: 65532,
    });
    expect(built.adjustments).toEqual([
      { name: 'runAsUser', field: 'securityContext.runAsUser', value: 65532, reason: 'Added to the restricted profile: run as user 65532, as asked.' },
    ]);
  });

  it('adds nothing by itself: no adjustments without asking', () => {
    expect(ok(buildEphemeralContainer(ephemeral(base), webPod(), { random: spelling('x7k2p') })).adjustments).toEqual([]);
  });

  it('warns when the kubelet will refuse a root image under restricted, proposing a user or a non-root image', () => {
    const deps = {
      random: spelling(),
      imageUsers: [{ repository: 'docker.io/library/busybox', user: { uid: 0 } }, { repository: 'ghcr.io/ephemera/debug-tools', user: { uid: 65532 } }],
      nonRootImages: [IMAGE],
    };
    const built = ok(buildEphemeralContainer(ephemeral({ ...base, image: 'busybox', name: 'dbg' }), webPod(), deps));
    expect(built.warnings).toEqual([
      expect.objectContaining({ code: 'imageRunsAsRoot', proposals: [{ kind: 'runAsUser', runAsUser: 65532 }, { kind: 'image', image: IMAGE }] }),
    ]);
    expect(ok(buildEphemeralContainer(ephemeral({ ...base, name: 'dbg' }), webPod(), deps)).warnings).toEqual([]);
    expect(ok(buildEphemeralContainer(ephemeral({ ...base, image: 'busybox', name: 'dbg', runAsUser: 65532 }), webPod(), deps)).warnings).toEqual([]);
  });

  it("warns, as kubectl does, when a pod-wide non-root user may defeat the profile's capabilities", () => {
    const pod: Pod = { ...webPod(), spec: { ...webPod().spec, securityContext: { runAsUser: 1000 } } };
    const built = ok(buildEphemeralContainer(ephemeral({ ...base, name: 'dbg', profile: 'netadmin' }), pod, { random: spelling() }));
    expect(built.warnings.map((w) => w.code)).toEqual(['nonRootPodCapabilities']);
  });

  it("recognises legacy, with kubectl v1.32's deprecation warning", () => {
    const built = ok(buildEphemeralContainer(ephemeral({ ...base, name: 'dbg', profile: 'legacy' }), webPod(), { random: spelling() }));
    expect(built.warnings).toEqual([{ code: 'legacyProfile', message: expect.stringContaining('--profile=legacy is deprecated') }]);
  });

  it('leaves the pod it was given untouched', () => {
    const pod = webPod();
    buildEphemeralContainer(ephemeral({ ...base, name: 'dbg', target: 'app', profile: 'sysadmin' }), pod, { random: spelling() });
    expect(pod).toEqual(webPod());
  });
});

describe('buildEphemeralContainer refuses, naming the field and what to do', () => {
  const build = (r: Parameters<typeof ephemeral>[0], pod = webPod()) => refused(buildEphemeralContainer(ephemeral(r), pod, { random: spelling('x7k2p') }));

  it('a name any container of the pod already has', () => {
    for (const name of ['app', 'migrate']) {
      expect(build({ ...base, name })).toEqual([expect.stringMatching(new RegExp(`^name: Duplicate value: "${name}". .*can never be removed`))]);
    }
  });

  it('a name that is not a DNS-1123 label', () => {
    expect(build({ ...base, name: 'Debug_1' })[0]).toMatch(/^name: Invalid value: "Debug_1": a lowercase RFC 1123 label must consist of/);
  });

  it('a target that is not a regular container of the pod', () => {
    expect(build({ ...base, target: 'migrate' })).toEqual(['target: Not found: "migrate". Target one of the pod\'s containers: app']);
  });

  it('no image, or an invalid one', () => {
    expect(build({ namespace: 'shop', pod: 'web-0' })).toEqual([expect.stringMatching(/^image: Required value\. Choose a debug image/)]);
    expect(build({ ...base, image: 'Busybox' })).toEqual([
      'image: Invalid value: "Busybox": invalid reference format: repository name must be lowercase. Repository names are lowercase: try "busybox"',
    ]);
  });

  it('volume mounts of unknown volumes, with subPath, relative or twice at one path', () => {
    expect(
      build({
        ...base,
        volumeMounts: [
          { name: 'nope', mountPath: '/a' },
          { name: 'data', mountPath: '/b', subPath: 'x' },
          { name: 'data', mountPath: 'c' },
          { name: 'config', mountPath: '/a' },
        ],
      }),
    ).toEqual([
      'volumeMounts[0].name: Not found: "nope". Choose one of the volumes: data and config',
      'volumeMounts[1].subPath: Forbidden: cannot be set for an Ephemeral Container. Mount the whole volume and look in the sub-directory',
      'volumeMounts[2].mountPath: Invalid value: "c": must be an absolute path. Try "/c"',
      'volumeMounts[3].mountPath: Invalid value: "/a": must be unique. Mount each volume at its own path',
    ]);
  });

  it('custom fields an ephemeral container may not have, in the apiserver words', () => {
    const messages = build({
      ...base,
      custom: { ports: [{ containerPort: 80 }], resources: { limits: { cpu: '1' } }, livenessProbe: {}, readinessProbe: {}, startupProbe: {}, restartPolicy: 'Always', lifecycle: {} },
    });
    expect(messages.map((m) => m.split('. ')[0])).toEqual([
      'custom.ports: Forbidden: cannot be set for an Ephemeral Container',
      'custom.resources: Forbidden: cannot be set for an Ephemeral Container',
      'custom.restartPolicy: Forbidden: cannot be set for an Ephemeral Container',
      'custom.livenessProbe: Forbidden: cannot be set for an Ephemeral Container',
      'custom.readinessProbe: Forbidden: cannot be set for an Ephemeral Container',
      'custom.startupProbe: Forbidden: cannot be set for an Ephemeral Container',
      'custom.lifecycle: Forbidden: cannot be set for an Ephemeral Container',
    ]);
  });

  it('custom fields kubectl does not take from a custom profile', () => {
    expect(build({ ...base, custom: { command: ['x'], image: 'y', volumeDevices: [] } }).map((m) => m.split(' (')[0])).toEqual([
      'custom.command: Forbidden: not modifiable via custom profile',
      'custom.image: Forbidden: not modifiable via custom profile',
      'custom.volumeDevices: Forbidden: not modifiable via custom profile',
    ]);
  });

  it('tty or stdinOnce without stdin, bad env names, an empty command', () => {
    expect(build({ ...base, tty: true, stdinOnce: true, env: [{ name: 'A=B' }, { name: '' }], command: [''] })).toEqual([
      'command[0]: Required value. Give the program to run',
      'env[0].name: Invalid value: "A=B": a valid environment variable name must consist only of printable ASCII characters other than \'=\'',
      'env[1].name: Required value. Name the variable',
      'tty: Forbidden: requires stdin (kubectl: -i/--stdin is required for containers with -t/--tty=true). Turn stdin on, or tty off',
      'stdinOnce: Forbidden: requires stdin. Turn stdin on, or stdinOnce off',
    ]);
  });

  it('a pod that is not the one the request names', () => {
    expect(build({ ...base, pod: 'web-1' })).toEqual([expect.stringMatching(/^pod: Invalid value: "web-1": the pod read from the cluster is "web-0"/)]);
  });

  it('runAsUser given twice', () => {
    expect(build({ ...base, runAsUser: 1, custom: { securityContext: { runAsUser: 2 } } })).toEqual([
      'runAsUser: Forbidden: also set as custom.securityContext.runAsUser. Set it in one place',
    ]);
  });
});
