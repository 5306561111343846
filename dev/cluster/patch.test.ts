import { describe, expect, it } from 'vitest';
import { PATCH_SCHEMA, applyPatch, mergeKeyFor, patchMetaFor } from './patch';
import { StatusError } from './status';

const SMP = 'application/strategic-merge-patch+json';
const MERGE = 'application/merge-patch+json';
const JSONPATCH = 'application/json-patch+json';

type Obj = Record<string, unknown>;

function pod(spec: Obj = {}, extra: Obj = {}): Obj {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'default', labels: { app: 'web', tier: 'front' }, finalizers: ['a', 'b', 'c'] },
    spec: { containers: [{ name: 'app', image: 'nginx' }], ...spec },
    ...extra,
  };
}

function node(spec: Obj = {}, status: Obj = {}): Obj {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' }, spec, status };
}

/** Runs applyPatch and returns the StatusError it throws. */
function statusOf(fn: () => unknown): StatusError['status'] {
  try {
    fn();
  } catch (err) {
    if (err instanceof StatusError) return err.status;
    throw err;
  }
  throw new Error('expected a StatusError');
}

const names = (list: unknown) => (list as Obj[]).map((x) => x.name);
const get = (o: unknown, ...path: (string | number)[]) =>
  path.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)?.[k], o);

const debugContainer = (name: string, extra: Obj = {}) => ({
  name,
  image: 'busybox',
  stdin: true,
  targetContainerName: 'app',
  resources: {},
  terminationMessagePolicy: 'File',
  securityContext: { capabilities: { add: ['SYS_PTRACE'] } },
  ...extra,
});

interface SmpCase {
  name: string;
  kind?: string;
  original: Obj;
  patch: unknown;
  check: (result: Obj) => void;
}

