import type { Metadata } from 'next';
import Link from 'next/link';
import { CacheStatusNotice } from '@/components/cluster/cache-status-notice';
import { ErrorNotice } from '@/components/cluster/error-notice';
import { LiveRefresh } from '@/components/live/live-refresh';
import { NodeDetailView } from '@/components/node/node-detail';
import { can } from '@/lib/auth/roles';
import { requireUser } from '@/lib/auth/session';
import { UserFacingError } from '@/lib/http/errors';
import { nodePage } from '@/lib/k8s/nodes';
import { nodeParams, parseOrThrow } from '@/lib/k8s/params';
import { rowsFingerprint } from '@/lib/k8s/pod-view';
import { browseAs } from '@/lib/k8s/pods';

type Props = { params: Promise<{ cluster: string; name: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Node ${(await params).name}` };
}

export default async function NodePage({ params }: Props) {
  const user = await requireUser('GET /clusters/[cluster]/nodes/[name]');
  const raw = await params;
  const nodesHref = `/clusters/${encodeURIComponent(raw.cluster)}/nodes`;
  try {
    const { cluster, name } = parseOrThrow(nodeParams, raw);
    const browse = browseAs(user, cluster);
    await browse.cache.whenSynced(3_000);
    const page = await nodePage(browse, name);
    return (
      <div className="space-y-4">
        <LiveRefresh cluster={cluster} feed={new URLSearchParams({ node: name }).toString()} kinds={['nodes']} throttleMs={2_000} fingerprint={rowsFingerprint(page.pods)} />
        <div className="flex flex-wrap items-start justify-between gap-3">
          <div>
            <p className="text-xs text-zinc-500 dark:text-zinc-400">
              <Link href={nodesHref} prefetch={false} className="hover:underline">
                nodes
              </Link>{' '}
              / node
            </p>
            <h1 className="font-mono text-lg font-semibold tracking-tight">{name}</h1>
          </div>
          {/* The policy and the cluster decide on the debug page; only roles that may start sessions see the way there. */}
          {can(user.roles, 'sessions.start') && (
            <Link href={`/clusters/${encodeURIComponent(cluster)}/nodes/${name}/debug`} prefetch={false} className="rounded-md bg-violet-600 px-2.5 py-1 text-xs font-medium text-white hover:bg-violet-700">
              Debug node…
            </Link>
          )}
        </div>
        <CacheStatusNotice cluster={cluster} status={page.status} />
        <NodeDetailView cluster={cluster} page={page} now={Date.now()} />
      </div>
    );
  } catch (error) {
    if (error instanceof UserFacingError) return <ErrorNotice title={error.status === 404 ? 'No such node' : 'Cannot show this node'} message={error.message} />;
    throw error;
  }
}
