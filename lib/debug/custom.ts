// A partial container merged over the profile's result, as kubectl's
// `--custom` does it: a strategic merge patch of one container. kubectl has
// two copies of this (ephemeral and regular containers); one function serves.
import type { Container } from './types';
import type { CustomContainer } from './request';

type Json = Record<string, unknown>;

const isMap = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Container lists that merge item by item (patchStrategy merge) and their merge keys; every other list is replaced. */
const MERGE_KEYS: Record<string, string> = { env: 'name', volumeMounts: 'mountPath', ports: 'containerPort', volumeDevices: 'devicePath' };

/**
 * Go marshals a custom container with omitempty: a false bool or an empty
 * string in these fields never reaches the merge, so it changes nothing.
 */
const OMITTED_WHEN_ZERO = new Set([
  'stdin', 'stdinOnce', 'tty', 'workingDir', 'terminationMessagePath', 'terminationMessagePolicy', 'imagePullPolicy',
  // in list items: EnvVar.value, VolumeMount.readOnly / subPath / subPathExpr
  'value', 'readOnly', 'subPath', 'subPathExpr',
]);

const omitted = (key: string, value: unknown) => value === undefined || (OMITTED_WHEN_ZERO.has(key) && (value === false || value === ''));
const withoutOmitted = (item: Json): Json => Object.fromEntries(Object.entries(item).filter(([k, v]) => !omitted(k, v)));

function mergeMaps(original: Json, patch: Json): Json {
  const merged: Json = { ...original };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    merged[key] = isMap(value) && isMap(original[key]) ? mergeMaps(original[key], value) : value;
  }
  return merged;
}

/**
 * Merge two keyed lists as the strategic merge patch does: items with the
 * same key are merged in place, new ones added; then the patch's items keep
 * the patch's order and the rest keep theirs, interleaved by their positions
 * in the original (normalizeElementOrder / mergeSortedSlice).
 */
export function mergeKeyedList(original: Json[], patch: Json[], key: string): Json[] {
  const merged = new Map<unknown, Json>(original.map((item) => [item[key], item]));
  for (const item of patch) {
    const existing = merged.get(item[key]);
    merged.set(item[key], existing ? mergeMaps(existing, item) : item);
  }
  const inPatch = new Set(patch.map((item) => item[key]));
  const right = patch.map((item) => merged.get(item[key])!);
  const left = original.filter((item) => !inPatch.has(item[key])).map((item) => merged.get(item[key])!);
  const position = (item: Json) => original.findIndex((o) => o[key] === item[key]);
  const out: Json[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (j >= right.length) out.push(left[i++]);
    else if (i >= left.length) out.push(right[j++]);
    else {
      const [l, r] = [position(left[i]), position(right[j])];
      out.push(l >= 0 && r >= 0 && l < r ? left[i++] : right[j++]);
    }
  }
  return out;
}

/** The container with `custom` merged over it (a new object; the input is left alone). */
export function mergeCustom<C extends Container>(container: C, custom: CustomContainer | undefined): C {
  if (!custom) return container;
  const merged: Json = { ...container };
  for (const [key, value] of Object.entries(custom)) {
    if (omitted(key, value)) continue;
    const mergeKey = MERGE_KEYS[key];
    if (mergeKey && Array.isArray(value)) merged[key] = mergeKeyedList((merged[key] as Json[] | undefined) ?? [], (value as Json[]).map(withoutOmitted), mergeKey);
    else if (isMap(value) && isMap(merged[key])) merged[key] = mergeMaps(merged[key], value);
    else merged[key] = value;
  }
  return merged as C;
}
