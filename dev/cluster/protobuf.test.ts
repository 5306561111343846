import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import protobuf from 'protobufjs/minimal.js';
import { describe, expect, it } from 'vitest';
import { decodeProtobufBody, isProtobufContentType, ProtobufDecodeError } from './protobuf';

// Bodies captured from the real kubectl v1.32 by __fixtures__/protobuf/capture.ts;
// each `<case>.pb` is checked against `<case>.expected.json`, the JSON kubectl
// would have sent for the same object.
const FIXTURES = path.join(import.meta.dirname, '__fixtures__/protobuf');
const fixture = (file: string) => readFileSync(path.join(FIXTURES, file));
const expected = (name: string) => JSON.parse(fixture(`${name}.expected.json`).toString('utf8'));
const cases = readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.expected.json'))
  .map((f) => f.slice(0, -'.expected.json'.length))
  .sort();

/** A body as kubectl frames it: magic, then runtime.Unknown{typeMeta, raw, contentEncoding, contentType}. */
function envelope(apiVersion: string, kind: string, raw: Uint8Array, contentType = ''): Buffer {
  const typeMeta = protobuf.Writer.create().uint32(0x0a).string(apiVersion).uint32(0x12).string(kind).finish();
  const unknown = protobuf.Writer.create()
    .uint32(0x0a).bytes(typeMeta)
    .uint32(0x12).bytes(raw)
    .uint32(0x1a).string('')
    .uint32(0x22).string(contentType)
    .finish();
  return Buffer.concat([Buffer.from('k8s\0', 'latin1'), unknown]);
}

const message = (build: (w: protobuf.Writer) => protobuf.Writer) => build(protobuf.Writer.create()).finish();
const Time = (seconds: number, nanos = 0) => message((w) => w.uint32(0x08).int64(seconds).uint32(0x10).int32(nanos));

describe('isProtobufContentType', () => {
  it.each([
    ['application/vnd.kubernetes.protobuf', true],
    ['application/vnd.kubernetes.protobuf; charset=utf-8', true],
    ['Application/VND.Kubernetes.Protobuf', true],
    ['application/json', false],
    ['application/strategic-merge-patch+json', false],
    [undefined, false],
    ['', false],
  ])('%s → %s', (contentType, result) => {
    expect(isProtobufContentType(contentType)).toBe(result);
  });
});

describe('decodeProtobufBody on bodies captured from kubectl', () => {
  it('has a fixture for every command the brief names', () => {
    expect(cases).toEqual(expect.arrayContaining([
      'can-i-ephemeralcontainers', 'can-i-list', 'create-token', 'copy-to', 'copy-to-keep-all', 'copy-to-replace.1',
      ...['general', 'baseline', 'restricted', 'netadmin', 'sysadmin', 'legacy'].map((p) => `node-debug-${p}`),
    ]));
  });

  it.each(cases)('%s', (name) => {
    expect(decodeProtobufBody(fixture(`${name}.pb`))).toStrictEqual(expected(name));
  });

  it('keeps the key order of the JSON form: kind and apiVersion first, then Go field order', () => {
    const pod = decodeProtobufBody(fixture('copy-to-keep-all.pb'));
    expect(Object.keys(pod)).toEqual(['kind', 'apiVersion', 'metadata', 'spec', 'status']);
    expect(JSON.stringify(pod)).toBe(JSON.stringify(expected('copy-to-keep-all')));
  });

  it('writes what encoding/json writes, not every field gogo put on the wire', () => {
    // The copy of mypod: stdin/tty false and hostNetwork false are on the wire (gogo writes every
    // non-pointer field) but omitempty; pointers set to zero values are kept.
    const pod = decodeProtobufBody(fixture('copy-to-keep-all.pb')) as any;
    const app = pod.spec.containers[0];
    expect(app).not.toHaveProperty('stdin');
    expect(app).not.toHaveProperty('tty');
    expect(pod.spec).not.toHaveProperty('hostNetwork');
    expect(app.securityContext).toMatchObject({ runAsUser: 0, runAsNonRoot: false, privileged: false, allowPrivilegeEscalation: false });
    expect(pod.spec).toMatchObject({ priority: 0, enableServiceLinks: false, shareProcessNamespace: false, automountServiceAccountToken: false });
    expect(pod.spec.tolerations[1]).toEqual({ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 0 });
    // Unset divisor is the zero Quantity "0"; quantities arrive in canonical form ("0.5" was sent as "500m").
    expect(app.env.find((e: any) => e.name === 'CPU_REQ').valueFrom.resourceFieldRef.divisor).toBe('0');
    expect(app.resources.requests.cpu).toBe('500m');
    expect(app.livenessProbe.httpGet.port).toBe('http');
    expect(app.readinessProbe.tcpSocket.port).toBe(8080);
    expect(pod.metadata.creationTimestamp).toBeNull();
    expect(pod.status).toEqual({});
  });

  it('decodes full object metadata: times, owner references, managed fields', () => {
    const csr = decodeProtobufBody(fixture('certificate-approve.pb')) as any;
    expect(csr.metadata).toMatchObject({
      generation: 3,
      creationTimestamp: '2026-11-26T23:59:58Z',
      deletionTimestamp: '2026-11-27T08:00:00Z',
      deletionGracePeriodSeconds: 0,
    });
    expect(csr.metadata.ownerReferences[0]).toEqual({ apiVersion: 'v1', kind: 'Node', name: 'node-a', uid: 'a1', controller: false });
    expect(csr.metadata.managedFields[1].fieldsV1).toEqual({ 'f:status': { 'f:conditions': { '.': {}, 'k:{"type":"Failed"}': { '.': {}, 'f:reason': {} } } } });
    expect(csr.spec.extra.scopes).toEqual(['a', 'b']);
    expect(csr.status.conditions[1].lastTransitionTime).toBeNull();
  });
});

