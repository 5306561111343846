import type { RequestAttributes } from './types';

/** What a request is about, as the apiserver's RequestInfoFactory reads it from method and path. */
export type RequestInfo = Omit<RequestAttributes, 'user'>;

const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);
/** Streaming subresources: authorized as `create` whatever the HTTP method (a WebSocket upgrade is a GET). */
const CONNECT_SUBRESOURCES = new Set(['exec', 'attach', 'portforward', 'proxy']);

export function requestInfo(method: string, url: URL): RequestInfo {
  const path = url.pathname;
  const parts = path.split('/').filter(Boolean);
  const nonResource = (): RequestInfo => ({
    resourceRequest: false,
    path,
    verb: method.toLowerCase() === 'head' ? 'get' : method.toLowerCase(),
    apiGroup: '',
    apiVersion: '',
    resource: '',
    subresource: '',
    namespace: '',
    name: '',
  });

  let rest: string[];
  let apiGroup = '';
  let apiVersion: string;
  if (parts[0] === 'api' && parts.length >= 3) {
    apiVersion = parts[1];
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 4) {
    apiGroup = parts[1];
    apiVersion = parts[2];
    rest = parts.slice(3);
  } else {
    return nonResource();
  }

  let verb = '';
  if (rest[0] === 'watch') {
    verb = 'watch';
    rest = rest.slice(1);
  }

  let namespace = '';
  if (rest[0] === 'namespaces' && rest.length > 1) {
    namespace = rest[1];
    if (rest.length > 2 && !NAMESPACE_SUBRESOURCES.has(rest[2])) rest = rest.slice(2);
  }

  const [resource = '', name = '', subresource = ''] = rest;
  // GET /api/v1/namespaces/NS is the namespace object itself, not something in it.
  if (resource === 'namespaces' && namespace && name === namespace) namespace = '';
  if (resource === 'namespaces' && rest.length >= 2) namespace = '';

  if (!verb) {
    const m = method.toUpperCase();
    if (CONNECT_SUBRESOURCES.has(subresource)) verb = 'create';
    else if (m === 'GET' || m === 'HEAD') {
      verb = name ? 'get' : url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1' ? 'watch' : 'list';
    } else if (m === 'POST') verb = 'create';
    else if (m === 'PUT') verb = 'update';
    else if (m === 'PATCH') verb = 'patch';
    else if (m === 'DELETE') verb = name ? 'delete' : 'deletecollection';
    else verb = m.toLowerCase();
  }

  return { resourceRequest: true, path, verb, apiGroup, apiVersion, resource, subresource, namespace, name };
}
