import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEFAULT_POLICY, PolicySchema } from './schema';

const issues = (input: unknown) => {
  const r = PolicySchema.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('PolicySchema', () => {
  it('defaults to the safe policy: restricted only for debuggers, the non-root debug image, break-glass for the rest', () => {
    expect(DEFAULT_POLICY.profiles.byRole).toEqual({ debugger: ['restricted'], admin: ['restricted', 'baseline', 'general', 'netadmin', 'sysadmin'] });
    expect(DEFAULT_POLICY.images.default).toBe('ghcr.io/ephemera/debug-tools:1.0');
    expect(DEFAULT_POLICY.images.approved).toEqual([
      { pattern: 'ghcr.io/ephemera/*', requireDigest: false, user: 65532 },
      { pattern: 'busybox:1.*', requireDigest: false, user: 0, profiles: ['general'] },
    ]);
    expect(DEFAULT_POLICY.breakGlass).toMatchObject({ roles: ['admin'], profiles: ['sysadmin'], nodeDebugging: true, podCopies: true, reason: { minLength: 10 } });
    expect(DEFAULT_POLICY.namespaces.disabled).toContain('kube-system');
    expect(DEFAULT_POLICY.sessions).toEqual({ maxDuration: 3600, idleTimeout: 900, reconnectGrace: 60, stdinOnce: true });
    // Recorded by default, output only, and a session that cannot be recorded ends.
    expect(DEFAULT_POLICY.recording).toEqual({ input: false, onStoreFailure: 'end' });
  });

  it('reads the example block of the configuration file', () => {
    const yaml = `
images:
  default: ghcr.io/ephemera/debug-tools:1.0
  approved:
    - pattern: ghcr.io/ephemera/*
      user: 65532
    - pattern: registry.example.com/tools/**
      requireDigest: true
    - pattern: busybox:1.*
      user: 0
      profiles: [general]
profiles:
  byRole:
    debugger: [restricted]
    lead: [restricted]
    admin: [restricted, baseline, general, netadmin, sysadmin]
  byNamespace:
    - namespaces: [payments, payments-*]
      profiles: [restricted]
breakGlass:
  roles: [admin]
  profiles: [sysadmin]
  nodeDebugging: true
  podCopies: true
  reason:
    minLength: 12
    pattern: '[A-Z][A-Z0-9]+-[0-9]+'
    example: 'INC-1234: checkout pods crash-looping'
namespaces:
  disabled: [kube-system, kube-public, kube-node-lease, ephemera]
sessions:
  maxDuration: 1h
  idleTimeout: 15m
  reconnectGrace: 60s
  stdinOnce: true
`;
    const policy = PolicySchema.parse(parse(yaml));
    expect(policy.sessions).toEqual({ maxDuration: 3600, idleTimeout: 900, reconnectGrace: 60, stdinOnce: true });
    expect(policy.images.approved[1]).toEqual({ pattern: 'registry.example.com/tools/**', requireDigest: true });
    expect(policy.profiles.byRole.lead).toEqual(['restricted']);
  });

  it('reads durations as seconds', () => {
    expect(PolicySchema.parse({ sessions: { maxDuration: '1h30m', idleTimeout: '90s', reconnectGrace: '2m' } }).sessions).toMatchObject({ maxDuration: 5400, idleTimeout: 90, reconnectGrace: 120 });
    expect(PolicySchema.parse({ sessions: { maxDuration: 600 } }).sessions.maxDuration).toBe(600);
  });

  it('names what is wrong', () => {
    expect(issues({ sessions: { idleTimeout: 'soon' } })).toEqual(['sessions.idleTimeout: expected a duration like 90s, 15m, 1h30m or 90d, or a number of seconds']);
    expect(issues({ images: { default: 'nginx', approved: [{ pattern: 'Bad Pattern' }, { pattern: 'ghcr.io/x/*' }] } })).toEqual([
      'images.approved.0.pattern: "Bad Pattern" cannot match any image: invalid reference format',
      'images.default: nginx is not matched by any images.approved pattern',
    ]);
    expect(issues({ breakGlass: { reason: { pattern: '(' } } })).toEqual([
      'breakGlass.reason.pattern: not a regular expression: Invalid regular expression: /(/: Unterminated group',
    ]);
    expect(issues({ profiles: { byRole: { oncall: ['restricted'] } } })[0]).toMatch(/^profiles\.byRole/);
    expect(issues({ images: { aproved: [] } })[0]).toMatch(/^images: Unrecognized key: "aproved"/);
  });
});
