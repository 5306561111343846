// Retention: ended sessions (with their recordings) and audit events older
// than the configured ages are removed, and each run that removes anything
// leaves a `retention.run` audit event saying what went. The planning is pure;
// `runRetention` is the one step that touches the store. The server runs it at
// start-up and every hour (server/main.ts), `npm run retention` once.

import type { AuditEvent, NewAuditEvent, RetentionCut } from '@/lib/audit/chain';
import type { RetentionConfig } from '@/lib/config/file';
import type { Store } from '@/lib/store/types';

export const RETENTION_INTERVAL_MS = 60 * 60 * 1000;

/** The instants before which things go; undefined: kept forever. */
export interface RetentionPlan {
  sessionsBefore?: Date;
  auditBefore?: Date;
}

export interface RetentionResult {
  plan: RetentionPlan;
  sessionsDeleted: number;
  auditDeleted: number;
  /** The last audit seq removed, when any were. */
  auditDeletedThrough?: number;
  /** The retention.run event, when the run removed anything. */
  event?: AuditEvent;
}

export const retentionConfigured = (config: RetentionConfig): boolean => config.sessions !== undefined || config.auditEvents !== undefined;

export function planRetention(config: RetentionConfig, now: Date): RetentionPlan {
  const before = (seconds: number | undefined) => (seconds === undefined ? undefined : new Date(now.getTime() - seconds * 1000));
  return { sessionsBefore: before(config.sessions), auditBefore: before(config.auditEvents) };
}

/** The run's audit event: what it was asked to remove and what it removed; undefined when it removed nothing. */
export function retentionEvent(plan: RetentionPlan, sessionsDeleted: number, cut: RetentionCut | undefined): NewAuditEvent | undefined {
  if (sessionsDeleted === 0 && !cut) return undefined;
  return {
    actor: null,
    action: 'retention.run',
    details: {
      sessionsBefore: plan.sessionsBefore?.toISOString() ?? null,
      sessionsDeleted,
      auditBefore: plan.auditBefore?.toISOString() ?? null,
      ...cut,
    },
  };
}

/**
 * Removes what the plan says, sessions first: their count goes in the event.
 * The audit events go in one transaction with the event that records them
 * (AuditLog.deleteBefore), so the shortened chain always verifies.
 */
export async function runRetention(store: Pick<Store, 'sessions' | 'audit'>, config: RetentionConfig, now = new Date()): Promise<RetentionResult> {
  const plan = planRetention(config, now);
  const sessionsDeleted = plan.sessionsBefore ? await store.sessions.deleteEndedBefore(plan.sessionsBefore) : 0;
  let cut: RetentionCut | undefined;
  const { event, deleted } = await store.audit.deleteBefore(plan.auditBefore, (found) => retentionEvent(plan, sessionsDeleted, (cut = found)));
  return { plan, sessionsDeleted, auditDeleted: deleted, auditDeletedThrough: cut?.auditDeletedThrough, event };
}

/** One line for the operator. */
export function describeRetention(result: RetentionResult): string {
  if (!result.event) return 'retention: nothing to remove';
  const audit = result.auditDeleted > 0 ? `${result.auditDeleted} audit events (through seq ${result.auditDeletedThrough})` : 'no audit events';
  return `retention: removed ${result.sessionsDeleted} ended sessions with their recordings and ${audit}; recorded as audit event ${result.event.seq}`;
}
