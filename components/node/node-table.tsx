import Link from 'next/link';
import { age } from '@/lib/k8s/duration';
import type { NodeListing } from '@/lib/k8s/nodes';

const th = 'px-3 py-2 text-left text-xs font-medium text-zinc-500 dark:text-zinc-400';
const td = 'px-3 py-2';

export function NodeTable({ cluster, rows, now }: { cluster: string; rows: NodeListing['rows']; now: number }) {
  if (rows.length === 0) return <p className="text-zinc-500 dark:text-zinc-400">The cluster reports no nodes.</p>;
  return (
    <div className="overflow-x-auto rounded-md border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
      <table aria-label="Nodes" className="w-full text-left">
        <thead className="border-b border-zinc-200 dark:border-zinc-800">
          <tr>
            <th scope="col" className={th}>Name</th>
            <th scope="col" className={th}>Status</th>
            <th scope="col" className={th}>Roles</th>
            <th scope="col" className={th}>Age</th>
            <th scope="col" className={th}>Version</th>
            <th scope="col" className={th}>Internal IP</th>
            <th scope="col" className={th}>Taints</th>
            <th scope="col" className={th} title="Pods on the node in namespaces you may see">Your pods</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
          {rows.map((row) => (
            <tr key={row.name}>
              <th scope="row" className={`${td} font-medium`}>
                <Link href={`/clusters/${encodeURIComponent(cluster)}/nodes/${row.name}`} prefetch={false} className="hover:underline">
                  {row.name}
                </Link>
              </th>
              <td className={`${td} ${row.ready ? 'text-emerald-700 dark:text-emerald-400' : 'text-red-700 dark:text-red-400'}`}>{row.status}</td>
              <td className={td}>{row.roles}</td>
              <td className={`${td} tabular-nums`}>{age(row.createdAt, now)}</td>
              <td className={`${td} font-mono text-xs`}>{row.version}</td>
              <td className={`${td} font-mono text-xs`}>{row.internalIP}</td>
              <td className={`${td} tabular-nums`}>{row.taints}</td>
              <td className={`${td} tabular-nums`}>{row.pods}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
