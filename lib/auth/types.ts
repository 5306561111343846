// Who is signed in, as Ephemera sees it. The session (next-auth, OIDC) produces
// an EphemeraUser; everything downstream (pages, API routes, WebSocket upgrades,
// the cluster layer) takes one.

/** Ephemera's roles (DESIGN.md, "Users and what each does"), mapped from SSO groups. */
export const ROLES = ['viewer', 'debugger', 'lead', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface EphemeraUser {
  /** The user name, from the configured claim; sent to clusters as Impersonate-User. */
  name: string;
  /** Groups from the configured claim, prefix applied; sent as Impersonate-Group. */
  groups: string[];
  /** Every role the mapped groups give; empty = no access. */
  roles: Role[];
  /** Display name and e-mail when the IdP gives them. */
  displayName?: string;
  email?: string;
  /** The OIDC ID token, kept server-side only, for clusters in pass-through mode. */
  idToken?: string;
}
