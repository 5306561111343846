import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  buildOpenAPIV3Document,
  buildOpenAPIV3Service,
  checkFields,
  clientNodeCatalog,
  fieldValidationDirective,
  findUnknownFields,
  groupVersionPath,
  kindSchema,
  modelShortName,
  openAPIHash,
  openAPIV3Service,
  parseAttributeTypeMap,
  parseModelDeclaration,
  serveOpenAPIV3,
  setWarnings,
  type Gvk,
  type Model,
  type ModelCatalog,
  type OpenAPIDocument,
} from './openapi';
import { RESOURCES } from './resources';
import { StatusError } from './status';

type Json = Record<string, unknown>;

const service = openAPIV3Service();
const core = service.groupVersions.get('api/v1')!.document;
const rbac = service.groupVersions.get('apis/rbac.authorization.k8s.io/v1')!.document;

function statusOf(fn: () => unknown): { code: number; reason?: string; message?: string } {
  try {
    fn();
  } catch (error) {
    if (error instanceof StatusError) return error.status;
    throw error;
  }
  throw new Error('expected a StatusError');
}

// ---------------------------------------------------------------------------
// What kubectl does with the documents, restated from its sources (client-go openapi3,
// cli-runtime QueryParamVerifierV3, kubectl apply patcher, strategicpatch PatchMetaFromOpenAPIV3).

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

function operationsOf(doc: OpenAPIDocument, gvk: Gvk, method: (typeof METHODS)[number]): Json[] {
  const ops: Json[] = [];
  for (const item of Object.values(doc.paths)) {
    const op = item[method] as Json | undefined;
    const g = op?.['x-kubernetes-group-version-kind'] as Gvk | undefined;
    if (op && g && g.group === gvk.group && g.version === gvk.version && g.kind === gvk.kind) ops.push(op);
  }
  return ops;
}

function resolve(schema: Json | undefined, doc: OpenAPIDocument): Json | undefined {
  let s = schema;
  if (s && Array.isArray(s.allOf) && s.allOf.length > 0) s = s.allOf[0] as Json;
  if (s && typeof s.$ref === 'string') {
    const name = s.$ref.replace('#/components/schemas/', '');
    s = doc.components.schemas[name];
    if (!s) throw new Error(`unable to resolve ${name} in OpenAPI V3`);
  }
  return s;
}

/**
 * Walks a manifest as kubectl's three-way strategic merge patch looks up patch metadata
 * (every map and list in it), failing as PatchMetaFromOpenAPIV3 does on a field missing
 * from `properties`; returns the patch metadata of every list it met, by path.
 */
function walkPatchMeta(doc: OpenAPIDocument, gvk: Gvk, manifest: Json): Record<string, string> {
  const found: Record<string, string> = {};
  const visit = (schema: Json | undefined, value: Json, at: string) => {
    for (const [key, v] of Object.entries(value)) {
      if (v === null || typeof v !== 'object') continue;
      const properties = schema?.properties as Record<string, Json> | undefined;
      if (!properties || !properties[key]) throw new Error(`unable to find api field "${key}" (at ${at || '<root>'})`);
      const property = properties[key];
      const where = at ? `${at}.${key}` : key;
      if (Array.isArray(v)) {
        const meta = [property['x-kubernetes-patch-strategy'], property['x-kubernetes-patch-merge-key']].filter(Boolean).join(' ');
        if (meta) found[where] = meta;
        const items = resolve(property.items as Json | undefined, doc);
        for (const element of v) if (element && typeof element === 'object') visit(items, element as Json, `${where}[]`);
      } else {
        const sub = resolve(property, doc);
        // A map (additionalProperties) of strings needs no lookups below it.
        if (sub?.additionalProperties && !sub.properties) continue;
        visit(sub, v as Json, where);
      }
    }
  };
  const root = kindSchema(doc, gvk);
  if (!root) throw new Error(`no schema for ${JSON.stringify(gvk)}`);
  visit(root, manifest, '');
  return found;
}

