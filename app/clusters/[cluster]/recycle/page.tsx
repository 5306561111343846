import type { Metadata } from 'next';
import { CacheStatusNotice } from '@/components/cluster/cache-status-notice';
import { ErrorNotice } from '@/components/cluster/error-notice';
import { LiveRefresh } from '@/components/live/live-refresh';
import { RecycleTable } from '@/components/pod/recycle-table';
import { can as roleAllows } from '@/lib/auth/roles';
import { requireUser } from '@/lib/auth/session';
import { UserFacingError } from '@/lib/http/errors';
import { rowsFingerprint } from '@/lib/k8s/pod-view';
import { browseAs } from '@/lib/k8s/pods';
import { RECYCLE_ACTION, recycleListing } from '@/lib/k8s/recycle';

export const metadata: Metadata = { title: 'Recycle' };

export default async function RecyclePage({ params }: { params: Promise<{ cluster: string }> }) {
  const user = await requireUser('GET /clusters/[cluster]/recycle');
  const { cluster } = await params;
  try {
    const browse = browseAs(user, cluster);
    await browse.cache.whenSynced(3_000);
    const listing = await recycleListing(user, browse);
    const running = listing.rows.reduce((sum, row) => sum + row.ephemeral.running, 0);
    return (
      <div className="space-y-3">
        <LiveRefresh cluster={cluster} feed="ephemeral=true" fingerprint={rowsFingerprint(listing.rows.flatMap((row) => browse.cache.podRow(row.namespace, row.name) ?? []))} />
        <CacheStatusNotice cluster={cluster} status={listing.status} />
        <div className="max-w-3xl space-y-1">
          <h1 className="text-lg font-semibold tracking-tight">Pods carrying ephemeral containers</h1>
          <p className="text-zinc-600 dark:text-zinc-400">
            An ephemeral container can never be removed from its pod. Once debugging is done, recycle the pod: delete it and let its controller create a clean one.
          </p>
          <p role="status" className="text-xs text-zinc-500 dark:text-zinc-400">
            {listing.rows.length} {listing.rows.length === 1 ? 'pod' : 'pods'}, {running} ephemeral {running === 1 ? 'container' : 'containers'} still running.
          </p>
        </div>
        <RecycleTable listing={listing} now={Date.now()} showActions={roleAllows(user.roles, RECYCLE_ACTION)} />
      </div>
    );
  } catch (error) {
    if (error instanceof UserFacingError) return <ErrorNotice title="Cannot show the pods to recycle" message={error.message} />;
    throw error;
  }
}
