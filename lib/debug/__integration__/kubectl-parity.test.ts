// "Exactly what kubectl produces", measured: against the dev cluster, the real
// kubectl v1.32 runs the command kubectlCommandFor() gives for a request (its
// --custom file included), and what it sends and stores equals what the
// builders return for the same request — modulo the random names kubectl
// picks itself, and the defaults the apiserver fills in on create.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectl, startDevCluster, type RunningDevCluster } from '../../../dev/cluster/__integration__/harness';
import { applyPodDefaults, containerDefaults } from '../../../dev/cluster/pods';
import type { ContainerSpec, Pod as DevPod } from '../../../dev/cluster/types';
import { buildEphemeralContainer } from '../ephemeral';
import { buildNodeDebugPod } from '../node';
import { buildPodCopy } from '../copy';
import { kubectlCommandFor, CUSTOM_FILE } from '../kubectl-command';
import { PROFILES, type DebugRequest } from '../request';
import type { Container, Pod } from '../types';
import { copy, ephemeral, node, spelling } from '../test-support';

let cluster: RunningDevCluster;
let dir: string;

beforeAll(async () => {
  cluster = await startDevCluster('demo');
  dir = mkdtempSync(path.join(os.tmpdir(), 'ephemera-parity-'));
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const r = await kubectl(cluster, ['get', 'pods', '-n', 'pxc', 'cluster1-pxc-1', '-o', 'jsonpath={.status.phase}']);
    if (r.stdout === 'Running') return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the demo pods did not start:\n${cluster.output()}`);
});

afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  expect(await cluster?.stop()).toBe(0);
});

async function getPod(namespace: string, name: string): Promise<Pod> {
  const r = await kubectl(cluster, ['get', 'pod', '-n', namespace, name, '-o', 'json']);
  if (r.code !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as Pod;
}

/** Run the equivalent kubectl command, with its --custom file written out, plus `extra` flags. */
async function runKubectl(request: DebugRequest, extra: string[]): Promise<{ stdout: string; stderr: string }> {
  const command = kubectlCommandFor(request);
  const customPath = path.join(dir, `${Math.random().toString(36).slice(2)}-${CUSTOM_FILE}`);
  if (command.customFile) writeFileSync(customPath, command.customFile.content);
  const argv = command.argv.slice(1).map((arg) => (arg === `--custom=${CUSTOM_FILE}` ? `--custom=${customPath}` : arg));
  const dash = argv.indexOf('--');
  const args = dash < 0 ? [...argv, ...extra] : [...argv.slice(0, dash), ...extra, ...argv.slice(dash)];
  const r = await kubectl(cluster, args, { timeoutMs: 30_000 });
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed:\n${r.stderr}`);
  return r;
}

const patchSent = (stderr: string) => JSON.parse(/generated strategic merge patch for debug container: (.*)$/m.exec(stderr)![1]);
const withDefaults = <C extends Container>(c: C): C => {
  const copied = structuredClone(c);
  containerDefaults(copied as unknown as ContainerSpec);
  return copied;
};
const podWithDefaults = (pod: Pod) => applyPodDefaults(structuredClone(pod) as unknown as DevPod) as unknown as Pod;
const renamed = <T>(value: T, from: string, to: string): T => JSON.parse(JSON.stringify(value).replaceAll(from, to));

