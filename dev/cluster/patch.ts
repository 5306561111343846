// PATCH as the apiserver applies it: strategic merge patch (with the core/v1 patch
// metadata), JSON merge patch (RFC 7386) and JSON patch (RFC 6902).
//
// Facts this follows (read, not copied):
// - k8s.io/api core/v1 `patchStrategy`/`patchMergeKey` struct tags, as compiled into
//   kubectl v1.32 (PATCH_SCHEMA below);
// - k8s.io/apimachinery pkg/util/strategicpatch (mergeMap, mergeSlice,
//   mergePatchIntoOriginal, normalizeElementOrder, mergeSortedSlice) for ordering and
//   directive semantics, and pkg/util/mergepatch for error wording;
// - k8s.io/apiserver pkg/endpoints/handlers/patch.go for status codes and messages;
// - gopkg.in/evanphx/json-patch.v4 for JSON patch error wording.
//
// Deliberate differences from the apiserver, each for a store of plain JSON:
// - values new to the object are cleaned as if merged into nothing (nulls dropped,
//   directives applied), where the apiserver copies them raw and lets its typed
//   decoder drop unknown `$…` keys;
// - `$patch: merge` is accepted as an explicit "merge" (the apiserver answers
//   "unknown patch type: merge" on maps and "merging lists cannot yet be specified in
//   the patch" on list elements);
// - unknown `$…` keys and malformed directives are 400 BadRequest (the apiserver
//   answers some of them with 500 InternalError, or ignores unknown keys);
// - `$deleteFromPrimitiveList` never adds items and works on atomic lists too
//   (newer apimachinery behaviour; older versions copied the deletion list in when
//   the list was absent).

import jsonpatch from 'fast-json-patch';
import type { Operation } from 'fast-json-patch';
import { StatusError, badRequest, failure } from './status';

type JsonMap = Record<string, unknown>;

// ---------------------------------------------------------------------------
// Patch metadata
// ---------------------------------------------------------------------------

/** Patch metadata of one field, as the Go struct tags declare it. */
export interface FieldPatchMeta {
  /**
   * `merge`: a list merged element by element (by `mergeKey`, or as a set of
   * primitives when there is none). `replace`: a map replaced whole.
   * Absent: lists are atomic (the patch's list replaces the whole list) and maps
   * merge key by key.
   */
  strategy?: 'merge' | 'replace';
  mergeKey?: string;
  /** patchStrategy also carries `retainKeys`; clients then send `$retainKeys` in elements. */
  retainKeys?: true;
  /** Named type (a key of PATCH_SCHEMA) of the value, or of the list's elements. */
  type?: string;
}

/**
 * Patch metadata of the types the dev cluster serves, by type name then JSON field
 * name. Fields not listed have no metadata: lists are atomic, maps merge key by key.
 * Some atomic lists are listed anyway (with `{}`) because their being atomic
 * surprises people.
 */
