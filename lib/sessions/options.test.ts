import { describe, expect, it } from 'vitest';
import type { EphemeraUser } from '@/lib/auth/types';
import { webPod } from '@/lib/debug/test-support';
import type { Pod } from '@/lib/debug';
import { PolicySchema, type Policy } from '@/lib/policy';
import { debugOptions, profilesFor } from './options';

const alice: EphemeraUser = { name: 'alice', groups: ['oncall'], roles: ['debugger'] };
const ada: EphemeraUser = { name: 'ada', groups: ['platform-admins'], roles: ['admin'] };
const sam: EphemeraUser = { name: 'sam', groups: ['support'], roles: ['viewer'] };

const policy: Policy = PolicySchema.parse({
  images: { default: 'ghcr.io/ephemera/debug-tools:1.0', approved: [{ pattern: 'ghcr.io/ephemera/*', user: 65532 }, { pattern: 'busybox:1.36', user: 0 }] },
  profiles: {
    byRole: { debugger: ['netadmin', 'restricted', 'general'], admin: ['sysadmin', 'restricted', 'baseline', 'general', 'netadmin'] },
    byNamespace: [{ namespaces: ['pci-*'], profiles: ['restricted'] }],
  },
});

function pod(): Pod {
  const p = webPod();
  p.spec.ephemeralContainers = [
    { name: 'debugger-aaaaa', image: 'busybox:1.36', stdin: true, tty: true, targetContainerName: 'app' },
    { name: 'debugger-bbbbb', image: 'busybox:1.36', stdin: true },
    { name: 'oneshot-ccccc', image: 'busybox:1.36' },
  ];
  p.status = {
    phase: 'Running',
    containerStatuses: [{ name: 'app', state: { running: { startedAt: '2026-11-27T05:00:00Z' } } }],
    ephemeralContainerStatuses: [
      { name: 'debugger-aaaaa', state: { running: {} } },
      { name: 'debugger-bbbbb', state: { terminated: { reason: 'Completed', exitCode: 0 } } },
      { name: 'oneshot-ccccc', state: { running: {} } },
    ],
  };
  return p;
}

describe('profilesFor', () => {
  it('lists the allowed profiles least privileged first, each explained for the kind', () => {
    expect(profilesFor(policy, alice, 'shop', 'ephemeral').map((p) => p.profile)).toEqual(['restricted', 'general', 'netadmin']);
    expect(profilesFor(policy, ada, 'shop', 'ephemeral').map((p) => p.profile)).toEqual(['restricted', 'baseline', 'general', 'netadmin', 'sysadmin']);
    expect(profilesFor(policy, ada, 'shop', 'ephemeral').at(-1)).toEqual({ profile: 'sysadmin', description: 'Privileged: every capability and device of the node.', breakGlass: true });
  });

  it('narrows to what the namespace allows', () => {
    expect(profilesFor(policy, ada, 'pci-cards', 'ephemeral').map((p) => p.profile)).toEqual(['restricted']);
  });

  it('marks every node profile break-glass and says which mount /host', () => {
    expect(profilesFor(policy, ada, 'shop', 'node').map((p) => [p.profile, p.breakGlass, p.hostRoot])).toEqual([
      ['restricted', true, false],
      ['baseline', true, false],
      ['general', true, true],
      ['netadmin', true, false],
      ['sysadmin', true, true],
    ]);
  });
});

describe('debugOptions', () => {
  it('offers the pod’s containers, volumes and running interactive ephemeral containers to re-attach to', () => {
    const options = debugOptions(policy, alice, 'dev', 'shop', { kind: 'pod', pod: pod() });
    expect(options).toMatchObject({ cluster: 'dev', namespace: 'shop', pod: 'web-0', allowed: true });
    expect(options.targets).toEqual([{ name: 'app', image: 'shop/web:1.0', state: 'running' }]);
    expect(options.volumes).toEqual([
      { name: 'data', source: 'emptyDir' },
      { name: 'config', source: 'configMap' },
    ]);
    expect(options.reattach).toEqual([{ name: 'debugger-aaaaa', image: 'busybox:1.36', targetContainerName: 'app', stdin: true, tty: true }]);
    expect(options.images.choices).toEqual(['ghcr.io/ephemera/debug-tools:1.0', 'busybox:1.36']);
    expect(options.kinds).toEqual([
      { kind: 'ephemeral', breakGlass: false, allowed: true },
      { kind: 'copy', breakGlass: true, allowed: false, message: 'A pod copy is break-glass, allowed only to admin.' },
    ]);
    expect(options.reason).toEqual({ requiredFor: { profiles: ['sysadmin'], node: true, copy: true }, minLength: 10, example: 'INC-1234: checkout pods crash-looping since 09:10' });
    expect(options.limits).toEqual({ maxDurationSeconds: 3600, idleTimeoutSeconds: 900, reconnectGraceSeconds: 60, stdinOnce: true, recording: { input: false, onStoreFailure: 'end' } });
  });

  it('says why nothing may start: a viewer, a disabled namespace', () => {
    expect(debugOptions(policy, sam, 'dev', 'shop', { kind: 'pod', pod: pod() })).toMatchObject({ allowed: false, refusal: { rule: 'roles' }, profiles: [] });
    expect(debugOptions(policy, ada, 'dev', 'kube-system', { kind: 'pod', pod: pod() })).toMatchObject({
      allowed: false,
      refusal: { rule: 'namespaces.disabled', message: 'Debugging is switched off in namespace kube-system (namespaces.disabled: kube-system). Ask an admin if you need it there.' },
    });
  });

  it('for a node: the node kind only, no containers', () => {
    const options = debugOptions(policy, ada, 'dev', 'shop', { kind: 'node', node: { metadata: { name: 'node-a' } } });
    expect(options).toMatchObject({ node: 'node-a', targets: [], volumes: [], reattach: [], kinds: [{ kind: 'node', breakGlass: true, allowed: true }] });
    expect(options.profiles.map((p) => p.profile)).toContain('general');
  });
});
