// Acting as the signed-in user on a cluster (DESIGN.md, "Identity and access").
// Every user action goes out either
//   - impersonating: the dashboard's own credentials from the kubeconfig, plus
//     Impersonate-User and one Impersonate-Group line per group, so the
//     cluster's RBAC decides and its audit log names the person; or
//   - pass-through: the user's OIDC ID token as the bearer token, and none of
//     the dashboard's credentials, for clusters that trust the same IdP.
// The pure part (which headers, which token) comes first; the adapters to
// client-node's REST clients, Watch/Log (fetch) and Exec/Attach (WebSocket)
// are below. All of it runs on the server: nothing here reaches the browser.

import type { OutgoingHttpHeaders } from 'node:http';
import fetch, { Headers, type RequestInit } from 'node-fetch';
import {
  AuthenticationV1Api,
  AuthorizationV1Api,
  CoreV1Api,
  createConfiguration,
  KubeConfig,
  ResponseContext,
  ServerConfiguration,
  wrapHttpLibrary,
  type ApiConstructor,
  type ApiType,
  type HttpLibrary,
  type RequestContext,
} from '@kubernetes/client-node';
import type { EphemeraUser } from '@/lib/auth/types';
import type { ClusterAuthMode } from '@/lib/config/cluster-auth';
import { UserFacingError } from '@/lib/http/errors';
import { clusterConnection } from './clusters';
import { describeRequestError } from './errors';

export type { ClusterAuthMode } from '@/lib/config/cluster-auth';

// ---------------------------------------------------------------- errors

/** No configured cluster has this name (a stale link, a typo in a URL): 404. */
export class UnknownClusterError extends UserFacingError {
  override name = 'UnknownClusterError';
  constructor(readonly cluster: string) {
    super(`No configured cluster is named ${cluster}. Pick one from the clusters page.`, 404, { cluster });
  }
}

/** Ephemera cannot present this user to the cluster (no ID token for pass-through, a name no header can carry): 401. */
export class UserCredentialsError extends UserFacingError {
  override name = 'UserCredentialsError';
  constructor(message: string) {
    super(message, 401);
  }
}

// ---------------------------------------------------------------- pure part

/** Header name → values; a list goes out as one header line per value. */
export type HeaderLines = Readonly<Record<string, readonly string[]>>;

/** How requests for one user on one cluster are signed. */
export type RequestIdentity =
  | { mode: 'impersonate'; headers: HeaderLines }
  | { mode: 'passthrough'; token: string };

/**
 * HTTP carries bytes: a name with non-ASCII letters goes out as its UTF-8
 * bytes, which is what client-go sends for `--as=zoë` and what the apiserver
 * reads. Node writes header strings as latin1, one byte per character, hence
 * the conversion. Control characters could split headers: refused.
 */
export function headerValue(value: string, what: string): string {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) {
    throw new UserCredentialsError(`The ${what} ${JSON.stringify(value)} contains control characters and cannot be sent to a cluster. Ask an administrator to fix it at the identity provider.`);
  }
  return Buffer.from(value, 'utf8').toString('latin1');
}

/**
 * Impersonate-User, and Impersonate-Group once per group (deduplicated, empty
 * names dropped). A header per group, never a comma list: the apiserver takes
 * each header line as one group name, commas included.
 */
export function impersonationHeaders(user: Pick<EphemeraUser, 'name' | 'groups'>): HeaderLines {
  if (!user.name.trim()) throw new UserCredentialsError('The signed-in user has no name to act as; sign in again.');
  const groups = [...new Set(user.groups.filter((group) => group !== ''))];
  return {
    'Impersonate-User': [headerValue(user.name, 'user name')],
    ...(groups.length > 0 ? { 'Impersonate-Group': groups.map((group) => headerValue(group, 'group name')) } : {}),
  };
}

/** How to sign requests for `user` on `cluster` in `mode`; throws UserCredentialsError when that cannot be done. */
export function requestIdentity(user: EphemeraUser, mode: ClusterAuthMode, cluster: string): RequestIdentity {
  if (mode === 'impersonate') return { mode, headers: impersonationHeaders(user) };
  const token = user.idToken?.trim();
  if (!token) {
    throw new UserCredentialsError(
      `Cluster ${cluster} accepts your own sign-in token (pass-through), and this session carries none. Sign out and sign in again.`,
    );
  }
  if (/\s/.test(token)) throw new UserCredentialsError('The sign-in token is malformed (it contains spaces); sign out and sign in again.');
  return { mode, token };
}

// ---------------------------------------------------------------- client-node adapters

/**
 * client-node's fetch-based HTTP library (gen/http/isomorphic-fetch), except
 * that a header whose value is a list goes out as one line per value, as
 * client-go's Header.Add does.
 */
const headerLinesFetch: HttpLibrary = wrapHttpLibrary({
  async send(request) {
    const headers = new Headers();
    for (const [name, value] of Object.entries(request.getHeaders() as Record<string, string | string[]>)) {
      for (const line of [value].flat()) headers.append(name, line);
    }
    const response = await fetch(request.getUrl(), {
      method: request.getHttpMethod().toString(),
      body: request.getBody() as string | undefined,
      headers,
      // The DOM and node-fetch typings of AbortSignal differ; node-fetch takes either.
      signal: request.getSignal() as RequestInit['signal'],
      agent: request.getAgent(),
    });
    const responseHeaders: Record<string, string> = {};
    response.headers.forEach((value, name) => (responseHeaders[name] = value));
    return new ResponseContext(response.status, responseHeaders, { text: () => response.text(), binary: () => response.buffer() });
  },
});

