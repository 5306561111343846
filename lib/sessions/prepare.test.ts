import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { EphemeraUser } from '@/lib/auth/types';
import { copy, ephemeral, node, spelling, webPod } from '@/lib/debug/test-support';
import { evaluate, PolicySchema, type Policy } from '@/lib/policy';
import { applyMode, buildPrepared, parseRequest, roleRefusal, type PreparedSession } from './prepare';

const alice: EphemeraUser = { name: 'alice', groups: ['oncall'], roles: ['debugger'] };
const ada: EphemeraUser = { name: 'ada', groups: ['platform-admins'], roles: ['admin'] };
const sam: EphemeraUser = { name: 'sam', groups: ['support'], roles: ['viewer'] };
const lena: EphemeraUser = { name: 'lena', groups: ['team-leads'], roles: ['lead'] };

const policy: Policy = PolicySchema.parse({
  images: { default: 'ghcr.io/ephemera/debug-tools:1.0', approved: [{ pattern: 'ghcr.io/ephemera/*', user: 65532 }, { pattern: 'busybox:1.36', user: 0 }] },
  profiles: { byRole: { debugger: ['restricted', 'general', 'netadmin'], admin: ['restricted', 'general', 'sysadmin'] } },
  breakGlass: { roles: ['debugger', 'admin'] },
});

const deps = (suffix = 'xq2zt') => ({ random: spelling(suffix, 'bbbbb'), imageUsers: (image: string) => (image.startsWith('busybox') ? 0 : 65532), nonRootImages: ['ghcr.io/ephemera/debug-tools:1.0'] });

function prepared(user: EphemeraUser, input: Parameters<typeof ephemeral>[0] | ReturnType<typeof node> | ReturnType<typeof copy>, target = webPod()): PreparedSession {
  const request = 'kind' in input ? input : ephemeral(input);
  const moded = applyMode(request, 'interactive');
  if ('ok' in moded) throw new Error(moded.message);
  const decision = evaluate(policy, user, moded);
  if (!decision.allowed) throw new Error(decision.message);
  const result = buildPrepared('interactive', decision, 'node' in request ? { kind: 'node', node: { metadata: { name: request.node } } } : { kind: 'pod', pod: target }, deps());
  if (!result.ok) throw new Error(result.message);
  return result;
}

describe('roleRefusal', () => {
  it('lets debuggers and admins start sessions and run diagnostics', () => {
    for (const user of [alice, ada]) for (const mode of ['interactive', 'oneshot'] as const) expect(roleRefusal(user, mode)).toBeUndefined();
  });

  it.each([sam, lena])('refuses $name (403, rule roles), naming the role to ask for', (user) => {
    expect(roleRefusal(user, 'interactive')).toEqual({ ok: false, status: 403, rule: 'roles', message: `Starting debug sessions needs the debugger or admin role; you hold ${user.roles[0]}. Ask for the debugger role.` });
    expect(roleRefusal(user, 'oneshot')?.message).toMatch(/^Running one-shot diagnostics needs/);
  });
});

describe('applyMode', () => {
  const request = ephemeral({ namespace: 'shop', pod: 'web-0' });

  it('gives an interactive session stdin and a TTY, as kubectl debug -it', () => {
    expect(applyMode(request, 'interactive')).toMatchObject({ stdin: true, tty: true });
  });

  it('runs a one-shot command with neither', () => {
    expect(applyMode({ ...request, stdin: true, tty: true, command: ['ss', '-tlnp'] }, 'oneshot')).toMatchObject({ stdin: false, tty: false, stdinOnce: false, command: ['ss', '-tlnp'] });
  });

  it('refuses a one-shot session without a command (400, the field named)', () => {
    const refused = applyMode(request, 'oneshot');
    expect(refused).toMatchObject({ ok: false, status: 400, rule: 'mode.oneshot', errors: [{ field: 'command' }] });
  });
});

describe('parseRequest', () => {
  it('answers 400 with every field problem', () => {
    expect(parseRequest({ kind: 'ephemeral', namespace: 'shop', pod: 'web-0', imag: 'busybox' })).toEqual({
      ok: false,
      status: 400,
      errors: [{ field: 'imag', message: 'imag: Forbidden: unknown field. Remove it (check its spelling)' }],
      message: 'imag: Forbidden: unknown field. Remove it (check its spelling)',
    });
  });
});

