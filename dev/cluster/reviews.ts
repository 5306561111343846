import type { RbacPolicy } from './rbac';
import { authorize, rulesReview } from './rbac';
import type { RequestAttributes, UserInfo } from './types';
import { badRequest } from './status';

type Json = Record<string, unknown>;

/** SelfSubjectAccessReview: may *I* do this? Answered by the same RBAC that guards every request. */
export function selfSubjectAccessReview(user: UserInfo, body: Json, policy: RbacPolicy): Json {
  const spec = (body.spec ?? {}) as Json;
  const resource = spec.resourceAttributes as Json | undefined;
  const nonResource = spec.nonResourceAttributes as Json | undefined;
  if (!resource && !nonResource) {
    throw badRequest('SelfSubjectAccessReview.authorization.k8s.io "" is invalid: spec.resourceAttributes: Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified');
  }
  const attrs: RequestAttributes = resource
    ? {
        user,
        verb: String(resource.verb ?? ''),
        resourceRequest: true,
        apiGroup: String(resource.group ?? ''),
        apiVersion: String(resource.version ?? ''),
        resource: String(resource.resource ?? ''),
        subresource: String(resource.subresource ?? ''),
        namespace: String(resource.namespace ?? ''),
        name: String(resource.name ?? ''),
        path: '',
      }
    : {
        user,
        verb: String(nonResource!.verb ?? ''),
        resourceRequest: false,
        apiGroup: '',
        apiVersion: '',
        resource: '',
        subresource: '',
        namespace: '',
        name: '',
        path: String(nonResource!.path ?? ''),
      };
  const verdict = authorize(attrs, policy);
  return {
    kind: 'SelfSubjectAccessReview',
    apiVersion: 'authorization.k8s.io/v1',
    metadata: { creationTimestamp: null },
    spec,
    status: { allowed: verdict.allowed, ...(verdict.reason ? { reason: verdict.reason } : {}) },
  };
}

export function selfSubjectRulesReview(user: UserInfo, body: Json, policy: RbacPolicy): Json {
  const spec = (body.spec ?? {}) as Json;
  const namespace = String(spec.namespace ?? '');
  if (!namespace) throw badRequest('SelfSubjectRulesReview.authorization.k8s.io "" is invalid: spec.namespace: Required value: no namespace on request');
  return {
    kind: 'SelfSubjectRulesReview',
    apiVersion: 'authorization.k8s.io/v1',
    metadata: { creationTimestamp: null },
    spec,
    status: rulesReview(user, namespace, policy),
  };
}

/** SelfSubjectReview (kubectl auth whoami). */
export function selfSubjectReview(user: UserInfo): Json {
  return {
    kind: 'SelfSubjectReview',
    apiVersion: 'authentication.k8s.io/v1',
    metadata: { creationTimestamp: null },
    status: {
      userInfo: {
        username: user.name,
        ...(user.uid ? { uid: user.uid } : {}),
        groups: user.groups,
        ...(user.extra ? { extra: user.extra } : {}),
      },
    },
  };
}
