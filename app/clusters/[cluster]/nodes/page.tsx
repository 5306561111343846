import type { Metadata } from 'next';
import { CacheStatusNotice } from '@/components/cluster/cache-status-notice';
import { ErrorNotice } from '@/components/cluster/error-notice';
import { LiveRefresh } from '@/components/live/live-refresh';
import { NodeTable } from '@/components/node/node-table';
import { requireUser } from '@/lib/auth/session';
import { UserFacingError } from '@/lib/http/errors';
import { listNodes } from '@/lib/k8s/nodes';
import { browseAs } from '@/lib/k8s/pods';

export const metadata: Metadata = { title: 'Nodes' };

export default async function NodesPage({ params }: { params: Promise<{ cluster: string }> }) {
  const user = await requireUser('GET /clusters/[cluster]/nodes');
  const { cluster } = await params;
  const live = <LiveRefresh cluster={cluster} feed="rows=none" kinds={['nodes']} throttleMs={2_000} />;
  try {
    const browse = browseAs(user, cluster);
    await browse.cache.whenSynced(3_000);
    const listing = await listNodes(browse);
    return (
      <div className="space-y-3">
        {live}
        <CacheStatusNotice cluster={cluster} status={listing.status} />
        <NodeTable cluster={cluster} rows={listing.rows} now={Date.now()} />
      </div>
    );
  } catch (error) {
    if (error instanceof UserFacingError) return <>{live}<ErrorNotice title="Cannot show the nodes" message={error.message} /></>;
    throw error;
  }
}
