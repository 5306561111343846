// The dev IdP's people. Each stands for one of Ephemera's roles in the demo
// (dev/demo/ephemera.yaml maps their groups), and nora for someone whose
// groups map to no role at all. The dev cluster's demo scenario binds the same
// group names in its RBAC, so impersonating them there works too.

export const DEMO_PASSWORD = 'demo';

export interface DemoUser {
  /** The login name, also `preferred_username`. */
  username: string;
  /** A stable opaque subject, as real IdPs issue: not the login name. */
  sub: string;
  name: string;
  email: string;
  groups: string[];
  /** One line on the login page: who this person is in the demo. */
  about: string;
}

export const DEMO_USERS: readonly DemoUser[] = [
  {
    username: 'alice',
    sub: '5f0c1d6e-7a41-4c1b-9a53-0000000a11ce',
    name: 'Alice Ng',
    email: 'alice@example.com',
    groups: ['oncall'],
    about: 'on-call engineer',
  },
  {
    username: 'lena',
    sub: '5f0c1d6e-7a41-4c1b-9a53-000000001e4a',
    name: 'Lena Fischer',
    email: 'lena@example.com',
    groups: ['team-leads'],
    about: 'team lead',
  },
  {
    username: 'sam',
    sub: '5f0c1d6e-7a41-4c1b-9a53-0000000005a3',
    name: 'Sam Okafor',
    email: 'sam@example.com',
    groups: ['support'],
    about: 'support staff',
  },
  {
    username: 'ada',
    sub: '5f0c1d6e-7a41-4c1b-9a53-000000000ada',
    name: 'Ada Byrne',
    email: 'ada@example.com',
    groups: ['platform-admins'],
    about: 'platform administrator',
  },
  {
    username: 'nora',
    sub: '5f0c1d6e-7a41-4c1b-9a53-0000000004a0',
    name: 'Nora Quinn',
    email: 'nora@example.com',
    groups: [],
    about: 'new joiner, in no group yet',
  },
];

export function userBySub(sub: string): DemoUser | undefined {
  return DEMO_USERS.find((user) => user.sub === sub);
}

/** The user these credentials belong to, or undefined; the login name is matched case-insensitively, as most IdPs do. */
export function checkCredentials(username: string, password: string): DemoUser | undefined {
  const user = DEMO_USERS.find((candidate) => candidate.username === username.trim().toLowerCase());
  return user && password === DEMO_PASSWORD ? user : undefined;
}
