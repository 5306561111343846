// kubectl's write paths against the dev cluster with kubectl's default validation: apply,
// create, replace, edit, diff, server dry-run and explain. They all start by reading the
// OpenAPI v3 documents (dev/cluster/openapi.ts) to learn whether the server validates
// fields itself (then kubectl sends ?fieldValidation=Strict) and, for apply, to compute
// strategic merge patches.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectl, startDevCluster, type RunningDevCluster } from './harness';

let cluster: RunningDevCluster;

beforeAll(async () => {
  cluster = await startDevCluster('demo');
});

afterAll(async () => {
  expect(await cluster?.stop()).toBe(0);
});

const run = (args: string[], input?: string) => kubectl(cluster, args, { input });

async function getJson(args: string[]) {
  const r = await run([...args, '-o', 'json']);
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout);
}

function podYaml(label: string, name = 'applied'): string {
  return `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: default
  labels:
    app: ${label}
  annotations:
    note: first
spec:
  volumes:
  - name: scratch
    emptyDir: {}
  containers:
  - name: app
    image: busybox
    command: [sleep, "3600"]
    env:
    - name: MODE
      value: test
    ports:
    - containerPort: 8080
      name: http
    resources:
      requests:
        cpu: 10m
    volumeMounts:
    - name: scratch
      mountPath: /scratch
`;
}

const RBAC = (verbs: string) => `apiVersion: v1
kind: Namespace
metadata:
  name: team-a
  labels:
    team: a
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: reader
  namespace: team-a
rules:
- apiGroups: [""]
  resources: [pods]
  verbs: [${verbs}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: reader
  namespace: team-a
subjects:
- kind: User
  name: alice
  apiGroup: rbac.authorization.k8s.io
roleRef:
  kind: Role
  name: reader
  apiGroup: rbac.authorization.k8s.io
`;

