/**
 * Writes `<case>.expected.json` for each body capture.ts recorded: the JSON
 * kubectl would have sent for the same object, built WITHOUT the decoder.
 *
 *   npx tsx dev/cluster/__fixtures__/protobuf/expected.ts [path/to/kubectl]
 *
 * Small objects are written out by hand. Pods are built from source-pod.json
 * by the changes kubectl debug makes (stated below, one function per command)
 * and then put through Go's own encoding/json: `kubectl run --dry-run=client
 * -o json --override-type=merge --overrides=<pod>` decodes the pod into a
 * typed v1.Pod and prints it, which gives the exact JSON form (canonical
 * quantities, `creationTimestamp: null`, `resources: {}`, dropped zero
 * values, …). The decoder test then checks the protobuf bytes against these.
 *
 * Run it after capture.ts: node-debug pod names and debug container names are
 * read from captured.json. The one value that cannot be known in advance is
 * the time kubectl stamps on the CSR's Approved condition; it is kept from the
 * previous certificate-approve.expected.json unless APPROVED_AT is set.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

type Obj = Record<string, any>;

const HERE = import.meta.dirname;
const KUBECTL = process.argv[2] ?? '/usr/bin/kubectl';
const read = (file: string): Obj => JSON.parse(readFileSync(path.join(HERE, file), 'utf8'));
const write = (name: string, obj: unknown) =>
  writeFileSync(path.join(HERE, `${name}.expected.json`), JSON.stringify(obj, null, 2) + '\n');

const captured = read('captured.json');
const nameIn = (kase: string, pattern: RegExp) => {
  const found = (captured[kase].output as string).match(pattern);
  if (!found) throw new Error(`${kase}: no ${pattern} in kubectl's output`);
  return found[0];
};

// ---- objects small enough to write out ----

const noMeta = { creationTimestamp: null };
const review = (spec: Obj) => ({
  kind: 'SelfSubjectAccessReview', apiVersion: 'authorization.k8s.io/v1', metadata: noMeta, spec, status: { allowed: false },
});

function writeSmallObjects() {
  write('can-i-ephemeralcontainers', review({ resourceAttributes: { namespace: 'pxc', verb: 'patch', resource: 'pods', subresource: 'ephemeralcontainers' } }));
  write('can-i-named-resource', review({ resourceAttributes: { namespace: 'pxc', verb: 'get', resource: 'pods', name: 'mypod' } }));
  write('can-i-all-namespaces', review({ resourceAttributes: { verb: 'list', group: 'apps', resource: 'deployments' } }));
  write('can-i-nonresource', review({ nonResourceAttributes: { path: '/healthz', verb: 'get' } }));
  write('can-i-list', {
    kind: 'SelfSubjectRulesReview', apiVersion: 'authorization.k8s.io/v1', metadata: noMeta,
    spec: { namespace: 'pxc' }, status: { resourceRules: null, nonResourceRules: null, incomplete: false },
  });
  write('whoami', { kind: 'SelfSubjectReview', apiVersion: 'authentication.k8s.io/v1', metadata: noMeta, status: { userInfo: {} } });
  write('create-token', {
    kind: 'TokenRequest', apiVersion: 'authentication.k8s.io/v1', metadata: noMeta,
    spec: { audiences: null, expirationSeconds: null, boundObjectRef: null }, status: { token: '', expirationTimestamp: null },
  });
  write('create-token-bound', {
    kind: 'TokenRequest', apiVersion: 'authentication.k8s.io/v1', metadata: noMeta,
    spec: {
      audiences: ['vault', 'api'], expirationSeconds: 600,
      boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'mypod', uid: '5b1f0c8e-2c1a-4a7e-9d1e-0b6f2a9c3d41' },
    },
    status: { token: '', expirationTimestamp: null },
  });
  write('create-namespace', { kind: 'Namespace', apiVersion: 'v1', metadata: { name: 'scratch', creationTimestamp: null }, spec: {}, status: {} });
  // --replace deletes the original pod at once.
  write('copy-to-replace.1', { kind: 'DeleteOptions', apiVersion: 'v1', gracePeriodSeconds: 0 });
  const namespaced = (name: string) => ({ name, namespace: 'pxc', creationTimestamp: null });
  write('observe-create-serviceaccount', { kind: 'ServiceAccount', apiVersion: 'v1', metadata: namespaced('bot') });
  write('observe-create-secret', { kind: 'Secret', apiVersion: 'v1', metadata: namespaced('s1'), data: { k: Buffer.from('v').toString('base64') } });
  write('observe-create-configmap', { kind: 'ConfigMap', apiVersion: 'v1', metadata: namespaced('c1'), data: { k: 'v' } });

  // kubectl certificate approve sends the stored object back with an Approved condition.
  const previous = existsSync(path.join(HERE, 'certificate-approve.expected.json'))
    ? read('certificate-approve.expected.json').status.conditions.find((c: Obj) => c.type === 'Approved')?.lastUpdateTime
    : undefined;
  const approvedAt = process.env.APPROVED_AT ?? previous;
  if (!approvedAt) throw new Error('set APPROVED_AT to the time kubectl stamped on the Approved condition');
  const csr = read('source-csr.json');
  csr.status.conditions.push({
    type: 'Approved', status: 'True', reason: 'KubectlApprove',
    message: 'This CSR was approved by kubectl certificate approve.', lastUpdateTime: approvedAt, lastTransitionTime: null,
  });
  write('certificate-approve', csr);
}

// ---- kubectl debug node/NAME: the node debug pod, per profile ----

const HOST_NAMESPACES = { hostNetwork: true, hostPID: true, hostIPC: true };
const RESTRICTED = {
  capabilities: { drop: ['ALL'] }, runAsNonRoot: true, allowPrivilegeEscalation: false, seccompProfile: { type: 'RuntimeDefault' },
};

function nodeDebugPod(kase: string, profile: { hostRoot?: boolean; spec?: Obj; container?: Obj }): Obj {
  return {
    metadata: { name: nameIn(kase, /node-debugger-node-a-\w+/) },
    spec: {
      ...(profile.hostRoot ? { volumes: [{ name: 'host-root', hostPath: { path: '/' } }] } : {}),
      containers: [{
        name: 'debugger', image: 'busybox', command: ['true'], terminationMessagePolicy: 'File',
        ...(profile.hostRoot ? { volumeMounts: [{ name: 'host-root', mountPath: '/host' }] } : {}),
        ...profile.container,
      }],
      restartPolicy: 'Never', nodeName: 'node-a', tolerations: [{ operator: 'Exists' }],
      ...profile.spec,
    },
  };
}

const nodeDebugPods: Record<string, Obj> = {
  'node-debug-general': nodeDebugPod('node-debug-general', { hostRoot: true, spec: HOST_NAMESPACES }),
  'node-debug-legacy': nodeDebugPod('node-debug-legacy', { hostRoot: true, spec: HOST_NAMESPACES }),
  'node-debug-baseline': nodeDebugPod('node-debug-baseline', {}),
  'node-debug-restricted': nodeDebugPod('node-debug-restricted', { container: { securityContext: RESTRICTED } }),
  'node-debug-netadmin': nodeDebugPod('node-debug-netadmin', {
    spec: HOST_NAMESPACES, container: { securityContext: { capabilities: { add: ['NET_ADMIN', 'NET_RAW'] } } },
  }),
  'node-debug-sysadmin': nodeDebugPod('node-debug-sysadmin', {
    hostRoot: true, spec: HOST_NAMESPACES, container: { securityContext: { privileged: true } },
  }),
  // general, then custom-container.json merged over the container, then --env, --image-pull-policy, -i.
  'node-debug-custom': nodeDebugPod('node-debug-custom', {
    hostRoot: true, spec: HOST_NAMESPACES,
    container: {
      command: ['sh', '-c', 'sleep 1'], workingDir: '/host',
      ports: [{ name: 'dbg', containerPort: 2345, protocol: 'TCP' }],
      env: [{ name: 'DEBUG', value: '1' }, { name: 'MODE', value: 'x' }],
      resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '100m' } },
      volumeMounts: [{ name: 'host-root', mountPath: '/host', readOnly: true }],
      imagePullPolicy: 'Never', stdin: true,
      securityContext: { runAsUser: 0, runAsNonRoot: false, readOnlyRootFilesystem: false },
    },
  }),
};

// ---- kubectl debug POD --copy-to: the copy of source-pod.json ----

/** What every copy does: a fresh name, the source's spec without ephemeral containers. */
function podCopy(keep: { labels?: boolean; annotations?: boolean; probes?: boolean; node?: boolean }): Obj {
  const source = read('source-pod.json');
  const metadata: Obj = { name: 'mycopy', namespace: 'pxc' };
  if (keep.labels) metadata.labels = source.metadata.labels;
  if (keep.annotations) metadata.annotations = source.metadata.annotations;
  const spec = source.spec;
  delete spec.ephemeralContainers;
  if (!keep.node) delete spec.nodeName;
  if (!keep.probes) {
    for (const c of spec.containers) for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) delete c[probe];
  }
  return { metadata, spec };
}

