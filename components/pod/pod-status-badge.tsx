import { statusCategory, type StatusCategory } from '@/lib/k8s/pod-filter';
import type { PodRow } from '@/lib/k8s/pod-view';

const TONE: Record<StatusCategory, string> = {
  Running: 'text-emerald-700 dark:text-emerald-400',
  Pending: 'text-amber-700 dark:text-amber-400',
  Succeeded: 'text-sky-700 dark:text-sky-400',
  Failed: 'text-red-700 dark:text-red-400',
  CrashLoopBackOff: 'text-red-700 dark:text-red-400',
  ImagePullBackOff: 'text-orange-700 dark:text-orange-400',
  Terminating: 'text-zinc-500 dark:text-zinc-400',
  Unknown: 'text-zinc-500 dark:text-zinc-400',
};

const DOT: Record<StatusCategory, string> = {
  Running: 'bg-emerald-500',
  Pending: 'bg-amber-500',
  Succeeded: 'bg-sky-500',
  Failed: 'bg-red-500',
  CrashLoopBackOff: 'bg-red-500',
  ImagePullBackOff: 'bg-orange-500',
  Terminating: 'bg-zinc-400',
  Unknown: 'bg-zinc-400',
};

/** kubectl's STATUS text, coloured by its category (the colour repeats the text, never replaces it). */
export function PodStatusBadge({ row }: { row: Pick<PodRow, 'status' | 'phase'> }) {
  const category = statusCategory(row);
  return (
    <span className={`inline-flex items-center gap-1.5 font-medium ${TONE[category]}`}>
      <span aria-hidden="true" className={`size-1.5 shrink-0 rounded-full ${DOT[category]}`} />
      {row.status}
    </span>
  );
}
