import type { RoleMapping } from '@/lib/auth/roles';
import { ROLES } from '@/lib/auth/types';

const WHAT: Record<(typeof ROLES)[number], string> = {
  viewer: 'browse clusters and see who debugged what',
  debugger: 'start and attach to debug sessions',
  lead: 'replay and watch any session, read the audit log',
  admin: 'everything, including break-glass profiles',
};

/** Which groups give which role, so a person knows what to ask for. */
export function AccessMapping({ roles }: { roles: RoleMapping }) {
  return (
    <table className="w-full text-left text-sm">
      <caption className="sr-only">Groups that give each role</caption>
      <thead className="text-xs text-zinc-500 dark:text-zinc-400">
        <tr>
          <th scope="col" className="py-1 pr-3 font-medium">Role</th>
          <th scope="col" className="py-1 pr-3 font-medium">Lets you</th>
          <th scope="col" className="py-1 font-medium">Given to members of</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
        {ROLES.map((role) => (
          <tr key={role}>
            <th scope="row" className="py-1 pr-3 font-medium">{role}</th>
            <td className="py-1 pr-3 text-zinc-600 dark:text-zinc-400">{WHAT[role]}</td>
            <td className="py-1 font-mono text-xs">{roles[role].join(', ') || '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