const debugContainer = (name: string, fields: Obj) => ({
  name, image: 'busybox', resources: {}, terminationMessagePolicy: 'File', ...fields,
});

function podCopies(): Record<string, Obj> {
  // --set-image=*=busybox --share-processes --same-node --container=app -- sh, legacy profile:
  // labels dropped, annotations and probes kept; the command replaces app's command and args.
  const legacy = podCopy({ annotations: true, probes: true, node: true });
  legacy.spec.shareProcessNamespace = true;
  for (const c of legacy.spec.containers) c.image = 'busybox';
  const app = legacy.spec.containers.find((c: Obj) => c.name === 'app');
  app.command = ['sh'];
  delete app.args;

  // --image=busybox --profile=general -it: a new container that may trace processes.
  // (The source sets shareProcessNamespace: false explicitly, and general keeps it.)
  const general = podCopy({});
  general.spec.containers.push(debugContainer(nameIn('copy-to-general', /debugger-\w+/), {
    securityContext: { capabilities: { add: ['SYS_PTRACE'] } }, stdin: true, tty: true,
  }));

  // --replace --image=busybox --profile=sysadmin
  const sysadmin = podCopy({});
  sysadmin.spec.containers.push(debugContainer(nameIn('copy-to-replace', /debugger-\w+/), { securityContext: { privileged: true } }));

  // --image=busybox --container=dbg --profile=restricted, every --keep-* flag, --same-node -- sleep 1d
  const keepAll = podCopy({ labels: true, annotations: true, probes: true, node: true });
  keepAll.spec.containers.push(debugContainer('dbg', { command: ['sleep', '1d'], securityContext: RESTRICTED }));

  return { 'copy-to': legacy, 'copy-to-general': general, 'copy-to-replace.0': sysadmin, 'copy-to-keep-all': keepAll };
}