export const PATCH_SCHEMA: Readonly<Record<string, Readonly<Record<string, FieldPatchMeta>>>> = {
  /** Any kind without its own entry: only metadata has patch metadata. */
  Object: { metadata: { type: 'ObjectMeta' } },

  ObjectMeta: {
    ownerReferences: { strategy: 'merge', mergeKey: 'uid' },
    // A merged set of strings: adding sends the new ones, removing sends
    // `$deleteFromPrimitiveList/finalizers`.
    finalizers: { strategy: 'merge' },
    managedFields: {},
  },

  Pod: { metadata: { type: 'ObjectMeta' }, spec: { type: 'PodSpec' }, status: { type: 'PodStatus' } },
  PodSpec: {
    containers: { strategy: 'merge', mergeKey: 'name', type: 'Container' },
    initContainers: { strategy: 'merge', mergeKey: 'name', type: 'Container' },
    // EphemeralContainer inlines EphemeralContainerCommon, which carries Container's tags.
    ephemeralContainers: { strategy: 'merge', mergeKey: 'name', type: 'Container' },
    // `merge,retainKeys`: a volume switching source sends `$retainKeys` so the old
    // source (e.g. emptyDir) is cleared rather than left beside the new one.
    volumes: { strategy: 'merge', mergeKey: 'name', retainKeys: true },
    imagePullSecrets: { strategy: 'merge', mergeKey: 'name' },
    hostAliases: { strategy: 'merge', mergeKey: 'ip' },
    topologySpreadConstraints: { strategy: 'merge', mergeKey: 'topologyKey' },
    resourceClaims: { strategy: 'merge', mergeKey: 'name', retainKeys: true },
    schedulingGates: { strategy: 'merge', mergeKey: 'name' },
    tolerations: {}, // atomic: no patchStrategy tag, a patch replaces every toleration
    readinessGates: {}, // atomic
  },
  Container: {
    env: { strategy: 'merge', mergeKey: 'name' },
    envFrom: {}, // atomic
    // Keyed by containerPort alone: the same port with two protocols collides (a known
    // upstream wart, kept).
    ports: { strategy: 'merge', mergeKey: 'containerPort' },
    volumeMounts: { strategy: 'merge', mergeKey: 'mountPath' },
    volumeDevices: { strategy: 'merge', mergeKey: 'devicePath' },
    resizePolicy: {}, // atomic
  },
  PodStatus: {
    conditions: { strategy: 'merge', mergeKey: 'type' },
    podIPs: { strategy: 'merge', mergeKey: 'ip' },
    hostIPs: { strategy: 'merge', mergeKey: 'ip' },
    resourceClaimStatuses: { strategy: 'merge', mergeKey: 'name', retainKeys: true },
    // The status lists of containers carry no tag: a status patch replaces them whole.
    containerStatuses: {},
    initContainerStatuses: {},
    ephemeralContainerStatuses: {},
  },

  Node: { metadata: { type: 'ObjectMeta' }, spec: { type: 'NodeSpec' }, status: { type: 'NodeStatus' } },
  NodeSpec: {
    podCIDRs: { strategy: 'merge' }, // a merged set of strings
    taints: {}, // atomic: no patchStrategy tag (unlike the old annotations-era behaviour)
  },
  NodeStatus: {
    conditions: { strategy: 'merge', mergeKey: 'type' },
    addresses: { strategy: 'merge', mergeKey: 'type' }, // by type, so two InternalIPs collide (upstream wart)
    images: {}, // atomic
    volumesInUse: {}, // atomic
    volumesAttached: {}, // atomic
  },

  Namespace: { metadata: { type: 'ObjectMeta' }, spec: { type: 'NamespaceSpec' }, status: { type: 'NamespaceStatus' } },
  NamespaceSpec: { finalizers: {} }, // atomic, unlike metadata.finalizers
  NamespaceStatus: { conditions: { strategy: 'merge', mergeKey: 'type' } },

  // core/v1 Event has no tagged lists (involvedObject, related, series are maps).
  Event: { metadata: { type: 'ObjectMeta' } },
};

const ROOT_TYPES: Readonly<Record<string, string>> = { Pod: 'Pod', Node: 'Node', Namespace: 'Namespace', Event: 'Event' };

function rootType(kind: string): string {
  return ROOT_TYPES[kind] ?? 'Object';
}

function fieldMeta(type: string | undefined, key: string): FieldPatchMeta {
  return (type !== undefined ? PATCH_SCHEMA[type]?.[key] : undefined) ?? {};
}

/**
 * The patch metadata of the field at `path` in an object of `kind`, e.g.
 * `patchMetaFor('Pod', ['spec', 'containers', 'env'])` → `{strategy:'merge', mergeKey:'name'}`.
 * Numeric segments (list indexes) are skipped. Undefined when the field has none.
 */
export function patchMetaFor(kind: string, path: readonly string[]): FieldPatchMeta | undefined {
  let type: string | undefined = rootType(kind);
  let meta: FieldPatchMeta | undefined;
  for (const segment of path) {
    if (/^\d+$/.test(segment)) continue;
    meta = type !== undefined ? PATCH_SCHEMA[type]?.[segment] : undefined;
    if (!meta) return undefined;
    type = meta.type;
  }
  return meta;
}

/** The merge key of the list at `path` (default kind Pod), e.g. `['spec','containers']` → `name`. */
export function mergeKeyFor(path: readonly string[], kind: string = 'Pod'): string | undefined {
  const meta = patchMetaFor(kind, path);
  return meta?.strategy === 'merge' ? meta.mergeKey : undefined;
}

// ---------------------------------------------------------------------------
// Entry point
// ---------------------------------------------------------------------------

export const STRATEGIC_MERGE_PATCH = 'application/strategic-merge-patch+json';
export const MERGE_PATCH = 'application/merge-patch+json';
export const JSON_PATCH = 'application/json-patch+json';
const APPLY_PATCH_YAML = 'application/apply-patch+yaml';
const APPLY_PATCH_CBOR = 'application/apply-patch+cbor';

/** The patch media types the dev cluster accepts, in the apiserver's order. */
export const SUPPORTED_PATCH_TYPES: readonly string[] = [JSON_PATCH, MERGE_PATCH, STRATEGIC_MERGE_PATCH];

/** The apiserver allows at most this many operations in one JSON patch. */
const MAX_JSON_PATCH_OPERATIONS = 10000;

/**
 * Applies a PATCH body to `original` as the apiserver would and returns a new object;
 * `original` is never modified. Errors are StatusErrors (400, 415, 413 or 422).
 */