const smpCases: SmpCase[] = [
  {
    name: 'kubectl debug: first ephemeral container, empty resources kept',
    original: pod(),
    patch: { spec: { ephemeralContainers: [debugContainer('d1')] } },
    check: (r) => {
      expect(get(r, 'spec', 'ephemeralContainers')).toEqual([debugContainer('d1')]);
      expect(get(r, 'spec', 'containers')).toEqual([{ name: 'app', image: 'nginx' }]);
    },
  },
  {
    name: 'kubectl debug: $setElementOrder keeps existing first, new last',
    original: pod({ ephemeralContainers: [debugContainer('d1'), debugContainer('d2')] }),
    patch: {
      spec: {
        '$setElementOrder/ephemeralContainers': [{ name: 'd1' }, { name: 'd2' }, { name: 'd3' }],
        ephemeralContainers: [debugContainer('d3', { tty: true })],
      },
    },
    check: (r) => {
      expect(names(get(r, 'spec', 'ephemeralContainers'))).toEqual(['d1', 'd2', 'd3']);
      expect(get(r, 'spec', 'ephemeralContainers', 0)).toEqual(debugContainer('d1'));
      expect(get(r, 'spec', 'ephemeralContainers', 2, 'tty')).toBe(true);
    },
  },
  {
    name: 'kubectl debug: without $setElementOrder the apiserver puts the new element first',
    original: pod({ ephemeralContainers: [debugContainer('d1')] }),
    patch: { spec: { ephemeralContainers: [debugContainer('d2')] } },
    check: (r) => expect(names(get(r, 'spec', 'ephemeralContainers'))).toEqual(['d2', 'd1']),
  },
  {
    name: '$setElementOrder can reorder without changing content',
    original: pod({ containers: [{ name: 'a' }, { name: 'b' }, { name: 'c' }] }),
    patch: { spec: { '$setElementOrder/containers': [{ name: 'c' }, { name: 'a' }, { name: 'b' }] } },
    check: (r) => expect(names(get(r, 'spec', 'containers'))).toEqual(['c', 'a', 'b']),
  },
  {
    name: 'env merges by name: changed entry updated in place, new entry added',
    original: pod({ containers: [{ name: 'app', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] }] }),
    patch: { spec: { containers: [{ name: 'app', env: [{ name: 'B', value: '3' }, { name: 'C', value: '4' }] }] } },
    check: (r) =>
      expect(get(r, 'spec', 'containers', 0, 'env')).toEqual([
        { name: 'A', value: '1' },
        { name: 'B', value: '3' },
        { name: 'C', value: '4' },
      ]),
  },
  {
    name: 'env entry removed with $patch: delete',
    original: pod({ containers: [{ name: 'app', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] }] }),
    patch: { spec: { containers: [{ name: 'app', env: [{ name: 'B', $patch: 'delete' }] }] } },
    check: (r) => expect(get(r, 'spec', 'containers', 0, 'env')).toEqual([{ name: 'A', value: '1' }]),
  },
  {
    name: 'env value removed with null inside a merged entry',
    original: pod({ containers: [{ name: 'app', env: [{ name: 'A', value: '1' }] }] }),
    patch: { spec: { containers: [{ name: 'app', env: [{ name: 'A', value: null, valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }] }] } },
    check: (r) =>
      expect(get(r, 'spec', 'containers', 0, 'env')).toEqual([{ name: 'A', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }]),
  },
  {
    name: 'a whole list replaced with a {$patch: replace} element',
    original: pod({ containers: [{ name: 'app', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] }] }),
    patch: { spec: { containers: [{ name: 'app', env: [{ $patch: 'replace' }, { name: 'Z', value: '9' }] }] } },
    check: (r) => expect(get(r, 'spec', 'containers', 0, 'env')).toEqual([{ name: 'Z', value: '9' }]),
  },
  {
    name: 'envFrom is atomic',
    original: pod({ containers: [{ name: 'app', envFrom: [{ configMapRef: { name: 'a' } }, { configMapRef: { name: 'b' } }] }] }),
    patch: { spec: { containers: [{ name: 'app', envFrom: [{ secretRef: { name: 's' } }] }] } },
    check: (r) => expect(get(r, 'spec', 'containers', 0, 'envFrom')).toEqual([{ secretRef: { name: 's' } }]),
  },
  {
    name: 'volumeMounts merge by mountPath (not by name)',
    original: pod({
      containers: [{ name: 'app', volumeMounts: [{ name: 'data', mountPath: '/data' }, { name: 'data', mountPath: '/logs', subPath: 'logs' }] }],
    }),
    patch: { spec: { containers: [{ name: 'app', volumeMounts: [{ name: 'cache', mountPath: '/data', readOnly: true }] }] } },
    check: (r) =>
      expect(get(r, 'spec', 'containers', 0, 'volumeMounts')).toEqual([
        { name: 'cache', mountPath: '/data', readOnly: true },
        { name: 'data', mountPath: '/logs', subPath: 'logs' },
      ]),
  },
  {
    name: 'ports merge by containerPort',
    original: pod({ containers: [{ name: 'app', ports: [{ containerPort: 80, name: 'http' }] }] }),
    patch: { spec: { containers: [{ name: 'app', ports: [{ containerPort: 80, protocol: 'TCP' }, { containerPort: 443 }] }] } },
    check: (r) =>
      expect(get(r, 'spec', 'containers', 0, 'ports')).toEqual([
        { containerPort: 80, name: 'http', protocol: 'TCP' },
        { containerPort: 443 },
      ]),
  },
  {
    name: '$retainKeys: a volume switching source drops the old source',
    original: pod({ volumes: [{ name: 'cfg', emptyDir: {} }, { name: 'other', emptyDir: { medium: 'Memory' } }] }),
    patch: { spec: { volumes: [{ name: 'cfg', $retainKeys: ['configMap', 'name'], configMap: { name: 'app-config' } }] } },
    check: (r) =>
      expect(get(r, 'spec', 'volumes')).toEqual([
        { name: 'cfg', configMap: { name: 'app-config' } },
        { name: 'other', emptyDir: { medium: 'Memory' } },
      ]),
  },
  {
    name: 'without $retainKeys both sources stay (why clients send it)',
    original: pod({ volumes: [{ name: 'cfg', emptyDir: {} }] }),
    patch: { spec: { volumes: [{ name: 'cfg', configMap: { name: 'app-config' } }] } },
    check: (r) => expect(get(r, 'spec', 'volumes')).toEqual([{ name: 'cfg', emptyDir: {}, configMap: { name: 'app-config' } }]),
  },
  {
    name: '$deleteFromPrimitiveList/finalizers removes entries',
    original: pod(),
    patch: { metadata: { '$deleteFromPrimitiveList/finalizers': ['b', 'zz'] } },
    check: (r) => expect(get(r, 'metadata', 'finalizers')).toEqual(['a', 'c']),
  },
  {
    name: '$deleteFromPrimitiveList on an absent list adds nothing',
    original: pod({}, { metadata: { name: 'web' } }),
    patch: { metadata: { '$deleteFromPrimitiveList/finalizers': ['x'] } },
    check: (r) => expect(get(r, 'metadata')).toEqual({ name: 'web' }),
  },
  {
    name: 'finalizers merge as a set: duplicates dropped, live order kept',
    original: pod(),
    patch: { metadata: { finalizers: ['c', 'd'] } },
    check: (r) => expect(get(r, 'metadata', 'finalizers')).toEqual(['a', 'b', 'c', 'd']),
  },
  {
    name: 'finalizers: $setElementOrder and $deleteFromPrimitiveList together (as kubectl apply sends)',
    original: pod(),
    patch: { metadata: { '$setElementOrder/finalizers': ['x', 'a', 'c'], finalizers: ['x'], '$deleteFromPrimitiveList/finalizers': ['b'] } },
    check: (r) => expect(get(r, 'metadata', 'finalizers')).toEqual(['x', 'a', 'c']),
  },
  {
    name: 'labels set and removed with null',
    original: pod(),
    patch: { metadata: { labels: { tier: null, version: 'v2', absent: null } } },
    check: (r) => expect(get(r, 'metadata', 'labels')).toEqual({ app: 'web', version: 'v2' }),
  },
  {
    name: 'null deletes a whole field',
    original: pod({ nodeName: 'n1' }),
    patch: { spec: { nodeName: null } },
    check: (r) => expect(get(r, 'spec')).not.toHaveProperty('nodeName'),
  },
  {
    name: 'tolerations are replaced atomically',
    original: pod({ tolerations: [{ key: 'a', operator: 'Exists' }, { key: 'b', operator: 'Exists' }] }),
    patch: { spec: { tolerations: [{ key: 'c', operator: 'Equal', value: 'x', effect: 'NoSchedule' }] } },
    check: (r) => expect(get(r, 'spec', 'tolerations')).toEqual([{ key: 'c', operator: 'Equal', value: 'x', effect: 'NoSchedule' }]),
  },
  {
    name: 'an empty merge list in the patch changes nothing',
    original: pod({ containers: [{ name: 'app' }] }),
    patch: { spec: { containers: [] } },
    check: (r) => expect(get(r, 'spec', 'containers')).toEqual([{ name: 'app' }]),
  },
  {
    name: '$patch: replace on a map replaces it',
    original: pod({ securityContext: { runAsUser: 1000, fsGroup: 2000 } }),
    patch: { spec: { securityContext: { $patch: 'replace', runAsNonRoot: true } } },
    check: (r) => expect(get(r, 'spec', 'securityContext')).toEqual({ runAsNonRoot: true }),
  },
  {
    name: '$patch: delete on a map leaves it empty (as the apiserver does)',
    original: pod({ securityContext: { runAsUser: 1000 } }),
    patch: { spec: { securityContext: { $patch: 'delete' } } },
    check: (r) => expect(get(r, 'spec', 'securityContext')).toEqual({}),
  },
  {
    name: '$patch: merge on a map is an explicit merge',
    original: pod({ securityContext: { runAsUser: 1000 } }),
    patch: { spec: { securityContext: { $patch: 'merge', fsGroup: 3 } } },
    check: (r) => expect(get(r, 'spec', 'securityContext')).toEqual({ runAsUser: 1000, fsGroup: 3 }),
  },
  {
    name: 'directives inside a value new to the object are applied, not stored',
    original: pod(),
    patch: {
      spec: {
        initContainers: [{ name: 'init', env: [{ name: 'X', value: '1' }, { name: 'Y', $patch: 'delete' }], image: null }],
      },
    },
    check: (r) => expect(get(r, 'spec', 'initContainers')).toEqual([{ name: 'init', env: [{ name: 'X', value: '1' }] }]),
  },
  {
    name: 'ownerReferences merge by uid',
    original: pod({}, { metadata: { name: 'web', ownerReferences: [{ uid: 'u1', kind: 'ReplicaSet', name: 'rs' }] } }),
    patch: { metadata: { ownerReferences: [{ uid: 'u1', controller: true }, { uid: 'u2', kind: 'Job', name: 'j' }] } },
    check: (r) =>
      expect(get(r, 'metadata', 'ownerReferences')).toEqual([
        { uid: 'u1', kind: 'ReplicaSet', name: 'rs', controller: true },
        { uid: 'u2', kind: 'Job', name: 'j' },
      ]),
  },
  {
    name: 'pod status conditions merge by type; containerStatuses are atomic',
    original: pod({}, {
      status: {
        conditions: [{ type: 'Ready', status: 'False' }, { type: 'Initialized', status: 'True' }],
        containerStatuses: [{ name: 'app', ready: false }, { name: 'side', ready: true }],
      },
    }),
    patch: { status: { conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [{ name: 'app', ready: true }] } },
    check: (r) => {
      expect(get(r, 'status', 'conditions')).toEqual([{ type: 'Ready', status: 'True' }, { type: 'Initialized', status: 'True' }]);
      expect(get(r, 'status', 'containerStatuses')).toEqual([{ name: 'app', ready: true }]);
    },
  },
  {
    name: 'node: taints atomic, conditions and addresses merge by type, images atomic',
    kind: 'Node',
    original: node(
      { taints: [{ key: 'a', effect: 'NoSchedule' }] },
      {
        conditions: [{ type: 'Ready', status: 'True' }, { type: 'MemoryPressure', status: 'False' }],
        addresses: [{ type: 'InternalIP', address: '10.0.0.1' }, { type: 'Hostname', address: 'n1' }],
        images: [{ names: ['a'] }, { names: ['b'] }],
      },
    ),
    patch: {
      spec: { taints: [{ key: 'b', effect: 'NoExecute' }] },
      status: {
        conditions: [{ type: 'MemoryPressure', status: 'True' }],
        addresses: [{ type: 'InternalIP', address: '10.0.0.9' }],
        images: [{ names: ['c'] }],
      },
    },
    check: (r) => {
      expect(get(r, 'spec', 'taints')).toEqual([{ key: 'b', effect: 'NoExecute' }]);
      expect(get(r, 'status', 'conditions')).toEqual([{ type: 'Ready', status: 'True' }, { type: 'MemoryPressure', status: 'True' }]);
      expect(get(r, 'status', 'addresses')).toEqual([{ type: 'InternalIP', address: '10.0.0.9' }, { type: 'Hostname', address: 'n1' }]);
      expect(get(r, 'status', 'images')).toEqual([{ names: ['c'] }]);
    },
  },
  {
    name: 'namespace: spec.finalizers atomic, metadata.finalizers merged',
    kind: 'Namespace',
    original: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns', finalizers: ['x'] }, spec: { finalizers: ['kubernetes'] } },
    patch: { metadata: { finalizers: ['y'] }, spec: { finalizers: ['other'] } },
    check: (r) => {
      expect(get(r, 'metadata', 'finalizers')).toEqual(['y', 'x']);
      expect(get(r, 'spec', 'finalizers')).toEqual(['other']);
    },
  },
  {
    name: 'an unknown kind still merges metadata; its lists are atomic',
    kind: 'ConfigMap',
    original: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', finalizers: ['x'] }, data: { a: '1' }, list: [1, 2] },
    patch: { metadata: { finalizers: ['y'] }, data: { b: '2' }, list: [3] },
    check: (r) => {
      expect(get(r, 'metadata', 'finalizers')).toEqual(['y', 'x']);
      expect(get(r, 'data')).toEqual({ a: '1', b: '2' });
      expect(get(r, 'list')).toEqual([3]);
    },
  },
  {
    name: 'a JSON null patch changes nothing',
    original: pod(),
    patch: null,
    check: (r) => expect(r).toEqual(pod()),
  },
];

