import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { WebSocketServer } from 'ws';
import { ObjectStore, type ResourceKind } from './store';
import { RESOURCES, KIND, VIRTUAL_RESOURCES, KUBERNETES_VERSION, apiGroup, apiGroupList, apiResourceList, apiVersions, findResource } from './resources';
import { requestInfo, type RequestInfo } from './requestinfo';
import { TokenAuthenticator, impersonate, serviceAccountUser } from './authn';
import { authorize, forbiddenError, forbiddenMessage, withAuthenticatedGroup, type RbacPolicy } from './rbac';
import { StatusError, badRequest, conflict, failure, notFound, invalid, fieldError } from './status';
import { decodeObject, readBody, sendJson, sendStatus, queryInt, wantsTable } from './http';
import { serveList, serveWatch, tableOf } from './collection';
import { applyPatch } from './patch';
import { selfSubjectAccessReview, selfSubjectRulesReview, selfSubjectReview } from './reviews';
import { generateObjectName, prepareEphemeralContainersUpdate, validateObjectName, validatePodCreate, validateEphemeralContainersUpdate } from './validation';
import { applyPodDefaults, containerDefaults, preparePodUpdate } from './pods';
import { Kubelet, type KubeletOptions } from './kubelet';
import { isWebSocketUpgrade, parseStreamQuery, rejectUpgrade, serveRemoteCommand, spdyNotSupported } from './remotecommand';
import type { KubeObject, Pod, RequestAttributes, UserInfo } from './types';
import { HOLLOW_ANNOTATION } from './scenario/scale';
import { checkFields, fieldValidationDirective, isOpenAPIV3Path, serveOpenAPIV3, setWarnings } from './openapi';

export interface DevClusterOptions {
  host: string;
  port: number;
  certPem: string;
  keyPem: string;
  stateDir: string;
  kubelet?: Partial<Omit<KubeletOptions, 'store' | 'stateDir'>>;
  log?: (line: string) => void;
}

type Json = Record<string, unknown>;

/** What a handler needs about one request after authentication and authorization. */
interface Call {
  req: IncomingMessage;
  url: URL;
  info: RequestInfo;
  user: UserInfo;
  kind?: ResourceKind;
}

const PUBLIC_PATHS = new Set(['/healthz', '/readyz', '/livez', '/version']);

function nowSeconds(): string {
  return new Date().toISOString().replace(/\.\d+Z$/, 'Z');
}

/**
 * A Kubernetes API server for development and tests: HTTPS, bearer tokens,
 * impersonation, RBAC, discovery, list/watch, patch, and pods whose
 * containers are real local processes run by the simulated kubelet.
 */
export class DevCluster {
  readonly store = new ObjectStore();
  readonly tokens = new TokenAuthenticator();
  readonly kubelet: Kubelet;
  private readonly server: https.Server;
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly log: (line: string) => void;
  private nodeCursor = 0;
  private namespaceReaper?: NodeJS.Timeout;

