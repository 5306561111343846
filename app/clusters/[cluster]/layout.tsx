import { notFound } from 'next/navigation';
import type { ReactNode } from 'react';
import { ClusterNav } from '@/components/cluster/cluster-nav';
import { requireUser } from '@/lib/auth/session';
import { clusterConnection } from '@/lib/k8s/clusters';
import { clusterNames } from '@/lib/k8s/whoami';

export default async function ClusterLayout({ children, params }: { children: ReactNode; params: Promise<{ cluster: string }> }) {
  await requireUser('GET /clusters/[cluster]');
  const { cluster } = await params;
  if (!clusterConnection(cluster)) notFound();
  return (
    <div className="space-y-4">
      <ClusterNav cluster={cluster} clusters={clusterNames()} />
      {children}
    </div>
  );
}
