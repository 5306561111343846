// Decodes request bodies sent as `application/vnd.kubernetes.protobuf` into the
// JSON form the rest of the dev cluster works with. kubectl's typed clients
// send some bodies this way (auth can-i, create token, debug node / --copy-to,
// create namespace, …) and never retry as JSON, so a 415 is not an option.
//
// The result is what encoding/json would produce from the Go object kubectl
// serialised: the same keys, `omitempty` honoured, `null` for unset pointers
// and slices without omitempty, `{}` for empty structs. That is NOT "every
// field that is on the wire": gogo-protobuf writes every non-pointer field,
// empty or not, so `stdin: false` and `generateName: ""` are always on the wire
// and never in the JSON. The Go types that decide this are in protobuf/schema.ts.
//
// Anything the schema does not know — an unknown kind, an unknown field number,
// an unexpected wire type — is an error naming the message and field, never
// silently dropped.
import protobuf from 'protobufjs/minimal.js';
import { MESSAGES, OBJECTS } from './protobuf/schema';

const MEDIA_TYPE = 'application/vnd.kubernetes.protobuf';
/** Every protobuf body starts with these four bytes: "k8s" and a zero. */
const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

const WIRE_VARINT = 0;
const WIRE_BYTES = 2;

/**
 * A body that is not a valid Kubernetes protobuf encoding of a known object.
 * `code` is the HTTP answer: 415 for a kind or encoding the schema does not
 * cover (the client may send it as JSON), 400 for a malformed body or a field
 * the schema does not know.
 */
export class ProtobufDecodeError extends Error {
  constructor(
    message: string,
    readonly code: 400 | 415 = 400,
  ) {
    super(message);
    this.name = 'ProtobufDecodeError';
  }
}

export function isProtobufContentType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  return contentType.split(';')[0].trim().toLowerCase() === MEDIA_TYPE;
}

/**
 * The object in a protobuf request body, as its JSON form: `kind` and
 * `apiVersion` first (from the envelope), then the object's own fields.
 */
export function decodeProtobufBody(body: Buffer): Record<string, unknown> {
  if (body.length < MAGIC.length || !body.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new ProtobufDecodeError('protobuf body does not start with the Kubernetes magic bytes "k8s\\0"');
  }
  const unknown = readFields('runtime.Unknown', UNKNOWN, body.subarray(MAGIC.length), 'envelope');
  const typeMeta = readFields('runtime.TypeMeta', TYPE_META, lastBytes(unknown, 1) ?? EMPTY, 'envelope.typeMeta');
  const apiVersion = text(lastBytes(typeMeta, 1));
  const kind = text(lastBytes(typeMeta, 2));
  const contentEncoding = text(lastBytes(unknown, 3));
  const contentType = text(lastBytes(unknown, 4));
  if (contentEncoding !== '') {
    throw new ProtobufDecodeError(`protobuf body has contentEncoding "${contentEncoding}"; only unencoded bodies are supported`, 415);
  }
  if (contentType !== '' && contentType !== MEDIA_TYPE) {
    throw new ProtobufDecodeError(`protobuf body declares contentType "${contentType}"`);
  }
  if (!apiVersion || !kind) {
    throw new ProtobufDecodeError('protobuf body has no apiVersion and kind in its envelope');
  }
  const type = OBJECTS[`${apiVersion}/${kind}`];
  if (!type) {
    throw new ProtobufDecodeError(`no protobuf schema for ${kind} in ${apiVersion}; send this object as JSON`, 415);
  }
  return { kind, apiVersion, ...toJSON(type, lastBytes(unknown, 2) ?? EMPTY, '') };
}

// ---- schema ----

type Scalar = 'string' | 'bool' | 'int32' | 'int64' | 'bytes';
/** apimachinery types whose JSON form is not their protobuf message. */
type Special = 'Time' | 'MicroTime' | 'Quantity' | 'IntOrString' | 'FieldsV1' | 'ExtraValue';

interface Field {
  number: number;
  /** The JSON key; empty for an inlined struct. */
  json: string;
  omitempty: boolean;
  inline: boolean;
  pointer: boolean;
  repeated: boolean;
  map: boolean;
  /** For a map, the type of its values. */
  type: Scalar | Special | string;
}

interface Message {
  name: string;
  fields: Field[];
  byNumber: Map<number, Field>;
}

const SCALARS = new Set<string>(['string', 'bool', 'int32', 'int64', 'bytes']);
const SPECIALS = new Set<string>(['Time', 'MicroTime', 'Quantity', 'IntOrString', 'FieldsV1', 'ExtraValue']);