describe('ephemeral containers: the patch kubectl sends and the container it stores', () => {
  async function parity(request: DebugRequest & { kind: 'ephemeral' }, random = spelling()) {
    const before = await getPod(request.namespace, request.pod);
    const built = buildEphemeralContainer(request, before, { random });
    if (!built.ok) throw new Error(built.errors[0].message);
    const { stdout, stderr } = await runKubectl(built.request, ['--attach=false', '-v=2']);
    const theirs = /Defaulting debug container name to (debugger-\w+)/.exec(stdout)?.[1];
    const sent = theirs ? renamed(patchSent(stderr), theirs, built.container.name) : patchSent(stderr);
    expect(sent).toEqual(built.patch);
    const after = await getPod(request.namespace, request.pod);
    const stored = after.spec.ephemeralContainers!.find((c) => c.name === (theirs ?? built.container.name));
    expect(theirs ? renamed(stored, theirs, built.container.name) : stored).toEqual(withDefaults(built.container));
  }

  const pxc0 = { namespace: 'pxc', pod: 'cluster1-pxc-0', image: 'busybox' };

  for (const profile of PROFILES) {
    it(`--profile=${profile} with --target, -i, --env and --image-pull-policy`, async () => {
      await parity(ephemeral({ ...pxc0, name: `parity-${profile}`, profile, target: 'pxc', stdin: true, env: [{ name: 'A', value: '1' }], imagePullPolicy: 'IfNotPresent', command: ['sh', '-c', 'sleep 1'] }));
    });
  }

  it('volume mounts (read-only and read-write), runAsUser and stdinOnce through --custom, merged with a custom env', async () => {
    await parity(
      ephemeral({
        ...pxc0, name: 'parity-mounts', profile: 'restricted', stdin: true, tty: true, stdinOnce: true, runAsUser: 65532, env: [{ name: 'B', value: '3' }],
        volumeMounts: [{ name: 'datadir', mountPath: '/db' }, { name: 'config', mountPath: '/cfg', readOnly: false }],
        custom: { env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }], workingDir: '/db' },
        command: ['sh'],
      }),
    );
  });

  it('a command with args (args through --custom), and args alone (--arguments-only)', async () => {
    await parity(ephemeral({ ...pxc0, name: 'parity-cmd-args', profile: 'general', command: ['sh', '-c'], args: ['sleep 1'] }));
    await parity(ephemeral({ ...pxc0, name: 'parity-args', profile: 'baseline', args: ['sh', '-c', 'sleep 1'] }));
  });

  it('the default debugger-xxxxx name', async () => {
    await parity(ephemeral({ ...pxc0, profile: 'netadmin', command: ['true'] }), spelling('x7k2p'));
  });
});

describe('node debug pods: the pod kubectl creates', () => {
  async function parity(request: DebugRequest & { kind: 'node' }) {
    const built = buildNodeDebugPod(request, { metadata: { name: request.node } }, { random: spelling('x7k2p') });
    if (!built.ok) throw new Error(built.errors[0].message);
    const { stdout } = await runKubectl(built.request, []);
    const theirs = /Creating debugging pod (node-debugger-\S+) with container/.exec(stdout)![1];
    const stored = await getPod(request.namespace, theirs);
    const expected = podWithDefaults(built.pod);
    expect(stored.spec).toEqual(expected.spec);
    expect(stored.metadata.labels).toEqual(built.pod.metadata.labels);
    await kubectl(cluster, ['delete', 'pod', '-n', request.namespace, theirs, '--wait=false']);
  }

  for (const profile of PROFILES) {
    it(`--profile=${profile}`, async () => {
      await parity(node({ namespace: 'default', node: 'node-b', image: 'busybox', profile, command: ['true'] }));
    });
  }

  it('chroot /host, a container name, -it, and a custom mount of the host root', async () => {
    await parity(
      node({
        namespace: 'default', node: 'node-c', image: 'busybox', profile: 'general', name: 'shell', chroot: true, stdin: true, tty: true,
        command: ['true'], custom: { volumeMounts: [{ name: 'host-root', mountPath: '/host', readOnly: true }] },
      }),
    );
  });
});