describe('strategic merge patch', () => {
  it.each(smpCases)('$name', ({ kind, original, patch, check }) => {
    const before = structuredClone(original);
    const result = applyPatch(SMP, original, JSON.stringify(patch), kind ?? 'Pod');
    expect(original).toEqual(before); // never mutated
    expect(result).not.toBe(original);
    check(result);
  });

  it('accepts a Buffer body and a charset parameter', () => {
    const result = applyPatch(`${SMP}; charset=utf-8`, pod(), Buffer.from('{"metadata":{"labels":{"x":"y"}}}'), 'Pod');
    expect(get(result, 'metadata', 'labels', 'x')).toBe('y');
  });

  it('does not share structure with the original', () => {
    const original = pod();
    const result = applyPatch(SMP, original, '{"metadata":{"labels":{"x":"y"}}}', 'Pod');
    (get(result, 'spec', 'containers', 0) as Obj).image = 'changed';
    expect(get(original, 'spec', 'containers', 0, 'image')).toBe('nginx');
  });

  const errorCases: Array<{ name: string; original?: Obj; patch: string; code: number; reason: string; message: RegExp }> = [
    {
      name: 'unknown $patch value',
      patch: '{"spec":{"securityContext":{"$patch":"explode"}}}',
      code: 400,
      reason: 'BadRequest',
      message: /^unknown patch type: explode in map: map\[\$patch:explode\]/,
    },
    {
      name: 'unknown $patch value on a list element',
      patch: '{"spec":{"containers":[{"name":"app","$patch":"frob"}]}}',
      code: 400,
      reason: 'BadRequest',
      message: /unknown patch type: frob/,
    },
    {
      name: 'unknown directive key',
      patch: '{"spec":{"$frobnicate":true}}',
      code: 400,
      reason: 'BadRequest',
      message: /unknown strategic merge patch directive "\$frobnicate" \(at spec\)/,
    },
    {
      name: '$setElementOrder without a list name',
      patch: '{"spec":{"$setElementOrder":[{"name":"a"}]}}',
      code: 400,
      reason: 'BadRequest',
      message: /^invalid patch format of setElementOrder list/,
    },
    {
      name: '$setElementOrder that does not match the patch list',
      original: pod({ containers: [{ name: 'a' }, { name: 'b' }] }),
      patch: '{"spec":{"$setElementOrder/containers":[{"name":"a"},{"name":"b"}],"containers":[{"name":"b"},{"name":"a"}]}}',
      code: 400,
      reason: 'BadRequest',
      message: /doesn't match \$setElementOrder list/,
    },
    {
      name: '$retainKeys not a list',
      original: pod({ volumes: [{ name: 'v', emptyDir: {} }] }),
      patch: '{"spec":{"volumes":[{"name":"v","$retainKeys":"name"}]}}',
      code: 400,
      reason: 'BadRequest',
      message: /^invalid patch format of retainKeys/,
    },
    {
      name: 'patch sets a key $retainKeys does not list',
      original: pod({ volumes: [{ name: 'v', emptyDir: {} }] }),
      patch: '{"spec":{"volumes":[{"name":"v","$retainKeys":["name"],"configMap":{"name":"c"}}]}}',
      code: 400,
      reason: 'BadRequest',
      message: /^invalid patch format of retainKeys: the patch sets "configMap"/,
    },
    {
      name: '$deleteFromPrimitiveList that is not a list',
      patch: '{"metadata":{"$deleteFromPrimitiveList/finalizers":"a"}}',
      code: 400,
      reason: 'BadRequest',
      message: /^invalid patch format of primitive list/,
    },
    {
      name: 'a merge-list element without its merge key',
      patch: '{"spec":{"containers":[{"image":"busybox"}]}}',
      code: 400,
      reason: 'BadRequest',
      message: /^map: map\[image:busybox\] does not contain declared merge key: name/,
    },
    {
      name: 'list element types differ',
      patch: '{"spec":{"containers":["app"]}}',
      code: 400,
      reason: 'BadRequest',
      message: /list element types are not identical/,
    },
    {
      name: 'lists of lists',
      original: pod({}, { metadata: { name: 'web', finalizers: ['a'] } }),
      patch: '{"metadata":{"finalizers":[["b"]]}}',
      code: 422,
      reason: 'Invalid',
      message: /the server rejected our request/,
    },
    {
      name: 'malformed JSON',
      patch: '{"spec": {',
      code: 400,
      reason: 'BadRequest',
      message: /JSON/,
    },
    {
      name: 'an array body',
      patch: '[{"op":"add"}]',
      code: 400,
      reason: 'BadRequest',
      message: /^json: cannot unmarshal array into Go value of type map\[string\]interface \{\}$/,
    },
  ];

  it.each(errorCases)('rejects $name', ({ original, patch, code, reason, message }) => {
    const status = statusOf(() => applyPatch(SMP, original ?? pod(), patch, 'Pod'));
    expect(status).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason });
    expect(status.message).toMatch(message);
  });
});

