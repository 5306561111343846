// The audit log's hash chain, pure: each event's hash covers its own fields
// and the previous event's hash, so editing a row changes its hash and
// deleting one breaks the link (or leaves a gap in seq) at the next. The
// serialisation is canonical (keys sorted at every depth, times as ISO
// strings) so a verifier in any language can recompute it.
//
// Retention (lib/retention) removes the oldest events. It first appends a
// `retention.run` event naming the last seq it removes and that event's hash,
// then deletes up to there; so a chain may start after seq 1, but only where a
// retention.run event later in the verified chain vouches for exactly that cut.

import { createHash } from 'node:crypto';

export const AUDIT_ACTIONS = [
  'auth.signin',
  'auth.denied',
  'session.start',
  'session.refused',
  'session.attach',
  'session.end',
  'session.breakglass',
  'pod.recycle',
  'policy.load',
  'audit.export',
  'recording.failed',
  'session.replay',
  'session.observe',
  'retention.run',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** The first event's prevHash. */
export const GENESIS_HASH = '0'.repeat(64);

/** What a caller records; the log adds seq, time and the chain. */
export interface NewAuditEvent {
  /** The user's name, or null for Ephemera itself (policy load at start-up). */
  actor: string | null;
  action: AuditAction;
  cluster?: string | null;
  namespace?: string | null;
  /** The pod, node or route the event is about. */
  target?: string | null;
  sessionId?: string | null;
  details?: Record<string, unknown>;
}

export interface AuditEvent {
  seq: number;
  at: Date;
  actor: string | null;
  action: AuditAction;
  cluster: string | null;
  namespace: string | null;
  target: string | null;
  sessionId: string | null;
  details: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

export type ChainVerdict =
  /** `removedThrough`: the last seq a retention run removed, when the chain starts after seq 1. */
  | { ok: true; events: number; lastHash: string; removedThrough?: number }
  | { ok: false; brokenAt: number; reason: 'hash' | 'link' | 'gap'; message: string };

/** JSON with object keys sorted at every depth; undefined members are left out as JSON.stringify does. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, member]) => member !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, member]) => `${JSON.stringify(key)}:${canonicalJson(member)}`).join(',')}}`;
}

/** SHA-256 (hex) of the event's canonical form, every field but the hash itself. */
export function hashEvent(event: Omit<AuditEvent, 'hash'>): string {
  const { seq, at, actor, action, cluster, namespace, target, sessionId, details, prevHash } = event;
  const canonical = canonicalJson({ seq, at: at.toISOString(), actor, action, cluster, namespace, target, sessionId, details, prevHash });
  return createHash('sha256').update(canonical).digest('hex');
}

/** What a retention.run event records about the audit events it removed (in its details). */
export interface RetentionCut {
  /** The last seq removed; every event up to it is gone. */
  auditDeletedThrough: number;
  /** That event's hash: the first remaining event's prevHash. */
  auditLastDeletedHash: string;
}

/** The cut a retention.run event vouches for, if it removed audit events. */
export function retentionCutOf(event: Pick<AuditEvent, 'action' | 'details'>): RetentionCut | undefined {
  if (event.action !== 'retention.run') return undefined;
  const { auditDeletedThrough, auditLastDeletedHash } = event.details;
  if (typeof auditDeletedThrough !== 'number' || typeof auditLastDeletedHash !== 'string') return undefined;
  return { auditDeletedThrough, auditLastDeletedHash };
}

/** Where the chain stands after the events verified so far; start from `chainStart()`. */
export interface ChainPosition {
  events: number;
  lastSeq: number;
  lastHash: string;
  /** When the chain starts after seq 1: the removal it starts from, and whether a retention.run event has vouched for it yet. */
  cut?: { through: number; lastHash: string; vouched: boolean };
}

export const chainStart = (): ChainPosition => ({ events: 0, lastSeq: 0, lastHash: GENESIS_HASH });

/**
 * Checks `events` (in seq order) as the continuation of `position`: seq goes
 * up by one, each prevHash is the previous hash, each hash is recomputed.
 * Returns the new position, or the first break. Pages of a long table are
 * checked one after another by passing the position on. A chain whose first
 * event comes after seq 1 is taken to start at a retention cut, which
 * `chainVerdict` then requires a retention.run event to vouch for.
 */
export function verifyEvents(events: readonly AuditEvent[], position: ChainPosition = chainStart()): ChainPosition | Extract<ChainVerdict, { ok: false }> {
  let { events: count, lastSeq, lastHash, cut } = position;
  if (count === 0 && lastSeq === 0 && events.length > 0 && events[0].seq > 1) {
    const first = events[0];
    lastSeq = first.seq - 1;
    lastHash = first.prevHash;
    cut = { through: lastSeq, lastHash, vouched: false };
  }
  for (const event of events) {
    if (event.seq !== lastSeq + 1) {
      return { ok: false, brokenAt: event.seq, reason: 'gap', message: `event ${event.seq} follows event ${lastSeq}: ${event.seq - lastSeq - 1 > 0 ? 'events in between are missing' : 'seq goes backwards'}` };
    }
    if (event.prevHash !== lastHash) {
      return { ok: false, brokenAt: event.seq, reason: 'link', message: `event ${event.seq} names ${event.prevHash} as the previous hash, but event ${lastSeq} hashes to ${lastHash}` };
    }
    if (hashEvent(event) !== event.hash) {
      return { ok: false, brokenAt: event.seq, reason: 'hash', message: `event ${event.seq} does not hash to its stored hash: it was changed after it was written` };
    }
    const vouches = retentionCutOf(event);
    if (cut && !cut.vouched && vouches?.auditDeletedThrough === cut.through && vouches.auditLastDeletedHash === cut.lastHash) {
      cut = { ...cut, vouched: true };
    }
    count += 1;
    lastSeq = event.seq;
    lastHash = event.hash;
  }
  return cut ? { events: count, lastSeq, lastHash, cut } : { events: count, lastSeq, lastHash };
}

/** The verdict once every event has been checked: a cut no retention.run event vouched for is a break. */
export function chainVerdict(position: ChainPosition): ChainVerdict {
  const { cut } = position;
  if (cut && !cut.vouched) {
    return {
      ok: false,
      brokenAt: cut.through + 1,
      reason: 'gap',
      message: `the log starts at event ${cut.through + 1}: events 1 to ${cut.through} are missing and no retention.run event records removing them`,
    };
  }
  const verdict: ChainVerdict = { ok: true, events: position.events, lastHash: position.lastHash };
  return cut ? { ...verdict, removedThrough: cut.through } : verdict;
}

/** The verdict on a whole chain held in memory. */
export function verifyChain(events: readonly AuditEvent[]): ChainVerdict {
  const result = verifyEvents(events);
  return 'ok' in result ? result : chainVerdict(result);
}

/** The next event, chained to `previous` (undefined for the first). */
export function chainNext(event: NewAuditEvent, previous: Pick<AuditEvent, 'seq' | 'hash'> | undefined, at: Date): AuditEvent {
  const unhashed = {
    seq: (previous?.seq ?? 0) + 1,
    at,
    actor: event.actor,
    action: event.action,
    cluster: event.cluster ?? null,
    namespace: event.namespace ?? null,
    target: event.target ?? null,
    sessionId: event.sessionId ?? null,
    details: event.details ?? {},
    prevHash: previous?.hash ?? GENESIS_HASH,
  };
  return { ...unhashed, hash: hashEvent(unhashed) };
}
