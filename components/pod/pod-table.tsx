'use client';

// The pods table: thousands of rows, only the visible ones in the DOM
// (use-virtual-rows.ts), one of them "active" for the keyboard (j/k, arrows,
// Enter). Each row's name links to the pod; its node to the node.

import Link from 'next/link';
import { forwardRef, useImperativeHandle, useRef } from 'react';
import { humanDuration } from '@/lib/k8s/duration';
import type { PodRow } from '@/lib/k8s/pod-view';
import { PodStatusBadge } from './pod-status-badge';
import { useVirtualRows } from './use-virtual-rows';

export const ROW_HEIGHT = 36;
const HEADER_HEIGHT = 33;

export interface PodTableHandle {
  scrollToIndex(index: number): void;
}

export const podHref = (cluster: string, row: Pick<PodRow, 'namespace' | 'name'>) =>
  `/clusters/${encodeURIComponent(cluster)}/pods/${row.namespace}/${row.name}`;

const since = (iso: string | undefined, now: number) => (iso ? humanDuration(now - Date.parse(iso)) : '<unknown>');

const th = 'sticky top-0 z-10 border-b border-zinc-200 bg-zinc-50 px-3 py-2 text-left text-xs font-medium text-zinc-500 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-400';
const td = 'truncate px-3';

interface PodTableProps {
  cluster: string;
  rows: PodRow[];
  activeIndex: number;
  now: number;
  onActivate(index: number): void;
}

export const PodTable = forwardRef<PodTableHandle, PodTableProps>(function PodTable({ cluster, rows, activeIndex, now, onActivate }, handle) {
  const container = useRef<HTMLDivElement>(null);
  const view = useVirtualRows(container, rows.length, ROW_HEIGHT, { headerHeight: HEADER_HEIGHT });
  useImperativeHandle(handle, () => ({ scrollToIndex: view.scrollToIndex }), [view.scrollToIndex]);
  return (
    <div ref={container} className="h-[calc(100vh-19rem)] min-h-80 overflow-auto rounded-md border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
      <table aria-label="Pods" aria-rowcount={rows.length + 1} className="w-full min-w-[64rem] table-fixed border-separate border-spacing-0 text-left">
        <colgroup>
          <col className="w-[28%]" />
          <col className="w-[12%]" />
          <col className="w-[6%]" />
          <col className="w-[14%]" />
          <col className="w-[10%]" />
          <col className="w-[7%]" />
          <col className="w-[11%]" />
          <col className="w-[12%]" />
        </colgroup>
        <thead>
          <tr aria-rowindex={1}>
            <th scope="col" className={th}>Name</th>
            <th scope="col" className={th}>Namespace</th>
            <th scope="col" className={th}>Ready</th>
            <th scope="col" className={th}>Status</th>
            <th scope="col" className={th}>Restarts</th>
            <th scope="col" className={th}>Age</th>
            <th scope="col" className={th}>Node</th>
            <th scope="col" className={th}>Ephemeral</th>
          </tr>
        </thead>
        <tbody>
          {view.mounted && view.padTop > 0 && (
            <tr aria-hidden="true" style={{ height: view.padTop }}>
              <td colSpan={8} />
            </tr>
          )}
          {rows.slice(view.start, view.end).map((row, i) => {
            const index = view.start + i;
            const active = index === activeIndex;
            return (
              <tr
                key={row.key}
                aria-rowindex={index + 2}
                aria-selected={active}
                onClick={() => onActivate(index)}
                className="h-9 text-zinc-800 hover:bg-zinc-50 aria-selected:bg-sky-50 aria-selected:outline-2 aria-selected:-outline-offset-2 aria-selected:outline-sky-500 dark:text-zinc-200 dark:hover:bg-zinc-800/60 dark:aria-selected:bg-sky-400/10"
              >
                <th scope="row" className={`${td} font-medium`}>
                  <Link href={podHref(cluster, row)} prefetch={false} className="hover:underline" title={row.name}>
                    {row.name}
                  </Link>
                </th>
                <td className={`${td} text-zinc-600 dark:text-zinc-400`}>{row.namespace}</td>
                <td className={`${td} tabular-nums`}>{row.ready}</td>
                <td className={td} title={row.status}>
                  <PodStatusBadge row={row} />
                </td>
                <td className={`${td} tabular-nums`}>{row.restarts > 0 && row.lastRestartAt ? `${row.restarts} (${since(row.lastRestartAt, now)} ago)` : row.restarts}</td>
                <td className={`${td} tabular-nums`}>{since(row.createdAt, now)}</td>
                <td className={`${td} text-zinc-600 dark:text-zinc-400`}>
                  {row.node ? (
                    <Link href={`/clusters/${encodeURIComponent(cluster)}/nodes/${row.node}`} prefetch={false} className="hover:underline">
                      {row.node}
                    </Link>
                  ) : (
                    '<none>'
                  )}
                </td>
                <td className={td} aria-label={row.ephemeral.count > 0 ? `${row.ephemeral.count} ephemeral, ${row.ephemeral.running} running` : 'none'}>
                  {row.ephemeral.count > 0 ? (
                    <span className="font-medium text-violet-700 dark:text-violet-400">
                      {row.ephemeral.count} <span className="font-normal text-zinc-500 dark:text-zinc-400">({row.ephemeral.running} running)</span>
                    </span>
                  ) : (
                    <span className="text-zinc-400 dark:text-zinc-600">—</span>
                  )}
                </td>
              </tr>
            );
          })}
          {view.mounted && view.padBottom > 0 && (
            <tr aria-hidden="true" style={{ height: view.padBottom }}>
              <td colSpan={8} />
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
});
