import type { IncomingMessage } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { RequestAttributes, UserInfo } from './types';
import { failure, badRequest } from './status';

/** Bearer tokens the dev cluster accepts, each naming an identity (a static token file, as --token-auth-file). */
export class TokenAuthenticator {
  private readonly tokens = new Map<string, UserInfo>();

  issue(user: UserInfo): string {
    const token = randomBytes(24).toString('base64url');
    this.tokens.set(token, user);
    return token;
  }

  register(token: string, user: UserInfo): void {
    this.tokens.set(token, user);
  }

  /** The identity behind the request's bearer token; 401 Unauthorized Status otherwise. */
  authenticate(req: IncomingMessage): UserInfo {
    const header = req.headers.authorization ?? '';
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    const user = m ? this.tokens.get(m[1]) : undefined;
    if (!user) throw failure(401, 'Unauthorized', 'Unauthorized');
    return user;
  }
}

/** user.Info for a service account, as the token authenticator builds it. */
export function serviceAccountUser(namespace: string, name: string, uid?: string): UserInfo {
  return {
    name: `system:serviceaccount:${namespace}:${name}`,
    ...(uid ? { uid } : {}),
    groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`],
  };
}

function headerValues(req: IncomingMessage, name: string): string[] {
  const raw = req.headers[name.toLowerCase()];
  if (raw === undefined) return [];
  // Node joins repeated headers with ", "; Impersonate-Group may repeat.
  return (Array.isArray(raw) ? raw : raw.split(',')).map((v) => v.trim()).filter(Boolean);
}

/** One impersonation the requester must be allowed: verb impersonate on users/groups/uids/userextras/serviceaccounts. */
export type ImpersonationCheck = Pick<RequestAttributes, 'resource' | 'subresource' | 'namespace' | 'name' | 'apiGroup'>;

/**
 * Applies Impersonate-* headers as the apiserver's impersonation filter does:
 * each requested attribute needs the `impersonate` verb, checked by `allowed`;
 * the result is the impersonated identity (authorized as itself afterwards).
 */
export function impersonate(
  req: IncomingMessage,
  requester: UserInfo,
  allowed: (check: ImpersonationCheck) => { ok: boolean; message: string },
): UserInfo {
  const userName = headerValues(req, 'Impersonate-User')[0];
  const groups = headerValues(req, 'Impersonate-Group');
  const uid = headerValues(req, 'Impersonate-Uid')[0];
  const extraHeaders = Object.keys(req.headers).filter((h) => h.startsWith('impersonate-extra-'));
  if (!userName) {
    if (groups.length || uid || extraHeaders.length) {
      throw badRequest(
        `requested [${[...groups.map((g) => `{Group ${g}}`), ...(uid ? [`{UID ${uid}}`] : [])].join(' ')}] without impersonating a user`,
      );
    }
    return requester;
  }

  const checks: ImpersonationCheck[] = [];
  const sa = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(userName);
  if (sa) checks.push({ apiGroup: '', resource: 'serviceaccounts', subresource: '', namespace: sa[1], name: sa[2] });
  else checks.push({ apiGroup: '', resource: 'users', subresource: '', namespace: '', name: userName });
  for (const group of groups) checks.push({ apiGroup: '', resource: 'groups', subresource: '', namespace: '', name: group });
  if (uid) checks.push({ apiGroup: 'authentication.k8s.io', resource: 'uids', subresource: '', namespace: '', name: uid });
  const extra: Record<string, string[]> = {};
  for (const header of extraHeaders) {
    const key = decodeURIComponent(header.slice('impersonate-extra-'.length));
    extra[key] = headerValues(req, header);
    for (const value of extra[key]) {
      checks.push({ apiGroup: 'authentication.k8s.io', resource: 'userextras', subresource: key, namespace: '', name: value });
    }
  }
  for (const check of checks) {
    const verdict = allowed(check);
    if (!verdict.ok) throw failure(403, 'Forbidden', verdict.message, { name: check.name, kind: check.resource });
  }
  const impersonatedGroups = sa
    ? [...new Set(['system:serviceaccounts', `system:serviceaccounts:${sa[1]}`, ...groups])]
    : groups;
  return {
    name: userName,
    groups: impersonatedGroups,
    ...(uid ? { uid } : {}),
    ...(Object.keys(extra).length ? { extra } : {}),
  };
}