const RICH_POD = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'rich',
    namespace: 'default',
    labels: { app: 'rich' },
    annotations: { note: 'one' },
    ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: 'u-1' }],
    finalizers: ['example.com/keep'],
  },
  spec: {
    restartPolicy: 'Always',
    securityContext: { runAsNonRoot: false, seccompProfile: { type: 'RuntimeDefault' } },
    tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoSchedule' }],
    affinity: {
      nodeAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          { weight: 1, preference: { matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['node-a'] }] } },
        ],
      },
    },
    volumes: [{ name: 'scratch', emptyDir: { sizeLimit: '10Mi' } }, { name: 'cfg', configMap: { name: 'c', items: [{ key: 'a', path: 'a' }] } }],
    imagePullSecrets: [{ name: 'regcred' }],
    containers: [
      {
        name: 'app',
        image: 'busybox',
        command: ['sleep', '3600'],
        env: [{ name: 'A', value: '1' }, { name: 'B', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
        envFrom: [{ configMapRef: { name: 'c' } }],
        ports: [{ containerPort: 8080, name: 'http', protocol: 'TCP' }],
        resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { memory: '64Mi' } },
        securityContext: { capabilities: { drop: ['ALL'] } },
        volumeMounts: [{ name: 'scratch', mountPath: '/scratch' }],
        readinessProbe: { exec: { command: ['true'] }, periodSeconds: 5 },
        lifecycle: { preStop: { httpGet: { path: '/stop', port: 'http' } } },
      },
    ],
    ephemeralContainers: [{ name: 'debugger', image: 'busybox', env: [{ name: 'X', value: 'y' }], targetContainerName: 'app' }],
  },
};

// ---------------------------------------------------------------------------

describe('model catalog', () => {
  it('reads attributeTypeMap literals from generated model modules', () => {
    const source = [
      'export class V1Thing {}',
      'V1Thing.discriminator = undefined;',
      'V1Thing.attributeTypeMap = [',
      '    {',
      '        "name": "items",',
      '        "baseName": "items",',
      '        "type": "Array<V1Item>",',
      '        "format": ""',
      '    },',
      '    {',
      '        "name": "_continue",',
      '        "baseName": "continue",',
      '        "type": "number",',
      '        "format": "int64"',
      '    }',
      '];',
    ].join('\n');
    expect(parseAttributeTypeMap(source, 'V1Thing')).toEqual([
      { name: 'items', baseName: 'items', type: 'Array<V1Item>', format: '' },
      { name: '_continue', baseName: 'continue', type: 'number', format: 'int64' },
    ]);
    expect(parseAttributeTypeMap(source, 'V1Other')).toBeUndefined();
    expect(parseAttributeTypeMap('V1Thing.attributeTypeMap = [ { broken ];', 'V1Thing')).toBeUndefined();
  });

  it('reads descriptions and required fields from generated declarations', () => {
    const text = [
      "import { V1ObjectMeta } from '../models/V1ObjectMeta.js';",
      '/**',
      '* A thing with \\"quotes\\" and a pod\\\'s name.',
      '*/',
      'export declare class V1Thing {',
      '    /**',
      '    * Name of the thing.',
      '    */',
      "    'name': string;",
      "    'metadata'?: V1ObjectMeta;",
      '    /**',
      '    * How many.',
      '    */',
      "    'count'?: number;",
      '    static readonly discriminator: string | undefined;',
      '}',
    ].join('\n');
    expect(parseModelDeclaration(text)).toEqual({
      description: 'A thing with "quotes" and a pod\'s name.',
      fieldDescriptions: { name: 'Name of the thing.', count: 'How many.' },
      required: ['name'],
    });
  });

  it('finds client-node models and names them as the apiserver names definitions', () => {
    const catalog = clientNodeCatalog();
    const pod = catalog('V1Pod')!;
    expect(pod.attributes.map((a) => a.baseName)).toEqual(['apiVersion', 'kind', 'metadata', 'spec', 'status']);
    expect(pod.description).toMatch(/^Pod is a collection of containers/);
    expect(catalog('V1Container')!.required).toEqual(['name']);
    expect(catalog('NoSuchModel')).toBeUndefined();
    expect(catalog('../../package')).toBeUndefined();
    expect(modelShortName('V1PodSpec')).toBe('PodSpec');
    expect(modelShortName('CoreV1Event')).toBe('Event');
    expect(modelShortName('RbacV1Subject')).toBe('Subject');
    expect(modelShortName('AuthenticationV1TokenRequest')).toBe('TokenRequest');
    expect(modelShortName('V1beta1Thing')).toBe('Thing');
  });
});

