import { describe, expect, it } from 'vitest';
import type { EphemeraUser, Role } from '@/lib/auth/types';
import { parseDebugRequest, type DebugRequest } from '@/lib/debug/request';
import { evaluate } from './evaluate';
import { imageUsersFrom, nonRootImagesFrom } from './images';
import { DEFAULT_POLICY, PolicySchema } from './schema';

const user = (...roles: Role[]): EphemeraUser => ({ name: 'ada', groups: [], roles });
const DIGEST = 'sha256:' + 'd'.repeat(64);

function parsed(input: Record<string, unknown>): DebugRequest {
  const result = parseDebugRequest(input);
  if (!result.ok) throw new Error(result.errors[0].message);
  return result.request;
}
const request = (input: Record<string, unknown>) => parsed({ kind: 'ephemeral', namespace: 'shop', pod: 'web-0', ...input });
const node = (input: Record<string, unknown> = {}) => parsed({ kind: 'node', namespace: 'default', node: 'node-a', ...input });
const podCopy = (input: Record<string, unknown> = {}) => parsed({ kind: 'copy', namespace: 'shop', pod: 'web-0', copyTo: 'web-0-debug', ...input });

function refusal(decision: ReturnType<typeof evaluate>) {
  if (decision.allowed) throw new Error('expected a refusal');
  return { rule: decision.rule, message: decision.message };
}

describe('evaluate, with the default policy', () => {
  it('lets a debugger start a restricted session, filling in the default image and stdinOnce, and says so', () => {
    const decision = evaluate(DEFAULT_POLICY, user('debugger'), request({ stdin: true, tty: true }));
    expect(decision).toEqual({
      allowed: true,
      request: request({ stdin: true, tty: true, stdinOnce: true, image: 'ghcr.io/ephemera/debug-tools:1.0' }),
      adjustments: [
        { name: 'defaultImage', field: 'image', value: 'ghcr.io/ephemera/debug-tools:1.0', reason: "No image was chosen, so the policy's default, ghcr.io/ephemera/debug-tools:1.0, is used." },
        { name: 'stdinOnce', field: 'stdinOnce', value: true, reason: 'The policy ends a session’s shell when the last person detaches (stdinOnce).' },
      ],
      limits: { maxDurationSeconds: 3600, idleTimeoutSeconds: 900, reconnectGraceSeconds: 60, stdinOnce: true, recording: { input: false, onStoreFailure: 'end' } },
      breakGlass: false,
    });
  });

  it('adjusts nothing that was asked for explicitly', () => {
    const decision = evaluate(DEFAULT_POLICY, user('debugger'), request({ image: 'ghcr.io/ephemera/debug-tools:1.1', command: ['ss', '-tlnp'] }));
    expect(decision.allowed && decision.adjustments).toEqual([]);
  });

  it('refuses viewers and leads: no role that may debug', () => {
    expect(refusal(evaluate(DEFAULT_POLICY, user('viewer', 'lead'), request({})))).toEqual({
      rule: 'profiles.byRole',
      message: 'Starting debug sessions needs a role the policy allows to debug; your roles (viewer, lead) do not. Ask for the debugger role.',
    });
    expect(refusal(evaluate(DEFAULT_POLICY, user(), request({}))).message).toMatch(/you hold no role that does not/);
  });

  it('refuses profiles beyond restricted to a debugger', () => {
    expect(refusal(evaluate(DEFAULT_POLICY, user('debugger'), request({ profile: 'netadmin' })))).toEqual({
      rule: 'profiles.byRole',
      message: 'The netadmin profile is not allowed for your roles (debugger). Choose restricted, or ask an admin.',
    });
  });

  it('refuses namespaces where debugging is off', () => {
    expect(refusal(evaluate(DEFAULT_POLICY, user('admin'), request({ namespace: 'kube-system' })))).toEqual({
      rule: 'namespaces.disabled',
      message: 'Debugging is switched off in namespace kube-system (namespaces.disabled: kube-system). Ask an admin if you need it there.',
    });
  });

  it('refuses images that are not approved, and root images outside their profile', () => {
    expect(refusal(evaluate(DEFAULT_POLICY, user('debugger'), request({ image: 'ubuntu' })))).toEqual({
      rule: 'images.approved',
      message: 'image ubuntu is not an approved image. Use one matching ghcr.io/ephemera/*, busybox:1.* (the default is ghcr.io/ephemera/debug-tools:1.0).',
    });
    expect(refusal(evaluate(DEFAULT_POLICY, user('debugger'), request({ image: 'busybox:1.36' })))).toEqual({
      rule: 'images.approved',
      message: 'image busybox:1.36 is approved only with the general profile. Choose one of those, or use ghcr.io/ephemera/debug-tools:1.0.',
    });
    expect(evaluate(DEFAULT_POLICY, user('admin'), request({ image: 'busybox:1.36', profile: 'general' })).allowed).toBe(true);
  });

  const breakGlass = [
    ['The sysadmin profile', () => request({ profile: 'sysadmin' })],
    ['Node debugging', () => node()],
    ['A pod copy', () => podCopy({ image: 'ghcr.io/ephemera/debug-tools:1.0' })],
  ] as const;

  it.each(breakGlass)('%s is break-glass: admins only', (what, make) => {
    const decision = refusal(evaluate(DEFAULT_POLICY, user('debugger'), make()));
    if (what === 'The sysadmin profile') expect(decision.rule).toBe('profiles.byRole');
    else expect(decision).toEqual({ rule: 'breakGlass.roles', message: `${what} is break-glass, allowed only to admin. Ask one of them, or use an ephemeral container with an allowed profile.` });
  });

  it.each(breakGlass)('%s needs a written reason', (what, make) => {
    expect(refusal(evaluate(DEFAULT_POLICY, user('admin'), { ...make(), reason: 'because' }))).toEqual({
      rule: 'breakGlass.reason',
      message: `${what} is break-glass: write why, in at least 10 characters, e.g. "INC-1234: checkout pods crash-looping since 09:10".`,
    });
    const allowed = evaluate(DEFAULT_POLICY, user('admin'), { ...make(), reason: 'INC-4711: kubelet logs' });
    expect(allowed.allowed && allowed.breakGlass).toBe(true);
  });

  it('checks every image a copy introduces, and adds no default image to a copy', () => {
    const r = podCopy({ setImages: { app: 'ubuntu:24.04' }, reason: 'INC-4711: crash loop' });
    expect(refusal(evaluate(DEFAULT_POLICY, user('admin'), r))).toEqual({
      rule: 'images.approved',
      message: 'setImages[app] ubuntu:24.04 is not an approved image. Use one matching ghcr.io/ephemera/*, busybox:1.* (the default is ghcr.io/ephemera/debug-tools:1.0).',
    });
    const ok = evaluate(DEFAULT_POLICY, user('admin'), podCopy({ setImages: { '*': 'ghcr.io/ephemera/shop-checkout:1.4.2' }, reason: 'INC-4711: crash loop' }));
    expect(ok.allowed && ok.request.image).toBeUndefined();
  });
});

