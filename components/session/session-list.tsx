// The session history's table: who, where, what, why, when, how long and how
// it went, newest first. Each row links to its session. The reason is a
// column only when the person may see some (viewers see metadata only,
// lib/sessions/view.ts); a row whose reason is not theirs to see says so.

import Link from 'next/link';
import { outcomeText, sessionDuration } from '@/lib/sessions/history';
import type { SessionView } from '@/lib/sessions/view';

const th = 'border-b border-zinc-200 px-2 py-2 text-left text-xs font-medium text-zinc-500 dark:border-zinc-800 dark:text-zinc-400';
const td = 'px-2 py-1.5 align-top';
const muted = 'text-zinc-400 dark:text-zinc-500';

/** For node debugging, the node (the debug pod beneath it); otherwise the pod. */
function Where({ session }: { session: SessionView }) {
  const main = session.kind === 'node' ? (session.node ?? '—') : (session.pod ?? session.node ?? '—');
  return (
    <Link href={`/sessions/${session.id}`} prefetch={false} className="font-medium text-sky-700 hover:underline dark:text-sky-400">
      {session.kind === 'node' ? `node ${main}` : main}
      <span className="block whitespace-nowrap font-mono text-xs font-normal text-zinc-500 dark:text-zinc-400">{session.container}</span>
    </Link>
  );
}

const minute = (date: Date) => date.toISOString().replace('T', ' ').slice(0, 16);

export function SessionList({ sessions }: { sessions: SessionView[] }) {
  const showReason = sessions.some((session) => session.detail);
  return (
    <div className="overflow-x-auto">
      <table aria-label="Sessions" className="w-full min-w-[64rem] border-separate border-spacing-0 text-left text-sm">
        <thead>
          <tr>
            <th scope="col" className={th}>Pod / node</th>
            <th scope="col" className={th}>Who</th>
            <th scope="col" className={th}>Cluster</th>
            <th scope="col" className={th}>Namespace</th>
            <th scope="col" className={th}>Kind</th>
            <th scope="col" className={th}>Image</th>
            <th scope="col" className={th}>Profile</th>
            {showReason && <th scope="col" className={th}>Reason</th>}
            <th scope="col" className={th}>Started (UTC)</th>
            <th scope="col" className={th}>Duration</th>
            <th scope="col" className={th}>Outcome</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
          {sessions.map((session) => (
            <tr key={session.id} className="hover:bg-zinc-50 dark:hover:bg-zinc-800/50">
              <td className={td}>
                <Where session={session} />
              </td>
              <td className={td}>{session.user}</td>
              <td className={`${td} whitespace-nowrap`}>{session.cluster}</td>
              <td className={td}>{session.namespace ?? <span className={muted}>—</span>}</td>
              <td className={`${td} whitespace-nowrap`}>
                {session.kind}
                {session.mode === 'oneshot' ? ' · one-shot' : ''}
                {session.breakGlass && <span className="ml-1 rounded bg-amber-100 px-1 text-xs text-amber-900 dark:bg-amber-400/15 dark:text-amber-300">break-glass</span>}
              </td>
              <td className={`${td} max-w-44 truncate font-mono text-xs`} title={session.image ?? undefined}>
                {session.image ?? <span className={muted}>—</span>}
              </td>
              <td className={td}>{session.profile ?? <span className={muted}>—</span>}</td>
              {showReason && (
                <td className={`${td} min-w-32 max-w-56`}>
                  {!session.detail ? <span className={muted}>not shown to you</span> : (session.reason ?? <span className={muted}>—</span>)}
                </td>
              )}
              <td className={`${td} whitespace-nowrap tabular-nums`}>
                <time dateTime={session.createdAt.toISOString()} title={session.createdAt.toISOString()}>
                  {minute(session.createdAt)}
                </time>
              </td>
              <td className={`${td} whitespace-nowrap tabular-nums`}>{sessionDuration(session)}</td>
              <td className={`${td} whitespace-nowrap ${session.exitCode ? 'text-amber-700 dark:text-amber-400' : ''}`} title={session.endMessage ?? undefined}>
                {outcomeText(session)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
