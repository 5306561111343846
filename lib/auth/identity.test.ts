import { describe, expect, it } from 'vitest';
import { DEFAULT_FILE_CONFIG, type AuthFileConfig } from '@/lib/config/file';
import { claimAt, groupsFrom, identityFromClaims, toEphemeraUser } from './identity';

const defaults = DEFAULT_FILE_CONFIG.auth.claims;

describe('identityFromClaims', () => {
  it('reads preferred_username, groups, name and email by default', () => {
    const claims = { sub: 'a1b2', preferred_username: 'alice', name: 'Alice Ng', email: 'alice@example.com', groups: ['oncall'] };
    expect(identityFromClaims(claims, defaults)).toEqual({ name: 'alice', groups: ['oncall'], displayName: 'Alice Ng', email: 'alice@example.com' });
  });

  it('falls back to sub when the user-name claim is missing or empty', () => {
    expect(identityFromClaims({ sub: 'a1b2' }, defaults)).toEqual({ name: 'a1b2', groups: [] });
    expect(identityFromClaims({ sub: 'a1b2', preferred_username: '  ' }, defaults)?.name).toBe('a1b2');
    expect(identityFromClaims({ sub: 'a1b2', email: 'x@example.com' }, { username: 'upn', groups: 'groups' })?.name).toBe('a1b2');
  });

  it('uses the configured claims', () => {
    const claims = { sub: 's', email: 'lena@example.com', roles: ['team-leads'], groups: ['ignored'] };
    expect(identityFromClaims(claims, { username: 'email', groups: 'roles' })).toEqual({ name: 'lena@example.com', groups: ['team-leads'], email: 'lena@example.com' });
  });

  it('builds the display name from given and family names when there is no name claim', () => {
    expect(identityFromClaims({ sub: 's', preferred_username: 'sam', given_name: 'Sam', family_name: 'Okafor' }, defaults)?.displayName).toBe('Sam Okafor');
  });

  it('leaves out a display name equal to the user name', () => {
    expect(identityFromClaims({ sub: 's', preferred_username: 'ada', name: 'ada' }, defaults)).toEqual({ name: 'ada', groups: [] });
  });

  it('names nobody without a subject', () => {
    expect(identityFromClaims({ preferred_username: '' }, defaults)).toBeNull();
    expect(identityFromClaims({}, defaults)).toBeNull();
  });
});

describe('claimAt', () => {
  it('reads a namespaced claim whole, and a dotted path into nested claims', () => {
    expect(claimAt({ 'https://example.com/groups': ['a'] }, 'https://example.com/groups')).toEqual(['a']);
    expect(claimAt({ realm_access: { roles: ['b'] } }, 'realm_access.roles')).toEqual(['b']);
    expect(claimAt({ realm_access: 'flat' }, 'realm_access.roles')).toBeUndefined();
  });
});

describe('groupsFrom', () => {
  it.each([
    [['a', 'b'], ['a', 'b']],
    ['single', ['single']],
    [['a', 7, null, '', ' b ', 'a'], ['a', 'b']],
    [undefined, []],
    [{ a: 1 }, []],
  ])('%j → %j', (value, groups) => expect(groupsFrom(value)).toEqual(groups));
});

describe('toEphemeraUser', () => {
  const auth: AuthFileConfig = {
    ...DEFAULT_FILE_CONFIG.auth,
    groupsPrefix: 'oidc:',
    roles: { viewer: ['support'], debugger: ['oncall'], lead: ['team-leads'], admin: [] },
  };

  it('prefixes groups for the clusters and maps roles from the groups as the IdP sent them', () => {
    expect(toEphemeraUser({ name: 'alice', groups: ['oncall', 'team-leads'], displayName: 'Alice Ng', email: 'a@example.com' }, auth, 'id.token.value')).toEqual({
      name: 'alice',
      groups: ['oidc:oncall', 'oidc:team-leads'],
      roles: ['debugger', 'lead'],
      displayName: 'Alice Ng',
      email: 'a@example.com',
      idToken: 'id.token.value',
    });
  });

  it('gives no role for unmapped groups', () => {
    expect(toEphemeraUser({ name: 'nora', groups: ['new-joiners'] }, auth)).toEqual({ name: 'nora', groups: ['oidc:new-joiners'], roles: [] });
  });
});
