import type { Metadata } from 'next';
import Link from 'next/link';
import { HistoryFilters } from '@/components/session/history-filters';
import { SessionList } from '@/components/session/session-list';
import { can } from '@/lib/auth/roles';
import { requireUser } from '@/lib/auth/session';
import { sessionHistory } from '@/lib/sessions/history';
import { getStore } from '@/lib/store/shared';

export const metadata: Metadata = { title: 'Sessions' };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const link = 'text-sm text-sky-700 hover:underline dark:text-sky-400';

/** The session history: one's own sessions for debuggers (everyone's metadata with all=1), everyone's for the other roles; filtered by the URL. */
export default async function SessionsPage({ searchParams }: Props) {
  const user = await requireUser('GET /sessions');
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(await searchParams)) for (const one of [value ?? []].flat()) params.append(key, one);
  const history = await sessionHistory((await getStore()).sessions, user, params);
  const everyone = history.scope === 'everyone';
  const keepAll = everyone && history.mayChooseScope;
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-baseline justify-between gap-3">
        <h1 className="text-lg font-semibold tracking-tight">{everyone ? 'Debug sessions' : 'Your debug sessions'}</h1>
        {history.mayChooseScope && (
          <Link href={everyone ? '/sessions' : '/sessions?all=1'} className={link}>
            {everyone ? 'Only yours' : 'Everyone’s (who, what, when, outcome)'}
          </Link>
        )}
      </div>
      <HistoryFilters form={history.form} everyone={everyone} keepAll={keepAll} searchOwnOnly={can(user.roles, 'sessions.replayAny') ? false : can(user.roles, 'sessions.replayOwn') ? true : undefined} />
      {history.error && (
        <p role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-900 ring-1 ring-red-600/20 dark:bg-red-400/10 dark:text-red-200 dark:ring-red-400/25">
          Cannot filter like this: {history.error}
        </p>
      )}
      <div className="rounded-md border border-zinc-200 bg-white p-2 dark:border-zinc-800 dark:bg-zinc-900">
        {history.sessions.length > 0 ? (
          <SessionList sessions={history.sessions} />
        ) : (
          !history.error && (
            <p role="status" className="p-2 text-zinc-500 dark:text-zinc-400">
              {history.filtered ? 'No sessions match these filters.' : history.newest !== undefined ? 'No older sessions.' : 'No sessions yet.'}
            </p>
          )
        )}
      </div>
      {(history.older !== undefined || history.newest !== undefined) && (
        <nav aria-label="Pages" className="flex gap-4">
          {history.newest !== undefined && (
            <Link href={`/sessions?${history.newest}`} className={link}>
              Newest
            </Link>
          )}
          {history.older !== undefined && (
            <Link href={`/sessions?${history.older}`} className={link}>
              Older
            </Link>
          )}
        </nav>
      )}
    </div>
  );
}