const configMap = (name: string, mode: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
  namespace: default
data:
  mode: ${mode}
`;

describe('kubectl apply (client-side) with default validation', () => {
  it('creates a pod, asking the server to validate fields strictly', async () => {
    const r = await run(['apply', '-f', '-', '-v=6'], podYaml('one'));
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('pod/applied created\n');
    expect(r.stderr).toMatch(/GET https:\/\/\S+\/openapi\/v3\?timeout=32s 200 OK/);
    expect(r.stderr).toMatch(/GET https:\/\/\S+\/openapi\/v3\/api\/v1\?hash=[0-9A-F]{128}&timeout=32s 200 OK/);
    expect(r.stderr).toMatch(/POST https:\/\/\S+\/api\/v1\/namespaces\/default\/pods\?fieldManager=kubectl-client-side-apply&fieldValidation=Strict 201 Created/);
    // No fallback to OpenAPI v2 (the dev cluster does not serve it) and no client-side validation.
    expect(r.stderr).not.toMatch(/openapi\/v2|falling back/);
    const pod = await getJson(['get', 'pod', '-n', 'default', 'applied']);
    expect(pod.metadata.labels).toEqual({ app: 'one' });
    const lastApplied = JSON.parse(pod.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']);
    expect(lastApplied.metadata.labels).toEqual({ app: 'one' });
    expect(lastApplied.spec.containers[0].env).toEqual([{ name: 'MODE', value: 'test' }]);
  });

  it('configures a changed pod with a strategic merge patch computed from the OpenAPI v3 schema', async () => {
    const changed = podYaml('two').replace('note: first', 'note: second');
    const r = await run(['apply', '-f', '-', '-v=8'], changed);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('pod/applied configured\n');
    // kubectl warns and falls back to its compiled-in types when the schema cannot compute the patch.
    expect(r.stderr).not.toMatch(/warning|error calculating patch/i);
    expect(r.stderr).toMatch(/PATCH https:\/\/\S+\/api\/v1\/namespaces\/default\/pods\/applied\?fieldManager=kubectl-client-side-apply&fieldValidation=Strict/);
    expect(r.stderr).toMatch(/Content-Type: application\/strategic-merge-patch\+json/);
    const pod = await getJson(['get', 'pod', '-n', 'default', 'applied']);
    expect(pod.metadata.labels).toEqual({ app: 'two' });
    expect(pod.metadata.annotations.note).toBe('second');
    const lastApplied = JSON.parse(pod.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']);
    expect(lastApplied.metadata.labels).toEqual({ app: 'two' });
    expect(pod.spec.containers[0].env).toEqual([{ name: 'MODE', value: 'test' }]);

    const again = await run(['apply', '-f', '-'], changed);
    expect(again.stdout).toBe('pod/applied unchanged\n');
    expect(again.stderr).toBe('');
  });

  it('removes a label dropped from the manifest (three-way merge against last-applied)', async () => {
    const withExtra = podYaml('two').replace('    app: two\n', '    app: two\n    tier: web\n').replace('note: first', 'note: second');
    expect((await run(['apply', '-f', '-'], withExtra)).stdout).toBe('pod/applied configured\n');
    expect((await getJson(['get', 'pod', '-n', 'default', 'applied'])).metadata.labels).toEqual({ app: 'two', tier: 'web' });
    const withoutExtra = podYaml('two').replace('note: first', 'note: second');
    expect((await run(['apply', '-f', '-'], withoutExtra)).stdout).toBe('pod/applied configured\n');
    expect((await getJson(['get', 'pod', '-n', 'default', 'applied'])).metadata.labels).toEqual({ app: 'two' });
  });

  it('applies a namespace, a Role and a RoleBinding (rbac.authorization.k8s.io), then reconfigures the Role', async () => {
    const created = await run(['apply', '-f', '-'], RBAC('get, list'));
    expect(created.stderr).toBe('');
    expect(created.stdout).toBe(
      'namespace/team-a created\nrole.rbac.authorization.k8s.io/reader created\nrolebinding.rbac.authorization.k8s.io/reader created\n',
    );
    const changed = await run(['apply', '-f', '-'], RBAC('get, list, watch'));
    expect(changed.stderr).toBe('');
    expect(changed.stdout).toBe(
      'namespace/team-a unchanged\nrole.rbac.authorization.k8s.io/reader configured\nrolebinding.rbac.authorization.k8s.io/reader unchanged\n',
    );
    const role = await getJson(['get', 'role', '-n', 'team-a', 'reader']);
    expect(role.rules).toEqual([{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] }]);
    const ns = await getJson(['get', 'namespace', 'team-a']);
    expect(ns.metadata.labels).toMatchObject({ team: 'a' });
  });
});

describe('kubectl create, replace and edit', () => {
  it('creates and replaces a configmap from a file', async () => {
    const created = await run(['create', '-f', '-', '-v=6'], configMap('settings', 'fast'));
    expect(created.stdout).toBe('configmap/settings created\n');
    expect(created.stderr).toMatch(/POST https:\/\/\S+\/api\/v1\/namespaces\/default\/configmaps\?fieldManager=kubectl-create&fieldValidation=Strict 201 Created/);
    const again = await run(['create', '-f', '-'], configMap('settings', 'fast'));
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/Error from server \(AlreadyExists\).*configmaps "settings" already exists/);

    const replaced = await run(['replace', '-f', '-', '-v=6'], configMap('settings', 'slow'));
    expect(replaced.stdout).toBe('configmap/settings replaced\n');
    expect(replaced.stderr).toMatch(/PUT https:\/\/\S+\/api\/v1\/namespaces\/default\/configmaps\/settings\?fieldManager=kubectl-replace&fieldValidation=Strict 200 OK/);
    expect((await getJson(['get', 'configmap', '-n', 'default', 'settings'])).data).toEqual({ mode: 'slow' });
  });

  it('edits a configmap through $KUBE_EDITOR', async () => {
    const previous = process.env.KUBE_EDITOR;
    process.env.KUBE_EDITOR = 'sed -i s/mode:\\ slow/mode:\\ medium/';
    try {
      const r = await run(['edit', 'configmap', '-n', 'default', 'settings', '-v=6']);
      expect(r.stdout).toBe('configmap/settings edited\n');
      expect(r.stderr).toMatch(/PATCH https:\/\/\S+\/api\/v1\/namespaces\/default\/configmaps\/settings\?fieldManager=kubectl-edit&fieldValidation=Strict 200 OK/);
    } finally {
      if (previous === undefined) delete process.env.KUBE_EDITOR;
      else process.env.KUBE_EDITOR = previous;
    }
    expect((await getJson(['get', 'configmap', '-n', 'default', 'settings'])).data).toEqual({ mode: 'medium' });
  });
});

describe('server-side dry run and diff', () => {
  it('apply --dry-run=server does not create a new object', async () => {
    const r = await run(['apply', '-f', '-', '--dry-run=server'], configMap('dry', 'x'));
    expect(r.stdout).toBe('configmap/dry created (server dry run)\n');
    expect(r.stderr).toBe('');
    const get = await run(['get', 'configmap', '-n', 'default', 'dry']);
    expect(get.stderr).toMatch(/NotFound/);
  });

  it('diff shows a new object without creating it, and nothing for an unchanged one', async () => {
    const fresh = await run(['diff', '-f', '-'], configMap('fresh', 'x'));
    expect(fresh.code).toBe(1); // differences found
    expect(fresh.stdout).toMatch(/^\+  mode: x$/m);
    expect(fresh.stdout).toMatch(/^\+  name: fresh$/m);
    expect((await run(['get', 'configmap', '-n', 'default', 'fresh'])).stderr).toMatch(/NotFound/);

    const same = await run(['diff', '-f', '-'], podYaml('two').replace('note: first', 'note: second'));
    expect(same.stderr).toBe('');
    expect(same.stdout).toBe('');
    expect(same.code).toBe(0);
  });

  // Known gap, outside openapi.ts: server.ts honours ?dryRun=All on create only, so the
  // dry-run PATCH that `apply --dry-run=server` and `diff` send for an existing object is
  // persisted. This starts passing (and must lose `.fails`) once PATCH/PUT honour dryRun.
  it('apply --dry-run=server and diff leave an existing object alone', async () => {
    await run(['apply', '-f', '-'], configMap('kept', 'original'));
    const dry = await run(['apply', '-f', '-', '--dry-run=server'], configMap('kept', 'dry'));
    expect(dry.stdout).toBe('configmap/kept configured (server dry run)\n');
    const diff = await run(['diff', '-f', '-'], configMap('kept', 'diffed'));
    expect(diff.stdout).toMatch(/^-  mode: original$/m);
    expect(diff.stdout).toMatch(/^\+  mode: diffed$/m);
    expect((await getJson(['get', 'configmap', '-n', 'default', 'kept'])).data).toEqual({ mode: 'original' });
  });
});

describe('field validation', () => {
  // Known gap, outside openapi.ts: kubectl sends ?fieldValidation=Strict (the documents
  // advertise it) but server.ts does not call openapi.checkFields yet, so unknown fields are
  // accepted and stored. This starts passing (and must lose `.fails`) once it does.
  it('rejects unknown fields under kubectl\'s default fieldValidation=Strict', async () => {
    const manifest = podYaml('x', 'unknown-field').replace('  - name: app\n', '  - name: app\n    foo: bar\n');
    const r = await run(['apply', '-f', '-'], manifest);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/strict decoding error: unknown field "spec.containers\[0\].foo"/);
  });

  it('lets --validate=false through (kubectl then sends fieldValidation=Ignore)', async () => {
    const r = await run(['apply', '-f', '-', '--validate=false', '-v=6'], configMap('unvalidated', 'x'));
    expect(r.stdout).toBe('configmap/unvalidated created\n');
    expect(r.stderr).toMatch(/fieldValidation=Ignore/);
  });
});

describe('kubectl explain (reads the OpenAPI v3 schemas)', () => {
  it('explains pods and their fields', async () => {
    const pods = await run(['explain', 'pods']);
    expect(pods.stderr).toBe('');
    expect(pods.stdout).toMatch(/^KIND:\s+Pod\nVERSION:\s+v1\n/);
    expect(pods.stdout).toMatch(/Pod is a collection of containers that can run on a host/);
    expect(pods.stdout).toMatch(/^  spec\t<PodSpec>$/m);
    const ports = await run(['explain', 'pods.spec.containers.ports']);
    expect(ports.stdout).toMatch(/^FIELD: ports <\[\]ContainerPort>$/m);
    expect(ports.stdout).toMatch(/^  containerPort\t<integer> -required-$/m);
    const rules = await run(['explain', 'roles.rules']);
    expect(rules.stdout).toMatch(/^GROUP:\s+rbac\.authorization\.k8s\.io\nKIND:\s+Role\n/);
    const missing = await run(['explain', 'pods.spec.nonsense']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/field "nonsense" does not exist/);
  });
});

describe('delete --dry-run=server', () => {
  it('answers as a delete would and keeps the object', async () => {
    const r = await kubectl(cluster, ['delete', 'pod', '-n', 'pxc', 'cluster1-pxc-0', '--dry-run=server']);
    expect(r.stdout).toContain('pod "cluster1-pxc-0" deleted (server dry run)');
    const still = await kubectl(cluster, ['get', 'pod', '-n', 'pxc', 'cluster1-pxc-0', '-o', 'name']);
    expect(still.stdout.trim()).toBe('pod/cluster1-pxc-0');
  });
});