export function applyPatch(
  contentType: string,
  original: Record<string, unknown>,
  patchBody: Buffer | string,
  kind: 'Pod' | 'Node' | 'Namespace' | 'Event' | string,
): Record<string, unknown> {
  // The apiserver drops parameters such as "; charset=utf-8".
  const mediaType = (contentType ?? '').split(';')[0].trim();
  const text = typeof patchBody === 'string' ? patchBody : patchBody.toString('utf8');
  switch (mediaType) {
    case STRATEGIC_MERGE_PATCH:
      return strategicMergePatch(original, text, kind);
    case MERGE_PATCH:
      return jsonMergePatch(original, text);
    case JSON_PATCH:
      return jsonPatch(original, text);
    case APPLY_PATCH_YAML:
    case APPLY_PATCH_CBOR:
      throw failure(
        415,
        'UnsupportedMediaType',
        `server-side apply (${mediaType}) is not supported by the dev cluster; ` +
          `use a strategic merge patch (kubectl apply --server-side=false, kubectl patch) - ` +
          `accepted media types include: ${SUPPORTED_PATCH_TYPES.join(', ')}`,
      );
    default:
      throw failure(
        415,
        'UnsupportedMediaType',
        `the body of the request was in an unknown format - accepted media types include: ${SUPPORTED_PATCH_TYPES.join(', ')}`,
      );
  }
}

function parseJson(text: string, prefix: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw badRequest(`${prefix}${err instanceof Error ? err.message : String(err)}`);
  }
}

// ---------------------------------------------------------------------------
// Small JSON helpers
// ---------------------------------------------------------------------------

function isMap(v: unknown): v is JsonMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Go's name for the JSON value's kind, as encoding/json words it in errors. */
function goKind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return 'object';
  return typeof v;
}

/** Which values the strategic merge treats as the same type (Go's reflect.TypeOf). */
function valueKind(v: unknown): 'map' | 'list' | 'string' | 'number' | 'boolean' | 'null' {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'list';
  if (typeof v === 'object') return 'map';
  return typeof v as 'string' | 'number' | 'boolean';
}

