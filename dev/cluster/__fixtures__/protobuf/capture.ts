/**
 * Regenerates the protobuf request-body fixtures from the real kubectl.
 *
 *   npx tsx dev/cluster/__fixtures__/protobuf/capture.ts [path/to/kubectl]
 *
 * Starts a throwaway plain-HTTP API server on 127.0.0.1 that answers just
 * enough for kubectl (version, legacy discovery, a GET of `pxc/mypod` from
 * source-pod.json and of `node-a`), runs each command in CASES against it, and
 * records every request that carries a body. A protobuf body is written
 * verbatim to `<case>.pb` (`<case>.<n>.pb` when a command sends several);
 * `captured.json` lists every case with its requests (method, path,
 * content type, and JSON bodies inline), which is the record of what kubectl
 * sends as protobuf and what as JSON.
 *
 * The expected decodings (`<case>.expected.json`) are not derived from these
 * bytes: expected.ts writes them from source-pod.json / source-csr.json and
 * what each command is known to change. Run it after a recapture — kubectl
 * picks random suffixes for node debug pods and debug containers, and stamps
 * the CSR approval with the current time (pass it as APPROVED_AT).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

const HERE = import.meta.dirname;
const KUBECTL = process.argv[2] ?? '/usr/bin/kubectl';

const CUSTOM_CONTAINER = {
  env: [{ name: 'DEBUG', value: '1' }],
  ports: [{ name: 'dbg', containerPort: 2345, protocol: 'TCP' }],
  resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '100m' } },
  volumeMounts: [{ name: 'host-root', mountPath: '/host', readOnly: true }],
  workingDir: '/host',
  securityContext: { runAsUser: 0, runAsNonRoot: false, readOnlyRootFilesystem: false },
};

/** name → kubectl arguments (the kubeconfig and cache dir are added). */
const CASES: Record<string, string[]> = {
  'can-i-ephemeralcontainers': ['auth', 'can-i', 'patch', 'pods', '--subresource=ephemeralcontainers', '-n', 'pxc'],
  'can-i-named-resource': ['auth', 'can-i', 'get', 'pods/mypod', '-n', 'pxc'],
  'can-i-all-namespaces': ['auth', 'can-i', 'list', 'deployments.apps', '-A'],
  'can-i-nonresource': ['auth', 'can-i', 'get', '/healthz'],
  'can-i-list': ['auth', 'can-i', '--list', '-n', 'pxc'],
  'whoami': ['auth', 'whoami'],
  'node-debug-general': ['debug', 'node/node-a', '--image=busybox', '--profile=general', '--', 'true'],
  'node-debug-baseline': ['debug', 'node/node-a', '--image=busybox', '--profile=baseline', '--', 'true'],
  'node-debug-restricted': ['debug', 'node/node-a', '--image=busybox', '--profile=restricted', '--', 'true'],
  'node-debug-netadmin': ['debug', 'node/node-a', '--image=busybox', '--profile=netadmin', '--', 'true'],
  'node-debug-sysadmin': ['debug', 'node/node-a', '--image=busybox', '--profile=sysadmin', '--', 'true'],
  'node-debug-legacy': ['debug', 'node/node-a', '--image=busybox', '--profile=legacy', '--', 'true'],
  'node-debug-custom': [
    'debug', 'node/node-a', '--image=busybox', '--profile=general', `--custom=${path.join(HERE, 'custom-container.json')}`,
    '--env=MODE=x', '--image-pull-policy=Never', '-i', '--tty=false', '--attach=false', '--', 'sh', '-c', 'sleep 1',
  ],
  // As in the brief, plus --container: kubectl refuses `-- sh` without --image or --container.
  'copy-to': [
    'debug', 'mypod', '-n', 'pxc', '--copy-to=mycopy', '--set-image=*=busybox', '--share-processes', '--same-node',
    '--container=app', '--', 'sh',
  ],
  'copy-to-general': ['debug', 'mypod', '-n', 'pxc', '--copy-to=mycopy', '--image=busybox', '--profile=general', '-it', '--attach=false'],
  'copy-to-keep-all': [
    'debug', 'mypod', '-n', 'pxc', '--copy-to=mycopy', '--image=busybox', '--container=dbg', '--profile=restricted',
    '--keep-labels', '--keep-annotations', '--keep-liveness', '--keep-readiness', '--keep-startup', '--keep-init-containers',
    '--same-node', '--', 'sleep', '1d',
  ],
  'copy-to-replace': ['debug', 'mypod', '-n', 'pxc', '--copy-to=mycopy', '--replace', '--image=busybox', '--profile=sysadmin'],
  'create-token': ['create', 'token', 'default', '-n', 'pxc'],
  'create-token-bound': [
    'create', 'token', 'web', '-n', 'pxc', '--audience=vault', '--audience=api', '--duration=10m',
    '--bound-object-kind=Pod', '--bound-object-name=mypod', '--bound-object-uid=5b1f0c8e-2c1a-4a7e-9d1e-0b6f2a9c3d41',
  ],
  'delete-pod': ['delete', 'pod', 'mypod', '-n', 'pxc', '--wait=false'],
  'delete-pod-grace': ['delete', 'pod', 'mypod', '-n', 'pxc', '--grace-period=0', '--force', '--wait=false'],
  'create-namespace': ['create', 'namespace', 'scratch'],
  // The one command seen that sends a whole stored object (full metadata and status) back:
  // it GETs source-csr.json, appends an Approved condition stamped with the current time.
  'certificate-approve': ['certificate', 'approve', 'csr-1'],
  // Beyond the debugging workflows: what else kubectl sends, and in which encoding (see
  // captured.json). run, cordon, label and drain send JSON; the rbac Role has no schema.
  'observe-run': ['run', 'tmp', '--image=busybox', '-n', 'pxc', '--restart=Never', '--', 'true'],
  'observe-create-serviceaccount': ['create', 'serviceaccount', 'bot', '-n', 'pxc'],
  'observe-create-secret': ['create', 'secret', 'generic', 's1', '--from-literal=k=v', '-n', 'pxc'],
  'observe-create-configmap': ['create', 'configmap', 'c1', '--from-literal=k=v', '-n', 'pxc'],
  'observe-create-role': ['create', 'role', 'r1', '--verb=get', '--resource=pods', '-n', 'pxc'],
  'observe-cordon': ['cordon', 'node-a'],
  'observe-label': ['label', 'pod', 'mypod', 'x=y', '-n', 'pxc'],
  'observe-drain': ['drain', 'node-a', '--ignore-daemonsets', '--delete-emptydir-data', '--force', '--timeout=2s'],
};

