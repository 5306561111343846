// Which pods a list shows: by namespace, name, label selector and status.
// Shared by the API (server) and the pods page (browser), so a deep link
// filters the same on both sides. Pure.

import type { PodRow } from './pod-view';

/** The status filter's choices; every pod falls in exactly one. */
export const STATUS_CATEGORIES = ['Running', 'Pending', 'Succeeded', 'Failed', 'CrashLoopBackOff', 'ImagePullBackOff', 'Terminating', 'Unknown'] as const;
export type StatusCategory = (typeof STATUS_CATEGORIES)[number];

const IMAGE_PULL = new Set(['ImagePullBackOff', 'ErrImagePull', 'InvalidImageName', 'ErrImageNeverPull']);

/**
 * The category of a pod from kubectl's STATUS and the phase: the reasons
 * people filter for (terminating, crash loops, image pulls, also in init
 * containers) first, then the phase. A crash-looping pod is in phase Running
 * but is not what "Running" should find.
 */
export function statusCategory(row: Pick<PodRow, 'status' | 'phase'>): StatusCategory {
  const reason = row.status.replace(/^Init:/, '');
  if (row.status === 'Terminating') return 'Terminating';
  if (reason === 'CrashLoopBackOff') return 'CrashLoopBackOff';
  if (IMAGE_PULL.has(reason)) return 'ImagePullBackOff';
  switch (row.phase) {
    case 'Running':
    case 'Pending':
    case 'Succeeded':
    case 'Failed':
      return row.phase;
    default:
      return 'Unknown';
  }
}

// ---------------------------------------------------------------- label selectors

export type Requirement =
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | '!exists' };

export class SelectorError extends Error {
  override name = 'SelectorError';
}

const KEY = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

/** Splits at commas outside parentheses: "env in (a,b),tier" → ["env in (a,b)", "tier"]. */
function splitTerms(selector: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < selector.length; i++) {
    if (selector[i] === '(') depth++;
    else if (selector[i] === ')') depth--;
    else if (selector[i] === ',' && depth === 0) {
      terms.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(selector.slice(start));
  return terms.map((term) => term.trim());
}

function checkKey(key: string, term: string): string {
  if (!KEY.test(key)) throw new SelectorError(`"${key}" in "${term}" is not a valid label key.`);
  return key;
}

function checkValue(value: string, term: string): string {
  if (value.length > 63 || !VALUE.test(value)) throw new SelectorError(`"${value}" in "${term}" is not a valid label value.`);
  return value;
}

/** Parses a Kubernetes label selector (`app=web,tier!=db,env in (a,b),!canary,team`); throws SelectorError naming the bad term. */
export function parseLabelSelector(selector: string): Requirement[] {
  if (selector.trim() === '') return [];
  return splitTerms(selector).map((term): Requirement => {
    if (term === '') throw new SelectorError('The label selector has an empty term (two commas in a row, or a trailing comma).');
    const set = /^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(term);
    if (set) {
      const values = set[3].split(',').map((value) => checkValue(value.trim(), term));
      return { key: checkKey(set[1], term), op: set[2] as 'in' | 'notin', values };
    }
    const equality = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(term);
    if (equality) {
      const op = equality[2] === '!=' ? 'notin' : 'in';
      return { key: checkKey(equality[1], term), op, values: [checkValue(equality[3], term)] };
    }
    if (term.startsWith('!')) return { key: checkKey(term.slice(1).trim(), term), op: '!exists' };
    if (/^\S+$/.test(term)) return { key: checkKey(term, term), op: 'exists' };
    throw new SelectorError(`"${term}" is not a label selector term; use key=value, key!=value, key in (a,b), key or !key.`);
  });
}

export function matchesSelector(labels: Readonly<Record<string, string>>, requirements: readonly Requirement[]): boolean {
  return requirements.every((requirement) => {
    const has = Object.prototype.hasOwnProperty.call(labels, requirement.key);
    switch (requirement.op) {
      case 'exists':
        return has;
      case '!exists':
        return !has;
      case 'in':
        return has && requirement.values.includes(labels[requirement.key]);
      case 'notin':
        return !has || !requirement.values.includes(labels[requirement.key]);
    }
  });
}

// ---------------------------------------------------------------- the filter

export interface PodFilter {
  /** One namespace, or every namespace the user may see. */
  namespace?: string;
  /** Part of the pod's name, any case. */
  q?: string;
  /** Any of these categories; empty means every status. */
  status?: readonly StatusCategory[];
  /** A label selector, as kubectl's -l takes it. */
  label?: string;
  /** Only pods on this node. */
  node?: string;
  /** Only pods carrying ephemeral containers. */
  ephemeral?: boolean;
}

/** The filter compiled once, to run over thousands of rows. Throws SelectorError for a bad label selector. */
export function compileFilter(filter: PodFilter): (row: PodRow) => boolean {
  const q = filter.q?.trim().toLowerCase() ?? '';
  const statuses = filter.status && filter.status.length > 0 ? new Set(filter.status) : null;
  const requirements = parseLabelSelector(filter.label ?? '');
  return (row) =>
    (!filter.namespace || row.namespace === filter.namespace) &&
    (!filter.node || row.node === filter.node) &&
    (!filter.ephemeral || row.ephemeral.count > 0) &&
    (q === '' || row.name.toLowerCase().includes(q)) &&
    (!statuses || statuses.has(statusCategory(row))) &&
    (requirements.length === 0 || matchesSelector(row.labels, requirements));
}

/** The filter as URL search parameters (empty ones left out), for deep links. */
export function filterToSearch(filter: PodFilter): string {
  const params = new URLSearchParams();
  if (filter.namespace) params.set('namespace', filter.namespace);
  if (filter.q) params.set('q', filter.q);
  if (filter.status && filter.status.length > 0) params.set('status', filter.status.join(','));
  if (filter.label) params.set('label', filter.label);
  if (filter.node) params.set('node', filter.node);
  if (filter.ephemeral) params.set('ephemeral', 'true');
  const search = params.toString();
  return search ? `?${search}` : '';
}

/** Rows in the order the list shows them: by namespace, then name. */
export function sortRows(rows: PodRow[]): PodRow[] {
  return rows.sort((a, b) => (a.namespace === b.namespace ? compare(a.name, b.name) : compare(a.namespace, b.namespace)));
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
