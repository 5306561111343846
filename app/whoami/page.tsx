import type { Metadata } from 'next';
import { Suspense } from 'react';
import { ClusterAccessSection } from '@/components/auth/cluster-access';
import { IdentitySummary } from '@/components/auth/identity-summary';
import { requireUser } from '@/lib/auth/session';
import { clusterNames, userSummary } from '@/lib/k8s/whoami';

export const metadata: Metadata = { title: 'Who am I' };

export default async function WhoAmIPage() {
  const user = await requireUser('GET /whoami');
  return (
    <div className="space-y-6">
      <h1 className="text-lg font-semibold tracking-tight">Who am I</h1>
      <IdentitySummary user={userSummary(user)} />
      {clusterNames().map((cluster) => (
        <Suspense key={cluster} fallback={<p role="status" className="text-zinc-500">Asking {cluster} what you may do…</p>}>
          <ClusterAccessSection user={user} cluster={cluster} />
        </Suspense>
      ))}
    </div>
  );
}