describe('buildPrepared', () => {
  it('an ephemeral container: the patch as YAML, the kubectl line, the policy default said out loud', () => {
    const result = prepared(alice, { namespace: 'shop', pod: 'web-0', target: 'app' });
    expect(result.connect).toEqual({ namespace: 'shop', pod: 'web-0', container: 'debugger-xq2zt' });
    expect(result.build.kind).toBe('ephemeral');
    expect(parse(result.yaml)).toEqual({ spec: { ephemeralContainers: [expect.objectContaining({ name: 'debugger-xq2zt', image: 'ghcr.io/ephemera/debug-tools:1.0', targetContainerName: 'app', stdin: true, stdinOnce: true, tty: true })] } });
    expect(result.build.kind === 'ephemeral' && result.build.patch).toEqual(parse(result.yaml));
    expect(result.kubectl.line).toBe(
      'kubectl debug -n shop web-0 --image=ghcr.io/ephemera/debug-tools:1.0 --container=debugger-xq2zt --profile=restricted --stdin --tty --target=app --custom=ephemera-custom.json',
    );
    expect(result.adjustments.map((a) => a.name)).toEqual(['defaultImage', 'stdinOnce']);
    expect(result.limits).toEqual({ maxDurationSeconds: 3600, idleTimeoutSeconds: 900, reconnectGraceSeconds: 60, stdinOnce: true, recording: { input: false, onStoreFailure: 'end' } });
    expect(result.breakGlass).toBe(false);
    expect(result.warnings).toEqual([]);
  });

  it('warns when a root image meets restricted, proposing runAsUser or the non-root default', () => {
    const result = prepared(alice, { namespace: 'shop', pod: 'web-0', image: 'busybox:1.36' });
    expect(result.warnings).toEqual([expect.objectContaining({ code: 'imageRunsAsRoot', proposals: [{ kind: 'runAsUser', runAsUser: 65532 }, { kind: 'image', image: 'ghcr.io/ephemera/debug-tools:1.0' }] })]);
  });

  it('a node debug pod: the pod as YAML, the terminal on its debugger container, break-glass', () => {
    const result = prepared(alice, node({ namespace: 'shop', node: 'node-a', profile: 'general', reason: 'INC-1: node-a disk full' }));
    expect(result.build).toMatchObject({ kind: 'node', namespace: 'shop', node: 'node-a', containerName: 'debugger' });
    expect(result.connect).toEqual({ namespace: 'shop', pod: 'node-debugger-node-a-xq2zt', container: 'debugger', node: 'node-a' });
    expect(parse(result.yaml)).toMatchObject({ kind: 'Pod', metadata: { name: 'node-debugger-node-a-xq2zt' }, spec: { nodeName: 'node-a', hostPID: true } });
    expect(result.breakGlass).toBe(true);
  });

  it('a pod copy: the copy as YAML, the terminal on its debug container', () => {
    const result = prepared(alice, copy({ namespace: 'shop', pod: 'web-0', copyTo: 'web-debug', image: 'busybox:1.36', runAsUser: 65532, reason: 'INC-2: web crash-looping' }));
    expect(result.connect).toEqual({ namespace: 'shop', pod: 'web-debug', container: 'debugger-xq2zt' });
    expect(parse(result.yaml)).toMatchObject({ metadata: { name: 'web-debug', namespace: 'shop' }, spec: { shareProcessNamespace: true } });
    expect(result.adjustments.map((a) => a.name)).toEqual(['stdinOnce', 'runAsUser']);
  });

  it('refuses what the pod cannot take: an unknown target (400), a finished pod (409)', () => {
    const decision = evaluate(policy, alice, ephemeral({ namespace: 'shop', pod: 'web-0', target: 'nope' }));
    if (!decision.allowed) throw new Error(decision.message);
    expect(buildPrepared('interactive', decision, { kind: 'pod', pod: webPod() }, deps())).toMatchObject({ ok: false, status: 400, errors: [{ field: 'target' }] });
    const done = { ...webPod(), status: { phase: 'Succeeded' } };
    const ok = evaluate(policy, alice, ephemeral({ namespace: 'shop', pod: 'web-0' }));
    if (!ok.allowed) throw new Error(ok.message);
    expect(buildPrepared('interactive', ok, { kind: 'pod', pod: done }, deps())).toMatchObject({ ok: false, status: 409, message: expect.stringContaining('has finished (phase Succeeded)') });
  });
});
