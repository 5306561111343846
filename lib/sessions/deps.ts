// The app's own dependencies for sessions, in one place: the policy from the
// configuration file, clients acting as the user on the configured clusters,
// the process's store and server id, real randomness. Tests pass their own
// (a dev cluster's client, a policy, an in-memory store).

import type { EphemeraUser } from '@/lib/auth/types';
import { authSettings } from '@/lib/auth/settings';
import { config } from '@/lib/config/env';
import { can } from '@/lib/k8s/access';
import { clusterClientFor } from '@/lib/k8s/user-client';
import { serverIdFor } from '@/lib/store/server-id';
import { getStore } from '@/lib/store/shared';
import { deleteSessionPod } from './cleanup';
import type { EndElsewhere } from './live';
import type { PrepareDeps } from './prepare';
import { DEFAULT_START_TIMEOUT_MS, type SessionDeps } from './start';

export function appPrepareDeps(): PrepareDeps {
  return { policy: authSettings().policy, clientFor: (cluster, user) => clusterClientFor(cluster, user), random: Math.random };
}

/** Clean-up acts as the session's stored user by impersonation: there is no ID token to pass through once the browser is gone. */
export const impersonatingClientFor = (cluster: string, user: EphemeraUser) => clusterClientFor(cluster, user, 'impersonate');

/** This process in the store: its host name and port (or EPHEMERA_SERVER_ID). */
export const appServerId = () => serverIdFor(config().port);

const log = (line: string) => process.stderr.write(`Ephemera: ${line}\n`);

export async function appSessionDeps(): Promise<SessionDeps> {
  const store = await getStore();
  return {
    ...appPrepareDeps(),
    store: store.sessions,
    recordings: store.recordings,
    serverId: appServerId(),
    access: { can },
    cleanupClientFor: impersonatingClientFor,
    startTimeoutMs: DEFAULT_START_TIMEOUT_MS,
    log,
  };
}

/** For endSession on a session this process does not hold: the shared store, and clean-up as the session's user. */
export async function appEndElsewhere(): Promise<EndElsewhere> {
  const store = await getStore();
  return { store: store.sessions, cleanup: (record) => deleteSessionPod(record, impersonatingClientFor) };
}