function parseField(message: string, line: string): Field {
  // []byte is one type (bytes), not a slice of byte.
  const match = /^([A-Za-z0-9]*)(,omitempty|,inline)? (\*|\[\]|map\[string\])?([A-Za-z0-9]+) (\d+)$/.exec(
    line.replace('[]byte', 'bytes'),
  );
  if (!match) throw new Error(`protobuf schema: cannot read "${line}" in ${message}`);
  const [, json, flag, prefix, type, number] = match;
  return {
    number: Number(number),
    json,
    omitempty: flag === ',omitempty',
    inline: flag === ',inline',
    pointer: prefix === '*',
    repeated: prefix === '[]',
    map: prefix === 'map[string]',
    type,
  };
}

function compile(name: string, lines: readonly string[]): Message {
  const fields = lines.map((line) => parseField(name, line));
  return { name, fields, byNumber: new Map(fields.map((f) => [f.number, f])) };
}

const SCHEMA = new Map(Object.entries(MESSAGES).map(([name, lines]) => [name, compile(name, lines)]));
for (const message of SCHEMA.values()) {
  for (const field of message.fields) {
    if (!SCALARS.has(field.type) && !SPECIALS.has(field.type) && !SCHEMA.has(field.type)) {
      throw new Error(`protobuf schema: ${message.name}.${field.json || field.type} refers to unknown type ${field.type}`);
    }
  }
}

const UNKNOWN = compile('runtime.Unknown', [
  ',inline TypeMeta 1',
  'raw []byte 2',
  'contentEncoding string 3',
  'contentType string 4',
]);
const TYPE_META = compile('runtime.TypeMeta', ['apiVersion string 1', 'kind string 2']);
const TIME = compile('meta.v1.Time', ['seconds int64 1', 'nanos int32 2']);
const QUANTITY = compile('resource.Quantity', ['string string 1']);
const INT_OR_STRING = compile('intstr.IntOrString', ['type int64 1', 'intVal int32 2', 'strVal string 3']);
const FIELDS_V1 = compile('meta.v1.FieldsV1', ['Raw []byte 1']);
const EXTRA_VALUE = compile('ExtraValue', ['items []string 1']);
const MAP_ENTRY_KEY = 1;
const MAP_ENTRY_VALUE = 2;

// ---- wire ----

/** A field's occurrences on the wire: varints as protobufjs Longs, length-delimited records as bytes. */
type Occurrence = protobuf.Long | Uint8Array;
type Fields = Map<number, Occurrence[]>;

const EMPTY = new Uint8Array(0);
const utf8 = new TextDecoder();

function isVarintType(type: string): boolean {
  return type === 'bool' || type === 'int32' || type === 'int64';
}

/** Reads one message's fields, refusing any number or wire type the schema does not expect. */
function readFields(typeName: string, message: Message, bytes: Uint8Array, path: string): Fields {
  const reader = protobuf.Reader.create(bytes);
  const out: Fields = new Map();
  try {
    while (reader.pos < reader.len) {
      const tag = reader.uint32();
      const number = tag >>> 3;
      const wireType = tag & 7;
      const field = message.byNumber.get(number);
      if (!field) {
        throw new ProtobufDecodeError(
          `protobuf: ${typeName} has no field number ${number} (wire type ${wireType}) at ${path || '<root>'}`,
        );
      }
      const values = out.get(number) ?? [];
      out.set(number, values);
      const scalarVarint = !field.map && isVarintType(field.type);
      if (scalarVarint && wireType === WIRE_VARINT) {
        values.push(reader.int64() as protobuf.Long);
      } else if (scalarVarint && field.repeated && wireType === WIRE_BYTES) {
        // A packed repeated number: a run of varints in one length-delimited record.
        const packed = protobuf.Reader.create(reader.bytes());
        while (packed.pos < packed.len) values.push(packed.int64() as protobuf.Long);
      } else if (!scalarVarint && wireType === WIRE_BYTES) {
        values.push(reader.bytes());
      } else {
        throw new ProtobufDecodeError(
          `protobuf: ${typeName} field ${number} (${field.json || field.type}) has wire type ${wireType} at ${path || '<root>'}`,
        );
      }
    }
  } catch (err) {
    if (err instanceof ProtobufDecodeError) throw err;
    throw new ProtobufDecodeError(`protobuf: ${typeName} is truncated or malformed at ${path || '<root>'}: ${(err as Error).message}`);
  }
  return out;
}

function lastBytes(fields: Fields, number: number): Uint8Array | undefined {
  const values = fields.get(number);
  return values?.length ? (values[values.length - 1] as Uint8Array) : undefined;
}

