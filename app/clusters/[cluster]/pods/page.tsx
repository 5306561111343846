import type { Metadata } from 'next';
import { PodList } from '@/components/pod/pod-list';
import { ErrorNotice } from '@/components/cluster/error-notice';
import { requireUser } from '@/lib/auth/session';
import { UserFacingError } from '@/lib/http/errors';
import { podFilterFrom } from '@/lib/k8s/params';
import { browseAs, listPods } from '@/lib/k8s/pods';

export const metadata: Metadata = { title: 'Pods' };

/** Rows sent with the page for its first paint; the live feed brings the rest. */
const FIRST_ROWS = 50;
const FIRST_SYNC_WAIT_MS = 3_000;

type Props = { params: Promise<{ cluster: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function PodsPage({ params, searchParams }: Props) {
  const user = await requireUser('GET /clusters/[cluster]/pods');
  const { cluster } = await params;
  try {
    const filter = podFilterFrom(await searchParams);
    const browse = browseAs(user, cluster);
    await browse.cache.whenSynced(FIRST_SYNC_WAIT_MS);
    const listing = await listPods(browse, filter);
    return (
      <PodList
        cluster={cluster}
        filter={filter}
        initialRows={listing.rows.slice(0, FIRST_ROWS)}
        initialCount={listing.rows.length}
        namespaces={listing.namespaces}
        status={listing.status}
        now={Date.now()}
      />
    );
  } catch (error) {
    if (error instanceof UserFacingError) return <ErrorNotice title="Cannot show these pods" message={error.message} reset={`/clusters/${encodeURIComponent(cluster)}/pods`} />;
    throw error;
  }
}
