import Link from 'next/link';
import { DisabledAction } from '@/components/auth/can';
import { age } from '@/lib/k8s/duration';
import type { RecycleListing } from '@/lib/k8s/recycle';
import { RecycleButton } from './recycle-button';

const th = 'px-3 py-2 text-left text-xs font-medium text-zinc-500 dark:text-zinc-400';
const td = 'px-3 py-2 align-top';

/**
 * Pods carrying ephemeral containers. The action column fails closed: the
 * button only where the user's role and the cluster (asked as the user) allow
 * deleting pods and a controller will recreate the pod; a reason otherwise;
 * nothing at all for a role that never recycles (a viewer).
 */
export function RecycleTable({ listing, now, showActions }: { listing: RecycleListing; now: number; showActions: boolean }) {
  const { cluster, rows, permissions } = listing;
  if (rows.length === 0) {
    return (
      <div className="rounded-md border border-dashed border-zinc-300 bg-white p-6 text-center dark:border-zinc-700 dark:bg-zinc-900">
        <p className="font-medium">No pod you may see carries an ephemeral container.</p>
        <p className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">Pods that have been debugged appear here until they are recycled.</p>
      </div>
    );
  }
  return (
    <div className="overflow-x-auto rounded-md border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
      <table aria-label="Pods carrying ephemeral containers" className="w-full text-left">
        <thead className="border-b border-zinc-200 dark:border-zinc-800">
          <tr>
            <th scope="col" className={th}>Pod</th>
            <th scope="col" className={th}>Ephemeral containers</th>
            <th scope="col" className={th}>Running</th>
            <th scope="col" className={th}>Oldest</th>
            <th scope="col" className={th}>Owner</th>
            <th scope="col" className={th}>Status</th>
            {showActions && <th scope="col" className={th}>Action</th>}
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
          {rows.map((row) => {
            const permission = permissions[row.namespace];
            return (
              <tr key={row.key}>
                <th scope="row" className={`${td} font-medium`}>
                  <Link href={`/clusters/${encodeURIComponent(cluster)}/pods/${row.namespace}/${row.name}`} prefetch={false} className="hover:underline">
                    {row.name}
                  </Link>
                  <span className="block text-xs font-normal text-zinc-500 dark:text-zinc-400">{row.namespace}</span>
                </th>
                <td className={td}>
                  {row.ephemeral.count}
                  <ul className="mt-0.5 space-y-0.5 text-xs text-zinc-500 dark:text-zinc-400">
                    {row.containers.map((container) => (
                      <li key={container.name}>
                        <span className="font-mono">{container.name}</span> · {container.state}
                      </li>
                    ))}
                  </ul>
                </td>
                <td className={`${td} ${row.ephemeral.running > 0 ? 'font-medium text-amber-700 dark:text-amber-400' : ''}`}>{row.ephemeral.running}</td>
                <td className={`${td} tabular-nums`}>{row.oldestStartedAt ? <time dateTime={row.oldestStartedAt} title={row.oldestStartedAt}>{age(row.oldestStartedAt, now)}</time> : 'not started'}</td>
                <td className={td}>{row.owner ? `${row.owner.kind}/${row.owner.name}` : <span className="text-zinc-500">none (bare pod)</span>}</td>
                <td className={td}>{row.status}</td>
                {showActions && (
                  <td className={td}>
                    {!row.recyclable ? (
                      <DisabledAction label="Recycle pod…" reason="No controller would recreate this pod: deleting it would lose it." />
                    ) : permission?.allowed ? (
                      <RecycleButton cluster={cluster} namespace={row.namespace} name={row.name} uid={row.uid} owner={`${row.owner!.kind}/${row.owner!.name}`} ephemeral={row.ephemeral} />
                    ) : (
                      <DisabledAction label="Recycle pod…" reason={permission?.reason ?? 'Not allowed.'} />
                    )}
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