function text(bytes: Uint8Array | undefined): string {
  return bytes ? utf8.decode(bytes) : '';
}

/** Occurrences of a singular embedded message merge, as in protobuf: decode their concatenation. */
function concat(chunks: Occurrence[]): Uint8Array {
  return chunks.length === 1 ? (chunks[0] as Uint8Array) : Buffer.concat(chunks as Uint8Array[]);
}

// ---- to JSON, as encoding/json would write the Go value ----

function toJSON(typeName: string, bytes: Uint8Array, path: string): Record<string, unknown> {
  const message = SCHEMA.get(typeName);
  if (!message) throw new Error(`protobuf schema: no message ${typeName}`);
  const wire = readFields(typeName, message, bytes, path);
  const out: Record<string, unknown> = {};
  for (const field of message.fields) {
    const values = wire.get(field.number);
    const at = field.json ? (path ? `${path}.${field.json}` : field.json) : path;
    if (field.inline) {
      Object.assign(out, toJSON(field.type, values ? concat(values) : EMPTY, at));
      continue;
    }
    const value = fieldJSON(typeName, field, values, at);
    if (value !== OMIT) out[field.json] = value;
  }
  return out;
}

const OMIT = Symbol('omit');

function fieldJSON(typeName: string, field: Field, values: Occurrence[] | undefined, path: string): unknown {
  const present = values !== undefined && values.length > 0;
  // A nil slice, map or pointer: left out with omitempty, null without.
  if (!present && (field.repeated || field.map || field.pointer || field.type === 'bytes')) {
    return field.omitempty ? OMIT : null;
  }
  if (field.map) return mapJSON(typeName, field, values!, path);
  if (field.repeated) return values!.map((v, i) => valueJSON(typeName, field, v, `${path}[${i}]`));
  if (field.pointer) {
    const value = isStruct(field.type) ? mergeable(field.type, values!) : values![values!.length - 1];
    return valueJSON(typeName, field, value, path);
  }
  if (isStruct(field.type)) {
    // A struct is never empty to encoding/json, so omitempty does not apply.
    return valueJSON(typeName, field, present ? mergeable(field.type, values!) : EMPTY, path);
  }
  const value = present ? valueJSON(typeName, field, values![values!.length - 1], path) : zero(field.type);
  return field.omitempty && isZero(value) ? OMIT : value;
}

function isStruct(type: string): boolean {
  return !SCALARS.has(type);
}

/** Messages merge across occurrences; the apimachinery types replace their value with each one. */
function mergeable(type: string, values: Occurrence[]): Uint8Array {
  return SPECIALS.has(type) ? (values[values.length - 1] as Uint8Array) : concat(values);
}

function zero(type: string): unknown {
  if (type === 'bytes') return null;
  if (type === 'string') return '';
  if (type === 'bool') return false;
  return 0;
}

function isZero(value: unknown): boolean {
  return value === '' || value === 0 || value === false || (Array.isArray(value) && value.length === 0);
}

const mapEntries = new Map<string, Message>();

/** A protobuf map is a repeated entry message {key = 1; value = 2}; encoding/json sorts the keys. */
function mapJSON(typeName: string, field: Field, entries: Occurrence[], path: string): Record<string, unknown> {
  const entryType = `${typeName}.${field.json}Entry`;
  let entry = mapEntries.get(entryType);
  if (!entry) {
    entry = compile(entryType, ['key string 1', `value ${field.type} 2`]);
    mapEntries.set(entryType, entry);
  }
  const byKey = new Map<string, unknown>();
  for (const bytes of entries) {
    const wire = readFields(entryType, entry, bytes as Uint8Array, path);
    const key = text(lastBytes(wire, MAP_ENTRY_KEY));
    const values = wire.get(MAP_ENTRY_VALUE);
    const at = `${path}[${JSON.stringify(key)}]`;
    if (isStruct(field.type)) {
      byKey.set(key, valueJSON(typeName, field, values ? mergeable(field.type, values) : EMPTY, at));
    } else {
      byKey.set(key, values?.length ? valueJSON(typeName, field, values[values.length - 1], at) : zero(field.type));
    }
  }
  return Object.fromEntries([...byKey.keys()].sort().map((k) => [k, byKey.get(k)]));
}

