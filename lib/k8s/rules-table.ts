// A SelfSubjectRulesReview as a table a person can read: one row per
// resource, one column per verb. The resources a debug session needs come
// first and always (a missing row would hide exactly what someone wants to
// know), then every resource the rules name. Each cell is computed by matching
// every rule, wildcards included, so `*` on `*` fills the whole table. Pure.

import type { V1NonResourceRule, V1ResourceRule } from '@kubernetes/client-node';

/** The standard verbs, in kubectl's order; other verbs a rule names are appended. */
export const STANDARD_VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'] as const;

/** What a debug session touches (core group), in the order a session uses them. */
export const DEBUG_RESOURCES = ['pods', 'pods/log', 'pods/ephemeralcontainers', 'pods/attach', 'pods/exec'] as const;

/** `all`: any object; `named`: only the objects listed in the row's `names`; `none`. */
export type Grant = 'all' | 'named' | 'none';

export interface RulesRow {
  /** API group; "" is the core group, "*" any group. */
  group: string;
  /** Resource, with subresource after a slash; "*" any. */
  resource: string;
  /** One of DEBUG_RESOURCES: highlighted. */
  debug: boolean;
  grants: Record<string, Grant>;
  /** The objects a `named` grant is limited to. */
  names: string[];
}

export interface RulesTable {
  verbs: string[];
  rows: RulesRow[];
  /** URL paths (/healthz, /metrics…) and their verbs. */
  nonResource: Array<{ urls: string[]; verbs: string[] }>;
}

const list = (items: readonly string[] | undefined) => items ?? [];

function matchesGroup(rule: V1ResourceRule, group: string): boolean {
  const groups = list(rule.apiGroups);
  return groups.includes('*') || groups.includes(group);
}

/** RBAC's resource matching: exact, `*`, or `pods/*` for any subresource of pods. */
function matchesResource(rule: V1ResourceRule, resource: string): boolean {
  const resources = list(rule.resources);
  if (resources.includes('*') || resources.includes(resource)) return true;
  const slash = resource.indexOf('/');
  return slash > 0 && resources.includes(`${resource.slice(0, slash)}/*`);
}

const matchesVerb = (rule: V1ResourceRule, verb: string) => rule.verbs.includes('*') || rule.verbs.includes(verb);

function row(rules: readonly V1ResourceRule[], group: string, resource: string, verbs: readonly string[]): RulesRow {
  const grants: Record<string, Grant> = {};
  const names = new Set<string>();
  const applicable = rules.filter((rule) => matchesGroup(rule, group) && matchesResource(rule, resource));
  for (const verb of verbs) {
    const granting = applicable.filter((rule) => matchesVerb(rule, verb));
    if (granting.some((rule) => list(rule.resourceNames).length === 0)) grants[verb] = 'all';
    else if (granting.length > 0) {
      grants[verb] = 'named';
      granting.forEach((rule) => list(rule.resourceNames).forEach((name) => names.add(name)));
    } else grants[verb] = 'none';
  }
  return { group, resource, debug: group === '' && (DEBUG_RESOURCES as readonly string[]).includes(resource), grants, names: [...names].sort() };
}

export function rulesTable(resourceRules: readonly V1ResourceRule[], nonResourceRules: readonly V1NonResourceRule[] = []): RulesTable {
  const named = new Set(resourceRules.flatMap((rule) => rule.verbs).filter((verb) => verb !== '*'));
  const verbs = [...STANDARD_VERBS, ...[...named].filter((verb) => !(STANDARD_VERBS as readonly string[]).includes(verb)).sort()];

  const seen = new Set<string>(DEBUG_RESOURCES.map((resource) => JSON.stringify(['', resource])));
  const others: Array<[string, string]> = [];
  for (const rule of resourceRules) {
    for (const group of list(rule.apiGroups)) {
      for (const resource of list(rule.resources)) {
        const key = JSON.stringify([group, resource]);
        if (!seen.has(key)) {
          seen.add(key);
          others.push([group, resource]);
        }
      }
    }
  }
  others.sort(([g1, r1], [g2, r2]) => g1.localeCompare(g2) || r1.localeCompare(r2));

  return {
    verbs,
    rows: [...DEBUG_RESOURCES.map((resource) => row(resourceRules, '', resource, verbs)), ...others.map(([group, resource]) => row(resourceRules, group, resource, verbs))],
    nonResource: nonResourceRules.map((rule) => ({ urls: [...list(rule.nonResourceURLs)], verbs: rule.verbs })),
  };
}
