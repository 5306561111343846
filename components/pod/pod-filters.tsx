'use client';

// The pods list's criteria: name, label selector, namespace, status, debug
// containers. Controlled by PodList, which keeps them in the URL.

import type { RefObject } from 'react';
import { STATUS_CATEGORIES, type PodFilter, type StatusCategory } from '@/lib/k8s/pod-filter';

const input =
  'rounded-md border border-zinc-300 bg-white px-2.5 py-1.5 text-sm placeholder:text-zinc-400 focus:outline-2 focus:outline-sky-500 dark:border-zinc-700 dark:bg-zinc-900';

export interface PodFiltersProps {
  filter: PodFilter;
  namespaces: string[];
  labelError?: string;
  searchRef: RefObject<HTMLInputElement | null>;
  /** Whether the page's keyboard shortcuts are listening yet (they start once the page has hydrated). */
  shortcutsReady: boolean;
  onChange(filter: PodFilter): void;
  /** Keys pressed in the search box that move through the list (arrows, Enter). */
  onSearchKey(event: React.KeyboardEvent<HTMLInputElement>): void;
}

export function PodFilters({ filter, namespaces, labelError, searchRef, shortcutsReady, onChange, onSearchKey }: PodFiltersProps) {
  const set = (patch: Partial<PodFilter>) => onChange({ ...filter, ...patch });
  const statuses = new Set(filter.status ?? []);
  const toggle = (category: StatusCategory) => {
    const next = new Set(statuses);
    if (next.has(category)) next.delete(category);
    else next.add(category);
    set({ status: STATUS_CATEGORIES.filter((c) => next.has(c)) });
  };
  return (
    <search className="space-y-2">
      <div className="flex flex-wrap items-end gap-3">
        <label className="flex flex-col gap-1 text-xs font-medium text-zinc-600 dark:text-zinc-400">
          Name
          <input
            ref={searchRef}
            type="search"
            value={filter.q ?? ''}
            onChange={(event) => set({ q: event.target.value })}
            onKeyDown={onSearchKey}
            placeholder="Search pods   ( / )"
            aria-keyshortcuts={shortcutsReady ? '/' : undefined}
            className={`${input} w-64`}
          />
        </label>
        <label className="flex flex-col gap-1 text-xs font-medium text-zinc-600 dark:text-zinc-400">
          Labels
          <input
            type="text"
            value={filter.label ?? ''}
            onChange={(event) => set({ label: event.target.value })}
            placeholder="app=web,tier!=db"
            aria-invalid={labelError ? true : undefined}
            aria-describedby={labelError ? 'label-error' : undefined}
            spellCheck={false}
            className={`${input} w-64 font-mono text-xs aria-invalid:border-red-500`}
          />
        </label>
        <label className="flex flex-col gap-1 text-xs font-medium text-zinc-600 dark:text-zinc-400">
          Namespace
          <select value={filter.namespace ?? ''} onChange={(event) => set({ namespace: event.target.value || undefined })} className={input}>
            <option value="">All namespaces</option>
            {namespaces.map((namespace) => (
              <option key={namespace} value={namespace}>
                {namespace}
              </option>
            ))}
          </select>
        </label>
        <label className="flex items-center gap-2 pb-2 text-sm text-zinc-700 dark:text-zinc-300">
          <input type="checkbox" checked={filter.ephemeral ?? false} onChange={(event) => set({ ephemeral: event.target.checked || undefined })} />
          Only pods with ephemeral containers
        </label>
      </div>
      {labelError && (
        <p id="label-error" role="alert" className="text-xs text-red-700 dark:text-red-400">
          {labelError}
        </p>
      )}
      <div role="group" aria-label="Status" className="flex flex-wrap gap-1.5">
        {STATUS_CATEGORIES.map((category) => (
          <button
            key={category}
            type="button"
            aria-pressed={statuses.has(category)}
            onClick={() => toggle(category)}
            className="rounded-full border border-zinc-300 px-2.5 py-0.5 text-xs text-zinc-700 hover:bg-zinc-100 aria-pressed:border-sky-600 aria-pressed:bg-sky-600 aria-pressed:text-white dark:border-zinc-700 dark:text-zinc-300 dark:hover:bg-zinc-800 dark:aria-pressed:border-sky-500 dark:aria-pressed:bg-sky-500 dark:aria-pressed:text-zinc-950"
          >
            {category}
          </button>
        ))}
      </div>
    </search>
  );
}
