import { stringify } from 'yaml';

export interface KubeconfigContext {
  name: string;
  user: string;
  token: string;
  namespace?: string;
}

/** A kubeconfig for the dev cluster: the CA it generated, one context per identity. */
export function renderKubeconfig(server: string, caCertPem: string, contexts: KubeconfigContext[], current: string): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: 'ephemera-dev',
        cluster: { server, 'certificate-authority-data': Buffer.from(caCertPem).toString('base64') },
      },
    ],
    users: contexts.map((c) => ({ name: c.user, user: { token: c.token } })),
    contexts: contexts.map((c) => ({
      name: c.name,
      context: { cluster: 'ephemera-dev', user: c.user, ...(c.namespace ? { namespace: c.namespace } : {}) },
    })),
    'current-context': current,
    preferences: {},
  });
}
