import { randomUUID } from 'node:crypto';
import type { KubeObject } from './types';
import { alreadyExists, conflict, failure, notFound } from './status';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoredEvent {
  type: WatchEventType;
  resource: string;
  object: KubeObject;
  resourceVersion: number;
}

export interface ResourceKind {
  /** Plural resource name, e.g. "pods". */
  resource: string;
  group: string;
  version: string;
  kind: string;
  namespaced: boolean;
}

/**
 * The dev cluster's etcd: every object of every kind, one global
 * resourceVersion, and a bounded history of changes so watches can resume
 * from a resourceVersion (and get 410 Gone when it is too old, as from etcd
 * after compaction).
 */
export class ObjectStore {
  private readonly objects = new Map<string, Map<string, KubeObject>>();
  private readonly history: StoredEvent[] = [];
  private readonly listeners = new Set<(event: StoredEvent) => void>();
  /** Keys of each resource in etcd order, rebuilt after a create or delete. */
  private readonly sortedKeys = new Map<string, string[]>();
  private revision = 1;

  constructor(private readonly historyLimit = 20_000) {}

  get currentRevision(): number {
    return this.revision;
  }

  /** The oldest resourceVersion a watch may still resume from. */
  get oldestResumable(): number {
    return this.history.length > 0 ? this.history[0].resourceVersion - 1 : this.revision;
  }

  private bucket(resource: string): Map<string, KubeObject> {
    let map = this.objects.get(resource);
    if (!map) {
      map = new Map();
      this.objects.set(resource, map);
    }
    return map;
  }

  static key(namespace: string | undefined, name: string): string {
    return namespace ? `${namespace}/${name}` : name;
  }

  get(kind: ResourceKind, namespace: string | undefined, name: string): KubeObject | undefined {
    const found = this.bucket(kind.resource).get(ObjectStore.key(namespace, name));
    return found ? structuredClone(found) : undefined;
  }

  mustGet(kind: ResourceKind, namespace: string | undefined, name: string): KubeObject {
    const found = this.get(kind, namespace, name);
    if (!found) throw notFound(kind.group, kind.resource, name);
    return found;
  }

  /** Every object of a kind, optionally in one namespace, sorted by namespace then name (as etcd keys are). */
  list(kind: ResourceKind, namespace?: string): KubeObject[] {
    return this.scan(kind, namespace).map((o) => structuredClone(o));
  }

  /**
   * Like list(), without copies: the stored objects themselves, for read-only
   * serving of large lists (10,000 pods). Callers must not change them.
   */
  scan(kind: ResourceKind, namespace?: string): readonly Readonly<KubeObject>[] {
    const bucket = this.bucket(kind.resource);
    let keys = this.sortedKeys.get(kind.resource);
    if (!keys) {
      keys = [...bucket.keys()].sort();
      this.sortedKeys.set(kind.resource, keys);
    }
    const out: KubeObject[] = [];
    for (const key of keys) {
      const object = bucket.get(key)!;
      if (namespace && object.metadata.namespace !== namespace) continue;
      out.push(object);
    }
    return out;
  }

  create(kind: ResourceKind, object: KubeObject): KubeObject {
    const bucket = this.bucket(kind.resource);
    const key = ObjectStore.key(object.metadata.namespace, object.metadata.name);
    if (bucket.has(key)) throw alreadyExists(kind.group, kind.resource, object.metadata.name);
    const stored = structuredClone(object);
    stored.apiVersion = kind.group ? `${kind.group}/${kind.version}` : kind.version;
    stored.kind = kind.kind;
    stored.metadata.uid ??= randomUUID();
    stored.metadata.creationTimestamp ??= new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    return this.commit(kind, 'ADDED', stored);
  }

  /**
   * Replaces an object. With expectedResourceVersion, refuses a stale write with
   * 409 Conflict, the optimistic concurrency every Kubernetes client relies on.
   */
  update(kind: ResourceKind, object: KubeObject, expectedResourceVersion?: string): KubeObject {
    const bucket = this.bucket(kind.resource);
    const key = ObjectStore.key(object.metadata.namespace, object.metadata.name);
    const current = bucket.get(key);
    if (!current) throw notFound(kind.group, kind.resource, object.metadata.name);
    if (expectedResourceVersion && expectedResourceVersion !== current.metadata.resourceVersion) {
      throw conflict(
        kind.group,
        kind.resource,
        object.metadata.name,
        'the object has been modified; please apply your changes to the latest version and try again',
      );
    }
    const stored = structuredClone(object);
    // Identity and creation fields belong to the server.
    stored.apiVersion = current.apiVersion;
    stored.kind = current.kind;
    stored.metadata.uid = current.metadata.uid;
    stored.metadata.creationTimestamp = current.metadata.creationTimestamp;
    if (current.metadata.deletionTimestamp) {
      stored.metadata.deletionTimestamp = current.metadata.deletionTimestamp;
      stored.metadata.deletionGracePeriodSeconds = current.metadata.deletionGracePeriodSeconds;
    }
    return this.commit(kind, 'MODIFIED', stored);
  }

  /** Read-modify-write of one object; mutate may throw a StatusError to refuse. */
  mutate(
    kind: ResourceKind,
    namespace: string | undefined,
    name: string,
    mutate: (object: KubeObject) => KubeObject | void,
  ): KubeObject {
    const current = this.mustGet(kind, namespace, name);
    const next = mutate(current) ?? current;
    return this.update(kind, next);
  }

  remove(kind: ResourceKind, namespace: string | undefined, name: string, uid?: string): KubeObject | undefined {
    const bucket = this.bucket(kind.resource);
    const key = ObjectStore.key(namespace, name);
    const current = bucket.get(key);
    if (!current) return undefined;
    if (uid && current.metadata.uid !== uid) return undefined;
    bucket.delete(key);
    this.sortedKeys.delete(kind.resource);
    const removed = structuredClone(current);
    this.revision += 1;
    removed.metadata.resourceVersion = String(this.revision);
    this.record({ type: 'DELETED', resource: kind.resource, object: removed, resourceVersion: this.revision });
    return removed;
  }

  private commit(kind: ResourceKind, type: WatchEventType, stored: KubeObject): KubeObject {
    if (type === 'ADDED') this.sortedKeys.delete(kind.resource);
    this.revision += 1;
    stored.metadata.resourceVersion = String(this.revision);
    this.bucket(kind.resource).set(ObjectStore.key(stored.metadata.namespace, stored.metadata.name), stored);
    // Stored objects are replaced, never changed in place, so history can share them.
    this.record({ type, resource: kind.resource, object: stored, resourceVersion: this.revision });
    return structuredClone(stored);
  }

  private record(event: StoredEvent): void {
    this.history.push(event);
    if (this.history.length > this.historyLimit) this.history.splice(0, this.history.length - this.historyLimit);
    for (const listener of this.listeners) listener(event);
  }

  /**
   * Replays the changes after `fromRevision` for one resource, then follows
   * new ones. Throws 410 Gone when that revision has left the history.
   */
  watch(resource: string, fromRevision: number, listener: (event: StoredEvent) => void): () => void {
    if (fromRevision < this.oldestResumable) {
      throw failure(410, 'Expired', `too old resource version: ${fromRevision} (${this.oldestResumable})`);
    }
    for (const event of this.history) {
      if (event.resource === resource && event.resourceVersion > fromRevision) listener(event);
    }
    const filtered = (event: StoredEvent) => {
      if (event.resource === resource) listener(event);
    };
    this.listeners.add(filtered);
    return () => this.listeners.delete(filtered);
  }
}