/** Go's %v rendering of decoded JSON, for error messages worded like the apiserver's. */
function goFormat(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goFormat).join(' ')}]`;
  if (typeof v === 'object') {
    const m = v as JsonMap;
    return `map[${Object.keys(m)
      .sort()
      .map((k) => `${k}:${goFormat(m[k])}`)
      .join(' ')}]`;
  }
  return String(v);
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  }
  if (isMap(a) && isMap(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

function joinPath(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

// ---------------------------------------------------------------------------
// Strategic merge patch
// ---------------------------------------------------------------------------

const DIRECTIVE = '$patch';
const RETAIN_KEYS = '$retainKeys';
const SET_ELEMENT_ORDER = '$setElementOrder';
const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList';

// mergepatch's error texts; the apiserver answers these with 400 BadRequest.
const ERR_PRIMITIVE_LIST = 'invalid patch format of primitive list';
const ERR_RETAIN_KEYS = 'invalid patch format of retainKeys';
const ERR_SET_ELEMENT_ORDER = 'invalid patch format of setElementOrder list';

function where(path: string): string {
  return path ? ` (at ${path})` : '';
}

function strategicMergePatch(original: JsonMap, text: string, kind: string): JsonMap {
  const patch = parseJson(text, '');
  // The apiserver decodes the body into map[string]interface{}; JSON null is an empty patch.
  if (patch === null) return structuredClone(original);
  if (!isMap(patch)) {
    throw badRequest(`json: cannot unmarshal ${goKind(patch)} into Go value of type map[string]interface {}`);
  }
  return mergeMap(structuredClone(original), patch, rootType(kind), '');
}

function unknownPatchType(directive: unknown, m: JsonMap, path: string): StatusError {
  return badRequest(
    `unknown patch type: ${goFormat(directive)} in map: ${goFormat(m)}${where(path)}; ` +
      `$patch takes replace, merge or delete`,
  );
}

function noMergeKey(m: unknown, mergeKey: string, path: string): StatusError {
  return badRequest(`map: ${goFormat(m)} does not contain declared merge key: ${mergeKey}${where(path)}`);
}

/** The list field a `$setElementOrder/x` or `$deleteFromPrimitiveList/x` key names. */
function directiveTarget(key: string, prefix: string, path: string): string {
  const slash = key.indexOf('/');
  if (slash < 0 || key.slice(0, slash) !== prefix || slash === key.length - 1) {
    const err = prefix === SET_ELEMENT_ORDER ? ERR_SET_ELEMENT_ORDER : ERR_PRIMITIVE_LIST;
    throw badRequest(`${err}: directive key "${key}" must be "${prefix}/<list field>"${where(path)}`);
  }
  return key.slice(slash + 1);
}

function checkFieldName(key: string, path: string): void {
  if (key === '__proto__') throw badRequest(`invalid field name "__proto__"${where(path)}`);
}

/**
 * Merges `patch` into `original` (which it modifies and returns) following the patch
 * metadata of `type`. `patch` is consumed.
 */
function mergeMap(original: JsonMap, patch: JsonMap, type: string | undefined, path: string): JsonMap {
  if (Object.hasOwn(patch, DIRECTIVE)) {
    const directive = patch[DIRECTIVE];
    if (directive === 'replace') {
      // The map is replaced by the patch's content, which may itself carry directives.
      delete patch[DIRECTIVE];
      return mergeMap({}, patch, type, path);
    }
    // The apiserver answers `$patch: delete` on a map with an empty map, not an absent key.
    if (directive === 'delete') return {};
    if (directive !== 'merge') throw unknownPatchType(directive, patch, path);
    delete patch[DIRECTIVE];
  }

  applyRetainKeys(original, patch, path);
  applyElementOrder(original, patch, type, path);

  for (const [rawKey, patchValue] of Object.entries(patch)) {
    let key = rawKey;
    let deletion = false;
    if (rawKey.startsWith('$')) {
      if (rawKey.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
        key = directiveTarget(rawKey, DELETE_FROM_PRIMITIVE_LIST, path);
        deletion = true;
      } else {
        throw badRequest(
          `unknown strategic merge patch directive "${rawKey}"${where(path)}; known directives are ` +
            `$patch, $retainKeys, $setElementOrder/<list>, $deleteFromPrimitiveList/<list>`,
        );
      }
    }
    checkFieldName(key, path);
    const fieldPath = joinPath(path, key);

    if (deletion) {
      deleteFromPrimitiveList(original, key, patchValue, fieldPath);
      continue;
    }
    // null deletes the key (and is dropped when the key is absent).
    if (patchValue === null) {
      delete original[key];
      continue;
    }

    const meta = fieldMeta(type, key);
    const current = original[key];
    if (current === undefined || current === null || valueKind(current) !== valueKind(patchValue)) {
      original[key] = cleanValue(patchValue, meta, fieldPath);
    } else if (isMap(current)) {
      original[key] =
        meta.strategy === 'replace'
          ? mergeMap({}, patchValue as JsonMap, meta.type, fieldPath)
          : mergeMap(current, patchValue as JsonMap, meta.type, fieldPath);
    } else if (Array.isArray(current)) {
      original[key] =
        meta.strategy === 'merge'
          ? mergeList(current, patchValue as unknown[], meta, fieldPath)
          : cleanList(patchValue as unknown[], meta, fieldPath);
    } else {
      original[key] = patchValue;
    }
  }
  return original;
}

/** A value new to the object: merged into nothing, so directives apply and nulls drop. */
function cleanValue(value: unknown, meta: FieldPatchMeta, path: string): unknown {
  if (isMap(value)) return mergeMap({}, value, meta.type, path);
  if (Array.isArray(value)) return cleanList(value, meta, path);
  return value;
}

/** A list new to the object, or replacing an atomic one. */
function cleanList(list: unknown[], meta: FieldPatchMeta, path: string): unknown[] {
  const out: unknown[] = [];
  list.forEach((item, i) => {
    const itemPath = `${path}[${i}]`;
    if (isMap(item) && Object.hasOwn(item, DIRECTIVE)) {
      const directive = item[DIRECTIVE];
      // Deleting from, or replacing, nothing: `{"$patch":"replace"}` markers and deleted
      // entries leave no element behind.
      if (directive === 'delete') return;
      if (directive === 'replace' || directive === 'merge') {
        const rest = { ...item };
        delete rest[DIRECTIVE];
        if (Object.keys(rest).length > 0) out.push(mergeMap({}, rest, meta.type, itemPath));
        return;
      }
      throw unknownPatchType(directive, item, itemPath);
    }
    out.push(cleanValue(item, { type: meta.type }, itemPath));
  });
  return out;
}

function deleteFromPrimitiveList(original: JsonMap, key: string, toDelete: unknown, path: string): void {
  if (!Array.isArray(toDelete)) {
    throw badRequest(`${ERR_PRIMITIVE_LIST}: $deleteFromPrimitiveList/${key} must be a list${where(path)}`);
  }
  if (toDelete.some((v) => isMap(v) || Array.isArray(v))) {
    throw badRequest(`${ERR_PRIMITIVE_LIST}: $deleteFromPrimitiveList/${key} may only hold primitives${where(path)}`);
  }
  const current = original[key];
  // Deleting from an absent list leaves it absent (it never adds the items).
  if (!Array.isArray(current)) return;
  original[key] = current.filter((v) => !toDelete.some((d) => d === v));
}

/** `$retainKeys`: clear every key of `original` not listed; the patch may only set listed keys. */
function applyRetainKeys(original: JsonMap, patch: JsonMap, path: string): void {
  if (!Object.hasOwn(patch, RETAIN_KEYS)) return;
  const retain = patch[RETAIN_KEYS];
  delete patch[RETAIN_KEYS];
  if (!Array.isArray(retain)) throw badRequest(`${ERR_RETAIN_KEYS}: $retainKeys must be a list of field names${where(path)}`);
  const keep = new Set<unknown>(retain);
  for (const [key, value] of Object.entries(patch)) {
    if (value === null || key.startsWith(DELETE_FROM_PRIMITIVE_LIST) || key.startsWith(SET_ELEMENT_ORDER)) continue;
    if (!keep.has(key)) {
      throw badRequest(`${ERR_RETAIN_KEYS}: the patch sets "${key}", which $retainKeys does not list${where(path)}`);
    }
  }
  for (const key of Object.keys(original)) if (!keep.has(key)) delete original[key];
}

/** The identity of a list element: its merge key's value, or the primitive itself. */
function identity(item: unknown, mergeKey: string | undefined): unknown {
  if (!mergeKey) return item;
  return isMap(item) && Object.hasOwn(item, mergeKey) ? item[mergeKey] : undefined;
}

function indexIn(list: readonly unknown[], item: unknown, mergeKey: string | undefined): number {
  const id = identity(item, mergeKey);
  if (id === undefined) return -1;
  return list.findIndex((x) => identity(x, mergeKey) === id);
}

/** Stable sort of `items` by their position in `order`; items not in it keep their place at the end. */
function sortByOrder(items: unknown[], order: readonly unknown[], mergeKey: string | undefined): unknown[] {
  return items
    .map((item, i) => ({ item, i, at: indexIn(order, item, mergeKey) }))
    .sort((a, b) => (a.at < 0 ? Infinity : a.at) - (b.at < 0 ? Infinity : b.at) || a.i - b.i)
    .map((x) => x.item);
}

/**
 * strategicpatch.normalizeElementOrder: patch items in `patchOrder`, server-only items
 * in `serverOrder`, interleaved by their positions in the live list. A patch item the
 * live list does not hold is emitted as soon as it is reached, so without
 * `$setElementOrder` new elements land before the server-only ones.
 */
function normalizeElementOrder(
  patchItems: unknown[],
  serverOnly: unknown[],
  patchOrder: readonly unknown[],
  serverOrder: readonly unknown[],
  mergeKey: string | undefined,
): unknown[] {
  const right = sortByOrder(patchItems, patchOrder, mergeKey);
  const left = sortByOrder(serverOnly, serverOrder, mergeKey);
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++]);
    else if (j >= right.length) out.push(left[i++]);
    else {
      const li = indexIn(serverOrder, left[i], mergeKey);
      const ri = indexIn(serverOrder, right[j], mergeKey);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
      else out.push(right[j++]);
    }
  }
  return out;
}

function partition(merged: unknown[], by: readonly unknown[], mergeKey: string | undefined): [unknown[], unknown[]] {
  const inPatch: unknown[] = [];
  const serverOnly: unknown[] = [];
  for (const item of merged) (indexIn(by, item, mergeKey) >= 0 ? inPatch : serverOnly).push(item);
  return [inPatch, serverOnly];
}

/** Lists must hold one kind of element, and never lists. */
function elementKind(items: readonly unknown[], path: string): 'map' | 'scalar' {
  let kind: string | undefined;
  for (const item of items) {
    const k = valueKind(item);
    if (k === 'list') {
      throw failure(422, 'Invalid', 'the server rejected our request due to an error in our request', {
        causes: [{ reason: 'UnexpectedServerResponse', message: 'lists of lists are not supported', field: path }],
      });
    }
    if (kind === undefined) kind = k;
    else if (kind !== k) throw badRequest(`list element types are not identical: ${goFormat(items)}${where(path)}`);
  }
  return kind === 'map' ? 'map' : 'scalar';
}

/** strategicpatch.mergeSlice for a list with the merge strategy. */
function mergeList(original: unknown[], patch: unknown[], meta: FieldPatchMeta, path: string): unknown[] {
  if (original.length === 0 && patch.length === 0) return original;
  const kind = elementKind([...original, ...patch], path);

  if (kind === 'scalar') {
    const merged: unknown[] = [];
    for (const v of [...original, ...patch]) if (!merged.includes(v)) merged.push(v);
    const [inPatch, serverOnly] = partition(merged, patch, undefined);
    return normalizeElementOrder(inPatch, serverOnly, patch, original, undefined);
  }

  const mergeKey = meta.mergeKey;
  if (!mergeKey) throw badRequest(`cannot merge lists without merge key for type map${where(path)}`);

  // Special elements first: `$patch: delete` removes every entry with that key,
  // `{"$patch": "replace"}` makes the remaining patch entries the whole list.
  let live = original.slice();
  const plain: JsonMap[] = [];
  let replace = false;
  for (const item of patch as JsonMap[]) {
    if (!Object.hasOwn(item, DIRECTIVE)) {
      plain.push(item);
      continue;
    }
    const directive = item[DIRECTIVE];
    if (directive === 'delete') {
      if (!Object.hasOwn(item, mergeKey)) throw noMergeKey(item, mergeKey, path);
      live = live.filter((o) => !(isMap(o) && Object.hasOwn(o, mergeKey) && o[mergeKey] === item[mergeKey]));
    } else if (directive === 'replace') {
      replace = true;
    } else if (directive === 'merge') {
      const rest = { ...item };
      delete rest[DIRECTIVE];
      if (Object.keys(rest).length > 0) plain.push(rest);
    } else {
      throw unknownPatchType(directive, item, path);
    }
  }
  if (replace) return cleanList(plain, meta, path);

  const merged = live.slice();
  for (const item of plain) {
    if (!Object.hasOwn(item, mergeKey)) throw noMergeKey(item, mergeKey, path);
    const id = item[mergeKey];
    const itemPath = `${path}[${mergeKey}=${JSON.stringify(id)}]`;
    const at = merged.findIndex((o) => isMap(o) && Object.hasOwn(o, mergeKey) && o[mergeKey] === id);
    if (at >= 0) merged[at] = mergeMap(merged[at] as JsonMap, item, meta.type, itemPath);
    else merged.push(mergeMap({}, item, meta.type, itemPath));
  }
  const [inPatch, serverOnly] = partition(merged, plain, mergeKey);
  return normalizeElementOrder(inPatch, serverOnly, plain, live, mergeKey);
}

/**
 * `$setElementOrder/<list>`: merge the list (if the patch has it) and order the result
 * as the directive lists; elements it does not name keep their live positions.
 * Consumes the directive and the list from `patch`.
 */
function applyElementOrder(original: JsonMap, patch: JsonMap, type: string | undefined, path: string): void {
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(SET_ELEMENT_ORDER)) continue;
    const order = patch[key];
    delete patch[key];
    const listKey = directiveTarget(key, SET_ELEMENT_ORDER, path);
    checkFieldName(listKey, path);
    const fieldPath = joinPath(path, listKey);
    if (!Array.isArray(order)) throw badRequest(`${ERR_SET_ELEMENT_ORDER}: ${key} must be a list${where(path)}`);

    const meta = fieldMeta(type, listKey);
    const mergeKey = meta.strategy === 'merge' ? meta.mergeKey : undefined;
    const current = original[listKey];
    const patchList = patch[listKey];
    // A null list deletes it; the main loop does that, and there is nothing to order.
    if (patchList === null) continue;
    const foundOriginal = Array.isArray(current);
    const foundPatch = patchList !== undefined;
    if (foundPatch && !Array.isArray(patchList)) {
      throw badRequest(`${ERR_SET_ELEMENT_ORDER}: ${listKey} must be a list beside ${key}${where(path)}`);
    }
    const list = (patchList ?? []) as unknown[];
    if (mergeKey) {
      for (const entry of order) if (!isMap(entry) || !Object.hasOwn(entry, mergeKey)) throw noMergeKey(entry, mergeKey, fieldPath);
    }
    validateAgainstOrder(list, order, mergeKey, fieldPath);

    let merged: unknown[];
    if (foundOriginal && !foundPatch) merged = current as unknown[];
    else if (!foundOriginal && foundPatch) merged = cleanList(list, meta, fieldPath);
    else if (foundOriginal && foundPatch) {
      merged =
        meta.strategy === 'merge'
          ? mergeList(current as unknown[], list, meta, fieldPath)
          : cleanList(list, meta, fieldPath);
    } else continue;

    // Maps without a merge key have no identity to order them by.
    if (!mergeKey && merged.some((v) => isMap(v) || Array.isArray(v))) {
      original[listKey] = merged;
    } else {
      const [inOrder, serverOnly] = partition(merged, order, mergeKey);
      original[listKey] = normalizeElementOrder(inOrder, serverOnly, order, foundOriginal ? (current as unknown[]) : [], mergeKey);
    }
    delete patch[listKey];
  }
}

/** strategicpatch.validatePatchWithSetOrderList: the patch list must follow the directive's order. */
function validateAgainstOrder(list: unknown[], order: unknown[], mergeKey: string | undefined, path: string): void {
  if (order.length === 0 || list.length === 0) return;
  const entries = mergeKey ? list.filter((v) => !(isMap(v) && v[DIRECTIVE] === 'delete')) : list;
  let p = 0;
  let o = 0;
  while (p < entries.length && o < order.length) {
    const entry = entries[p];
    if (isMap(entry) && Object.hasOwn(entry, DIRECTIVE)) {
      p++;
      continue;
    }
    if (mergeKey && (!isMap(entry) || !Object.hasOwn(entry, mergeKey))) throw noMergeKey(entry, mergeKey, path);
    if (identity(entry, mergeKey) === identity(order[o], mergeKey)) p++;
    o++;
  }
  if (p < entries.length) {
    throw badRequest(
      `The order in patch list:\n${goFormat(list)}\n doesn't match ${SET_ELEMENT_ORDER} list:\n${goFormat(order)}\n${where(path)}`,
    );
  }
}