describe('evaluate, with a policy written for it', () => {
  const policy = PolicySchema.parse({
    images: {
      approved: [{ pattern: 'ghcr.io/ephemera/*' }, { pattern: 'registry.example.com/tools/**', requireDigest: true }],
    },
    profiles: {
      byRole: { debugger: ['restricted', 'netadmin'], admin: ['restricted', 'netadmin', 'sysadmin'] },
      byNamespace: [{ namespaces: ['payments', 'payments-*'], profiles: ['restricted'] }],
    },
    breakGlass: { reason: { minLength: 8, pattern: '[A-Z][A-Z0-9]+-[0-9]+', example: 'INC-1234: why' } },
    namespaces: { disabled: ['kube-*'] },
    sessions: { maxDuration: '30m', idleTimeout: '5m', reconnectGrace: '2m', stdinOnce: false },
    recording: { input: true, onStoreFailure: 'continue' },
  });

  it('narrows profiles per namespace', () => {
    expect(evaluate(policy, user('debugger'), request({ profile: 'netadmin' })).allowed).toBe(true);
    expect(refusal(evaluate(policy, user('debugger'), request({ profile: 'netadmin', namespace: 'payments-eu' })))).toEqual({
      rule: 'profiles.byNamespace',
      message: 'In namespace payments-eu only the restricted profile is allowed. Choose it.',
    });
  });

  it('matches disabled namespaces by pattern', () => {
    expect(refusal(evaluate(policy, user('admin'), request({ namespace: 'kube-node-lease' }))).rule).toBe('namespaces.disabled');
  });

  it('requires a digest where the pattern says so', () => {
    expect(refusal(evaluate(policy, user('debugger'), request({ image: 'registry.example.com/tools/net/dig:1.2' })))).toEqual({
      rule: 'images.digest',
      message: 'image registry.example.com/tools/net/dig:1.2 must be pinned by digest (registry.example.com/tools/** requires it): use registry.example.com/tools/net/dig:1.2@sha256:<digest>.',
    });
    expect(evaluate(policy, user('debugger'), request({ image: `registry.example.com/tools/net/dig:1.2@${DIGEST}` })).allowed).toBe(true);
  });

  it('requires the reason to carry a ticket reference when a pattern is set', () => {
    expect(refusal(evaluate(policy, user('admin'), request({ profile: 'sysadmin', reason: 'looking at the disks' })))).toEqual({
      rule: 'breakGlass.reason',
      message: 'The sysadmin profile is break-glass: the reason must include a reference matching [A-Z][A-Z0-9]+-[0-9]+, e.g. "INC-1234: why".',
    });
    expect(evaluate(policy, user('admin'), request({ profile: 'sysadmin', reason: 'OPS-77 disks' })).allowed).toBe(true);
  });

  it('returns the session limits, and leaves stdinOnce alone when the policy does not ask for it', () => {
    const decision = evaluate(policy, user('debugger'), request({ stdin: true }));
    expect(decision.allowed && [decision.limits, decision.request.stdinOnce]).toEqual([
      { maxDurationSeconds: 1800, idleTimeoutSeconds: 300, reconnectGraceSeconds: 120, stdinOnce: false, recording: { input: true, onStoreFailure: 'continue' } },
      false,
    ]);
  });
});

describe('what the policy knows of images', () => {
  it("gives the builder the images' users and a non-root image to propose", () => {
    const users = imageUsersFrom(DEFAULT_POLICY);
    expect([users('busybox:1.36'), users('ghcr.io/ephemera/debug-tools:1.0'), users('ubuntu')]).toEqual([0, 65532, undefined]);
    expect(nonRootImagesFrom(DEFAULT_POLICY)).toEqual(['ghcr.io/ephemera/debug-tools:1.0']);
  });
});