describe('JSON merge patch', () => {
  const cases: Array<{ name: string; original: Obj; patch: unknown; expected: Obj }> = [
    {
      name: 'sets and removes keys recursively',
      original: { a: 1, b: { c: 2, d: 3 } },
      patch: { a: null, b: { c: null, e: 4 }, f: 'x' },
      expected: { b: { d: 3, e: 4 }, f: 'x' },
    },
    {
      name: 'replaces lists whole, even merge lists',
      original: pod({ containers: [{ name: 'app' }, { name: 'side' }] }),
      patch: { spec: { containers: [{ name: 'new' }] } },
      expected: pod({ containers: [{ name: 'new' }] }),
    },
    {
      name: 'nulls inside a new object are dropped',
      original: { a: 1 },
      patch: { b: { c: null, d: 1 } },
      expected: { a: 1, b: { d: 1 } },
    },
    {
      name: 'an object replaces a scalar',
      original: { a: 'x' },
      patch: { a: { b: 1 } },
      expected: { a: { b: 1 } },
    },
  ];
  it.each(cases)('$name', ({ original, patch, expected }) => {
    const before = structuredClone(original);
    expect(applyPatch(MERGE, original, JSON.stringify(patch), 'Pod')).toEqual(expected);
    expect(original).toEqual(before);
  });

  it.each([
    { body: '{"a":', message: /^error decoding patch: / },
    { body: '[1,2]', message: /^error decoding patch: json: cannot unmarshal array/ },
    { body: '"x"', message: /^error decoding patch: json: cannot unmarshal string/ },
    { body: 'null', message: /^Invalid JSON Patch$/ },
  ])('rejects $body with 400', ({ body, message }) => {
    const status = statusOf(() => applyPatch(MERGE, pod(), body, 'Pod'));
    expect(status).toMatchObject({ code: 400, reason: 'BadRequest' });
    expect(status.message).toMatch(message);
  });
});

