import Link from 'next/link';
import type { EphemeraUser } from '@/lib/auth/types';

/** For people whose role may look but not debug (viewers, leads): say so, and where to go instead. */
export function DebugNotAllowed({ user, back }: { user: EphemeraUser; back: string }) {
  return (
    <section role="note" aria-label="Debugging not allowed" className="max-w-2xl space-y-2 rounded-md border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
      <h2 className="font-semibold">You can look, but not start debug sessions</h2>
      <p>
        Starting debug sessions needs Ephemera’s debugger or admin role; you hold {user.roles.join(', ')}. You can still see who debugged what on the{' '}
        <Link href="/sessions" className="text-sky-700 hover:underline dark:text-sky-400">
          sessions page
        </Link>
        .
      </p>
      <Link href={back} prefetch={false} className="text-sm text-sky-700 hover:underline dark:text-sky-400">
        Back
      </Link>
    </section>
  );
}