describe('pod copies: the pod kubectl creates', () => {
  async function parity(request: DebugRequest & { kind: 'copy' }, random = spelling()) {
    const original = await getPod(request.namespace, request.pod);
    const built = buildPodCopy(request, original, { random });
    if (!built.ok) throw new Error(built.errors[0].message);
    const { stdout } = await runKubectl(built.request, ['--attach=false']);
    const theirs = /Defaulting debug container name to (debugger-\w+)/.exec(stdout)?.[1];
    const stored = await getPod(request.namespace, request.copyTo);
    const expected = podWithDefaults(built.pod);
    // The dev cluster's scheduler places a copy that kubectl did not pin.
    if (!request.sameNode) delete stored.spec.nodeName;
    expect(theirs ? renamed(stored.spec, theirs, built.containerName!) : stored.spec).toEqual(expected.spec);
    const meta = (p: Pod) => ({ labels: p.metadata.labels, annotations: p.metadata.annotations, ownerReferences: p.metadata.ownerReferences });
    expect(meta(stored)).toEqual(meta(expected));
    await kubectl(cluster, ['delete', 'pod', '-n', request.namespace, request.copyTo, '--wait=false']);
  }

  const pxc1 = { namespace: 'pxc', pod: 'cluster1-pxc-1' };

  for (const profile of PROFILES) {
    it(`--profile=${profile}, adding a debug container`, async () => {
      await parity(copy({ ...pxc1, copyTo: `copy-${profile}`, image: 'busybox', name: 'dbg', profile, stdin: true, command: ['sleep', '1'] }));
    });
  }

  it('changing a container: --set-image, a command, --share-processes=false, --keep-labels', async () => {
    await parity(
      copy({
        ...pxc1, copyTo: 'copy-changed', name: 'pxc', profile: 'general', setImages: { '*': 'busybox' }, shareProcesses: false,
        keep: { labels: true }, command: ['sleep', '1'],
      }),
    );
  });

  it('a custom env that reorders the variables of the container it changes, as the strategic merge orders them', async () => {
    // logs has [LOG_DATA_DIR]; the merge puts the patch's order first: [NEW, LOG_DATA_DIR].
    await parity(
      copy({
        ...pxc1, copyTo: 'copy-reordered', name: 'logs', profile: 'baseline', command: ['sleep', '1'],
        custom: { env: [{ name: 'NEW', value: '1' }, { name: 'LOG_DATA_DIR', value: '/tmp' }] },
      }),
    );
  });

  it('--set-image alone: no container added, no profile applied', async () => {
    await parity(copy({ ...pxc1, copyTo: 'copy-images', profile: 'general', setImages: { logs: 'busybox' } }));
  });

  it('the default debugger-xxxxx name, --same-node and volume mounts', async () => {
    await parity(
      copy({ ...pxc1, copyTo: 'copy-named', image: 'busybox', profile: 'baseline', sameNode: true, volumeMounts: [{ name: 'config', mountPath: '/cfg' }], command: ['sleep', '1'] }),
      spelling('x7k2p'),
    );
  });
});

// Where kubectl v1.32 goes wrong and Ephemera does not follow: applyCustomProfile
// unmarshals the merged container into the existing Go struct, so when the
// merge reorders a keyed list, an item keeps the fields of the one that sat at
// its index before — here PXC_SERVICE inherits MYSQL_ROOT_PASSWORD's secretKeyRef.
describe('kubectl --custom reordering env over a valueFrom', () => {
  it('kubectl sends a variable with a leaked valueFrom (refused by the apiserver); Ephemera refuses first, saying why', async () => {
    const request = copy({
      namespace: 'pxc', pod: 'cluster1-pxc-1', copyTo: 'copy-leak', name: 'pxc', profile: 'general', command: ['sleep', '1'],
      custom: { env: [{ name: 'MYSQL_ROOT_PASSWORD', value: 'debug' }, { name: 'PXC_SERVICE', value: 'none' }] },
    });
    const built = buildPodCopy(request, await getPod('pxc', 'cluster1-pxc-1'), { random: spelling() });
    expect(built.ok ? [] : built.errors.map((e) => e.field)).toEqual(['custom.env[0]']);
    const r = await kubectl(cluster, ['debug', '-n', 'pxc', 'cluster1-pxc-1', '--copy-to=copy-leak', '--container=pxc', '--profile=general', `--custom=${customFile(request)}`, '--', 'sleep', '1']);
    expect(r.stderr).toContain('spec.containers[0].env[1].valueFrom: Invalid value: "": may not be specified when `value` is not empty');
  });
});

function customFile(request: DebugRequest): string {
  const file = path.join(dir, 'leak.json');
  writeFileSync(file, kubectlCommandFor(request).customFile!.content);
  return file;
}