describe('JSON patch', () => {
  it('applies add, replace, remove, move, copy and test in order', () => {
    const original = pod();
    const before = structuredClone(original);
    const result = applyPatch(
      JSONPATCH,
      original,
      JSON.stringify([
        { op: 'test', path: '/metadata/name', value: 'web' },
        { op: 'add', path: '/metadata/labels/version', value: 'v1' },
        { op: 'replace', path: '/spec/containers/0/image', value: 'nginx:1.27' },
        { op: 'remove', path: '/metadata/labels/tier' },
        { op: 'add', path: '/spec/containers/-', value: { name: 'side', image: 'busybox' } },
        { op: 'copy', from: '/spec/containers/0/image', path: '/metadata/annotations' },
        { op: 'move', from: '/metadata/finalizers/0', path: '/metadata/finalizers/2' },
        { op: 'add', path: '/metadata/labels/a~1b', value: 'slash' },
        { op: 'test', path: '/metadata/labels/missing', value: null },
      ]),
      'Pod',
    );
    expect(original).toEqual(before);
    expect(get(result, 'metadata', 'labels')).toEqual({ app: 'web', version: 'v1', 'a/b': 'slash' });
    expect(names(get(result, 'spec', 'containers'))).toEqual(['app', 'side']);
    expect(get(result, 'spec', 'containers', 0, 'image')).toBe('nginx:1.27');
    expect(get(result, 'metadata', 'annotations')).toBe('nginx:1.27');
    expect(get(result, 'metadata', 'finalizers')).toEqual(['b', 'c', 'a']);
  });

  const unprocessable: Array<{ name: string; ops: unknown[]; cause: string }> = [
    {
      name: 'a failing test',
      ops: [{ op: 'test', path: '/metadata/name', value: 'other' }],
      cause: 'testing value /metadata/name failed: test failed',
    },
    {
      name: 'a failing test stops the patch',
      ops: [{ op: 'add', path: '/metadata/labels/x', value: 'y' }, { op: 'test', path: '/spec/nodeName', value: 'n1' }],
      cause: 'testing value /spec/nodeName failed: test failed',
    },
    {
      name: 'add below a missing parent',
      ops: [{ op: 'add', path: '/metadata/annotations/x', value: 'y' }],
      cause: 'add operation does not apply: doc is missing path: "/metadata/annotations/x": missing value',
    },
    {
      name: 'remove of a missing key',
      ops: [{ op: 'remove', path: '/metadata/labels/nope' }],
      cause: "error in remove for path: '/metadata/labels/nope': Unable to remove nonexistent key: nope: missing value",
    },
    {
      name: 'remove past the end of a list',
      ops: [{ op: 'remove', path: '/spec/containers/5' }],
      cause: "error in remove for path: '/spec/containers/5': Unable to access invalid index: 5: invalid index referenced",
    },
    {
      name: 'replace of a missing key',
      ops: [{ op: 'replace', path: '/spec/nodeName', value: 'n1' }],
      cause: 'replace operation does not apply: doc is missing key: /spec/nodeName: missing value',
    },
    {
      name: 'add past the end of a list',
      ops: [{ op: 'add', path: '/spec/containers/3', value: { name: 'x' } }],
      cause: "error in add for path: '/spec/containers/3': Unable to access invalid index: 3: invalid index referenced",
    },
    {
      name: 'move from a missing path',
      ops: [{ op: 'move', from: '/spec/nope', path: '/spec/yes' }],
      cause: 'move operation does not apply: doc is missing from path: /spec/nope: missing value',
    },
    {
      name: 'an unknown op',
      ops: [{ op: 'frob', path: '/spec' }],
      cause: 'Unexpected kind: frob',
    },
    {
      name: 'an operation on the root',
      ops: [{ op: 'replace', path: '', value: {} }],
      cause: 'replace operation does not apply: doc is missing path: : missing value',
    },
  ];
  it.each(unprocessable)('answers $name with 422', ({ ops, cause }) => {
    const status = statusOf(() => applyPatch(JSONPATCH, pod(), JSON.stringify(ops), 'Pod'));
    expect(status).toMatchObject({
      code: 422,
      reason: 'Invalid',
      message: 'the server rejected our request due to an error in our request',
      details: { causes: [{ reason: 'UnexpectedServerResponse', message: cause }] },
    });
  });

  it.each([
    { body: '[{"op":"add",', message: /^error decoding patch: / },
    { body: '{"op":"add","path":"/a","value":1}', message: /^error decoding patch: json: cannot unmarshal object into Go value of type \[\]handlers\.jsonPatchOp$/ },
    { body: '["add"]', message: /cannot unmarshal string into Go value of type handlers\.jsonPatchOp/ },
    { body: '', message: /^error decoding patch: / },
  ])('answers the malformed body $body with 400', ({ body, message }) => {
    const status = statusOf(() => applyPatch(JSONPATCH, pod(), body, 'Pod'));
    expect(status).toMatchObject({ code: 400, reason: 'BadRequest' });
    expect(status.message).toMatch(message);
  });
});