describe('decodeProtobufBody refuses what it cannot represent', () => {
  it('a body without the magic bytes', () => {
    expect(() => decodeProtobufBody(Buffer.from('{"kind":"Pod"}'))).toThrow(/magic bytes "k8s\\0"/);
    expect(() => decodeProtobufBody(Buffer.alloc(0))).toThrow(ProtobufDecodeError);
  });

  it('an unknown field number, naming the message, the field and where it is', () => {
    // A Container with field 99 in the first container of the spec.
    const container = message((w) => w.uint32(0x0a).string('app').uint32((99 << 3) | 2).string('x'));
    const spec = message((w) => w.uint32((2 << 3) | 2).bytes(container));
    const pod = message((w) => w.uint32((2 << 3) | 2).bytes(spec));
    const decode = () => decodeProtobufBody(envelope('v1', 'Pod', pod));
    expect(decode).toThrow('protobuf: Container has no field number 99 (wire type 2) at spec.containers[0]');
    expect(decode).toThrow(expect.objectContaining({ name: 'ProtobufDecodeError', code: 400 }));
  });

  it('an unknown field number in the envelope or at the top level', () => {
    const pod = message((w) => w.uint32((7 << 3) | 0).int32(1));
    expect(() => decodeProtobufBody(envelope('v1', 'Pod', pod))).toThrow('protobuf: Pod has no field number 7 (wire type 0) at <root>');
    const bad = Buffer.concat([envelope('v1', 'Pod', new Uint8Array()), Buffer.from([0x28, 0x01])]);
    expect(() => decodeProtobufBody(bad)).toThrow('protobuf: runtime.Unknown has no field number 5');
  });

  it('a known field with the wrong wire type', () => {
    // PodSpec.hostNetwork (11) is a bool, sent here as a string.
    const spec = message((w) => w.uint32((11 << 3) | 2).string('yes'));
    const pod = message((w) => w.uint32((2 << 3) | 2).bytes(spec));
    expect(() => decodeProtobufBody(envelope('v1', 'Pod', pod))).toThrow('protobuf: PodSpec field 11 (hostNetwork) has wire type 2 at spec');
  });

  it('a kind it has no schema for, as 415', () => {
    const decode = () => decodeProtobufBody(envelope('apps/v1', 'Deployment', new Uint8Array()));
    expect(decode).toThrow('no protobuf schema for Deployment in apps/v1; send this object as JSON');
    expect(decode).toThrow(expect.objectContaining({ code: 415 }));
    // kubectl create role sends an rbac Role as protobuf; it is not part of the schema.
    expect(() => decodeProtobufBody(fixture('observe-create-role.pb'))).toThrow(/no protobuf schema for Role in rbac.authorization.k8s.io\/v1/);
  });

  it('a truncated body', () => {
    const body = fixture('create-token-bound.pb');
    expect(() => decodeProtobufBody(body.subarray(0, body.length - 9))).toThrow(/truncated or malformed/);
  });

  it('an encoded or differently typed envelope', () => {
    expect(() => decodeProtobufBody(envelope('v1', 'Pod', new Uint8Array(), 'application/json'))).toThrow(/contentType "application\/json"/);
  });
});