interface Recorded {
  method: string;
  path: string;
  contentType?: string;
  body?: unknown;
  bodyFile?: string;
}

const json = (res: http.ServerResponse, code: number, body: unknown) => {
  res.writeHead(code, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
};

const resource = (name: string, kind: string, namespaced: boolean, verbs: string[]) => ({
  name, singularName: name.includes('/') ? '' : kind.toLowerCase(), namespaced, kind, verbs,
});

const DISCOVERY: Record<string, unknown> = {
  '/api': { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1:0' }] },
  '/apis': {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: ['authorization.k8s.io', 'authentication.k8s.io', 'apps', 'rbac.authorization.k8s.io', 'policy', 'certificates.k8s.io'].map((g) => ({
      name: g, versions: [{ groupVersion: `${g}/v1`, version: 'v1' }], preferredVersion: { groupVersion: `${g}/v1`, version: 'v1' },
    })),
  },
  '/api/v1': {
    kind: 'APIResourceList', groupVersion: 'v1', resources: [
      resource('pods', 'Pod', true, ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch']),
      resource('pods/ephemeralcontainers', 'Pod', true, ['get', 'patch', 'update']),
      resource('pods/exec', 'PodExecOptions', true, ['create', 'get']),
      resource('pods/attach', 'PodAttachOptions', true, ['create', 'get']),
      resource('pods/log', 'Pod', true, ['get']),
      resource('nodes', 'Node', false, ['get', 'list', 'watch']),
      resource('namespaces', 'Namespace', false, ['create', 'delete', 'get', 'list', 'watch']),
      resource('serviceaccounts', 'ServiceAccount', true, ['create', 'get', 'list']),
      resource('secrets', 'Secret', true, ['create', 'get', 'list']),
      resource('configmaps', 'ConfigMap', true, ['create', 'get', 'list']),
      { ...resource('pods/eviction', 'Eviction', true, ['create']), group: 'policy', version: 'v1' },
      { ...resource('serviceaccounts/token', 'TokenRequest', true, ['create']), group: 'authentication.k8s.io', version: 'v1' },
    ],
  },
  '/apis/authorization.k8s.io/v1': {
    kind: 'APIResourceList', apiVersion: 'v1', groupVersion: 'authorization.k8s.io/v1', resources: [
      resource('selfsubjectaccessreviews', 'SelfSubjectAccessReview', false, ['create']),
      resource('selfsubjectrulesreviews', 'SelfSubjectRulesReview', false, ['create']),
    ],
  },
  '/apis/authentication.k8s.io/v1': {
    kind: 'APIResourceList', apiVersion: 'v1', groupVersion: 'authentication.k8s.io/v1', resources: [
      resource('selfsubjectreviews', 'SelfSubjectReview', false, ['create']),
      resource('tokenreviews', 'TokenReview', false, ['create']),
    ],
  },
  '/apis/apps/v1': {
    kind: 'APIResourceList', apiVersion: 'v1', groupVersion: 'apps/v1',
    resources: [resource('deployments', 'Deployment', true, ['create', 'get', 'list'])],
  },
  '/apis/certificates.k8s.io/v1': {
    kind: 'APIResourceList', apiVersion: 'v1', groupVersion: 'certificates.k8s.io/v1', resources: [
      resource('certificatesigningrequests', 'CertificateSigningRequest', false, ['create', 'get', 'list', 'update']),
      resource('certificatesigningrequests/approval', 'CertificateSigningRequest', false, ['get', 'patch', 'update']),
    ],
  },
  '/apis/policy/v1': {
    kind: 'APIResourceList', apiVersion: 'v1', groupVersion: 'policy/v1',
    resources: [resource('poddisruptionbudgets', 'PodDisruptionBudget', true, ['get', 'list'])],
  },
  '/apis/rbac.authorization.k8s.io/v1': {
    kind: 'APIResourceList', apiVersion: 'v1', groupVersion: 'rbac.authorization.k8s.io/v1',
    resources: [resource('roles', 'Role', true, ['create', 'get', 'list'])],
  },
};

const NODE = {
  kind: 'Node', apiVersion: 'v1',
  metadata: { name: 'node-a', uid: 'a1', resourceVersion: '7', labels: { 'kubernetes.io/hostname': 'node-a' } },
  spec: {}, status: { conditions: [{ type: 'Ready', status: 'True' }] },
};

const sourcePod = () => JSON.parse(readFileSync(path.join(HERE, 'source-pod.json'), 'utf8'));
const sourceCSR = () => JSON.parse(readFileSync(path.join(HERE, 'source-csr.json'), 'utf8'));

/** A plausible answer to a write, so kubectl goes on as it would against an apiserver. */
function answerWrite(method: string, urlPath: string): [number, unknown] {
  const parts = urlPath.split('/').filter(Boolean);
  const last = parts[parts.length - 1];
  if (method === 'PATCH') return [200, parts.includes('nodes') ? NODE : sourcePod()];
  if (method === 'PUT' && last === 'approval') return [200, sourceCSR()];
  if (method === 'DELETE') return [200, { ...sourcePod(), metadata: { ...sourcePod().metadata, deletionTimestamp: '2026-11-27T00:00:00Z' } }];
  switch (last) {
    case 'selfsubjectaccessreviews':
      return [201, { kind: 'SelfSubjectAccessReview', apiVersion: 'authorization.k8s.io/v1', metadata: {}, spec: {}, status: { allowed: true, reason: 'capture' } }];
    case 'selfsubjectrulesreviews':
      return [201, {
        kind: 'SelfSubjectRulesReview', apiVersion: 'authorization.k8s.io/v1', metadata: {}, spec: {},
        status: { resourceRules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }], nonResourceRules: [], incomplete: false },
      }];
    case 'selfsubjectreviews':
      return [201, { kind: 'SelfSubjectReview', apiVersion: 'authentication.k8s.io/v1', metadata: {}, status: { userInfo: { username: 'capture', groups: ['system:authenticated'] } } }];
    case 'token':
      return [201, { kind: 'TokenRequest', apiVersion: 'authentication.k8s.io/v1', metadata: {}, spec: { audiences: ['https://kubernetes.default.svc'] }, status: { token: 'header.payload.signature', expirationTimestamp: '2026-11-27T01:00:00Z' } }];
    case 'pods':
      return [201, { kind: 'Pod', apiVersion: 'v1', metadata: { name: 'captured', namespace: parts[3] ?? 'default', uid: 'c1', resourceVersion: '9' }, spec: { containers: [{ name: 'debugger', image: 'busybox' }] }, status: { phase: 'Pending' } }];
    case 'namespaces':
      return [201, { kind: 'Namespace', apiVersion: 'v1', metadata: { name: 'scratch', uid: 'n1', resourceVersion: '9' }, spec: {}, status: { phase: 'Active' } }];
    case 'eviction':
      return [201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 }];
    case 'serviceaccounts': case 'secrets': case 'configmaps': case 'roles': {
      const kind = { serviceaccounts: 'ServiceAccount', secrets: 'Secret', configmaps: 'ConfigMap', roles: 'Role' }[last];
      const apiVersion = last === 'roles' ? 'rbac.authorization.k8s.io/v1' : 'v1';
      return [201, { kind, apiVersion, metadata: { name: 'captured', namespace: 'pxc', uid: 'o1', resourceVersion: '9' } }];
    }
    default:
      return [404, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'NotFound', message: `capture: no answer for ${method} ${urlPath}`, code: 404 }];
  }
}

