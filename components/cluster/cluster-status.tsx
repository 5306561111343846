import { probeCluster, type ClusterStatus } from '@/lib/k8s/clusters';

/** Probes one cluster; inside a Suspense boundary so a slow cluster never holds back the page. */
export async function ClusterStatusCell({ name }: { name: string }) {
  return <StatusBadge status={await probeCluster(name)} />;
}

const pill = 'inline-flex items-center gap-1.5 rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset';
const dot = 'size-1.5 rounded-full';

export function StatusBadge({ status }: { status: ClusterStatus | 'probing' }) {
  if (status === 'probing') {
    return (
      <span role="status" aria-label="Checking" className={`${pill} text-zinc-600 ring-zinc-300 dark:text-zinc-400 dark:ring-zinc-700`}>
        <span className={`${dot} animate-pulse bg-zinc-400`} />
        Checking…
      </span>
    );
  }
  if (status.reachable) {
    return (
      <span
        role="status"
        aria-label={`Reachable ${status.version}`}
        title={`Kubernetes ${status.gitVersion}`}
        className={`${pill} bg-emerald-50 text-emerald-800 ring-emerald-600/20 dark:bg-emerald-400/10 dark:text-emerald-300 dark:ring-emerald-400/25`}
      >
        <span className={`${dot} bg-emerald-500`} />
        Reachable <span className="font-mono">{status.version}</span>
      </span>
    );
  }
  return (
    <div role="status" aria-label={`Unreachable: ${status.error}`} className="space-y-1">
      <span className={`${pill} bg-red-50 text-red-800 ring-red-600/20 dark:bg-red-400/10 dark:text-red-300 dark:ring-red-400/25`}>
        <span className={`${dot} bg-red-500`} />
        Unreachable
      </span>
      <p className="max-w-md text-xs leading-snug text-zinc-600 dark:text-zinc-400">{status.error}</p>
    </div>
  );
}