describe('decodeProtobufBody on fields kubectl does not send', () => {
  it('pod status: conditions, container states, times', () => {
    const running = message((w) => w.uint32(0x0a).bytes(Time(1764000000, 999_999_999)));
    const state = message((w) => w.uint32(0x12).bytes(running));
    const terminated = message((w) =>
      w.uint32(0x08).int32(-1).uint32(0x1a).string('Error').uint32(0x2a).bytes(Time(1763999000)).uint32(0x32).bytes(new Uint8Array()),
    );
    const lastState = message((w) => w.uint32(0x1a).bytes(terminated));
    const status = message((w) =>
      w
        .uint32(0x0a).string('app').uint32(0x12).bytes(state).uint32(0x1a).bytes(lastState)
        .uint32(0x20).bool(true).uint32(0x28).int32(3).uint32(0x32).string('busybox').uint32(0x3a).string('')
        .uint32(0x48).bool(false),
    );
    const condition = message((w) => w.uint32(0x0a).string('Ready').uint32(0x12).string('True').uint32(0x1a).bytes(new Uint8Array()).uint32(0x22).bytes(Time(0)));
    const podStatus = message((w) =>
      w.uint32(0x0a).string('Running').uint32(0x12).bytes(condition).uint32(0x3a).bytes(Time(1764000000)).uint32(0x42).bytes(status),
    );
    const pod = message((w) => w.uint32(0x1a).bytes(podStatus));
    expect(decodeProtobufBody(envelope('v1', 'Pod', pod))).toStrictEqual({
      kind: 'Pod',
      apiVersion: 'v1',
      metadata: { creationTimestamp: null },
      spec: { containers: null },
      status: {
        phase: 'Running',
        conditions: [{ type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: '1970-01-01T00:00:00Z' }],
        startTime: '2025-11-24T16:00:00Z',
        containerStatuses: [{
          name: 'app',
          // metav1.Time drops the nanoseconds, as Go does when it decodes it.
          state: { running: { startedAt: '2025-11-24T16:00:00Z' } },
          lastState: { terminated: { exitCode: -1, reason: 'Error', startedAt: '2025-11-24T15:43:20Z', finishedAt: null } },
          ready: true,
          restartCount: 3,
          image: 'busybox',
          imageID: '',
          started: false,
        }],
      },
    });
  });

  it('a singular message sent twice is merged, as protobuf does', () => {
    const first = message((w) => w.uint32(0x0a).string('a'));
    const second = message((w) => w.uint32(0x12).string('b'));
    const pod = message((w) => w.uint32(0x0a).bytes(first).uint32(0x0a).bytes(second));
    expect(decodeProtobufBody(envelope('v1', 'Pod', pod)).metadata).toEqual({ name: 'a', generateName: 'b', creationTimestamp: null });
  });

  it('packed repeated integers', () => {
    const packed = message((w) => w.int64(4000).int64(0).int64(-1));
    const securityContext = message((w) => w.uint32((4 << 3) | 2).bytes(packed));
    const spec = message((w) => w.uint32((14 << 3) | 2).bytes(securityContext));
    const pod = message((w) => w.uint32(0x12).bytes(spec));
    expect((decodeProtobufBody(envelope('v1', 'Pod', pod)) as any).spec.securityContext).toEqual({ supplementalGroups: [4000, 0, -1] });
  });

  it('an int64 beyond what JSON numbers hold', () => {
    const options = message((w) => w.uint32(0x08).int64('9007199254740993'));
    expect(() => decodeProtobufBody(envelope('v1', 'DeleteOptions', options))).toThrow(/9007199254740993 at gracePeriodSeconds is too large/);
  });
});
