import { describe, expect, it } from 'vitest';
import type { EphemeraUser } from '@/lib/auth/types';
import type { Pod } from '@/lib/debug';
import { copy, ephemeral, spelling, webPod } from '@/lib/debug/test-support';
import { DEFAULT_POLICY, evaluate } from '@/lib/policy';
import { createdPod } from './cleanup';
import { applyMode, buildPrepared, type PreparedSession } from './prepare';
import { existingContainerProblem, newSessionFrom } from './start';

const alice: EphemeraUser = { name: 'alice', groups: ['oncall'], roles: ['debugger'] };
const ada: EphemeraUser = { name: 'ada', groups: ['platform-admins'], roles: ['admin'] };

function prepare(user: EphemeraUser, request: ReturnType<typeof ephemeral> | ReturnType<typeof copy>): PreparedSession {
  const moded = applyMode(request, 'interactive');
  if ('ok' in moded) throw new Error(moded.message);
  const decision = evaluate(DEFAULT_POLICY, user, moded);
  if (!decision.allowed) throw new Error(decision.message);
  const result = buildPrepared('interactive', decision, { kind: 'pod', pod: webPod() }, { random: spelling('xq2zt') });
  if (!result.ok) throw new Error(result.message);
  return result;
}

describe('newSessionFrom', () => {
  it('an ephemeral container: who, where, what was sent (the container), the limits', () => {
    const prepared = prepare(alice, ephemeral({ namespace: 'shop', pod: 'web-0', target: 'app', volumeMounts: [{ name: 'data', mountPath: '/data' }] }));
    expect(newSessionFrom(alice, 'dev', prepared, 'host:3000')).toEqual({
      user: 'alice',
      groups: ['oncall'],
      roles: ['debugger'],
      cluster: 'dev',
      namespace: 'shop',
      pod: 'web-0',
      node: null,
      kind: 'ephemeral',
      mode: 'interactive',
      container: 'debugger-xq2zt',
      image: 'ghcr.io/ephemera/debug-tools:1.0',
      profile: 'restricted',
      target: 'app',
      mounts: [{ name: 'data', mountPath: '/data', readOnly: true }],
      command: null,
      reason: null,
      breakGlass: false,
      spec: prepared.build.kind === 'ephemeral' ? prepared.build.container : undefined,
      limits: { maxDurationSeconds: 3600, idleTimeoutSeconds: 900, reconnectGraceSeconds: 60, recording: { input: false, onStoreFailure: 'end' } },
      serverId: 'host:3000',
    });
  });

  it('a pod copy: the copy is the pod, the pod sent is the spec, the reason kept', () => {
    const prepared = prepare(ada, copy({ namespace: 'shop', pod: 'web-0', copyTo: 'web-debug', setImages: { app: 'ghcr.io/ephemera/debug-tools:1.0' }, reason: 'INC-7: web crash loop' }));
    const row = newSessionFrom(ada, 'dev', prepared, 'host:3000');
    expect(row).toMatchObject({ kind: 'copy', pod: 'web-debug', container: 'app', image: 'ghcr.io/ephemera/debug-tools:1.0', reason: 'INC-7: web crash loop', breakGlass: true });
    expect(row.spec).toMatchObject({ kind: 'Pod', metadata: { name: 'web-debug' } });
    expect(createdPod(row)).toEqual({ namespace: 'shop', name: 'web-debug' });
  });
});

describe('existingContainerProblem', () => {
  const pod = (): Pod => {
    const p = webPod();
    p.spec.ephemeralContainers = [{ name: 'debugger-aaaaa', image: 'busybox:1.36', stdin: true, tty: true }, { name: 'quiet', image: 'busybox:1.36' }];
    p.status = {
      phase: 'Running',
      containerStatuses: [{ name: 'app', state: { waiting: { reason: 'CrashLoopBackOff' } } }],
      ephemeralContainerStatuses: [{ name: 'debugger-aaaaa', state: { running: {} } }, { name: 'quiet', state: { running: {} } }],
    };
    return p;
  };
  const ask = (kind: 'exec' | 'attach', container: string) => existingContainerProblem(pod(), { kind, namespace: 'shop', pod: 'web-0', container });

  it('attaches to a running ephemeral container with stdin', () => {
    expect(ask('attach', 'debugger-aaaaa')).toBeUndefined();
    expect(ask('exec', 'debugger-aaaaa')).toBeUndefined();
  });

  it('refuses what cannot take a terminal, saying why', () => {
    expect(ask('attach', 'app')).toMatchObject({ status: 404, errors: [{ field: 'container' }], message: expect.stringContaining('Attach to one of the pod\'s ephemeral containers (debugger-aaaaa, quiet)') });
    expect(ask('attach', 'quiet')).toMatchObject({ status: 409, message: expect.stringContaining('has no stdin') });
    expect(ask('exec', 'app')).toMatchObject({ status: 409, message: 'Container app in shop/web-0 is waiting (CrashLoopBackOff), not running: nothing to exec into.' });
    expect(ask('exec', 'nope')).toMatchObject({ status: 404 });
  });
});
