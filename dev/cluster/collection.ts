import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeObject } from './types';
import type { ObjectStore, ResourceKind, StoredEvent } from './store';
import { ObjectStore as Store } from './store';
import { fieldMatcher, labelMatcher, type Matcher } from './selectors';
import { badRequest, failure, StatusError } from './status';
import { queryFlag, queryInt, sendJson, sendStatus, wantsTable } from './http';
import { toTable } from './tables';

const TABLE_RESOURCES = new Set(['pods', 'nodes', 'namespaces', 'events']);

type IncludeObject = 'None' | 'Metadata' | 'Object';

function includeObjectOf(url: URL): IncludeObject {
  const v = url.searchParams.get('includeObject') ?? 'Metadata';
  if (v !== 'None' && v !== 'Metadata' && v !== 'Object') throw badRequest(`invalid includeObject value: ${v}`);
  return v;
}

/** The apiserver's default table for kinds without printers: Name and Created At. */
function defaultTable(objects: KubeObject[], includeObject: IncludeObject, resourceVersion: string, withDefs: boolean) {
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion },
    columnDefinitions: withDefs
      ? [
          { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names', priority: 0 },
          { name: 'Created At', type: 'date', format: '', description: 'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata', priority: 0 },
        ]
      : [],
    rows: objects.map((o) => ({
      cells: [o.metadata.name, o.metadata.creationTimestamp],
      ...(includeObject === 'None'
        ? {}
        : { object: includeObject === 'Object' ? o : { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata } }),
    })),
  };
}

function asTable(resource: string, objects: KubeObject[], includeObject: IncludeObject, resourceVersion: string, withDefs: boolean, continueToken?: string) {
  if (!TABLE_RESOURCES.has(resource)) return defaultTable(objects, includeObject, resourceVersion, withDefs);
  return toTable(resource as 'pods', objects, { includeObject, resourceVersion, continueToken, withColumnDefinitions: withDefs }, new Date());
}

/** A Table for a GET of one object (kubectl get pod NAME). */
export function tableOf(kind: ResourceKind, objects: KubeObject[], url: URL, resourceVersion: string) {
  return asTable(kind.resource, objects, includeObjectOf(url), resourceVersion, true);
}

export interface CollectionRequest {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  kind: ResourceKind;
  namespace: string;
  store: ObjectStore;
  /** Extra filter applied on top of selectors (e.g. what a user may see); none by default. */
  visible?: Matcher;
}

function matchers(url: URL, kind: ResourceKind): Matcher {
  const byLabel = labelMatcher(url.searchParams.get('labelSelector'));
  const byField = fieldMatcher(kind.resource, url.searchParams.get('fieldSelector'));
  return (o) => byLabel(o) && byField(o);
}

interface ContinueToken {
  rv: number;
  after: string;
}

function encodeContinue(token: ContinueToken): string {
  return Buffer.from(JSON.stringify(token)).toString('base64url');
}

function decodeContinue(raw: string): ContinueToken {
  try {
    const parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as ContinueToken;
    if (typeof parsed.after !== 'string' || typeof parsed.rv !== 'number') throw new Error('shape');
    return parsed;
  } catch {
    throw badRequest('continue key is not valid: illegal base64 data or format');
  }
}

export function serveList({ req, res, url, kind, namespace, store, visible }: CollectionRequest): void {
  const match = matchers(url, kind);
  const limit = queryInt(url, 'limit') ?? 0;
  const cont = url.searchParams.get('continue');
  let items = store.scan(kind, namespace || undefined).filter((o) => match(o) && (!visible || visible(o)));
  let rv = store.currentRevision;
  if (cont) {
    const token = decodeContinue(cont);
    if (token.rv < store.oldestResumable) {
      throw failure(410, 'Expired', 'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.');
    }
    rv = token.rv;
    items = items.filter((o) => Store.key(o.metadata.namespace, o.metadata.name) > token.after);
  }
  let continueToken: string | undefined;
  let remaining: number | undefined;
  if (limit > 0 && items.length > limit) {
    remaining = items.length - limit;
    items = items.slice(0, limit);
    const last = items[items.length - 1];
    continueToken = encodeContinue({ rv, after: Store.key(last.metadata.namespace, last.metadata.name) });
  }
  const resourceVersion = String(rv);
  if (wantsTable(req.headers.accept)) {
    const table = asTable(kind.resource, items, includeObjectOf(url), resourceVersion, true, continueToken) as Record<string, unknown>;
    if (continueToken) (table.metadata as Record<string, unknown>).continue = continueToken;
    sendJson(res, 200, table);
    return;
  }
  sendJson(res, 200, {
    kind: `${kind.kind}List`,
    apiVersion: kind.group ? `${kind.group}/${kind.version}` : kind.version,
    metadata: {
      resourceVersion,
      ...(continueToken ? { continue: continueToken, remainingItemCount: remaining } : {}),
    },
    items: items.map(stripTypeMeta),
  });
}