function startServer(record: (r: Recorded, raw: Buffer) => void): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://capture');
      const method = req.method ?? 'GET';
      const raw = Buffer.concat(chunks);
      if (raw.length > 0) {
        const contentType = req.headers['content-type'];
        const r: Recorded = { method, path: url.pathname + url.search, contentType };
        if (!contentType?.includes('protobuf')) r.body = JSON.parse(raw.toString('utf8'));
        record(r, raw);
      } else if (method !== 'GET') {
        record({ method, path: url.pathname + url.search }, raw);
      }
      if (url.pathname === '/version') {
        return json(res, 200, { major: '1', minor: '32', gitVersion: 'v1.32.4', platform: 'linux/amd64' });
      }
      if (method === 'GET' && DISCOVERY[url.pathname]) return json(res, 200, DISCOVERY[url.pathname]);
      if (method === 'GET' && url.pathname === '/api/v1/nodes/node-a') return json(res, 200, NODE);
      if (method === 'GET' && url.pathname === '/api/v1/namespaces/pxc/pods/mypod') return json(res, 200, sourcePod());
      if (method === 'GET' && url.pathname === '/apis/certificates.k8s.io/v1/certificatesigningrequests/csr-1') {
        return json(res, 200, sourceCSR());
      }
      if (method === 'GET' && url.pathname === '/api/v1/pods') {
        return json(res, 200, { kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: '9' }, items: [sourcePod()] });
      }
      if (method === 'GET') {
        return json(res, 404, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'NotFound', message: `capture: ${url.pathname} not found`, code: 404 });
      }
      const [code, body] = answerWrite(method, url.pathname);
      json(res, code, body);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function run(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(KUBECTL, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

async function main() {
  writeFileSync(path.join(HERE, 'custom-container.json'), JSON.stringify(CUSTOM_CONTAINER, null, 2) + '\n');
  let current: Recorded[] = [];
  const currentRaw: Buffer[] = [];
  const server = await startServer((r, raw) => {
    current.push(r);
    currentRaw.push(raw);
  });
  const port = (server.address() as AddressInfo).port;
  const dir = mkdtempSync(path.join(tmpdir(), 'pb-capture-'));
  const kubeconfig = path.join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, [
    'apiVersion: v1', 'kind: Config', 'current-context: capture',
    'clusters:', `- name: capture`, `  cluster: {server: "http://127.0.0.1:${port}"}`,
    'users:', '- name: capture', '  user: {token: capture-token}',
    'contexts:', '- name: capture', '  context: {cluster: capture, user: capture}', '',
  ].join('\n'));

  const summary: Record<string, { args: string[]; exitCode: number | null; output: string; requests: Recorded[] }> = {};
  try {
    for (const [name, args] of Object.entries(CASES)) {
      current = [];
      currentRaw.length = 0;
      const { code, output } = await run(['--kubeconfig', kubeconfig, '--cache-dir', path.join(dir, 'cache'), ...args]);
      const protobuf = current.map((r, i) => [r, i] as const).filter(([r]) => r.contentType?.includes('protobuf'));
      for (const [n, [r, i]] of protobuf.entries()) {
        r.bodyFile = protobuf.length === 1 ? `${name}.pb` : `${name}.${n}.pb`;
        writeFileSync(path.join(HERE, r.bodyFile), currentRaw[i]);
      }
      summary[name] = { args, exitCode: code, output: output.trim(), requests: current };
      console.log(`${name}: exit ${code}, ${current.length} body request(s), ${protobuf.length} protobuf`);
    }
  } finally {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
  writeFileSync(path.join(HERE, 'captured.json'), JSON.stringify(summary, null, 2) + '\n');
}

await main();
