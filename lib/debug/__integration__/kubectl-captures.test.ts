// Wire parity with the bodies kubectl v1.32 really sent: the node debug pods
// and pod copies captured (as protobuf) in dev/cluster/__fixtures__/protobuf
// by capture.ts, decoded, against what the builders return for the same
// flags. Only Go's marshalling artifacts are normalized away (creationTimestamp:
// null, empty status, omitted false bools, canonical quantities); the random
// suffixes are spelled back with the injected random source.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeProtobufBody } from '../../../dev/cluster/protobuf';
import { buildNodeDebugPod } from '../node';
import { buildPodCopy } from '../copy';
import { CustomContainerSchema, type Profile } from '../request';
import type { Pod } from '../types';
import { copy, node, spelling } from '../test-support';

const FIXTURES = path.join(import.meta.dirname, '../../../dev/cluster/__fixtures__/protobuf');
const sent = (file: string) => decodeProtobufBody(readFileSync(path.join(FIXTURES, file)));
const sourcePod = () => JSON.parse(readFileSync(path.join(FIXTURES, 'source-pod.json'), 'utf8')) as Pod;

/** Go's omitempty bools (not pointers): false never goes on the wire. */
const OMITTED_FALSE = new Set(['stdin', 'stdinOnce', 'tty', 'hostNetwork', 'hostPID', 'hostIPC']);
const QUANTITY_MAPS = new Set(['limits', 'requests', 'overhead']);
const UNITS: Record<string, number> = { '': 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };

function quantity(value: unknown): unknown {
  const m = typeof value === 'string' ? /^([0-9.]+)([a-zA-Z]*)$/.exec(value) : null;
  return m && m[2] in UNITS ? Number(m[1]) * UNITS[m[2]] : value;
}

/** The object as Go would marshal it, so a built object and a decoded body compare field by field. */
function goMarshalled(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) return value.map((v) => goMarshalled(v));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === null || (OMITTED_FALSE.has(k) && v === false) || (k === 'divisor' && v === '0')) continue;
    if (k === 'status' && key === '' && Object.keys(v as object).length === 0) continue;
    out[k] = QUANTITY_MAPS.has(k) ? Object.fromEntries(Object.entries(v as object).map(([q, n]) => [q, quantity(n)])) : goMarshalled(v, k);
  }
  return out;
}

describe('node debug pods, as kubectl v1.32 sent them', () => {
  const suffixes: Record<Profile, string> = {
    general: 'qnwsd', baseline: 'w7727', restricted: 'hsp9x', netadmin: '8k8gc', sysadmin: 'zq7nq', legacy: 'rrxnt',
  };
  for (const [profile, suffix] of Object.entries(suffixes) as Array<[Profile, string]>) {
    it(`--profile=${profile}`, () => {
      const built = buildNodeDebugPod(node({ namespace: 'default', node: 'node-a', image: 'busybox', profile, command: ['true'] }), { metadata: { name: 'node-a' } }, { random: spelling(suffix) });
      expect(built.ok && goMarshalled(built.pod)).toEqual(goMarshalled(sent(`node-debug-${profile}.pb`)));
    });
  }

  it('--custom with --env, --image-pull-policy and -i', () => {
    const custom = CustomContainerSchema.parse(JSON.parse(readFileSync(path.join(FIXTURES, 'custom-container.json'), 'utf8')));
    const request = node({
      namespace: 'default', node: 'node-a', image: 'busybox', profile: 'general', custom,
      env: [{ name: 'MODE', value: 'x' }], imagePullPolicy: 'Never', stdin: true, command: ['sh', '-c', 'sleep 1'],
    });
    const built = buildNodeDebugPod(request, { metadata: { name: 'node-a' } }, { random: spelling('m7q9x') });
    expect(built.ok && goMarshalled(built.pod)).toEqual(goMarshalled(sent('node-debug-custom.pb')));
  });
});

describe('pod copies, as kubectl v1.32 sent them', () => {
  it('--set-image=*=busybox --share-processes --same-node --container=app -- sh (legacy)', () => {
    const request = copy({
      namespace: 'pxc', pod: 'mypod', copyTo: 'mycopy', profile: 'legacy', setImages: { '*': 'busybox' },
      shareProcesses: true, sameNode: true, name: 'app', command: ['sh'],
    });
    const built = buildPodCopy(request, sourcePod(), { random: spelling() });
    expect(built.ok && goMarshalled(built.pod)).toEqual(goMarshalled(sent('copy-to.pb')));
  });

  it('--image=busybox --profile=general -it', () => {
    const request = copy({ namespace: 'pxc', pod: 'mypod', copyTo: 'mycopy', profile: 'general', image: 'busybox', stdin: true, tty: true });
    const built = buildPodCopy(request, sourcePod(), { random: spelling('kpqk2') });
    expect(built.ok && goMarshalled(built.pod)).toEqual(goMarshalled(sent('copy-to-general.pb')));
  });

  it('--container=dbg --profile=restricted with every --keep-* and --same-node', () => {
    const request = copy({
      namespace: 'pxc', pod: 'mypod', copyTo: 'mycopy', profile: 'restricted', image: 'busybox', name: 'dbg', sameNode: true,
      keep: { labels: true, annotations: true, liveness: true, readiness: true, startup: true, initContainers: true }, command: ['sleep', '1d'],
    });
    const built = buildPodCopy(request, sourcePod(), { random: spelling() });
    expect(built.ok && goMarshalled(built.pod)).toEqual(goMarshalled(sent('copy-to-keep-all.pb')));
  });

  it('--replace --profile=sysadmin records the deletion of the original', () => {
    const request = copy({ namespace: 'pxc', pod: 'mypod', copyTo: 'mycopy', profile: 'sysadmin', image: 'busybox', replace: true });
    const built = buildPodCopy(request, sourcePod(), { random: spelling('ldlqf') });
    expect(built.ok && goMarshalled(built.pod)).toEqual(goMarshalled(sent('copy-to-replace.0.pb')));
    expect(built.ok && built.deleteOriginal).toEqual({ namespace: 'pxc', name: 'mypod' });
  });
});
