// The sessions a person may see, newest first: who, what, where, and how it
// went. Each links to its page.

import Link from 'next/link';
import type { SessionJson } from './session-json';

function outcome(session: SessionJson): string {
  if (session.state !== 'ended') return session.state;
  const code = session.exitCode !== null ? `, exit code ${session.exitCode}` : '';
  return `ended: ${session.endReason ?? 'unknown'}${code}`;
}

const where = (session: SessionJson) => (session.pod && session.namespace ? `${session.namespace}/${session.pod}` : session.node ?? '—');

export function SessionList({ sessions }: { sessions: SessionJson[] }) {
  if (sessions.length === 0) return <p className="text-zinc-500 dark:text-zinc-400">No sessions yet.</p>;
  return (
    <table aria-label="Sessions" className="w-full text-left">
      <thead className="text-xs text-zinc-500 dark:text-zinc-400">
        <tr>
          <th scope="col" className="py-1 pr-4 font-medium">Session</th>
          <th scope="col" className="py-1 pr-4 font-medium">Who</th>
          <th scope="col" className="py-1 pr-4 font-medium">Kind</th>
          <th scope="col" className="py-1 pr-4 font-medium">Image · profile</th>
          <th scope="col" className="py-1 pr-4 font-medium">Created</th>
          <th scope="col" className="py-1 font-medium">State</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
        {sessions.map((session) => (
          <tr key={session.id} className="align-top">
            <th scope="row" className="py-1 pr-4 font-medium">
              <Link href={`/sessions/${session.id}`} prefetch={false} className="hover:underline">
                {session.cluster} · {where(session)} · <span className="font-mono">{session.container}</span>
              </Link>
            </th>
            <td className="py-1 pr-4">{session.user}</td>
            <td className="py-1 pr-4">
              {session.kind}
              {session.mode === 'oneshot' ? ' (one-shot)' : ''}
              {session.breakGlass ? ' · break-glass' : ''}
            </td>
            <td className="py-1 pr-4 font-mono text-xs">
              {session.image ?? '—'} · {session.profile ?? '—'}
            </td>
            <td className="py-1 pr-4 tabular-nums">
              <time dateTime={session.createdAt}>{session.createdAt.replace('T', ' ').slice(0, 19)}</time>
            </td>
            <td className={`py-1 ${session.state === 'ended' && session.exitCode ? 'text-amber-700 dark:text-amber-400' : ''}`}>{outcome(session)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
