import { describe, expect, it } from 'vitest';
import { ACTIONS, allowedActions, can, covers, rolesForGroups, type Action, type RoleMapping } from './roles';
import { ROLES, type Role } from './types';

const mapping: RoleMapping = {
  viewer: ['support'],
  debugger: ['oncall', 'sre'],
  lead: ['team-leads'],
  admin: ['platform-admins'],
};

describe('rolesForGroups', () => {
  it.each<[string[], Role[]]>([
    [['support'], ['viewer']],
    [['oncall'], ['debugger']],
    [['sre'], ['debugger']],
    [['team-leads'], ['lead']],
    [['platform-admins'], ['admin']],
    [[], []],
    [['marketing'], []],
    // A lead who is also on call holds both roles; order follows ROLES, not the groups.
    [['oncall', 'team-leads'], ['debugger', 'lead']],
    [['team-leads', 'oncall', 'support', 'sre'], ['viewer', 'debugger', 'lead']],
  ])('%j → %j', (groups, roles) => {
    expect(rolesForGroups(groups, mapping)).toEqual(roles);
  });

  it('matches group names exactly, as Kubernetes RBAC does', () => {
    expect(rolesForGroups(['OnCall', 'oncall ', 'oidc:oncall'], mapping)).toEqual([]);
  });

  it('gives nothing when nothing is mapped', () => {
    expect(rolesForGroups(['oncall'], { viewer: [], debugger: [], lead: [], admin: [] })).toEqual([]);
  });

  it('lets one group give several roles', () => {
    expect(rolesForGroups(['ops'], { viewer: ['ops'], debugger: ['ops'], lead: [], admin: [] })).toEqual(['viewer', 'debugger']);
  });
});

// The whole table from DESIGN.md, written out rather than derived, so a change to
// ROLE_ACTIONS has to be made here too, on purpose.
const Y = true;
const N = false;
const TABLE: Record<Action, Record<Role, boolean>> = {
  'clusters.browse': { viewer: Y, debugger: Y, lead: Y, admin: Y },
  'sessions.viewMetadata': { viewer: Y, debugger: Y, lead: Y, admin: Y },
  'sessions.start': { viewer: N, debugger: Y, lead: N, admin: Y },
  'sessions.attachOwn': { viewer: N, debugger: Y, lead: N, admin: Y },
  'diagnostics.run': { viewer: N, debugger: Y, lead: N, admin: Y },
  'sessions.replayOwn': { viewer: N, debugger: Y, lead: Y, admin: Y },
  'sessions.replayAny': { viewer: N, debugger: N, lead: Y, admin: Y },
  'sessions.observe': { viewer: N, debugger: N, lead: Y, admin: Y },
  'audit.read': { viewer: N, debugger: N, lead: Y, admin: Y },
  'audit.export': { viewer: N, debugger: N, lead: Y, admin: Y },
  'debug.breakGlass': { viewer: N, debugger: N, lead: N, admin: Y },
  'debug.node': { viewer: N, debugger: N, lead: N, admin: Y },
  'debug.podCopyReplace': { viewer: N, debugger: N, lead: N, admin: Y },
  'policy.view': { viewer: N, debugger: N, lead: N, admin: Y },
};

describe('can', () => {
  it('covers every action in the table', () => {
    expect(Object.keys(TABLE).sort()).toEqual([...ACTIONS].sort());
  });

  for (const action of ACTIONS) {
    for (const role of ROLES) {
      it(`${role} ${TABLE[action][role] ? 'may' : 'may not'} ${action}`, () => {
        expect(can([role], action)).toBe(TABLE[action][role]);
      });
    }
  }

  it('allows nothing without a role', () => {
    for (const action of ACTIONS) expect(can([], action)).toBe(false);
  });

  it('gives a person in several roles the union of what each allows', () => {
    const both: Role[] = ['debugger', 'lead'];
    for (const action of ACTIONS) expect(can(both, action)).toBe(TABLE[action].debugger || TABLE[action].lead);
  });
});

describe('covers', () => {
  it.each<[Role[], Role, boolean]>([
    [['admin'], 'viewer', true],
    [['admin'], 'debugger', true],
    [['admin'], 'lead', true],
    [['debugger'], 'viewer', true],
    [['lead'], 'viewer', true],
    [['debugger'], 'lead', false],
    [['lead'], 'debugger', false],
    [['viewer'], 'debugger', false],
    [['debugger', 'lead'], 'admin', false],
    [[], 'viewer', false],
  ])('%j covers %s: %s', (roles, role, expected) => {
    expect(covers(roles, role)).toBe(expected);
  });
});

describe('allowedActions', () => {
  it('lists what a viewer may do', () => {
    expect(allowedActions(['viewer'])).toEqual(['clusters.browse', 'sessions.viewMetadata']);
  });

  it('lists everything for an admin and nothing for no role', () => {
    expect(allowedActions(['admin'])).toEqual([...ACTIONS]);
    expect(allowedActions([])).toEqual([]);
  });
});
