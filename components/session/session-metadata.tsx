// Who, what, where and how long: the session's record as a definition list.

import Link from 'next/link';
import { Field } from '@/components/cluster/section';
import type { SessionJson } from './session-json';

const KIND_LABEL: Record<SessionJson['kind'], string> = {
  ephemeral: 'ephemeral container',
  node: 'node debug pod',
  copy: 'pod copy',
  exec: 'exec',
  attach: 're-attach',
};

const minutes = (seconds: number) => (seconds % 60 === 0 ? `${seconds / 60} min` : `${seconds} s`);

export function SessionMetadata({ session, endsAt }: { session: SessionJson; endsAt?: string }) {
  const cluster = encodeURIComponent(session.cluster);
  const ends = endsAt ?? (session.limits ? new Date(new Date(session.startedAt ?? session.createdAt).getTime() + session.limits.maxDurationSeconds * 1000).toISOString() : undefined);
  return (
    <dl aria-label="Session details" className="grid grid-cols-2 gap-x-6 gap-y-3 rounded-md border border-zinc-200 bg-white p-4 sm:grid-cols-3 lg:grid-cols-4 dark:border-zinc-800 dark:bg-zinc-900">
      <Field term="Who">{session.user}</Field>
      <Field term="Kind">
        {KIND_LABEL[session.kind]}
        {session.mode === 'oneshot' ? ' · one-shot' : ''}
        {session.breakGlass ? ' · break-glass' : ''}
      </Field>
      <Field term="State">{session.state}</Field>
      <Field term="Cluster">{session.cluster}</Field>
      <Field term={session.node && !session.pod ? 'Node' : 'Pod'}>
        {session.pod && session.namespace ? (
          <Link href={`/clusters/${cluster}/pods/${session.namespace}/${session.pod}`} prefetch={false} className="hover:underline">
            {session.namespace}/{session.pod}
          </Link>
        ) : (
          session.node ?? '—'
        )}
      </Field>
      {session.node && session.pod && <Field term="Node">{session.node}</Field>}
      <Field term="Container">
        <span className="font-mono">{session.container}</span>
      </Field>
      <Field term="Image">
        <span className="font-mono" title={session.image ?? undefined}>
          {session.image ?? '—'}
        </span>
      </Field>
      <Field term="Profile">{session.profile ?? '—'}</Field>
      <Field term="Target">{session.target ?? '—'}</Field>
      {session.detail && (
        <>
          <Field term="Mounts">
            {!session.mounts || session.mounts.length === 0
              ? 'none'
              : session.mounts.map((m) => `${m.name} at ${m.mountPath} (${m.readOnly ? 'read-only' : 'read-write'})`).join(', ')}
          </Field>
          <Field term="Command">
            <span className="font-mono">{session.command?.join(' ') ?? 'the image’s default'}</span>
          </Field>
          <Field term="Reason">{session.reason ?? '—'}</Field>
          {session.limits && (
            <Field term="Limits">
              {minutes(session.limits.maxDurationSeconds)} at most, {minutes(session.limits.idleTimeoutSeconds)} idle
            </Field>
          )}
        </>
      )}
      <Field term="Created">
        <time dateTime={session.createdAt}>{session.createdAt}</time>
      </Field>
      {session.state === 'ended' ? (
        <Field term="Ended">
          <time dateTime={session.endedAt ?? undefined}>{session.endedAt ?? '—'}</time>
        </Field>
      ) : (
        ends && (
          <Field term="Ends at">
            <time dateTime={ends}>{ends}</time>
          </Field>
        )
      )}
      {session.state === 'ended' && (
        <Field term="Outcome">
          {session.endReason ?? '—'}
          {session.exitCode !== null ? `, exit code ${session.exitCode}` : ''}
        </Field>
      )}
    </dl>
  );
}
