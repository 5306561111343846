'use client';

// The cluster's own navigation: which cluster (every configured context, the
// same section on another one), and its sections.

import Link from 'next/link';
import { usePathname, useRouter } from 'next/navigation';

const SECTIONS = [
  { path: 'pods', label: 'Pods' },
  { path: 'nodes', label: 'Nodes' },
  { path: 'recycle', label: 'Recycle' },
] as const;

export function clusterHref(cluster: string, section: string): string {
  return `/clusters/${encodeURIComponent(cluster)}/${section}`;
}

export function ClusterNav({ cluster, clusters }: { cluster: string; clusters: string[] }) {
  const pathname = usePathname();
  const router = useRouter();
  const base = clusterHref(cluster, '');
  const section = SECTIONS.find((s) => pathname.startsWith(`${base}${s.path}`))?.path ?? 'pods';
  return (
    <div className="flex flex-wrap items-center gap-x-6 gap-y-2 border-b border-zinc-200 pb-2 dark:border-zinc-800">
      <label className="flex items-center gap-2 text-xs text-zinc-500 dark:text-zinc-400">
        Cluster
        <select
          value={cluster}
          onChange={(event) => router.push(clusterHref(event.target.value, section))}
          className="rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm font-medium text-zinc-900 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100"
        >
          {clusters.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
      </label>
      <nav aria-label="Cluster sections" className="flex gap-1">
        {SECTIONS.map((s) => (
          <Link
            key={s.path}
            href={clusterHref(cluster, s.path)}
            // Each section reads the cluster as the user: render it when asked for, not on hover or sight.
            prefetch={false}
            aria-current={s.path === section ? 'page' : undefined}
            className="rounded-md px-2.5 py-1 text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900 aria-[current=page]:bg-zinc-900 aria-[current=page]:text-white dark:text-zinc-400 dark:hover:bg-zinc-800 dark:hover:text-zinc-100 dark:aria-[current=page]:bg-zinc-100 dark:aria-[current=page]:text-zinc-900"
          >
            {s.label}
          </Link>
        ))}
      </nav>
    </div>
  );
}
