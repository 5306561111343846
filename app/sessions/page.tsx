import type { Metadata } from 'next';
import Link from 'next/link';
import { toSessionJson } from '@/components/session/session-json';
import { SessionList } from '@/components/session/session-list';
import { can } from '@/lib/auth/roles';
import { requireUser } from '@/lib/auth/session';
import { sessionView } from '@/lib/sessions/view';
import { getStore } from '@/lib/store/shared';

export const metadata: Metadata = { title: 'Sessions' };

type Props = { searchParams: Promise<{ all?: string }> };

/** One's own sessions, newest first; everyone's for leads and admins (and for anyone who asks: metadata only). */
export default async function SessionsPage({ searchParams }: Props) {
  const user = await requireUser('GET /sessions');
  const seesAll = can(user.roles, 'sessions.replayAny');
  const all = seesAll || (await searchParams).all === '1';
  const store = await getStore();
  const records = await store.sessions.list(all ? { limit: 200 } : { user: user.name, limit: 200 });
  const sessions = records.map((record) => toSessionJson(sessionView(record, user)));
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-baseline justify-between gap-3">
        <h1 className="text-lg font-semibold tracking-tight">{all ? 'Debug sessions' : 'Your debug sessions'}</h1>
        {!seesAll && (
          <Link href={all ? '/sessions' : '/sessions?all=1'} className="text-sm text-sky-700 hover:underline dark:text-sky-400">
            {all ? 'Only yours' : 'Everyone’s (who, what, when, outcome)'}
          </Link>
        )}
      </div>
      <div className="rounded-md border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
        <SessionList sessions={sessions} />
      </div>
    </div>
  );
}