/** One value of the field's type (an element, for slices and maps). */
function valueJSON(typeName: string, field: Field, value: Occurrence, path: string): unknown {
  switch (field.type) {
    case 'string':
      return utf8.decode(value as Uint8Array);
    case 'bytes':
      return Buffer.from(value as Uint8Array).toString('base64');
    case 'bool':
      return !isZeroVarint(value as protobuf.Long);
    case 'int32':
      return int32(value as protobuf.Long);
    case 'int64':
      return int64(value as protobuf.Long, path);
    case 'Time':
      return timeJSON(value as Uint8Array, path, false);
    case 'MicroTime':
      return timeJSON(value as Uint8Array, path, true);
    case 'Quantity':
      return quantityJSON(value as Uint8Array, path);
    case 'IntOrString':
      return intOrStringJSON(value as Uint8Array, path);
    case 'FieldsV1':
      return fieldsV1JSON(value as Uint8Array, path);
    case 'ExtraValue': {
      // A nil ExtraValue (no items) is null, as encoding/json writes a nil slice.
      const items = readFields(EXTRA_VALUE.name, EXTRA_VALUE, value as Uint8Array, path).get(1);
      return items ? items.map((b) => utf8.decode(b as Uint8Array)) : null;
    }
    default:
      if (!SCHEMA.has(field.type)) throw new Error(`protobuf schema: ${typeName}.${field.json} has unknown type ${field.type}`);
      return toJSON(field.type, value as Uint8Array, path);
  }
}

// A varint as protobufjs reads it: two 32-bit halves.
function isZeroVarint(value: protobuf.Long): boolean {
  return value.low === 0 && value.high === 0;
}

/** An int32 is sent sign-extended to 64 bits; its value is the low half. */
function int32(value: protobuf.Long): number {
  return value.low | 0;
}

function int64(value: protobuf.Long, path: string): number {
  const n = BigInt.asIntN(64, (BigInt(value.high >>> 0) << 32n) | BigInt(value.low >>> 0));
  if (n > BigInt(Number.MAX_SAFE_INTEGER) || n < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new ProtobufDecodeError(`protobuf: integer ${n} at ${path} is too large for JSON`);
  }
  return Number(n);
}

// Go's zero time.Time, 0001-01-01T00:00:00Z, in Unix seconds.
const GO_ZERO_TIME_SECONDS = -62135596800;

/**
 * metav1.Time is RFC 3339 in UTC to the second (the protobuf nanos are dropped
 * when Go decodes it); MicroTime keeps microseconds. The zero time, which Go
 * sends as an empty message, is null.
 */
function timeJSON(bytes: Uint8Array, path: string, micro: boolean): string | null {
  if (bytes.length === 0) return null;
  const wire = readFields(TIME.name, TIME, bytes, path);
  const last = (n: number) => {
    const v = wire.get(n);
    return v?.length ? (v[v.length - 1] as protobuf.Long) : undefined;
  };
  const seconds = last(1) ? int64(last(1)!, path) : 0;
  const nanos = last(2) ? int32(last(2)!) : 0;
  if (seconds === GO_ZERO_TIME_SECONDS && (nanos === 0 || !micro)) return null;
  const iso = new Date(seconds * 1000).toISOString().slice(0, 19);
  return micro ? `${iso}.${String(Math.floor(nanos / 1000)).padStart(6, '0')}Z` : `${iso}Z`;
}

/** A resource.Quantity travels as its canonical string; the zero Quantity is "0". */
function quantityJSON(bytes: Uint8Array, path: string): string {
  const s = text(lastBytes(readFields(QUANTITY.name, QUANTITY, bytes, path), 1));
  return s === '' ? '0' : s;
}

function intOrStringJSON(bytes: Uint8Array, path: string): number | string {
  const wire = readFields(INT_OR_STRING.name, INT_OR_STRING, bytes, path);
  const type = wire.get(1)?.at(-1) as protobuf.Long | undefined;
  if (type && !isZeroVarint(type)) {
    if (int64(type, path) !== 1) throw new ProtobufDecodeError(`protobuf: IntOrString at ${path} has unknown type ${int64(type, path)}`);
    return text(lastBytes(wire, 3));
  }
  const intVal = wire.get(2)?.at(-1) as protobuf.Long | undefined;
  return intVal ? int32(intVal) : 0;
}

/** FieldsV1 is raw JSON (a managedFields trie) carried as bytes. */
function fieldsV1JSON(bytes: Uint8Array, path: string): unknown {
  const raw = lastBytes(readFields(FIELDS_V1.name, FIELDS_V1, bytes, path), 1);
  if (!raw) return null;
  try {
    return JSON.parse(utf8.decode(raw));
  } catch {
    throw new ProtobufDecodeError(`protobuf: fieldsV1 at ${path} is not JSON`);
  }
}
