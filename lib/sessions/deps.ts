// The app's own dependencies for sessions, in one place: the policy from the
// configuration file, clients acting as the user on the configured clusters,
// real randomness. Tests pass their own (a dev cluster's client, a policy).

import { authSettings } from '@/lib/auth/settings';
import { clusterClientFor } from '@/lib/k8s/user-client';
import type { PrepareDeps } from './prepare';

export function appPrepareDeps(): PrepareDeps {
  return { policy: authSettings().policy, clientFor: (cluster, user) => clusterClientFor(cluster, user), random: Math.random };
}
