const code = 'rounded bg-zinc-100 px-1 py-0.5 font-mono text-xs dark:bg-zinc-800';

/** The empty state: no kubeconfig and no service account, with the ways to configure one. */
export function NoClusters({ searched }: { searched: string[] }) {
  return (
    <section
      aria-labelledby="no-clusters"
      className="max-w-2xl space-y-3 rounded-md border border-dashed border-zinc-300 bg-white p-5 dark:border-zinc-700 dark:bg-zinc-900"
    >
      <h2 id="no-clusters" className="text-base font-semibold">No clusters configured</h2>
      <p className="text-zinc-700 dark:text-zinc-300">Ephemera found no kubeconfig and no in-cluster service account. It looked at:</p>
      <ul className="list-inside list-disc text-zinc-600 dark:text-zinc-400">
        {searched.map((place) => (
          <li key={place}>{place}</li>
        ))}
      </ul>
      <p className="text-zinc-700 dark:text-zinc-300">
        Set <code className={code}>EPHEMERA_KUBECONFIG</code> to a kubeconfig file (and optionally{' '}
        <code className={code}>EPHEMERA_CONTEXTS</code> to a comma-separated list of its contexts), then restart Ephemera.
        Or try it against a local simulated cluster with <code className={code}>npm run demo</code>.
      </p>
      <p className="text-zinc-700 dark:text-zinc-300">
        The README section <strong>Pointing Ephemera at a real cluster</strong> has the details, including running inside a
        cluster with a service account.
      </p>
    </section>
  );
}