/**
 * A KubeConfig that signs every request with the dashboard's credentials
 * (delegated to the dashboard's own KubeConfig, so credential plugins keep
 * their cached tokens) and adds the user's Impersonate-* headers — for REST
 * clients (applySecurityAuthentication), fetch-based Watch/Log and
 * WebSocket-based Exec/Attach/PortForward (applyToHTTPSOptions). Its own user
 * entry holds no credentials: any path that bypassed these two methods would
 * reach the cluster anonymous, never as the dashboard.
 */
class ImpersonatingKubeConfig extends KubeConfig {
  constructor(
    private readonly dashboard: KubeConfig,
    private readonly headers: HeaderLines,
  ) {
    super();
    const cluster = dashboard.getCurrentCluster();
    const context = dashboard.getContextObject(dashboard.getCurrentContext());
    if (!cluster || !context) throw new Error(`The kubeconfig context ${dashboard.getCurrentContext()} names no cluster.`);
    this.loadFromOptions({
      clusters: [cluster],
      users: [{ name: context.user }],
      contexts: [context],
      currentContext: context.name,
    });
  }

  override async applyToHTTPSOptions(opts: Parameters<KubeConfig['applyToHTTPSOptions']>[0]): Promise<void> {
    await this.dashboard.applyToHTTPSOptions(opts);
    // http.request and ws send an array value as repeated header lines; applyToFetchOptions appends each.
    const withHeaders = opts as { headers?: OutgoingHttpHeaders };
    withHeaders.headers ??= {};
    for (const [name, values] of Object.entries(this.headers)) withHeaders.headers[name] = [...values];
  }

  override async applySecurityAuthentication(context: RequestContext): Promise<void> {
    await this.dashboard.applySecurityAuthentication(context);
    // RequestContext types header values as strings but keeps what it is given;
    // headerLinesFetch sends a list as one line per value. (Sent through another
    // library, the list would be comma-joined: one bogus group, fewer rights.)
    for (const [name, values] of Object.entries(this.headers)) context.setHeaderParam(name, [...values] as unknown as string);
  }

  override makeApiClient<T extends ApiType>(apiClientType: ApiConstructor<T>): T {
    const cluster = this.getCurrentCluster()!;
    return new apiClientType(
      createConfiguration({
        baseServer: new ServerConfiguration(cluster.server, {}),
        authMethods: { default: this },
        httpApi: headerLinesFetch,
      }),
    );
  }
}

/** The dashboard's cluster entry (server, CA, TLS name, proxy) with the user's token as the only credential. */
function bearerKubeConfig(dashboard: KubeConfig, token: string): KubeConfig {
  const cluster = dashboard.getCurrentCluster();
  if (!cluster) throw new Error(`The kubeconfig context ${dashboard.getCurrentContext()} names no cluster.`);
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [cluster],
    users: [{ name: 'ephemera-signed-in-user', token }],
    contexts: [{ name: 'as-signed-in-user', cluster: cluster.name, user: 'ephemera-signed-in-user' }],
    currentContext: 'as-signed-in-user',
  });
  return kc;
}

/** A KubeConfig whose every request is made as `identity`, built on the dashboard's KubeConfig for one context. */
export function kubeConfigAs(dashboard: KubeConfig, identity: RequestIdentity): KubeConfig {
  return identity.mode === 'impersonate' ? new ImpersonatingKubeConfig(dashboard, identity.headers) : bearerKubeConfig(dashboard, identity.token);
}

/**
 * A failed request made as the user, in words: describeRequestError, except
 * that in pass-through a 401 is about the user's own token, not the kubeconfig's.
 */
export function describeUserRequestError(client: Pick<UserClusterClient, 'cluster' | 'mode' | 'kubeConfig'>, error: unknown, action: string, timeoutMs: number): string {
  if (client.mode === 'passthrough' && (error as { code?: unknown } | null)?.code === 401) {
    return `${client.cluster} refused your sign-in token (401 Unauthorized): it has expired, or this cluster does not trust Ephemera's identity provider. Sign out and sign in again.`;
  }
  return describeRequestError(error, { server: client.kubeConfig.getCurrentCluster()?.server ?? client.cluster, action, timeoutMs });
}

/** One cluster, as one user. */
export interface UserClusterClient {
  cluster: string;
  user: EphemeraUser;
  mode: ClusterAuthMode;
  /** For client-node's Exec, Attach, Watch, Log: every request they sign is made as the user. */
  kubeConfig: KubeConfig;
  core: CoreV1Api;
  authorization: AuthorizationV1Api;
  authentication: AuthenticationV1Api;
}

/** The API clients for `user` on the cluster whose KubeConfig (the dashboard's, for that context) is `dashboard`. */
export function userClient(cluster: string, dashboard: KubeConfig, user: EphemeraUser, mode: ClusterAuthMode): UserClusterClient {
  const kubeConfig = kubeConfigAs(dashboard, requestIdentity(user, mode, cluster));
  return {
    cluster,
    user,
    mode,
    kubeConfig,
    core: kubeConfig.makeApiClient(CoreV1Api),
    authorization: kubeConfig.makeApiClient(AuthorizationV1Api),
    authentication: kubeConfig.makeApiClient(AuthenticationV1Api),
  };
}

/**
 * The API clients for `user` on the configured cluster `cluster`, acting as
 * the user in the cluster's configured mode (EPHEMERA_CLUSTER_AUTH) unless
 * `mode` says otherwise. Throws UnknownClusterError or UserCredentialsError.
 */
export function clusterClientFor(cluster: string, user: EphemeraUser, mode?: ClusterAuthMode): UserClusterClient {
  const connection = clusterConnection(cluster);
  if (!connection) throw new UnknownClusterError(cluster);
  return userClient(cluster, connection.kubeConfig, user, mode ?? connection.authMode);
}
