import { describe, expect, it } from 'vitest';
import type { AccessDecision } from './access';
import { decidePermission, rolePermission } from './permissions';

const yes: AccessDecision = { allowed: true, reason: 'RBAC: allowed' };
const no = (reason: string): AccessDecision => ({ allowed: false, reason });

describe('rolePermission', () => {
  it.each([
    ['debug', ['debugger'], true],
    ['debug', ['viewer'], false],
    ['debug', ['lead'], false],
    ['debug', ['lead', 'debugger'], true],
    ['debug', ['admin'], true],
    ['browse', ['viewer'], true],
    ['debugNode', ['debugger'], false],
    ['debugNode', ['admin'], true],
    ['browse', [], false],
  ] as const)('%s with roles %j → %s', (capability, roles, allowed) => {
    expect(rolePermission(capability, roles).allowed).toBe(allowed);
  });

  it('names the roles that would allow it and the ones held', () => {
    expect(rolePermission('debug', ['viewer']).reason).toBe("Debug with an ephemeral container needs Ephemera's debugger or admin role; you hold viewer.");
    expect(rolePermission('debugNode', ['viewer', 'lead']).reason).toBe("Debug a node needs Ephemera's admin role; you hold viewer or lead.");
    expect(rolePermission('browse', []).reason).toBe("Browse pods needs Ephemera's viewer, debugger, lead or admin role; your groups give you no Ephemera role.");
  });
});

describe('decidePermission', () => {
  it('needs the role and every cluster check', () => {
    expect(decidePermission('debug', ['debugger'], { debug: yes, attach: yes })).toEqual({
      allowed: true,
      reason: "Allowed by your Ephemera role and by the cluster's RBAC.",
    });
  });

  it('says no with the role’s reason before asking the cluster', () => {
    expect(decidePermission('debug', ['viewer'], { debug: yes, attach: yes }).allowed).toBe(false);
  });

  it('gives every cluster refusal, once each', () => {
    expect(decidePermission('copyPod', ['debugger'], { createPods: no('no create'), deletePods: no('no delete'), attach: yes })).toEqual({
      allowed: false,
      reason: 'no create no delete',
    });
    expect(decidePermission('debug', ['debugger'], { debug: no('unreachable'), attach: no('unreachable') }).reason).toBe('unreachable');
  });

  it('fails closed on a check nobody answered', () => {
    expect(decidePermission('debug', ['debugger'], { debug: yes })).toEqual({ allowed: false, reason: 'Not checked with the cluster: attach.' });
  });
});