// ---------------------------------------------------------------------------
// JSON merge patch (RFC 7386)
// ---------------------------------------------------------------------------

function jsonMergePatch(original: JsonMap, text: string): JsonMap {
  // Under kubectl's default fieldValidation=Strict the apiserver first decodes the body
  // into map[string]interface{} and answers failures with "error decoding patch: …".
  const patch = parseJson(text, 'error decoding patch: ');
  if (patch === null) throw badRequest('Invalid JSON Patch');
  if (!isMap(patch)) {
    throw badRequest(`error decoding patch: json: cannot unmarshal ${goKind(patch)} into Go value of type map[string]interface {}`);
  }
  return mergePatchValue(structuredClone(original), patch) as JsonMap;
}

function mergePatchValue(target: unknown, patch: unknown): unknown {
  if (!isMap(patch)) return pruneNulls(patch);
  const out: JsonMap = isMap(target) ? target : {};
  for (const [key, value] of Object.entries(patch)) {
    if (key === '__proto__') throw badRequest('invalid field name "__proto__"');
    if (value === null) delete out[key];
    else out[key] = mergePatchValue(out[key], value);
  }
  return out;
}

/** Nulls inside objects of a new value mean "absent" (json-patch prunes them too). */
function pruneNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(pruneNulls);
  if (isMap(value)) {
    const out: JsonMap = {};
    for (const [k, v] of Object.entries(value)) if (v !== null) out[k] = pruneNulls(v);
    return out;
  }
  return value;
}

