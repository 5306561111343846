import Link from 'next/link';
import { Suspense } from 'react';
import type { ClusterView } from '@/lib/k8s/clusters';
import { ClusterStatusCell, StatusBadge } from './cluster-status';

const cell = 'px-3 py-2 align-top';

export function ClusterTable({ clusters }: { clusters: ClusterView[] }) {
  return (
    <div className="overflow-x-auto rounded-md border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
      <table className="w-full text-left">
        <caption className="sr-only">Configured clusters</caption>
        <thead className="border-b border-zinc-200 text-xs font-medium text-zinc-500 dark:border-zinc-800 dark:text-zinc-400">
          <tr>
            <th scope="col" className={cell}>Context</th>
            <th scope="col" className={cell}>Server</th>
            <th scope="col" className={cell}>User</th>
            <th scope="col" className={cell}>Namespace</th>
            <th scope="col" className={cell}>Status</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
          {clusters.map((cluster) => (
            <tr key={cluster.name}>
              <th scope="row" className={`${cell} font-medium`}>
                <Link href={`/clusters/${encodeURIComponent(cluster.name)}/pods`} className="text-sky-700 hover:underline dark:text-sky-400">
                  {cluster.name}
                </Link>
              </th>
              <td className={`${cell} font-mono text-xs leading-5 text-zinc-700 dark:text-zinc-300`}>{cluster.server ?? '—'}</td>
              <td className={`${cell} text-zinc-700 dark:text-zinc-300`}>{cluster.user}</td>
              <td className={`${cell} text-zinc-700 dark:text-zinc-300`}>{cluster.namespace}</td>
              <td className={cell}>
                <Suspense fallback={<StatusBadge status="probing" />}>
                  <ClusterStatusCell name={cluster.name} />
                </Suspense>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
