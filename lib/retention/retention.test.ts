import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '@/lib/audit/chain';
import { parseConfigFile } from '@/lib/config/file';
import { describeRetention, planRetention, retentionConfigured, retentionEvent } from './retention';

const NOW = new Date('2026-11-27T12:00:00.000Z');

describe('retention configuration', () => {
  it('keeps everything forever by default', () => {
    const { retention } = parseConfigFile('', 'ephemera.yaml');
    expect(retention).toEqual({});
    expect(retentionConfigured(retention)).toBe(false);
    expect(planRetention(retention, NOW)).toEqual({ sessionsBefore: undefined, auditBefore: undefined });
  });

  it('reads ages in days, hours or seconds', () => {
    const { retention } = parseConfigFile('retention:\n  sessions: 90d\n  auditEvents: 1d12h\n', 'ephemera.yaml');
    expect(retention).toEqual({ sessions: 90 * 86_400, auditEvents: 36 * 3600 });
    expect(planRetention(retention, NOW)).toEqual({ sessionsBefore: new Date('2026-08-29T12:00:00.000Z'), auditBefore: new Date('2026-11-26T00:00:00.000Z') });
  });

  it('names the field of a bad age or an unknown key', () => {
    expect(() => parseConfigFile('retention:\n  sessions: soon\n', 'ephemera.yaml')).toThrow('ephemera.yaml:2: retention.sessions: expected a duration like 90s, 15m, 1h30m or 90d');
    expect(() => parseConfigFile('retention:\n  recordings: 30d\n', 'ephemera.yaml')).toThrow('ephemera.yaml:2: retention.recordings: unknown key "recordings"; expected one of sessions, auditEvents');
  });
});

describe('the retention.run event', () => {
  const plan = planRetention({ sessions: 86_400 }, NOW);

  it('is made only when the run removed something', () => {
    expect(retentionEvent(plan, 0, undefined)).toBeUndefined();
    expect(retentionEvent(plan, 2, undefined)).toEqual({
      actor: null,
      action: 'retention.run',
      details: { sessionsBefore: '2026-11-26T12:00:00.000Z', sessionsDeleted: 2, auditBefore: null },
    });
  });

  it('names the last audit event removed and its hash', () => {
    const cut = { auditDeletedThrough: 41, auditLastDeletedHash: 'a'.repeat(64) };
    expect(retentionEvent(plan, 0, cut)?.details).toEqual({ sessionsBefore: '2026-11-26T12:00:00.000Z', sessionsDeleted: 0, auditBefore: null, ...cut });
  });

  it('is described in one line', () => {
    expect(describeRetention({ plan, sessionsDeleted: 0, auditDeleted: 0 })).toBe('retention: nothing to remove');
    expect(describeRetention({ plan, sessionsDeleted: 3, auditDeleted: 41, auditDeletedThrough: 41, event: { seq: 57 } as AuditEvent })).toBe(
      'retention: removed 3 ended sessions with their recordings and 41 audit events (through seq 41); recorded as audit event 57',
    );
  });
});