  constructor(private readonly options: DevClusterOptions) {
    this.log = options.log ?? (() => {});
    this.kubelet = new Kubelet({
      ...options.kubelet,
      stateDir: options.stateDir,
      store: {
        get: (namespace, name) => this.store.get(KIND.pods, namespace, name) as Pod | undefined,
        writeStatus: (namespace, name, status) => {
          try {
            this.store.mutate(KIND.pods, namespace, name, (pod) => {
              pod.status = status;
            });
          } catch (error) {
            if (!(error instanceof StatusError && error.status.code === 404)) throw error;
          }
        },
        finalizeDeletion: (namespace, name, uid) => {
          this.store.remove(KIND.pods, namespace, name, uid);
        },
        recordEvent: (pod, type, reason, message, fieldPath) =>
          this.recordEvent(pod, type, reason, message, { component: 'kubelet', host: pod.spec.nodeName }, fieldPath),
      },
    });
    this.server = https.createServer({ cert: options.certPem, key: options.keyPem }, (req, res) => {
      void this.handle(req, res);
    });
    this.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      void this.handleUpgrade(req, socket, head);
    });
    this.server.keepAliveTimeout = 60_000;
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port, this.options.host, () => resolve());
    });
    this.namespaceReaper = setInterval(() => this.reapNamespaces(), 250);
    const address = this.server.address() as AddressInfo;
    return `https://${this.options.host}:${address.port}`;
  }

  async stop(): Promise<void> {
    clearInterval(this.namespaceReaper);
    for (const client of this.wss.clients) client.terminate();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await this.kubelet.shutdown();
  }

  rbacPolicy(): RbacPolicy {
    return {
      roles: this.store.list(KIND.roles) as never,
      clusterRoles: this.store.list(KIND.clusterroles) as never,
      roleBindings: this.store.list(KIND.rolebindings) as never,
      clusterRoleBindings: this.store.list(KIND.clusterrolebindings) as never,
    };
  }

  // ---- request pipeline ------------------------------------------------------

  /** Authenticate, apply impersonation, then authorize with RBAC; throws Status errors. */
  private admit(req: IncomingMessage, url: URL): Call {
    const info = requestInfo(req.method ?? 'GET', url);
    let user: UserInfo;
    if (!req.headers.authorization && !info.resourceRequest && PUBLIC_PATHS.has(info.path)) {
      user = { name: 'system:anonymous', groups: ['system:unauthenticated'] };
    } else {
      user = withAuthenticatedGroup(this.tokens.authenticate(req));
      const policy = this.rbacPolicy();
      const requester = user;
      user = impersonate(req, requester, (check) => {
        const attrs: RequestAttributes = {
          user: requester,
          verb: 'impersonate',
          resourceRequest: true,
          apiGroup: check.apiGroup,
          apiVersion: 'v1',
          resource: check.resource,
          subresource: check.subresource,
          namespace: check.namespace,
          name: check.name,
          path: '',
        };
        const verdict = authorize(attrs, policy);
        return { ok: verdict.allowed, message: forbiddenMessage(attrs, verdict.reason) };
      });
      if (user !== requester) user = withAuthenticatedGroup(user);
    }
    const attrs: RequestAttributes = { ...info, user };
    // As the apiserver: a list/watch of one object by name is authorized for that name (resourceNames rules).
    const byName = /^metadata\.name=([^,]+)$/.exec(url.searchParams.get('fieldSelector') ?? '');
    if ((info.verb === 'list' || info.verb === 'watch') && byName) attrs.name = byName[1];
    const verdict = authorize(attrs, this.rbacPolicy());
    if (!verdict.allowed) throw forbiddenError(attrs, verdict.reason);
    let kind: ResourceKind | undefined;
    if (info.resourceRequest) {
      kind = findResource(info.apiGroup, info.apiVersion, info.resource);
      if (!kind) throw failure(404, 'NotFound', 'the server could not find the requested resource');
    }
    return { req, url, info, user, kind };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = Date.now();
    try {
      const url = new URL(req.url ?? '/', 'https://dev-cluster');
      const call = this.admit(req, url);
      if (!call.info.resourceRequest) this.nonResource(call, res);
      else await this.resource(call, res);
    } catch (error) {
      if (error instanceof StatusError) sendStatus(res, error);
      else {
        this.log(`internal error on ${req.method} ${req.url}: ${(error as Error).stack}`);
        sendStatus(res, failure(500, 'InternalError', `Internal error occurred: ${(error as Error).message}`));
      }
    } finally {
      this.log(`${req.method} ${req.url} ${res.statusCode} ${Date.now() - started}ms`);
    }
  }

  private async handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    try {
      const url = new URL(req.url ?? '/', 'https://dev-cluster');
      const call = this.admit(req, url);
      const { info } = call;
      if (info.resource !== 'pods' || (info.subresource !== 'exec' && info.subresource !== 'attach')) {
        throw badRequest(`upgrade to a stream is not supported for ${url.pathname}`);
      }
      const pod = this.store.mustGet(KIND.pods, info.namespace, info.name) as Pod;
      const query = parseStreamQuery(url, info.subresource);
      // kubectl retries every refused WebSocket as SPDY and shows only that answer, so
      // every other check comes first and SPDY is refused only when all of them passed.
      if (!isWebSocketUpgrade(req)) throw spdyNotSupported();
      const container = query.container ?? defaultContainer(pod);
      serveRemoteCommand(this.wss, req, socket, head, query.options, () =>
        info.subresource === 'exec'
          ? this.kubelet.exec(this.freshPod(pod), container, query.command, query.options)
          : this.kubelet.attach(this.freshPod(pod), container, query.options),
      );
    } catch (error) {
      if (error instanceof StatusError) rejectUpgrade(socket, error);
      else {
        this.log(`internal error on upgrade ${req.url}: ${(error as Error).stack}`);
        rejectUpgrade(socket, failure(500, 'InternalError', `Internal error occurred: ${(error as Error).message}`));
      }
    }
  }

  private freshPod(pod: Pod): Pod {
    return (this.store.get(KIND.pods, pod.metadata.namespace, pod.metadata.name) as Pod | undefined) ?? pod;
  }

  private nonResource({ info, req, url }: Call, res: ServerResponse): void {
    const path = info.path.replace(/\/$/, '') || '/';
    if (info.verb !== 'get') throw failure(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`);
    // OpenAPI v3 (kubectl reads it before create/apply/replace/edit); no v2: kubectl only falls back to it.
    if (isOpenAPIV3Path(path)) return serveOpenAPIV3(req, url, res);
    switch (path) {
      case '/version':
        return sendJson(res, 200, KUBERNETES_VERSION);
      case '/healthz':
      case '/readyz':
      case '/livez':
        res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end('ok');
        return;
      case '/api':
        return sendJson(res, 200, apiVersions(`${this.options.host}:${(this.server.address() as AddressInfo).port}`));
      case '/apis':
        return sendJson(res, 200, apiGroupList());
      case '/api/v1':
        return sendJson(res, 200, apiResourceList('', 'v1'));
    }
    const group = /^\/apis\/([^/]+)$/.exec(path);
    if (group && apiGroup(group[1])) return sendJson(res, 200, apiGroup(group[1]));
    const gv = /^\/apis\/([^/]+)\/([^/]+)$/.exec(path);
    const list = gv && apiResourceList(gv[1], gv[2]);
    if (list) return sendJson(res, 200, list);
    throw failure(404, 'NotFound', 'the server could not find the requested resource');
  }

  // ---- resources -------------------------------------------------------------

  private async resource(call: Call, res: ServerResponse): Promise<void> {
    const { info, req } = call;
    const kind = call.kind!;
    if (info.subresource) return this.subresource(call, res);
    if (VIRTUAL_RESOURCES.has(kind.resource)) {
      if (info.verb !== 'create') throw failure(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
      const body = decodeObject(req.headers['content-type'], await readBody(req));
      return sendJson(res, 201, this.review(kind.resource, call.user, body));
    }
    switch (info.verb) {
      case 'list':
        return serveList({ req, res, url: call.url, kind, namespace: info.namespace, store: this.store });
      case 'watch':
        return serveWatch({ req, res, url: call.url, kind, namespace: info.namespace, store: this.store });
      case 'get': {
        const object = this.store.mustGet(kind, info.namespace || undefined, info.name);
        if (wantsTable(req.headers.accept)) return sendJson(res, 200, tableOf(kind, [object], call.url, object.metadata.resourceVersion ?? ''));
        return sendJson(res, 200, object);
      }
      case 'create': {
        const body = decodeObject(req.headers['content-type'], await readBody(req));
        setWarnings(res, checkFields(kind, body, fieldValidationDirective(call.url, 'create'), { verb: 'create' }));
        return sendJson(res, 201, this.create(kind, info.namespace, body as KubeObject, call.url));
      }
      case 'update': {
        const body = decodeObject(req.headers['content-type'], await readBody(req)) as KubeObject;
        setWarnings(res, checkFields(kind, body, fieldValidationDirective(call.url, 'update'), { verb: 'update' }));
        return sendJson(res, 200, this.replace(kind, info, body, call.url.searchParams.getAll('dryRun').includes('All')));
      }
      case 'patch': {
        const body = await readBody(req);
        return sendJson(res, 200, this.patch(kind, info, req.headers['content-type'] ?? '', body, call.url, res));
      }
      case 'delete': {
        const body = await readBody(req);
        if (call.url.searchParams.getAll('dryRun').includes('All')) {
          return sendJson(res, 200, this.store.mustGet(kind, info.namespace || undefined, info.name));
        }
        return sendJson(res, 200, this.delete(kind, info.namespace, info.name, deleteOptions(req, call.url, body)));
      }
      case 'deletecollection': {
        const body = await readBody(req);
        const options = deleteOptions(req, call.url, body);
        const items = this.store.list(kind, info.namespace || undefined);
        const deleted = items.map((o) => this.delete(kind, o.metadata.namespace ?? '', o.metadata.name, options));
        return sendJson(res, 200, { kind: `${kind.kind}List`, apiVersion: kind.group ? `${kind.group}/${kind.version}` : kind.version, metadata: {}, items: deleted });
      }
    }
    throw failure(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
  }

  private review(resource: string, user: UserInfo, body: Json): Json {
    const policy = this.rbacPolicy();
    if (resource === 'selfsubjectaccessreviews') return selfSubjectAccessReview(user, body, policy);
    if (resource === 'selfsubjectrulesreviews') return selfSubjectRulesReview(user, body, policy);
    return selfSubjectReview(user);
  }

  /** Creates an object as the apiserver does: name generation, validation, namespace existence, defaults. */
  create(kind: ResourceKind, namespace: string, object: KubeObject, url?: URL): KubeObject {
    if (object.kind && object.kind !== kind.kind) {
      throw badRequest(`the API version in the data (${object.apiVersion}) does not match the expected API version (${kind.group ? kind.group + '/' : ''}${kind.version}) or kind ${object.kind} is not ${kind.kind}`);
    }
    object.metadata ??= { name: '' };
    if (kind.namespaced) {
      if (object.metadata.namespace && namespace && object.metadata.namespace !== namespace) {
        throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
      object.metadata.namespace = namespace || object.metadata.namespace;
      if (!object.metadata.namespace) throw badRequest('an empty namespace may not be set during creation');
      const ns = this.store.get(KIND.namespaces, undefined, object.metadata.namespace);
      if (!ns) throw notFound('', 'namespaces', object.metadata.namespace);
      if (ns.metadata.deletionTimestamp) {
        throw failure(403, 'Forbidden', `${kind.resource} "${object.metadata.name || object.metadata.generateName}" is forbidden: unable to create new content in namespace ${ns.metadata.name} because it is being terminated`);
      }
    } else {
      delete object.metadata.namespace;
    }
    if (!object.metadata.name && object.metadata.generateName) {
      object.metadata.name = generateObjectName(object.metadata.generateName);
    }
    // RBAC objects only need a valid path segment ("system:…" names); everything else a DNS name.
    const nameErrors = kind.group === 'rbac.authorization.k8s.io'
      ? pathSegmentErrors(object.metadata.name ?? '')
      : validateObjectName(kind.kind, object.metadata.name ?? '', kind.namespaced, object.metadata);
    if (nameErrors.length) throw invalid(kind.kind, kind.group, object.metadata.name ?? '', nameErrors);
    delete object.metadata.resourceVersion;
    delete object.metadata.uid;
    delete object.metadata.creationTimestamp;
    delete object.metadata.deletionTimestamp;
    const dryRun = url?.searchParams.getAll('dryRun').includes('All');

    if (kind.resource === 'pods') return this.createPod(object as Pod, !!dryRun);
    if (dryRun) return object;
    const created = this.store.create(kind, object);
    if (kind.resource === 'namespaces') this.onNamespaceCreated(created);
    return created;
  }

  private createPod(pod: Pod, dryRun: boolean): KubeObject {
    pod.spec ??= { containers: [] };
    applyPodDefaults(pod);
    const errors = validatePodCreate(pod);
    if (errors.length) throw invalid('Pod', '', pod.metadata.name, errors);
    if (!pod.spec.nodeName) pod.spec.nodeName = this.schedule(pod);
    pod.status = {
      phase: 'Pending',
      qosClass: 'BestEffort',
      conditions: [{ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: nowSeconds() }],
    };
    if (dryRun) return pod;
    const created = this.store.create(KIND.pods, pod) as Pod;
    this.recordEvent(created, 'Normal', 'Scheduled', `Successfully assigned ${created.metadata.namespace}/${created.metadata.name} to ${created.spec.nodeName}`, { component: 'default-scheduler' });
    if (this.isHollow(created.spec.nodeName)) this.reportHollowPod(created);
    else this.kubelet.podChanged(created);
    return this.store.get(KIND.pods, created.metadata.namespace, created.metadata.name) ?? created;
  }

  /** Hands a pod to the kubelet of its node; hollow nodes have none (see scenario/scale.ts). */
  private podChanged(pod: Pod): void {
    if (!this.isHollow(pod.spec.nodeName)) this.kubelet.podChanged(pod);
  }

  private isHollow(nodeName: string | undefined): boolean {
    if (!nodeName) return false;
    return this.store.get(KIND.nodes, undefined, nodeName)?.metadata.annotations?.[HOLLOW_ANNOTATION] === 'true';
  }

  /** A hollow kubelet's report: every container running since now. */
  private reportHollowPod(pod: Pod): void {
    const now = nowSeconds();
    this.store.mutate(KIND.pods, pod.metadata.namespace, pod.metadata.name, (p) => {
      const condition = (type: string) => ({ type, status: 'True', lastProbeTime: null, lastTransitionTime: now });
      (p as Pod).status = {
        phase: 'Running',
        qosClass: 'BestEffort',
        hostIP: '10.1.0.1',
        podIP: '10.250.0.1',
        startTime: now,
        conditions: ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map(condition),
        containerStatuses: (p as Pod).spec.containers.map((c) => ({
          name: c.name,
          state: { running: { startedAt: now } },
          lastState: {},
          ready: true,
          restartCount: 0,
          image: c.image ?? '',
          imageID: '',
          containerID: `containerd://hollow-${p.metadata.uid}`,
          started: true,
        })),
      };
    });
  }

  /** The dev cluster's scheduler: honour nodeSelector / required hostname affinity, else spread round-robin. */
  private schedule(pod: Pod): string {
    const nodes = this.store
      .list(KIND.nodes)
      .filter((n) => !(n.spec as Json | undefined)?.unschedulable && n.metadata.annotations?.[HOLLOW_ANNOTATION] !== 'true');
    if (nodes.length === 0) throw failure(500, 'InternalError', 'the dev cluster has no schedulable nodes');
    const selector = (pod.spec.nodeSelector as Record<string, string> | undefined) ?? {};
    const fits = nodes.filter((n) => Object.entries(selector).every(([k, v]) => n.metadata.labels?.[k] === v));
    const candidates = fits.length > 0 ? fits : nodes;
    this.nodeCursor = (this.nodeCursor + 1) % candidates.length;
    return candidates[this.nodeCursor].metadata.name;
  }

  private onNamespaceCreated(ns: KubeObject): void {
    this.store.mutate(KIND.namespaces, undefined, ns.metadata.name, (o) => {
      o.spec = { finalizers: ['kubernetes'] };
      o.status = { phase: 'Active' };
      o.metadata.labels = { ...(o.metadata.labels ?? {}), 'kubernetes.io/metadata.name': o.metadata.name };
    });
    // The service-account controller gives every namespace its "default" account.
    if (!this.store.get(KIND.serviceaccounts, ns.metadata.name, 'default')) {
      this.store.create(KIND.serviceaccounts, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: ns.metadata.name } });
    }
  }

  private replace(kind: ResourceKind, info: RequestInfo, body: KubeObject, dryRun = false): KubeObject {
    const current = this.store.mustGet(kind, info.namespace || undefined, info.name);
    if (body.metadata?.name && body.metadata.name !== info.name) {
      throw badRequest(`the name of the object (${body.metadata.name}) does not match the name on the URL (${info.name})`);
    }
    body.metadata = { ...body.metadata, name: info.name, ...(kind.namespaced ? { namespace: info.namespace } : {}) };
    const expected = body.metadata.resourceVersion;
    let next = body;
    if (kind.resource === 'pods') next = preparePodUpdate(current as Pod, body as Pod);
    else if ('status' in current && kind.resource !== 'events') next = { ...body, status: current.status };
    if (dryRun) {
      if (expected && expected !== current.metadata.resourceVersion) {
        throw conflict(kind.group, kind.resource, info.name, 'the object has been modified; please apply your changes to the latest version and try again');
      }
      const m = current.metadata;
      return { ...structuredClone(next), apiVersion: current.apiVersion, kind: current.kind,
        metadata: { ...structuredClone(next.metadata), uid: m.uid, creationTimestamp: m.creationTimestamp, resourceVersion: m.resourceVersion } };
    }
    const updated = this.store.update(kind, next, expected);
    if (kind.resource === 'pods') this.podChanged(updated as Pod);
    return updated;
  }

  private patch(kind: ResourceKind, info: RequestInfo, contentType: string, body: Buffer, url: URL, res: ServerResponse): KubeObject {
    const current = this.store.mustGet(kind, info.namespace || undefined, info.name);
    const patched = applyPatch(contentType, current, body, kind.kind) as KubeObject;
    setWarnings(res, checkFields(kind, patched, fieldValidationDirective(url, 'patch'), { verb: 'patch', contentType, patch: body.toString('utf8') }));
    if (patched.metadata?.name !== info.name) throw badRequest('the name of the object may not be changed by a patch');
    return this.replace(kind, info, { ...patched, metadata: { ...patched.metadata, resourceVersion: undefined } as never }, url.searchParams.getAll('dryRun').includes('All'));
  }

  private delete(kind: ResourceKind, namespace: string, name: string, options: Json): KubeObject {
    const current = this.store.mustGet(kind, namespace || undefined, name);
    const pre = options.preconditions as Json | undefined;
    if (pre?.uid && pre.uid !== current.metadata.uid) {
      throw failure(409, 'Conflict', `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${current.metadata.uid}`);
    }
    if (pre?.resourceVersion && pre.resourceVersion !== current.metadata.resourceVersion) {
      throw failure(409, 'Conflict', `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${current.metadata.resourceVersion}`);
    }
    if (kind.resource === 'pods') return this.deletePod(current as Pod, options);
    if (kind.resource === 'namespaces') {
      if (current.metadata.deletionTimestamp) return current;
      return this.store.mutate(kind, undefined, name, (ns) => {
        ns.metadata.deletionTimestamp = nowSeconds();
        ns.status = { phase: 'Terminating' };
      });
    }
    return this.store.remove(kind, namespace || undefined, name) ?? current;
  }

  /**
   * Graceful pod deletion: mark it, let the kubelet stop its containers, and
   * let the kubelet remove it. gracePeriodSeconds=0 removes it at once (force).
   */
  private deletePod(pod: Pod, options: Json): KubeObject {
    const grace = typeof options.gracePeriodSeconds === 'number' ? options.gracePeriodSeconds : pod.spec.terminationGracePeriodSeconds ?? 30;
    if (pod.metadata.deletionTimestamp && grace !== 0) return pod;
    const marked = this.store.mutate(KIND.pods, pod.metadata.namespace, pod.metadata.name, (p) => {
      p.metadata.deletionTimestamp = new Date(Date.now() + grace * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
      p.metadata.deletionGracePeriodSeconds = grace;
    }) as Pod;
    this.podChanged(marked);
    const unscheduled = !pod.spec.nodeName;
    if (grace === 0 || unscheduled || this.isHollow(pod.spec.nodeName)) this.store.remove(KIND.pods, pod.metadata.namespace, pod.metadata.name, pod.metadata.uid);
    return marked;
  }

  /** The namespace controller: empty a terminating namespace, then remove it. */
  private reapNamespaces(): void {
    for (const ns of this.store.list(KIND.namespaces)) {
      if (!ns.metadata.deletionTimestamp) continue;
      const name = ns.metadata.name;
      let remaining = 0;
      for (const kind of RESOURCES) {
        if (!kind.namespaced || VIRTUAL_RESOURCES.has(kind.resource)) continue;
        for (const o of this.store.list(kind, name)) {
          remaining += 1;
          if (kind.resource === 'pods') {
            if (!o.metadata.deletionTimestamp) this.deletePod(o as Pod, {});
          } else this.store.remove(kind, name, o.metadata.name);
        }
      }
      if (remaining === 0) this.store.remove(KIND.namespaces, undefined, name);
    }
  }

  // ---- subresources ----------------------------------------------------------

  private async subresource(call: Call, res: ServerResponse): Promise<void> {
    const { info, req } = call;
    const kind = call.kind!;
    const key = `${kind.resource}/${info.subresource}`;
    switch (key) {
      case 'pods/log':
        return this.podLogs(call, res);
      case 'pods/exec':
      case 'pods/attach':
        if (req.headers.upgrade) throw spdyNotSupported();
        throw badRequest(`Upgrade request required`);
      case 'pods/ephemeralcontainers':
        return this.ephemeralContainers(call, res);
      case 'serviceaccounts/token':
        return this.tokenRequest(call, res);
      case 'pods/status':
      case 'nodes/status':
      case 'namespaces/status': {
        if (info.verb === 'get') return sendJson(res, 200, this.store.mustGet(kind, info.namespace || undefined, info.name));
        const current = this.store.mustGet(kind, info.namespace || undefined, info.name);
        let next: KubeObject;
        if (info.verb === 'patch') next = applyPatch(req.headers['content-type'] ?? '', current, await readBody(req), kind.kind) as KubeObject;
        else if (info.verb === 'update') next = decodeObject(req.headers['content-type'], await readBody(req)) as KubeObject;
        else throw failure(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
        // The status subresource changes status only.
        const updated = this.store.update(kind, { ...current, status: next.status }, info.verb === 'update' ? next.metadata?.resourceVersion : undefined);
        return sendJson(res, 200, updated);
      }
    }
    throw failure(404, 'NotFound', 'the server could not find the requested resource');
  }

  private async ephemeralContainers(call: Call, res: ServerResponse): Promise<void> {
    const { info, req } = call;
    const current = this.store.mustGet(KIND.pods, info.namespace, info.name) as Pod;
    if (info.verb === 'get') return sendJson(res, 200, current);
    let next: Pod;
    let expected: string | undefined;
    if (info.verb === 'patch') {
      next = applyPatch(req.headers['content-type'] ?? '', current, await readBody(req), 'Pod') as Pod;
    } else if (info.verb === 'update') {
      next = decodeObject(req.headers['content-type'], await readBody(req)) as Pod;
      expected = next.metadata?.resourceVersion;
      if (next.metadata?.name && next.metadata.name !== info.name) {
        throw badRequest(`the name of the object (${next.metadata.name}) does not match the name on the URL (${info.name})`);
      }
    } else throw failure(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
    for (const c of next.spec?.ephemeralContainers ?? []) containerDefaults(c);
    const errors = validateEphemeralContainersUpdate(current, next);
    if (errors.length) throw invalid('Pod', '', info.name, errors);
    // Only spec.ephemeralContainers changes through this subresource.
    const updated = this.store.update(KIND.pods, prepareEphemeralContainersUpdate(current, next), expected) as Pod;
    this.podChanged(updated);
    return sendJson(res, 200, updated);
  }

  private async podLogs(call: Call, res: ServerResponse): Promise<void> {
    const { info, url, req } = call;
    const pod = this.store.mustGet(KIND.pods, info.namespace, info.name) as Pod;
    const stream = this.kubelet.logs(pod, {
      container: url.searchParams.get('container') ?? undefined,
      follow: url.searchParams.get('follow') === 'true',
      previous: url.searchParams.get('previous') === 'true',
      timestamps: url.searchParams.get('timestamps') === 'true',
      tailLines: queryInt(url, 'tailLines'),
      sinceSeconds: queryInt(url, 'sinceSeconds'),
      limitBytes: queryInt(url, 'limitBytes'),
    });
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache, private' });
    res.flushHeaders();
    let closed = false;
    req.on('close', () => {
      closed = true;
    });
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (closed) break;
      res.write(chunk);
    }
    res.end();
  }

  private async tokenRequest(call: Call, res: ServerResponse): Promise<void> {
    const { info, req } = call;
    if (info.verb !== 'create') throw failure(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
    const sa = this.store.mustGet(KIND.serviceaccounts, info.namespace, info.name);
    const body = decodeObject(req.headers['content-type'], await readBody(req));
    const spec = (body.spec ?? {}) as Json;
    const seconds = typeof spec.expirationSeconds === 'number' ? spec.expirationSeconds : 3600;
    if (seconds < 600) {
      throw invalid('TokenRequest', 'authentication.k8s.io', info.name, [fieldError('FieldValueInvalid', 'spec.expirationSeconds', 'may not specify a duration less than 10 minutes', seconds)]);
    }
    const token = this.tokens.issue(serviceAccountUser(info.namespace, info.name, sa.metadata.uid));
    sendJson(res, 201, {
      kind: 'TokenRequest',
      apiVersion: 'authentication.k8s.io/v1',
      metadata: { name: info.name, namespace: info.namespace, creationTimestamp: null },
      spec: { audiences: spec.audiences ?? ['https://kubernetes.default.svc.cluster.local'], expirationSeconds: seconds, boundObjectRef: spec.boundObjectRef ?? null },
      status: { token, expirationTimestamp: new Date(Date.now() + seconds * 1000).toISOString().replace(/\.\d+Z$/, 'Z') },
    });
  }

  // ---- events ----------------------------------------------------------------

  recordEvent(pod: Pod, type: 'Normal' | 'Warning', reason: string, message: string, source: { component: string; host?: string }, fieldPath?: string): void {
    const namespace = pod.metadata.namespace ?? 'default';
    if (!this.store.get(KIND.namespaces, undefined, namespace)) return;
    const now = nowSeconds();
    try {
      this.store.create(KIND.events, {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name: `${pod.metadata.name}.${randomBytes(8).toString('hex')}`, namespace },
        involvedObject: {
          kind: 'Pod',
          namespace,
          name: pod.metadata.name,
          uid: pod.metadata.uid,
          apiVersion: 'v1',
          resourceVersion: pod.metadata.resourceVersion,
          ...(fieldPath ? { fieldPath } : {}),
        },
        reason,
        message,
        source,
        firstTimestamp: now,
        lastTimestamp: now,
        count: 1,
        type,
        eventTime: null,
        reportingComponent: source.component,
        reportingInstance: source.host ?? '',
      });
    } catch {
      // Events are best effort, as on a real cluster.
    }
  }
}

export function defaultContainer(pod: Pod): string {
  return pod.metadata.annotations?.['kubectl.kubernetes.io/default-container'] ?? pod.spec.containers[0]?.name ?? '';
}

function pathSegmentErrors(name: string) {
  if (!name) return [fieldError('FieldValueRequired', 'metadata.name', 'name or generateName is required')];
  if (name === '.' || name === '..' || /[/%]/.test(name)) {
    return [fieldError('FieldValueInvalid', 'metadata.name', 'may not contain \'/\' or \'%\'', name)];
  }
  return [];
}

function deleteOptions(req: IncomingMessage, url: URL, body: Buffer): Json {
  let options: Json = {};
  if (body.length > 0) options = decodeObject(req.headers['content-type'], body);
  const grace = url.searchParams.get('gracePeriodSeconds');
  if (grace !== null) options.gracePeriodSeconds = Number(grace);
  return options;
}
