// From the IdP's ID token claims to who the person is for Ephemera. Pure.
// At sign-in the claims become a SessionIdentity, which the session keeps;
// on every request it becomes an EphemeraUser under the current ephemera.yaml,
// so a changed role mapping applies without signing in again.

import type { AuthFileConfig } from '@/lib/config/file';
import { rolesForGroups } from './roles';
import type { EphemeraUser } from './types';

/** What the session cookie keeps about a person (never the roles: those follow the configuration). */
export interface SessionIdentity {
  /** From the configured user-name claim, else `sub`. */
  name: string;
  /** As the IdP sent them, without the groups prefix. */
  groups: string[];
  displayName?: string;
  email?: string;
}

/**
 * A claim by name; a name with dots that is not itself a claim is read as a
 * path into nested claims (Keycloak's `realm_access.roles`). Names are tried
 * whole first because namespaced claims (`https://example.com/groups`) contain dots.
 */
export function claimAt(claims: Readonly<Record<string, unknown>>, name: string): unknown {
  if (name in claims) return claims[name];
  return name.split('.').reduce<unknown>((node, key) => (node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), claims);
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() ? value.trim() : undefined);

/** A groups claim as a list: IdPs send a list of strings, some a single string; anything else is ignored. */
export function groupsFrom(value: unknown): string[] {
  const items = Array.isArray(value) ? value : [value];
  return [...new Set(items.map(text).filter((group): group is string => group !== undefined))];
}

/** The identity in an ID token's claims, or null when the token has no subject to name anyone by. */
export function identityFromClaims(claims: Readonly<Record<string, unknown>>, settings: AuthFileConfig['claims']): SessionIdentity | null {
  const name = text(claimAt(claims, settings.username)) ?? text(claims.sub);
  if (!name) return null;
  const given = [text(claims.given_name), text(claims.family_name)].filter(Boolean).join(' ');
  const displayName = text(claims.name) ?? (given || undefined);
  const email = text(claims.email);
  return {
    name,
    groups: groupsFrom(claimAt(claims, settings.groups)),
    ...(displayName && displayName !== name ? { displayName } : {}),
    ...(email ? { email } : {}),
  };
}

/** The signed-in user under `auth`: groups prefixed for the clusters, roles from the unprefixed groups. */
export function toEphemeraUser(identity: SessionIdentity, auth: AuthFileConfig, idToken?: string): EphemeraUser {
  return {
    name: identity.name,
    groups: identity.groups.map((group) => `${auth.groupsPrefix}${group}`),
    roles: rolesForGroups(identity.groups, auth.roles),
    ...(identity.displayName ? { displayName: identity.displayName } : {}),
    ...(identity.email ? { email: identity.email } : {}),
    ...(idToken ? { idToken } : {}),
  };
}
