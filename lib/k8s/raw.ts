// One transport for the JSON the browsing code reads: the API object exactly
// as the cluster sent it (timestamps as strings, like watch events), signed by
// a KubeConfig — the dashboard's own for the shared cache, the user's
// (user-client.ts) for everything a person asks for. client-node's typed
// clients turn timestamps into Dates and drop a failed log request's message;
// here a failure keeps the cluster's own words.

import type { KubeConfig } from '@kubernetes/client-node';
import fetch, { type RequestInit, type Response } from 'node-fetch';
import { UserFacingError } from '@/lib/http/errors';
import { ClusterRequestError } from './access';
import { describeRequestError } from './errors';

/** The cluster answered with an HTTP error; `code` and `body` as client-node's ApiException has them, so errors.ts reads both. */
export class KubeStatusError extends Error {
  override name = 'KubeStatusError';
  constructor(
    readonly code: number,
    readonly body: string,
  ) {
    super(statusText(body) ?? `HTTP ${code}`);
  }
}

function statusText(body: string): string | undefined {
  try {
    const message = (JSON.parse(body) as { message?: unknown }).message;
    return typeof message === 'string' ? message : undefined;
  } catch {
    return body.trim().slice(0, 300) || undefined;
  }
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'DELETE';
  body?: unknown;
  signal?: AbortSignal;
  /** Gives up after this long (not for streams: pass a signal instead). */
  timeoutMs?: number;
}

/** A request to `path` on the cluster of `kubeConfig`; throws KubeStatusError on an HTTP error, the transport's error otherwise. */
export async function kubeFetch(kubeConfig: KubeConfig, path: string, options: RequestOptions = {}): Promise<Response> {
  const server = kubeConfig.getCurrentCluster()?.server;
  if (!server) throw new Error(`The kubeconfig context ${kubeConfig.getCurrentContext()} names no cluster.`);
  const init = (await kubeConfig.applyToFetchOptions({})) as RequestInit;
  const signals = [options.signal, options.timeoutMs ? AbortSignal.timeout(options.timeoutMs) : undefined].filter((s): s is AbortSignal => !!s);
  const headers = init.headers as import('node-fetch').Headers;
  headers.set('Accept', 'application/json');
  if (options.body !== undefined) headers.set('Content-Type', 'application/json');
  const response = await fetch(server + path, {
    ...init,
    method: options.method ?? 'GET',
    headers,
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    ...(signals.length > 0 ? { signal: (signals.length === 1 ? signals[0] : AbortSignal.any(signals)) as RequestInit['signal'] } : {}),
  });
  if (!response.ok) throw new KubeStatusError(response.status, await response.text());
  return response;
}

export async function getJson<T>(kubeConfig: KubeConfig, path: string, options: RequestOptions = {}): Promise<T> {
  return (await (await kubeFetch(kubeConfig, path, options)).json()) as T;
}

export interface ListResult<T> {
  metadata: { resourceVersion?: string };
  items: T[];
}

/** Every item of a collection, in pages of `pageSize` as client-go's pager reads them; the first page's resourceVersion is the list's. */
export async function listAll<T>(kubeConfig: KubeConfig, path: string, options: { pageSize?: number; timeoutMs?: number } = {}): Promise<ListResult<T>> {
  const items: T[] = [];
  let resourceVersion: string | undefined;
  let next: string | undefined;
  do {
    const query = new URLSearchParams({ limit: String(options.pageSize ?? 500), ...(next ? { continue: next } : {}) });
    const page = await getJson<{ metadata?: { resourceVersion?: string; continue?: string }; items?: T[] }>(kubeConfig, `${path}?${query}`, {
      timeoutMs: options.timeoutMs ?? 60_000,
    });
    resourceVersion ??= page.metadata?.resourceVersion;
    for (const item of page.items ?? []) items.push(item);
    next = page.metadata?.continue || undefined;
  } while (next);
  return { metadata: { resourceVersion }, items };
}

/**
 * A failed request on behalf of a person, as the error a route answers with:
 * the cluster's 403/404/409/400 keep their status and the cluster's message;
 * anything else (unreachable, TLS, 5xx) is a 502 saying what went wrong.
 */
export function userFacing(error: unknown, context: { cluster: string; server: string; action: string; timeoutMs?: number }): Error {
  if (error instanceof UserFacingError) return error;
  if (error instanceof KubeStatusError && [400, 403, 404, 409, 422].includes(error.code)) {
    const status = error.code === 422 ? 400 : error.code;
    const prefix = error.code === 403 ? `${context.cluster} refused to ${context.action}` : `Could not ${context.action} on ${context.cluster}`;
    return new UserFacingError(`${prefix}: ${error.message}.`, status, { cluster: context.cluster });
  }
  const reason = describeRequestError(error, { server: context.server, action: context.action, timeoutMs: context.timeoutMs ?? 10_000 });
  return new ClusterRequestError(`Could not ${context.action} on ${context.cluster}: ${reason}`, context.cluster);
}