describe('media types', () => {
  it('refuses server-side apply with 415', () => {
    const status = statusOf(() => applyPatch('application/apply-patch+yaml', pod(), 'metadata: {}', 'Pod'));
    expect(status).toMatchObject({ code: 415, reason: 'UnsupportedMediaType' });
    expect(status.message).toMatch(/server-side apply .* is not supported by the dev cluster/);
  });

  it.each(['application/json', 'text/plain', '', 'application/yaml'])('refuses %j with 415 as the apiserver words it', (type) => {
    const status = statusOf(() => applyPatch(type, pod(), '{}', 'Pod'));
    expect(status).toMatchObject({ code: 415, reason: 'UnsupportedMediaType' });
    expect(status.message).toBe(
      'the body of the request was in an unknown format - accepted media types include: ' +
        'application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json',
    );
  });
});

describe('patch metadata', () => {
  it.each([
    { kind: 'Pod', path: ['spec', 'containers'], key: 'name' },
    { kind: 'Pod', path: ['spec', 'ephemeralContainers', '0', 'env'], key: 'name' },
    { kind: 'Pod', path: ['spec', 'initContainers', 'ports'], key: 'containerPort' },
    { kind: 'Pod', path: ['spec', 'containers', 'volumeMounts'], key: 'mountPath' },
    { kind: 'Pod', path: ['spec', 'containers', 'volumeDevices'], key: 'devicePath' },
    { kind: 'Pod', path: ['spec', 'volumes'], key: 'name' },
    { kind: 'Pod', path: ['spec', 'hostAliases'], key: 'ip' },
    { kind: 'Pod', path: ['spec', 'topologySpreadConstraints'], key: 'topologyKey' },
    { kind: 'Pod', path: ['status', 'conditions'], key: 'type' },
    { kind: 'Pod', path: ['metadata', 'ownerReferences'], key: 'uid' },
    { kind: 'Pod', path: ['spec', 'tolerations'], key: undefined },
    { kind: 'Pod', path: ['spec', 'containers', 'envFrom'], key: undefined },
    { kind: 'Pod', path: ['metadata', 'finalizers'], key: undefined },
    { kind: 'Node', path: ['status', 'addresses'], key: 'type' },
    { kind: 'Node', path: ['spec', 'taints'], key: undefined },
  ])('mergeKeyFor $kind $path → $key', ({ kind, path, key }) => {
    expect(mergeKeyFor(path, kind)).toBe(key);
  });

  it('exposes strategies: finalizers merge as a set, volumes retain keys', () => {
    expect(patchMetaFor('Pod', ['metadata', 'finalizers'])).toEqual({ strategy: 'merge' });
    expect(patchMetaFor('Pod', ['spec', 'volumes'])).toMatchObject({ strategy: 'merge', retainKeys: true });
    expect(patchMetaFor('Pod', ['spec', 'nope'])).toBeUndefined();
    expect(Object.keys(PATCH_SCHEMA)).toContain('PodSpec');
  });
});
