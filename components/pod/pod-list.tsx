'use client';

// The pods page in the browser: live rows (use-pod-feed.ts), the criteria in
// the URL (a deep link shows the same list), filtering on the spot, and the
// keyboard: `/` to search, j/k or arrows to move, Enter to open.

import { useRouter } from 'next/navigation';
import { useEffect, useMemo, useRef, useState } from 'react';
import { CacheStatusNotice } from '@/components/cluster/cache-status-notice';
import { compileFilter, filterToSearch, parseLabelSelector, SelectorError, type PodFilter } from '@/lib/k8s/pod-filter';
import type { PodRow } from '@/lib/k8s/pod-view';
import type { CacheStatus } from '@/lib/k8s/watch-cache';
import { PodFilters } from './pod-filters';
import { podHref, PodTable, type PodTableHandle } from './pod-table';
import { usePodFeed } from './use-pod-feed';

export interface PodListProps {
  cluster: string;
  filter: PodFilter;
  /** The server's first matching rows, shown until the live snapshot arrives. */
  initialRows: PodRow[];
  /** How many rows matched on the server. */
  initialCount: number;
  namespaces: string[];
  status: CacheStatus;
  /** The server's clock at render time, so server and browser print the same ages. */
  now: number;
}

const typing = (target: EventTarget | null) =>
  target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));

function labelProblem(label: string | undefined): string | undefined {
  try {
    parseLabelSelector(label ?? '');
    return undefined;
  } catch (error) {
    if (error instanceof SelectorError) return error.message;
    throw error;
  }
}

export function PodList({ cluster, filter: initialFilter, initialRows, initialCount, namespaces, status: initialStatus, now: serverNow }: PodListProps) {
  const router = useRouter();
  const [filter, setFilter] = useState(initialFilter);
  const [activeIndex, setActiveIndex] = useState(-1);
  const [now, setNow] = useState(serverNow);
  const feed = usePodFeed(cluster, filter.namespace, { rows: initialRows, status: initialStatus });
  const searchRef = useRef<HTMLInputElement>(null);
  const [shortcutsReady, setShortcutsReady] = useState(false);
  const table = useRef<PodTableHandle>(null);

  const labelError = labelProblem(filter.label);
  const shown = useMemo(() => {
    const matches = compileFilter({ ...filter, label: labelError ? '' : filter.label });
    return feed.rows.filter(matches);
  }, [feed.rows, filter, labelError]);

  // Ages move on once the page is live.
  useEffect(() => {
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 5_000);
    return () => clearInterval(timer);
  }, []);

  // The criteria live in the URL without a round trip to the server.
  useEffect(() => {
    const url = `${window.location.pathname}${filterToSearch(filter)}`;
    if (url !== `${window.location.pathname}${window.location.search}`) window.history.replaceState(null, '', url);
  }, [filter]);

  const move = (by: number) => {
    setActiveIndex((current) => {
      const next = Math.max(0, Math.min(shown.length - 1, current + by));
      table.current?.scrollToIndex(next);
      return next;
    });
  };
  const open = () => {
    const row = shown[activeIndex];
    if (row) router.push(podHref(cluster, row));
  };

  const keys = useRef({ move, open });
  keys.current = { move, open };
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.metaKey || event.ctrlKey || event.altKey || typing(event.target)) return;
      if (event.key === '/') {
        event.preventDefault();
        searchRef.current?.focus();
      } else if (event.key === 'j' || event.key === 'ArrowDown') {
        event.preventDefault();
        keys.current.move(1);
      } else if (event.key === 'k' || event.key === 'ArrowUp') {
        event.preventDefault();
        keys.current.move(-1);
      } else if (event.key === 'Enter') {
        keys.current.open();
      }
    };
    document.addEventListener('keydown', onKey);
    // Advertised only once listening: a key pressed before hydration would do nothing.
    setShortcutsReady(true);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  const onSearchKey = (event: React.KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      move(1);
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      move(-1);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      open();
    } else if (event.key === 'Escape') {
      event.currentTarget.blur();
    }
  };

  const changeFilter = (next: PodFilter) => {
    setFilter(next);
    setActiveIndex(-1);
  };

  const count = feed.complete ? shown.length : initialCount;
  return (
    <div className="space-y-3">
      <CacheStatusNotice cluster={cluster} status={feed.status} />
      {feed.problem && (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-red-800 dark:bg-red-400/10 dark:text-red-300">
          {feed.problem}
        </p>
      )}
      <PodFilters filter={filter} namespaces={namespaces} labelError={labelError} searchRef={searchRef} shortcutsReady={shortcutsReady} onChange={changeFilter} onSearchKey={onSearchKey} />
      <div className="flex items-center justify-between text-xs text-zinc-500 dark:text-zinc-400">
        <p role="status" aria-live="polite" aria-atomic="true">
          {count.toLocaleString('en')} {count === 1 ? 'pod' : 'pods'}
          {!feed.complete && count > initialRows.length && ` (showing the first ${initialRows.length}; loading the rest…)`}
        </p>
        <p className="flex items-center gap-1.5" aria-label={`Live updates: ${feed.connection}`}>
          <span aria-hidden="true" className={`size-1.5 rounded-full ${feed.connection === 'open' ? 'bg-emerald-500' : feed.connection === 'closed' ? 'bg-red-500' : 'animate-pulse bg-amber-500'}`} />
          {feed.connection === 'open' ? 'Live' : feed.connection === 'closed' ? 'Live updates stopped — reload the page' : 'Connecting…'}
          <span className="hidden sm:inline">· / search · j k move · Enter open</span>
        </p>
      </div>
      {shown.length === 0 && !feed.status.syncedAt ? null : shown.length === 0 && (feed.complete || initialCount === 0) ? (
        <EmptyState filtered={Object.values(filter).some((value) => (Array.isArray(value) ? value.length > 0 : !!value))} onClear={() => changeFilter({})} />
      ) : (
        <PodTable ref={table} cluster={cluster} rows={shown} activeIndex={activeIndex} now={now} onActivate={setActiveIndex} />
      )}
    </div>
  );
}

function EmptyState({ filtered, onClear }: { filtered: boolean; onClear(): void }) {
  return (
    <div className="rounded-md border border-dashed border-zinc-300 bg-white p-6 text-center dark:border-zinc-700 dark:bg-zinc-900">
      <p className="font-medium">{filtered ? 'No pod matches these criteria.' : 'No pods you may see here.'}</p>
      {filtered ? (
        <button type="button" onClick={onClear} className="mt-2 text-sm text-sky-700 hover:underline dark:text-sky-400">
          Clear the filters
        </button>
      ) : (
        <p className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">Either there are none, or the cluster does not let you list pods in any namespace; the Who am I page says which.</p>
      )}
    </div>
  );
}