describe('root document', () => {
  it('lists every served group-version with a hashed serverRelativeURL', () => {
    const root = JSON.parse(service.root.body) as { paths: Record<string, { serverRelativeURL: string }> };
    const expected = [...new Set(RESOURCES.map((r) => groupVersionPath(r.group, r.version)))];
    expect(Object.keys(root.paths)).toEqual(expected);
    expect(expected).toEqual(['api/v1', 'apis/rbac.authorization.k8s.io/v1', 'apis/authorization.k8s.io/v1', 'apis/authentication.k8s.io/v1']);
    for (const [key, { serverRelativeURL }] of Object.entries(root.paths)) {
      const gv = service.groupVersions.get(key)!;
      expect(serverRelativeURL).toBe(`/openapi/v3/${key}?hash=${gv.hash}`);
      expect(gv.hash).toBe(openAPIHash(gv.body));
      expect(gv.hash).toMatch(/^[0-9A-F]{128}$/);
    }
  });

  it('is deterministic (hashes only change with content)', () => {
    const again = buildOpenAPIV3Service(clientNodeCatalog());
    expect(again.root.body).toBe(service.root.body);
  });
});

describe('group-version documents', () => {
  it('has collection, item, all-namespaces and subresource paths of each served resource', () => {
    expect(Object.keys(core.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/namespaces',
        '/api/v1/namespaces/{name}',
        '/api/v1/namespaces/{name}/status',
        '/api/v1/nodes/{name}',
        '/api/v1/namespaces/{namespace}/pods',
        '/api/v1/pods',
        '/api/v1/namespaces/{namespace}/pods/{name}',
        '/api/v1/namespaces/{namespace}/pods/{name}/exec',
        '/api/v1/namespaces/{namespace}/pods/{name}/log',
        '/api/v1/namespaces/{namespace}/pods/{name}/ephemeralcontainers',
        '/api/v1/namespaces/{namespace}/serviceaccounts/{name}/token',
        '/api/v1/namespaces/{namespace}/configmaps/{name}',
      ]),
    );
    const pods = core.paths['/api/v1/namespaces/{namespace}/pods'];
    expect(Object.keys(pods).sort()).toEqual(['delete', 'get', 'parameters', 'post']);
    expect((pods.get as Json)['x-kubernetes-action']).toBe('list');
    expect((pods.post as Json)['x-kubernetes-action']).toBe('post');
    expect((pods.post as Json).operationId).toBe('createCoreV1NamespacedPod');
    expect((pods.delete as Json)['x-kubernetes-action']).toBe('deletecollection');
    const pod = core.paths['/api/v1/namespaces/{namespace}/pods/{name}'];
    expect(Object.keys(pod).sort()).toEqual(['delete', 'get', 'parameters', 'patch', 'put']);
    expect((pod.parameters as Json[]).map((p) => p.name)).toEqual(['name', 'namespace', 'pretty']);
    expect((pod.patch as Json).operationId).toBe('patchCoreV1NamespacedPod');
    // Namespaces cannot be deleted as a collection; nothing else is there to invent.
    expect(Object.keys(core.paths['/api/v1/namespaces']).sort()).toEqual(['get', 'parameters', 'post']);
    // Reviews are create-only and have no item path.
    const authz = service.groupVersions.get('apis/authorization.k8s.io/v1')!.document;
    expect(Object.keys(authz.paths)).toEqual(['/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews']);
    expect(Object.keys(authz.paths['/apis/authorization.k8s.io/v1/selfsubjectaccessreviews']).sort()).toEqual(['parameters', 'post']);
    expect(Object.keys(rbac.paths)).toContain('/apis/rbac.authorization.k8s.io/v1/namespaces/{namespace}/rolebindings/{name}');
    expect(Object.keys(rbac.paths)).toContain('/apis/rbac.authorization.k8s.io/v1/clusterroles/{name}');
  });

  it('puts write parameters on the operations and the GVK of the subresource kind on connect and token operations', () => {
    for (const method of ['post', 'put', 'patch'] as const) {
      const op = core.paths['/api/v1/namespaces/{namespace}/pods' + (method === 'post' ? '' : '/{name}')][method] as Json;
      expect((op.parameters as Json[]).map((p) => p.name)).toEqual(expect.arrayContaining(['dryRun', 'fieldManager', 'fieldValidation']));
      expect((op.parameters as Json[]).every((p) => p.in === 'query' && !('$ref' in p))).toBe(true);
    }
    const exec = core.paths['/api/v1/namespaces/{namespace}/pods/{name}/exec'];
    expect((exec.post as Json)['x-kubernetes-action']).toBe('connect');
    expect((exec.get as Json)['x-kubernetes-group-version-kind']).toEqual({ group: '', version: 'v1', kind: 'PodExecOptions' });
    const token = core.paths['/api/v1/namespaces/{namespace}/serviceaccounts/{name}/token'].post as Json;
    expect(token['x-kubernetes-group-version-kind']).toEqual({ group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest' });
    expect(kindSchema(core, { group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest' })).toBeDefined();
  });

  it('lets kubectl find fieldValidation on every PATCH operation of every patchable kind (QueryParamVerifierV3)', () => {
    for (const r of RESOURCES.filter((x) => x.verbs.includes('patch'))) {
      const doc = service.groupVersions.get(groupVersionPath(r.group, r.version))!.document;
      const patches = operationsOf(doc, { group: r.group, version: r.version, kind: r.kind }, 'patch');
      expect(patches.length, r.resource).toBeGreaterThan(0);
      for (const op of patches) {
        expect((op.parameters as Json[]).some((p) => p.name === 'fieldValidation'), `${r.resource}: ${op.operationId}`).toBe(true);
        // The apply patcher only computes a strategic merge patch where the operation accepts one.
        expect(Object.keys((op.requestBody as { content: Json }).content)).toEqual([
          'application/json-patch+json',
          'application/merge-patch+json',
          'application/strategic-merge-patch+json',
        ]);
      }
    }
  });

  it('marks the schema of every served kind and list with its GVK (a list, as kubectl and explain read it)', () => {
    for (const r of RESOURCES) {
      const doc = service.groupVersions.get(groupVersionPath(r.group, r.version))!.document;
      const schema = kindSchema(doc, { group: r.group, version: r.version, kind: r.kind });
      expect(schema, r.kind).toBeDefined();
      expect(schema!['x-kubernetes-group-version-kind']).toEqual([{ group: r.group, version: r.version, kind: r.kind }]);
      if (r.verbs.includes('list')) expect(kindSchema(doc, { group: r.group, version: r.version, kind: `${r.kind}List` }), `${r.kind}List`).toBeDefined();
    }
    expect(Object.keys(core.components.schemas)).toEqual(expect.arrayContaining([
      'io.k8s.api.core.v1.Pod',
      'io.k8s.api.core.v1.PodSpec',
      'io.k8s.api.core.v1.Container',
      'io.k8s.api.core.v1.Event',
      'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
      'io.k8s.apimachinery.pkg.apis.meta.v1.Status',
      'io.k8s.apimachinery.pkg.util.intstr.IntOrString',
    ]));
    expect(Object.keys(rbac.components.schemas)).toEqual(expect.arrayContaining(['io.k8s.api.rbac.v1.Role', 'io.k8s.api.rbac.v1.PolicyRule', 'io.k8s.api.rbac.v1.Subject']));
  });

  it('describes Pods deeply enough for kubectl to compute apply patches, with the server\'s merge keys', () => {
    const found = walkPatchMeta(core, { group: '', version: 'v1', kind: 'Pod' }, RICH_POD);
    expect(found).toEqual({
      'metadata.ownerReferences': 'merge uid',
      'metadata.finalizers': 'merge',
      'spec.volumes': 'merge,retainKeys name',
      'spec.imagePullSecrets': 'merge name',
      'spec.containers': 'merge name',
      'spec.containers[].env': 'merge name',
      'spec.containers[].ports': 'merge containerPort',
      'spec.containers[].volumeMounts': 'merge mountPath',
      'spec.ephemeralContainers': 'merge name',
      'spec.ephemeralContainers[].env': 'merge name',
    });
    expect(() => walkPatchMeta(core, { group: '', version: 'v1', kind: 'Pod' }, { spec: { nonsense: {} } })).toThrow(/unable to find api field "nonsense"/);
  });

  it('describes the other kinds too', () => {
    walkPatchMeta(rbac, { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'Role' }, {
      metadata: { name: 'r', labels: { a: 'b' } },
      rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }],
    });
    walkPatchMeta(rbac, { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'RoleBinding' }, {
      metadata: { name: 'r' },
      subjects: [{ kind: 'User', name: 'alice', apiGroup: 'rbac.authorization.k8s.io' }],
      roleRef: { kind: 'Role', name: 'r', apiGroup: 'rbac.authorization.k8s.io' },
    });
    walkPatchMeta(rbac, { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'ClusterRole' }, {
      metadata: { name: 'c' },
      aggregationRule: { clusterRoleSelectors: [{ matchLabels: { x: 'y' } }] },
      rules: [{ nonResourceURLs: ['/healthz'], verbs: ['get'] }],
    });
    walkPatchMeta(core, { group: '', version: 'v1', kind: 'ConfigMap' }, { metadata: { name: 'c' }, data: { a: 'b' }, binaryData: { b: 'AA==' } });
    walkPatchMeta(core, { group: '', version: 'v1', kind: 'Secret' }, { metadata: { name: 's' }, stringData: { a: 'b' }, type: 'Opaque' });
    walkPatchMeta(core, { group: '', version: 'v1', kind: 'ServiceAccount' }, { metadata: { name: 's' }, imagePullSecrets: [{ name: 'x' }] });
    walkPatchMeta(core, { group: '', version: 'v1', kind: 'PersistentVolumeClaim' }, {
      metadata: { name: 'p' },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, selector: { matchLabels: { a: 'b' } } },
    });
    const ns = walkPatchMeta(core, { group: '', version: 'v1', kind: 'Namespace' }, { metadata: { name: 'n', labels: { a: 'b' } }, spec: { finalizers: ['kubernetes'] } });
    // Namespace spec.finalizers is atomic on the server (unlike metadata.finalizers).
    expect(ns).toEqual({});
    const node = walkPatchMeta(core, { group: '', version: 'v1', kind: 'Node' }, {
      metadata: { name: 'n' },
      spec: { podCIDRs: ['10.0.0.0/24'], taints: [{ key: 'k', effect: 'NoSchedule' }] },
    });
    expect(node).toEqual({ 'spec.podCIDRs': 'merge' });
  });

  it('types fields as the API does', () => {
    const schemas = core.components.schemas;
    const props = (name: string) => schemas[name].properties as Record<string, Json>;
    expect(props('io.k8s.api.core.v1.PodSpec').terminationGracePeriodSeconds).toMatchObject({ type: 'integer', format: 'int64' });
    expect(props('io.k8s.api.core.v1.PodSpec').nodeSelector).toMatchObject({ type: 'object', additionalProperties: { type: 'string' } });
    expect(props('io.k8s.api.core.v1.PodSpec').hostNetwork).toMatchObject({ type: 'boolean' });
    expect(props('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta').creationTimestamp).toMatchObject({ type: 'string', format: 'date-time' });
    expect(props('io.k8s.apimachinery.pkg.apis.meta.v1.ManagedFieldsEntry').fieldsV1).toMatchObject({ 'x-kubernetes-preserve-unknown-fields': true });
    expect(props('io.k8s.api.core.v1.HTTPGetAction').port).toMatchObject({ allOf: [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.util.intstr.IntOrString' }] });
    expect(props('io.k8s.api.core.v1.Secret').data).toMatchObject({ type: 'object', additionalProperties: { type: 'string', format: 'byte' } });
    expect(schemas['io.k8s.api.core.v1.Container'].required).toEqual(['name']);
  });

  it('still serves the paths of a kind the catalog has no model for, without inventing a schema', () => {
    const real = clientNodeCatalog();
    const withoutConfigMap: ModelCatalog = (name) => (name === 'V1ConfigMap' || name === 'V1ConfigMapList' ? undefined : real(name));
    const doc = buildOpenAPIV3Document('', 'v1', withoutConfigMap);
    expect(kindSchema(doc, { group: '', version: 'v1', kind: 'ConfigMap' })).toBeUndefined();
    const patch = doc.paths['/api/v1/namespaces/{namespace}/configmaps/{name}'].patch as Json;
    expect(patch['x-kubernetes-group-version-kind']).toEqual({ group: '', version: 'v1', kind: 'ConfigMap' });
    expect(((patch.responses as Json)['200'] as Json)).toEqual({ description: 'OK', content: { 'application/json': { schema: { type: 'object' } } } });
  });

  it('builds from any catalog (a tiny one here)', () => {
    const m = (attrs: Array<[string, string, string?]>, extra: Partial<Model> = {}): Model => ({
      attributes: attrs.map(([n, t, f = '']) => ({ name: n, baseName: n, type: t, format: f })),
      ...extra,
    });
    const models: Record<string, Model> = {
      V1Role: m([['metadata', 'V1ObjectMeta'], ['rules', 'Array<V1PolicyRule>']], { description: 'A role.' }),
      V1ObjectMeta: m([['name', 'string'], ['finalizers', 'Array<string>']]),
      V1PolicyRule: m([['verbs', 'Array<string>']], { required: ['verbs'], fieldDescriptions: { verbs: 'Verbs.' } }),
    };
    const doc = buildOpenAPIV3Document('rbac.authorization.k8s.io', 'v1', (name) => models[name]);
    expect(doc.components.schemas['io.k8s.api.rbac.v1.Role']).toEqual({
      type: 'object',
      description: 'A role.',
      properties: {
        metadata: { $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' },
        rules: { type: 'array', items: { $ref: '#/components/schemas/io.k8s.api.rbac.v1.PolicyRule' } },
      },
      'x-kubernetes-group-version-kind': [{ group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'Role' }],
    });
    expect(doc.components.schemas['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta']).toEqual({
      type: 'object',
      properties: { name: { type: 'string' }, finalizers: { type: 'array', items: { type: 'string' }, 'x-kubernetes-patch-strategy': 'merge' } },
    });
    expect(doc.components.schemas['io.k8s.api.rbac.v1.PolicyRule']).toEqual({
      type: 'object',
      properties: { verbs: { description: 'Verbs.', type: 'array', items: { type: 'string' } } },
      required: ['verbs'],
    });
    expect(doc.openapi).toBe('3.0.0');
  });
});

// ---------------------------------------------------------------------------

describe('serving (kube-openapi handler3 semantics)', () => {
  let server: http.Server;
  let base: string;

  beforeAll(async () => {
    server = http.createServer((req, res) => serveOpenAPIV3(req, new URL(req.url ?? '/', 'http://x'), res, () => service));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('answers the root with an ETag and 304 on If-None-Match', async () => {
    const first = await fetch(`${base}/openapi/v3`, { headers: { Accept: 'application/json, */*' } });
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('application/json');
    const etag = first.headers.get('etag')!;
    expect(etag).toBe(`"${service.root.hash}"`);
    expect(await first.text()).toBe(service.root.body);
    const again = await fetch(`${base}/openapi/v3/`, { headers: { 'If-None-Match': etag } });
    expect(again.status).toBe(304);
  });

  it('answers a group-version with its current hash as immutable, a stale hash with 301, none without caching', async () => {
    const gv = service.groupVersions.get('apis/rbac.authorization.k8s.io/v1')!;
    const url = `${base}/openapi/v3/apis/rbac.authorization.k8s.io/v1`;
    const hashed = await fetch(`${url}?hash=${gv.hash}`, { headers: { Accept: 'application/json' } });
    expect(hashed.status).toBe(200);
    expect(hashed.headers.get('cache-control')).toBe('public, immutable');
    expect(hashed.headers.get('vary')).toBe('Accept');
    expect(new Date(hashed.headers.get('expires')!).getTime()).toBeGreaterThan(Date.now() + 300 * 24 * 3600 * 1000);
    expect(hashed.headers.get('etag')).toBe(`"${gv.hash}"`);
    expect(JSON.parse(await hashed.text())).toEqual(gv.document);

    const stale = await fetch(`${url}?hash=0123`, { redirect: 'manual' });
    expect(stale.status).toBe(301);
    expect(stale.headers.get('location')).toBe(`/openapi/v3/apis/rbac.authorization.k8s.io/v1?hash=${gv.hash}`);

    const plain = await fetch(url);
    expect(plain.status).toBe(200);
    expect(plain.headers.get('cache-control')).toBe('no-cache, private');
  });

  it('refuses unknown group-versions (404) and protobuf-only Accept headers (406)', async () => {
    const missing = await fetch(`${base}/openapi/v3/apis/apps/v1`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ kind: 'Status', reason: 'NotFound' });
    const proto = await fetch(`${base}/openapi/v3/api/v1`, { headers: { Accept: 'application/com.github.proto-openapi.spec.v3.v1.0+protobuf' } });
    expect(proto.status).toBe(406);
  });
});

// ---------------------------------------------------------------------------

describe('field validation', () => {
  const podKind = { group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespaced: true };
  const pod = () => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', labels: { any: 'label' } },
    spec: { foo: 1, containers: [{ name: 'a', image: 'i', bar: true, resources: {} }] },
  });

  it('reads the directive as the apiserver does (default Warn)', () => {
    const u = (q: string) => new URL(`https://x/api/v1/namespaces/d/pods${q}`);
    expect(fieldValidationDirective(u(''), 'create')).toBe('Warn');
    expect(fieldValidationDirective(u('?fieldValidation='), 'create')).toBe('Warn');
    expect(fieldValidationDirective(u('?fieldValidation=Strict'), 'patch')).toBe('Strict');
    expect(fieldValidationDirective(u('?fieldValidation=Ignore'), 'update')).toBe('Ignore');
    const bad = statusOf(() => fieldValidationDirective(u('?fieldValidation=strict'), 'create'));
    expect(bad.code).toBe(422);
    expect(bad.message).toBe('CreateOptions.meta.k8s.io "" is invalid: fieldValidation: Unsupported value: "strict": supported values: "", "Ignore", "Strict", "Warn"');
  });

  it('finds unknown fields at any depth, naming them as the strict decoder does', () => {
    const schema = kindSchema(core, { group: '', version: 'v1', kind: 'Pod' });
    expect(findUnknownFields(pod(), schema, core.components.schemas)).toEqual(['spec.foo', 'spec.containers[0].bar']);
    expect(findUnknownFields({ ...pod(), extra: {} }, schema, core.components.schemas)).toEqual(['spec.foo', 'spec.containers[0].bar', 'extra']);
    // managedFields[].fieldsV1 is free-form.
    expect(findUnknownFields({ metadata: { managedFields: [{ fieldsV1: { 'f:x': {} } }] } }, schema, core.components.schemas)).toEqual([]);
    expect(findUnknownFields(RICH_POD, schema, core.components.schemas)).toEqual([]);
  });

  it('Strict rejects a created object with the apiserver\'s BadRequest', () => {
    const status = statusOf(() => checkFields(podKind, pod(), 'Strict', { verb: 'create' }, () => service));
    expect(status).toMatchObject({
      code: 400,
      reason: 'BadRequest',
      message: 'Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.foo", unknown field "spec.containers[0].bar"',
    });
    const noKind = statusOf(() => checkFields(podKind, { spec: { foo: 1 } }, 'Strict', { verb: 'update' }, () => service));
    expect(noKind.message).toBe('the object provided is unrecognized (must be of type Pod): strict decoding error: unknown field "spec.foo" ({"spec":{"foo":1}})');
  });

  it('Strict rejects a patch with the apiserver\'s 422 on "patch"', () => {
    const smp = statusOf(() =>
      checkFields(podKind, { ...pod(), spec: { foo: 1, containers: [] } }, 'Strict', {
        verb: 'patch',
        contentType: 'application/strategic-merge-patch+json',
        patch: '{"spec":{"foo":1}}',
      }, () => service),
    );
    expect(smp).toMatchObject({ code: 422, reason: 'Invalid' });
    expect(smp.message).toBe(' "" is invalid: patch: Invalid value: "map[spec:map[foo:1]]": strict decoding error: unknown field "spec.foo"');
    const merge = statusOf(() =>
      checkFields(podKind, { kind: 'Pod', spec: { foo: 1 } }, 'Strict', { verb: 'patch', contentType: 'application/merge-patch+json', patch: '{"spec":{"foo":1}}' }, () => service),
    );
    expect(merge.message).toBe(' "" is invalid: patch: Invalid value: "{\\"kind\\":\\"Pod\\",\\"spec\\":{\\"foo\\":1}}": strict decoding error: unknown field "spec.foo"');
  });

  it('Warn drops unknown fields and returns warnings; Ignore drops them silently', () => {
    const warned = pod();
    expect(checkFields(podKind, warned, 'Warn', { verb: 'create' }, () => service)).toEqual(['unknown field "spec.foo"', 'unknown field "spec.containers[0].bar"']);
    expect(warned.spec).toEqual({ containers: [{ name: 'a', image: 'i', resources: {} }] });
    const ignored = pod();
    expect(checkFields(podKind, ignored, 'Ignore', { verb: 'create' }, () => service)).toEqual([]);
    expect(ignored.spec).toEqual({ containers: [{ name: 'a', image: 'i', resources: {} }] });
    // Kinds without a schema are not checked.
    const other = { group: 'example.com', version: 'v1', resource: 'widgets', kind: 'Widget', namespaced: true };
    expect(checkFields(other, { spec: { anything: 1 } }, 'Strict', { verb: 'create' }, () => service)).toEqual([]);
  });

  it('sends warnings as the apiserver does', () => {
    const headers: Record<string, unknown> = {};
    const res = {
      getHeader: (n: string) => headers[n],
      setHeader: (n: string, v: unknown) => {
        headers[n] = v;
      },
    } as unknown as http.ServerResponse;
    setWarnings(res, []);
    expect(headers).toEqual({});
    setWarnings(res, ['unknown field "spec.foo"']);
    setWarnings(res, ['second']);
    expect(headers.Warning).toEqual(['299 - "unknown field \\"spec.foo\\""', '299 - "second"']);
  });
});