/** Items of a list carry no apiVersion/kind, as the apiserver answers. */
function stripTypeMeta(o: Record<string, unknown>): Record<string, unknown> {
  const { apiVersion: _a, kind: _k, ...rest } = o;
  return rest;
}

/**
 * A watch as the apiserver serves it: newline-delimited JSON events, headers
 * flushed at once; from resourceVersion "0" or none, a synthetic ADDED for
 * each current object first. Objects entering or leaving the selector arrive
 * as ADDED / DELETED, as from the watch cache.
 */
export function serveWatch({ req, res, url, kind, namespace, store, visible }: CollectionRequest): void {
  const match = matchers(url, kind);
  const table = wantsTable(req.headers.accept);
  const includeObject = table ? includeObjectOf(url) : 'Object';
  const bookmarks = queryFlag(url, 'allowWatchBookmarks');
  const timeoutSeconds = queryInt(url, 'timeoutSeconds');
  const rvParam = url.searchParams.get('resourceVersion');
  const inScope = (o: KubeObject) =>
    (!namespace || o.metadata.namespace === namespace) && match(o) && (!visible || visible(o));

  let fromRevision: number;
  const initial: KubeObject[] = [];
  const current = store.scan(kind, namespace || undefined).filter(inScope);
  const seen = new Set(current.map((o) => Store.key(o.metadata.namespace, o.metadata.name)));
  if (!rvParam || rvParam === '0') {
    fromRevision = store.currentRevision;
    initial.push(...current);
  } else {
    fromRevision = Number(rvParam);
    if (!Number.isInteger(fromRevision)) throw badRequest(`invalid resource version: ${JSON.stringify(rvParam)}`);
  }

  let first = true;
  const encode = (type: string, object: KubeObject) => {
    let payload: unknown = object;
    if (table && type !== 'BOOKMARK' && type !== 'ERROR') {
      payload = asTable(kind.resource, [object], includeObject, object.metadata.resourceVersion ?? '', first);
      first = false;
    }
    return JSON.stringify({ type, object: payload }) + '\n';
  };

  let unsubscribe: (() => void) | undefined;
  const pending: string[] = [];
  const deliver = (event: StoredEvent) => {
    const key = Store.key(event.object.metadata.namespace, event.object.metadata.name);
    const wasIn = seen.has(key);
    const isIn = event.type !== 'DELETED' && inScope(event.object);
    let type: string | undefined;
    if (event.type === 'DELETED') type = wasIn ? 'DELETED' : undefined;
    else if (isIn) type = wasIn ? 'MODIFIED' : 'ADDED';
    else if (wasIn) type = 'DELETED';
    if (!type) return;
    if (type === 'DELETED') seen.delete(key);
    else seen.add(key);
    const chunk = encode(type, event.object);
    if (res.headersSent) res.write(chunk);
    else pending.push(chunk);
  };
  try {
    unsubscribe = store.watch(kind.resource, fromRevision, deliver);
  } catch (error) {
    if (error instanceof StatusError && error.status.code === 410) {
      // As the apiserver: a 200 watch whose first event is an ERROR carrying the 410 Status.
      res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
      res.end(JSON.stringify({ type: 'ERROR', object: error.status }) + '\n');
      return;
    }
    throw error;
  }

  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
  res.flushHeaders();
  for (const o of initial) res.write(encode('ADDED', o));
  for (const chunk of pending) res.write(chunk);

  const timers: NodeJS.Timeout[] = [];
  if (bookmarks) {
    const bookmark = () =>
      res.write(
        JSON.stringify({
          type: 'BOOKMARK',
          object: {
            kind: kind.kind,
            apiVersion: kind.group ? `${kind.group}/${kind.version}` : kind.version,
            metadata: { resourceVersion: String(store.currentRevision) },
          },
        }) + '\n',
      );
    timers.push(setInterval(bookmark, 30_000));
  }
  const finish = () => {
    unsubscribe?.();
    timers.forEach(clearTimeout);
  };
  if (timeoutSeconds && timeoutSeconds > 0) {
    timers.push(setTimeout(() => {
      finish();
      res.end();
    }, timeoutSeconds * 1000));
  }
  req.on('close', finish);
  res.on('close', finish);
}

export function handleCollectionError(res: ServerResponse, error: unknown): void {
  if (error instanceof StatusError) sendStatus(res, error);
  else throw error;
}
