import type { WhoAmI } from '@/lib/k8s/whoami';

const chip = 'rounded-full bg-zinc-100 px-2 py-0.5 text-xs text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300';

/** The signed-in user as Ephemera sees them: name, groups, roles and what the roles allow. */
export function IdentitySummary({ user }: { user: WhoAmI['user'] }) {
  return (
    <section aria-labelledby="identity" className="space-y-3 rounded-md border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
      <h2 id="identity" className="text-base font-semibold">
        {user.displayName ?? user.name}
        {user.displayName && <span className="ml-2 font-mono text-sm font-normal text-zinc-500">{user.name}</span>}
      </h2>
      {user.email && <p className="text-zinc-600 dark:text-zinc-400">{user.email}</p>}
      <dl className="grid grid-cols-[8rem_1fr] gap-x-4 gap-y-2">
        <dt className="text-zinc-500 dark:text-zinc-400">Groups</dt>
        <dd>
          <ul aria-label="Groups" className="flex flex-wrap gap-1.5">
            {user.groups.length === 0 ? <li className="text-zinc-500">none</li> : user.groups.map((group) => <li key={group} className={`${chip} font-mono`}>{group}</li>)}
          </ul>
        </dd>
        <dt className="text-zinc-500 dark:text-zinc-400">Ephemera roles</dt>
        <dd>
          <ul aria-label="Ephemera roles" className="flex flex-wrap gap-1.5">
            {user.roles.length === 0 ? <li className="text-zinc-500">none</li> : user.roles.map((role) => <li key={role} className={chip}>{role}</li>)}
          </ul>
        </dd>
        <dt className="text-zinc-500 dark:text-zinc-400">Roles allow</dt>
        <dd className="font-mono text-xs leading-5 text-zinc-600 dark:text-zinc-400">{user.actions.join(', ') || 'nothing'}</dd>
      </dl>
      <p className="text-xs text-zinc-500 dark:text-zinc-400">
        Ephemera&apos;s roles come on top of each cluster&apos;s own RBAC: an action needs both, and every request goes to the cluster as you.
      </p>
    </section>
  );
}
