import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { SignOutButton } from '@/components/auth/sign-out-button';
import { AccessMapping } from '@/components/auth/access-mapping';
import { currentUser } from '@/lib/auth/session';
import { authSettings } from '@/lib/auth/settings';
import { ROLES, type Role } from '@/lib/auth/types';

export const metadata: Metadata = { title: 'No access' };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const code = 'rounded bg-zinc-100 px-1 py-0.5 font-mono text-xs dark:bg-zinc-800';

/** Who you are, what your groups are, and whom to ask; never any cluster data. */
export default async function NoAccessPage({ searchParams }: Props) {
  const user = await currentUser();
  if (!user) redirect('/login');
  const need = (await searchParams).need;
  const neededRole = ROLES.find((role): role is Role => role === need);
  const { sso, auth } = authSettings();

  return (
    <section
      aria-labelledby="no-access"
      className="mx-auto mt-10 max-w-2xl space-y-4 rounded-lg border border-zinc-200 bg-white p-6 dark:border-zinc-800 dark:bg-zinc-900"
    >
      <h1 id="no-access" className="text-lg font-semibold tracking-tight">
        {neededRole ? `This page needs the ${neededRole} role` : user.roles.length ? 'You have access' : 'No access to Ephemera yet'}
      </h1>
      <p className="text-zinc-700 dark:text-zinc-300">
        You are signed in as <strong>{user.displayName ?? user.name}</strong>
        {user.displayName && <> (<code className={code}>{user.name}</code>)</>}
        {user.email && <>, {user.email}</>}.
      </p>
      <div className="space-y-1">
        <h2 className="font-medium">Your groups at {sso.providerName}</h2>
        {user.groups.length > 0 ? (
          <ul aria-label="Your groups" className="flex flex-wrap gap-1.5">
            {user.groups.map((group) => (
              <li key={group} className={code}>{group}</li>
            ))}
          </ul>
        ) : (
          <p className="text-zinc-600 dark:text-zinc-400">None: {sso.providerName} sent no groups for you.</p>
        )}
      </div>
      <p className="text-zinc-700 dark:text-zinc-300">
        {user.roles.length > 0
          ? `Your roles: ${user.roles.join(', ')}.`
          : `${user.groups.length ? 'None of these groups gives you a role' : 'Without a group, you have no role'} in Ephemera, so there is nothing here you can see or do yet.`}
      </p>
      <AccessMapping roles={auth.roles} />
      <p className="text-zinc-700 dark:text-zinc-300">
        <strong>Whom to ask:</strong>{' '}
        {auth.accessContact ?? 'your Ephemera administrator, to add you to one of these groups or to give one of your groups a role.'}{' '}
        Once your groups change at {sso.providerName}, sign out and in again.
      </p>
      <SignOutButton />
    </section>
  );
}