// ---- Go's JSON form of a pod, from kubectl itself ----

async function withDiscovery<T>(fn: (kubeconfig: string, cacheDir: string) => Promise<T>): Promise<T> {
  const answers: Record<string, unknown> = {
    '/version': { major: '1', minor: '32', gitVersion: 'v1.32.4' },
    '/api': { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1:0' }] },
    '/apis': { kind: 'APIGroupList', apiVersion: 'v1', groups: [] },
    '/api/v1': {
      kind: 'APIResourceList', groupVersion: 'v1',
      resources: [{ name: 'pods', singularName: 'pod', namespaced: true, kind: 'Pod', verbs: ['create', 'get', 'list'] }],
    },
  };
  const server = http.createServer((req, res) => {
    const answer = answers[new URL(req.url ?? '/', 'http://x').pathname];
    res.writeHead(answer ? 200 : 404, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(answer ?? { kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 404 }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const dir = mkdtempSync(path.join(tmpdir(), 'pb-expected-'));
  const kubeconfig = path.join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, [
    'apiVersion: v1', 'kind: Config', 'current-context: c',
    `clusters: [{name: c, cluster: {server: "http://127.0.0.1:${(server.address() as AddressInfo).port}"}}]`,
    'users: [{name: u, user: {token: t}}]', 'contexts: [{name: c, context: {cluster: c, user: u}}]', '',
  ].join('\n'));
  try {
    return await fn(kubeconfig, path.join(dir, 'cache'));
  } finally {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function kubectl(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(KUBECTL, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`kubectl ${args[4]}: ${err}`))));
  });
}

async function goJSON(kubeconfig: string, cacheDir: string, pod: Obj): Promise<Obj> {
  // Merge the pod over what `kubectl run` generates, erasing what run adds and the pod lacks.
  const overrides = structuredClone(pod);
  overrides.metadata.labels = { run: null, ...overrides.metadata.labels };
  for (const key of ['restartPolicy', 'dnsPolicy']) if (!(key in overrides.spec)) overrides.spec[key] = null;
  const out = await kubectl([
    '--kubeconfig', kubeconfig, '--cache-dir', cacheDir, 'run', pod.metadata.name, '--image=placeholder',
    '-n', pod.metadata.namespace ?? 'default', '--dry-run=client', '-o', 'json',
    '--override-type=merge', `--overrides=${JSON.stringify(overrides)}`,
  ]);
  const result = JSON.parse(out);
  // run fills in the namespace it runs in; the node debug pod is sent without one.
  if (!pod.metadata.namespace) delete result.metadata.namespace;
  return result;
}

writeSmallObjects();
await withDiscovery(async (kubeconfig, cacheDir) => {
  for (const [name, pod] of Object.entries({ ...nodeDebugPods, ...podCopies() })) {
    write(name, await goJSON(kubeconfig, cacheDir, pod));
  }
});
