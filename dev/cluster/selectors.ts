import type { KubeObject } from './types';
import { badRequest } from './status';

export type Matcher = (object: KubeObject) => boolean;

type Requirement =
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | '!exists' };

/** Splits on commas that are not inside a parenthesised value set. */
function splitTerms(selector: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of selector) {
    if (ch === '(') depth += 1;
    if (ch === ')') depth -= 1;
    if (ch === ',' && depth === 0) {
      terms.push(current.trim());
      current = '';
    } else current += ch;
  }
  if (current.trim()) terms.push(current.trim());
  return terms;
}

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function checkValues(key: string, values: string[]): string[] {
  values.forEach((value, i) => {
    if (value.length > 63 || !LABEL_VALUE.test(value)) {
      throw badRequest(
        `unable to parse requirement: values[${i}][${key}]: Invalid value: ${JSON.stringify(value)}: a valid label must be ` +
          `an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an ` +
          `alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is ` +
          `'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
      );
    }
  });
  return values;
}

function parseLabelRequirement(term: string): Requirement {
  let m = /^(\S+?)\s+(in|notin)\s*\(([^)]*)\)$/.exec(term);
  if (m) return { key: m[1], op: m[2] as 'in' | 'notin', values: checkValues(m[1], m[3].split(',').map((v) => v.trim())) };
  m = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(term);
  if (m) {
    const values = checkValues(m[1], [m[3]]);
    return m[2] === '!=' ? { key: m[1], op: 'notin', values } : { key: m[1], op: 'in', values };
  }
  m = /^!\s*(\S+)$/.exec(term);
  if (m) return { key: m[1], op: '!exists' };
  m = /^([A-Za-z0-9._/-]+)$/.exec(term);
  if (m) return { key: m[1], op: 'exists' };
  throw badRequest(`unable to parse requirement: found '${term}', expected: in, notin, =, ==, !=, gt, lt`);
}

/** labelSelector as the apiserver parses it: =, ==, !=, in, notin, key, !key. */
export function labelMatcher(selector: string | null): Matcher {
  if (!selector) return () => true;
  const requirements = splitTerms(selector).map(parseLabelRequirement);
  return (object) => {
    const labels = object.metadata.labels ?? {};
    return requirements.every((r) => {
      const has = Object.prototype.hasOwnProperty.call(labels, r.key);
      switch (r.op) {
        case 'exists':
          return has;
        case '!exists':
          return !has;
        case 'in':
          return has && r.values.includes(labels[r.key]);
        case 'notin':
          return !has || !r.values.includes(labels[r.key]);
      }
    });
  };
}

/** Field paths each resource may be selected by, as the apiserver registers them. */
const FIELD_SELECTABLE: Record<string, string[]> = {
  pods: ['metadata.name', 'metadata.namespace', 'spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName',
    'spec.serviceAccountName', 'spec.hostNetwork', 'status.phase', 'status.podIP', 'status.nominatedNodeName'],
  events: ['metadata.name', 'metadata.namespace', 'involvedObject.kind', 'involvedObject.namespace',
    'involvedObject.name', 'involvedObject.uid', 'involvedObject.apiVersion', 'involvedObject.resourceVersion',
    'involvedObject.fieldPath', 'reason', 'reportingComponent', 'source', 'type'],
  nodes: ['metadata.name', 'spec.unschedulable'],
  namespaces: ['metadata.name', 'status.phase'],
  secrets: ['metadata.name', 'metadata.namespace', 'type'],
};

function fieldValue(object: KubeObject, path: string): string {
  if (path === 'source') return String((object as { source?: { component?: string } }).source?.component ?? '');
  let value: unknown = object;
  for (const part of path.split('.')) {
    value = value && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined;
  }
  if (value === undefined || value === null) return path === 'spec.hostNetwork' || path === 'spec.unschedulable' ? 'false' : '';
  return String(value);
}

/** fieldSelector: =, ==, != on the fields a resource registers; others are refused as the apiserver does. */
export function fieldMatcher(resource: string, selector: string | null): Matcher {
  if (!selector) return () => true;
  const allowed = FIELD_SELECTABLE[resource] ?? ['metadata.name', 'metadata.namespace'];
  const terms = selector.split(',').filter(Boolean).map((term) => {
    const m = /^([^=!]+)(==|=|!=)(.*)$/.exec(term.trim());
    if (!m) throw badRequest(`invalid selector: '${selector}'; can't understand '${term}'`);
    const [, field, op, value] = m;
    if (!allowed.includes(field)) {
      throw badRequest(`field label not supported: ${field}`);
    }
    return { field, negate: op === '!=', value };
  });
  return (object) => terms.every((t) => (fieldValue(object, t.field) === t.value) !== t.negate);
}
