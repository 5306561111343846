import type { Metadata } from 'next';
import Link from 'next/link';
import { stringify } from 'yaml';
import { notFound } from 'next/navigation';
import { toSessionJson } from '@/components/session/session-json';
import { SessionView } from '@/components/session/session-view';
import { can } from '@/lib/auth/roles';
import { requireUser } from '@/lib/auth/session';
import { mayReplay, ownsSession, seesDetail, sessionView } from '@/lib/sessions/view';
import { getStore } from '@/lib/store/shared';

type Props = { params: Promise<{ id: string }> };

export const metadata: Metadata = { title: 'Session' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export default async function SessionPage({ params }: Props) {
  const user = await requireUser('GET /sessions/[id]');
  const { id } = await params;
  if (!UUID.test(id)) notFound();
  const record = await (await getStore()).sessions.get(id);
  if (!record) notFound();
  const session = toSessionJson(sessionView(record, user));
  // Only the person who started it attaches (the bridge checks again); others see its details.
  const attach = ownsSession(record, user) && can(user.roles, 'sessions.attachOwn');
  // The owner, leads and admins replay it (or, while it runs, observe it); viewers see its details only.
  const replay = mayReplay(record, user);
  const recorded = replay && (await (await getStore()).recordings.get(id)) !== undefined;
  return (
    <div className="space-y-4">
      <div>
        <p className="text-xs text-zinc-500 dark:text-zinc-400">
          <Link href="/sessions" className="hover:underline">
            sessions
          </Link>{' '}
          / session
        </p>
        <h1 className="text-lg font-semibold tracking-tight">
          {session.kind === 'node' ? `Node ${session.node}` : `${session.namespace}/${session.pod}`} · <span className="font-mono">{session.container}</span>
        </h1>
      </div>
      <SessionView initial={session} attach={attach} replay={replay} recorded={recorded} />
      {seesDetail(record, user) && (
        <details className="rounded-md border border-zinc-200 bg-white p-3 text-sm dark:border-zinc-800 dark:bg-zinc-900">
          <summary className="cursor-pointer font-medium">What was sent to the cluster</summary>
          <pre aria-label="Sent to the cluster" className="mt-2 overflow-x-auto font-mono text-xs">
            {stringify(record.spec)}
          </pre>
        </details>
      )}
    </div>
  );
}
