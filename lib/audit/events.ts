// The audit events Ephemera records, built from what the edges have at hand.
// Pure: each function only returns the event; recordAudit (record.ts) sends it.
// No Node-only imports: proxy.ts reaches this file through lib/auth/denials.ts.

import type { Denial } from '@/lib/auth/denials';
import type { EphemeraUser } from '@/lib/auth/types';
import type { SessionRecord } from '@/lib/store/types';
import type { NewAuditEvent } from './chain';

const where = (record: SessionRecord) => ({
  cluster: record.cluster,
  namespace: record.namespace,
  target: record.pod ?? record.node,
  sessionId: record.id,
});

/** session.start, and session.breakglass with its reason when the session broke glass. */
export function sessionStarted(record: SessionRecord): NewAuditEvent[] {
  const started: NewAuditEvent = {
    actor: record.user,
    action: 'session.start',
    ...where(record),
    details: { kind: record.kind, mode: record.mode, container: record.container, image: record.image, profile: record.profile, node: record.node, reason: record.reason, breakGlass: record.breakGlass },
  };
  if (!record.breakGlass) return [started];
  return [started, { actor: record.user, action: 'session.breakglass', ...where(record), details: { reason: record.reason, profile: record.profile } }];
}

export function sessionEnded(record: SessionRecord): NewAuditEvent {
  return { actor: record.user, action: 'session.end', ...where(record), details: { reason: record.endReason, exitCode: record.exitCode, message: record.endMessage } };
}

/** A terminal attached: by the session's owner, or by an admin acting on someone else's. */
export function sessionAttached(record: SessionRecord, user: Pick<EphemeraUser, 'name'>): NewAuditEvent {
  return { actor: user.name, action: 'session.attach', ...where(record), details: { as: user.name === record.user ? 'owner' : 'admin', owner: record.user, kind: record.kind, mode: record.mode } };
}

/** A denied request; a policy refusal of a session is session.refused, with its rule. */
export function denied({ user, route, reason, detail, rule }: Denial): NewAuditEvent {
  if (reason === 'policy') return { actor: user?.name ?? null, action: 'session.refused', target: route, details: { rule: rule ?? null, message: detail ?? null } };
  return { actor: user?.name ?? null, action: 'auth.denied', target: route, details: { reason, ...(detail ? { detail } : {}), ...(rule ? { rule } : {}) } };
}

export function podRecycled(user: Pick<EphemeraUser, 'name'>, cluster: string, namespace: string, pod: string, uid: string | undefined): NewAuditEvent {
  return { actor: user.name, action: 'pod.recycle', cluster, namespace, target: pod, details: { uid: uid ?? null } };
}

export function signedIn(user: Pick<EphemeraUser, 'name' | 'groups' | 'roles'>): NewAuditEvent {
  return { actor: user.name, action: 'auth.signin', details: { groups: user.groups, roles: user.roles } };
}

/** The policy in force from this start, by its SHA-256 (of its JSON), so two starts with the same policy are seen to agree. */
export function policyLoaded(source: string, sha256: string): NewAuditEvent {
  return { actor: null, action: 'policy.load', details: { source, sha256 } };
}

export function auditExported(user: Pick<EphemeraUser, 'name'>): NewAuditEvent {
  return { actor: user.name, action: 'audit.export', details: {} };
}

/** The store could not take a session's recording; `then` is what the policy did about it. */
export function recordingFailed(record: SessionRecord, error: string, then: 'end' | 'continue'): NewAuditEvent {
  return { actor: record.user, action: 'recording.failed', ...where(record), details: { error, then } };
}

/** A recording was downloaded or replayed (`how`), or a running session observed live. */
export function sessionWatched(record: SessionRecord, user: Pick<EphemeraUser, 'name'>, how: 'download' | 'replay' | 'observe'): NewAuditEvent {
  return { actor: user.name, action: how === 'observe' ? 'session.observe' : 'session.replay', ...where(record), details: { how, owner: record.user } };
}
