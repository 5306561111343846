// The pod rows the shared cache keeps, indexed for the lists: by namespace,
// in name order (sorted only when pods come or go), each row serialized once
// per change, and each namespace's rows joined once per change in it. An
// unfiltered list of 10,000 pods is then a join of one string per namespace;
// fifty readers of the same view share the same string.

import type { V1Pod } from '@kubernetes/client-node';
import { podKey, toPodRow, type PodRow } from './pod-view';

interface Namespace {
  rows: Map<string, PodRow>;
  /** Keys in name order; null after a pod came or went. */
  sorted: string[] | null;
  /** Bumps with every change in the namespace. */
  version: number;
  json?: { version: number; text: string };
}

export class PodRowIndex {
  private readonly byKey = new Map<string, PodRow>();
  private readonly json = new Map<string, { row: PodRow; text: string }>();
  private readonly byNamespace = new Map<string, Namespace>();
  private sortedNamespaces: string[] | null = null;
  private lastJoined?: { key: string; value: { json: string; count: number } };

  get size(): number {
    return this.byKey.size;
  }

  /** Maps the pod to its row and keeps it; returns the row. */
  upsert(pod: V1Pod): PodRow {
    const row = toPodRow(pod);
    let entry = this.byNamespace.get(row.namespace);
    if (!entry) {
      entry = { rows: new Map(), sorted: null, version: 0 };
      this.byNamespace.set(row.namespace, entry);
      this.sortedNamespaces = null;
    }
    if (!entry.rows.has(row.key)) entry.sorted = null;
    entry.rows.set(row.key, row);
    entry.version++;
    this.byKey.set(row.key, row);
    this.json.delete(row.key);
    return row;
  }

  /** Forgets the pod; returns its key. */
  delete(pod: V1Pod): string {
    const namespace = pod.metadata?.namespace ?? '';
    const key = podKey(namespace, pod.metadata?.name ?? '');
    const entry = this.byNamespace.get(namespace);
    if (entry?.rows.delete(key)) {
      entry.sorted = null;
      entry.version++;
      if (entry.rows.size === 0) {
        this.byNamespace.delete(namespace);
        this.sortedNamespaces = null;
      }
    }
    this.byKey.delete(key);
    this.json.delete(key);
    return key;
  }

  get(namespace: string, name: string): PodRow | undefined {
    return this.byKey.get(podKey(namespace, name));
  }

  /** Every row by namespace, then name; or one namespace's. */
  *sorted(namespace?: string): Generator<PodRow> {
    for (const name of namespace === undefined ? this.namespaces() : [namespace]) {
      const entry = this.byNamespace.get(name);
      if (!entry) continue;
      entry.sorted ??= [...entry.rows.keys()].sort();
      for (const key of entry.sorted) yield entry.rows.get(key)!;
    }
  }

  /** The namespaces that have pods, sorted. */
  namespaces(): string[] {
    this.sortedNamespaces ??= [...this.byNamespace.keys()].sort();
    return this.sortedNamespaces;
  }

  /** The row as JSON, serialized once per change however many lists and streams send it. */
  rowJson(row: PodRow): string {
    const cached = this.json.get(row.key);
    if (cached?.row === row) return cached.text;
    const text = JSON.stringify(row);
    // Only the current row is kept: a caller holding an older one gets its own serialization.
    if (this.byKey.get(row.key) === row) this.json.set(row.key, { row, text });
    return text;
  }

  /** The rows of `namespaces` as one JSON array, and how many; the last answer is kept until one of them changes. */
  namespacesJson(namespaces: readonly string[]): { json: string; count: number } {
    const key = namespaces.map((namespace) => `${namespace}@${this.byNamespace.get(namespace)?.version ?? 0}`).join(',');
    if (this.lastJoined?.key === key) return this.lastJoined.value;
    const parts: string[] = [];
    let count = 0;
    for (const namespace of namespaces) {
      const entry = this.byNamespace.get(namespace);
      if (!entry) continue;
      if (entry.json?.version !== entry.version) {
        entry.json = { version: entry.version, text: [...this.sorted(namespace)].map((row) => this.rowJson(row)).join(',') };
      }
      parts.push(entry.json.text);
      count += entry.rows.size;
    }
    const value = { json: `[${parts.join(',')}]`, count };
    this.lastJoined = { key, value };
    return value;
  }
}
