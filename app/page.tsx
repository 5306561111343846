import { connection } from 'next/server';
import { ClusterTable } from '@/components/cluster/cluster-table';
import { NoClusters } from '@/components/cluster/no-clusters';
import { requireUser } from '@/lib/auth/session';
import { clusterInventory } from '@/lib/k8s/clusters';

export default async function ClustersPage() {
  // Cluster status is live: render per request, never at build time.
  await connection();
  await requireUser('GET /');
  const inventory = clusterInventory();
  return (
    <div className="space-y-4">
      <div className="flex items-baseline justify-between gap-4">
        <h1 className="text-lg font-semibold tracking-tight">Clusters</h1>
        {inventory.kind === 'configured' && (
          <p className="truncate text-xs text-zinc-500 dark:text-zinc-400">From {inventory.source}</p>
        )}
      </div>
      {inventory.kind === 'configured' ? <ClusterTable clusters={inventory.clusters} /> : <NoClusters searched={inventory.searched} />}
    </div>
  );
}
