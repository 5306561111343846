import type { EphemeraUser } from '@/lib/auth/types';
import { CAPABILITIES, type CapabilityName } from '@/lib/k8s/permissions';
import { clusterAccess, type NamespaceAccess } from '@/lib/k8s/whoami';
import { RulesTableView } from './rules-table';

const MODE_LABEL = { impersonate: 'impersonation (Ephemera’s service account, acting as you)', passthrough: 'pass-through (your own sign-in token)' };

/** What one cluster lets the user do; asks the cluster, so it sits inside a Suspense boundary. */
export async function ClusterAccessSection({ user, cluster }: { user: EphemeraUser; cluster: string }) {
  const access = await clusterAccess(user, cluster);
  return (
    <section aria-labelledby={`cluster-${cluster}`} className="space-y-3">
      <div>
        <h2 id={`cluster-${cluster}`} className="text-base font-semibold">{cluster}</h2>
        <p className="text-xs text-zinc-500 dark:text-zinc-400">Requests go out by {MODE_LABEL[access.authMode]}.</p>
      </div>
      {access.error ? (
        <p role="alert" className="max-w-2xl rounded-md bg-red-50 p-3 text-red-800 dark:bg-red-400/10 dark:text-red-300">
          Could not ask {cluster} what you may do: {access.error}
        </p>
      ) : (
        <>
          {access.seenAs && (
            <p className="text-zinc-700 dark:text-zinc-300">
              The cluster sees you as <span className="font-mono">{access.seenAs.username}</span>
              {access.seenAs.groups.length > 0 && <> in groups <span className="font-mono">{access.seenAs.groups.join(', ')}</span></>}.
            </p>
          )}
          {access.namespaces.length === 0 ? (
            <p className="text-zinc-600 dark:text-zinc-400">You may not list pods in any namespace of this cluster.</p>
          ) : (
            access.namespaces.map((namespace) => <NamespaceSection key={namespace.name} cluster={cluster} access={namespace} />)
          )}
        </>
      )}
    </section>
  );
}

function NamespaceSection({ cluster, access }: { cluster: string; access: NamespaceAccess }) {
  const names = Object.keys(CAPABILITIES) as CapabilityName[];
  return (
    <section aria-label={`Namespace ${access.name} on ${cluster}`} className="space-y-2 rounded-md border border-zinc-200 bg-white p-3 dark:border-zinc-800 dark:bg-zinc-900">
      <h3 className="font-mono font-medium">{access.name}</h3>
      <ul aria-label={`What you may do in ${access.name}`} className="space-y-1">
        {names.map((name) => {
          const permission = access.capabilities[name];
          return (
            <li key={name} className="flex gap-2">
              <span className={permission.allowed ? 'text-emerald-700 dark:text-emerald-400' : 'text-zinc-400'} aria-hidden="true">
                {permission.allowed ? '✓' : '✗'}
              </span>
              <span>
                {CAPABILITIES[name].label}: <strong className="font-medium">{permission.allowed ? 'allowed' : 'not allowed'}</strong>
                {!permission.allowed && (
                  <>
                    {' '}
                    <span className="block text-xs text-zinc-500 dark:text-zinc-400">{permission.reason}</span>
                  </>
                )}
              </span>
            </li>
          );
        })}
      </ul>
      <details>
        <summary className="cursor-pointer text-xs text-zinc-600 dark:text-zinc-400">Everything the cluster lets you do in {access.name}</summary>
        <div className="mt-2 space-y-1">
          {(access.incomplete || access.evaluationError) && (
            <p className="text-xs text-amber-700 dark:text-amber-400">
              The cluster could not list every rule{access.evaluationError ? ` (${access.evaluationError})` : ''}; you may be allowed more than shown.
            </p>
          )}
          <RulesTableView table={access.rules} caption={`Permissions in ${access.name} on ${cluster}`} />
        </div>
      </details>
    </section>
  );
}
