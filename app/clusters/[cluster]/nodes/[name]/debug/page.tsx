import type { Metadata } from 'next';
import Link from 'next/link';
import { ErrorNotice } from '@/components/cluster/error-notice';
import { DebugForm } from '@/components/debug/debug-form';
import { DebugNotAllowed } from '@/components/debug/not-allowed';
import { can } from '@/lib/auth/roles';
import { requireUser } from '@/lib/auth/session';
import { UserFacingError } from '@/lib/http/errors';
import { nodePage } from '@/lib/k8s/nodes';
import { nodeParams, parseOrThrow } from '@/lib/k8s/params';
import { browseAs } from '@/lib/k8s/pods';

type Props = { params: Promise<{ cluster: string; name: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Debug node ${(await params).name}` };
}

export default async function DebugNodePage({ params }: Props) {
  const user = await requireUser('GET /clusters/[cluster]/nodes/[name]/debug');
  const raw = await params;
  const nodeHref = `/clusters/${encodeURIComponent(raw.cluster)}/nodes/${raw.name}`;
  const heading = (
    <div>
      <p className="text-xs text-zinc-500 dark:text-zinc-400">
        <Link href={nodeHref} prefetch={false} className="hover:underline">
          node {raw.name}
        </Link>{' '}
        / debug
      </p>
      <h1 className="text-lg font-semibold tracking-tight">
        Debug node <span className="font-mono">{raw.name}</span>
      </h1>
    </div>
  );
  if (!can(user.roles, 'sessions.start') && !can(user.roles, 'diagnostics.run')) {
    return (
      <div className="space-y-4">
        {heading}
        <DebugNotAllowed user={user} back={nodeHref} />
      </div>
    );
  }
  try {
    const { cluster, name } = parseOrThrow(nodeParams, raw);
    const browse = browseAs(user, cluster);
    await browse.cache.whenSynced(3_000);
    // The node must exist and be visible to the person; nodePage says why not otherwise.
    await nodePage(browse, name);
    return (
      <div className="space-y-4">
        {heading}
        <DebugForm cluster={cluster} subject={{ kind: 'node', name }} />
      </div>
    );
  } catch (error) {
    if (error instanceof UserFacingError) return <ErrorNotice title={error.status === 404 ? 'No such node' : 'Cannot debug this node'} message={error.message} />;
    throw error;
  }
}