// ---------------------------------------------------------------------------
// JSON patch (RFC 6902)
// ---------------------------------------------------------------------------

const JSON_PATCH_OPS = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test']);

/** The apiserver answers a patch that does not apply with this 422. */
function jsonPatchDoesNotApply(cause: string): StatusError {
  return failure(422, 'Invalid', 'the server rejected our request due to an error in our request', {
    causes: [{ reason: 'UnexpectedServerResponse', message: cause }],
  });
}

function jsonPatch(original: JsonMap, text: string): JsonMap {
  const ops = parseJson(text, 'error decoding patch: ');
  if (!Array.isArray(ops)) {
    throw badRequest(`error decoding patch: json: cannot unmarshal ${goKind(ops)} into Go value of type []handlers.jsonPatchOp`);
  }
  ops.forEach((op) => {
    if (!isMap(op)) {
      throw badRequest(`error decoding patch: json: cannot unmarshal ${goKind(op)} into Go value of type handlers.jsonPatchOp`);
    }
  });
  if (ops.length > MAX_JSON_PATCH_OPERATIONS) {
    throw failure(
      413,
      'RequestEntityTooLarge',
      `Request entity too large: The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${ops.length}`,
    );
  }

  let doc: unknown = structuredClone(original);
  for (const [index, op] of (ops as JsonMap[]).entries()) {
    const problem = checkOperation(doc, op);
    if (problem) throw jsonPatchDoesNotApply(problem);
    if (op.op === 'test') continue; // checkOperation has run it
    try {
      doc = jsonpatch.applyOperation(doc, op as unknown as Operation, true, true, true, index).newDocument;
    } catch (err) {
      // checkOperation should have caught every case; this is the backstop.
      throw jsonPatchDoesNotApply(`${String(op.op)} operation does not apply: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return doc as JsonMap;
}

function unescapeToken(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

/**
 * The container a pointer's last token lives in (evanphx/json-patch's findObject):
 * undefined when a parent is missing or not a container, or the path is not a pointer.
 */
function findParent(doc: unknown, path: string): { parent: JsonMap | unknown[]; key: string } | undefined {
  const tokens = path.split('/');
  if (tokens.length < 2 || tokens[0] !== '') return undefined;
  let node: unknown = doc;
  for (const raw of tokens.slice(1, -1)) {
    const token = unescapeToken(raw);
    if (Array.isArray(node)) {
      if (!/^\d+$/.test(token) || Number(token) >= node.length) return undefined;
      node = node[Number(token)];
    } else if (isMap(node)) {
      if (!Object.hasOwn(node, token)) return undefined;
      node = node[token];
    } else return undefined;
    if (!isMap(node) && !Array.isArray(node)) return undefined;
  }
  return { parent: node as JsonMap | unknown[], key: unescapeToken(tokens[tokens.length - 1]) };
}

type Lookup = { ok: true; value: unknown } | { ok: false; error: string };

/** The value at key in a container, or the error evanphx/json-patch words. */
function lookup(parent: JsonMap | unknown[], key: string, path: string, op: string): Lookup {
  if (Array.isArray(parent)) {
    if (!/^\d+$/.test(key)) {
      return { ok: false, error: `error in ${op} for path: '${path}': value was not a proper array index: '${key}': strconv.Atoi: parsing "${key}": invalid syntax` };
    }
    const i = Number(key);
    if (i >= parent.length) {
      return { ok: false, error: `error in ${op} for path: '${path}': Unable to access invalid index: ${i}: invalid index referenced` };
    }
    return { ok: true, value: parent[i] };
  }
  if (!Object.hasOwn(parent, key)) return { ok: true, value: undefined };
  return { ok: true, value: parent[key] };
}

/** Checks one operation against the document; returns evanphx/json-patch's error text, if any. */
function checkOperation(doc: unknown, op: JsonMap): string | undefined {
  const kind = typeof op.op === 'string' ? op.op : 'unknown';
  if (!JSON_PATCH_OPS.has(kind)) return `Unexpected kind: ${kind}`;
  if (typeof op.path !== 'string') return `${kind} operation failed to decode path: missing value`;
  const path = op.path;
  if (path.split('/').some((t) => unescapeToken(t) === '__proto__')) return `${kind} operation does not apply: path ${path} is not allowed`;
  if ((kind === 'add' || kind === 'replace' || kind === 'test') && !Object.hasOwn(op, 'value')) {
    return `${kind} operation, missing value field: missing value`;
  }

  if (kind === 'move' || kind === 'copy') {
    if (typeof op.from !== 'string') return `${kind} operation failed to decode from: operation, missing from field: missing value`;
    const from = findParent(doc, op.from);
    const fromValue = from && lookup(from.parent, from.key, op.from, kind);
    if (!from || !fromValue || !fromValue.ok || fromValue.value === undefined) {
      return `${kind} operation does not apply: doc is missing from path: ${op.from}: missing value`;
    }
    if (kind === 'move' && path.startsWith(`${op.from}/`)) {
      return `move operation does not apply: cannot move ${op.from} into itself (${path})`;
    }
    const to = findParent(doc, path);
    if (!to) return `${kind} operation does not apply: doc is missing destination path: ${path}: missing value`;
    return checkAddIndex(to.parent, to.key, path, kind);
  }

  const target = findParent(doc, path);
  if (!target) {
    switch (kind) {
      case 'add':
      case 'remove':
        return `${kind} operation does not apply: doc is missing path: "${path}": missing value`;
      case 'replace':
        return `replace operation does not apply: doc is missing path: ${path}: missing value`;
      default:
        return `test operation does not apply: is missing path: ${path}: missing value`;
    }
  }
  const { parent, key } = target;
  switch (kind) {
    case 'add':
      return checkAddIndex(parent, key, path, kind);
    case 'remove': {
      const found = lookup(parent, key, path, 'remove');
      if (!found.ok) return found.error;
      if (found.value === undefined) {
        return `error in remove for path: '${path}': Unable to remove nonexistent key: ${key}: missing value`;
      }
      return undefined;
    }
    case 'replace': {
      const found = lookup(parent, key, path, 'replace');
      if (!found.ok || found.value === undefined) return `replace operation does not apply: doc is missing key: ${path}: missing value`;
      return undefined;
    }
    default: {
      // test: an absent value equals null.
      const found = lookup(parent, key, path, 'test');
      if (!found.ok) return found.error;
      const actual = found.value === undefined ? null : found.value;
      return deepEqual(actual, op.value) ? undefined : `testing value ${path} failed: test failed`;
    }
  }
}

function checkAddIndex(parent: JsonMap | unknown[], key: string, path: string, op: string): string | undefined {
  if (!Array.isArray(parent) || key === '-') return undefined;
  if (!/^\d+$/.test(key)) {
    return `error in ${op} for path: '${path}': value was not a proper array index: '${key}': strconv.Atoi: parsing "${key}": invalid syntax`;
  }
  if (Number(key) > parent.length) {
    return `error in ${op} for path: '${path}': Unable to access invalid index: ${Number(key)}: invalid index referenced`;
  }
  return undefined;
}
