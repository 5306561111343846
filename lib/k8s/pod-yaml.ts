// The pod as YAML for the detail page, redacted. Ephemera never reads
// Secrets, so a pod object holds only references to them; this still keeps
// nothing of an env entry with a `valueFrom` but its name and the reference
// (a value beside one, which the API server rejects anyway, is dropped), and
// drops the managedFields bookkeeping, which is noise to a reader. Pure.

import type { V1Pod } from '@kubernetes/client-node';
import { stringify } from 'yaml';

type Json = Record<string, unknown>;

const CONTAINER_LISTS = ['initContainers', 'containers', 'ephemeralContainers'] as const;

/** A copy of `pod` fit to show: JSON form (no Date objects), no managedFields, env entries from references keep only the reference. */
export function redactPod(pod: V1Pod): Json {
  const copy = JSON.parse(JSON.stringify(pod)) as Json;
  const metadata = copy.metadata as Json | undefined;
  if (metadata) delete metadata.managedFields;
  const spec = copy.spec as Json | undefined;
  for (const list of CONTAINER_LISTS) {
    for (const container of (spec?.[list] as Json[] | undefined) ?? []) {
      const env = container.env as Json[] | undefined;
      if (env) container.env = env.map((entry) => (entry.valueFrom ? { name: entry.name, valueFrom: reference(entry.valueFrom as Json) } : entry));
    }
  }
  return copy;
}

/** A valueFrom with the reference's own fields only: a Secret's or ConfigMap's name, key and optional flag. */
function reference(valueFrom: Json): Json {
  const pick = (ref: unknown, fields: readonly string[]) =>
    Object.fromEntries(fields.filter((field) => (ref as Json)[field] !== undefined).map((field) => [field, (ref as Json)[field]]));
  if (valueFrom.secretKeyRef) return { secretKeyRef: pick(valueFrom.secretKeyRef, ['name', 'key', 'optional']) };
  if (valueFrom.configMapKeyRef) return { configMapKeyRef: pick(valueFrom.configMapKeyRef, ['name', 'key', 'optional']) };
  if (valueFrom.fieldRef) return { fieldRef: pick(valueFrom.fieldRef, ['apiVersion', 'fieldPath']) };
  if (valueFrom.resourceFieldRef) return { resourceFieldRef: pick(valueFrom.resourceFieldRef, ['containerName', 'resource', 'divisor']) };
  return {};
}

export function podYaml(pod: V1Pod): string {
  return stringify(redactPod(pod), { lineWidth: 0 });
}
