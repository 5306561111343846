// How Ephemera acts as the signed-in user on each cluster (EPHEMERA_CLUSTER_AUTH).
//   impersonate   the dashboard's own credentials + Impersonate-User/-Group (the default)
//   passthrough   the user's OIDC ID token as the bearer token, for clusters that
//                 trust the same IdP; the dashboard's credentials are not sent at all
// The variable is either one mode for every cluster, or a comma list of
// `context=mode` entries, optionally with one bare mode as the default for the rest:
//   EPHEMERA_CLUSTER_AUTH=passthrough
//   EPHEMERA_CLUSTER_AUTH=prod-eu=passthrough,prod-us=passthrough
//   EPHEMERA_CLUSTER_AUTH=passthrough,dev=impersonate

export const CLUSTER_AUTH_MODES = ['impersonate', 'passthrough'] as const;
export type ClusterAuthMode = (typeof CLUSTER_AUTH_MODES)[number];

export interface ClusterAuthSetting {
  /** The mode of every context not named in `contexts`. */
  default: ClusterAuthMode;
  contexts: Readonly<Record<string, ClusterAuthMode>>;
}

export const IMPERSONATE_EVERYWHERE: ClusterAuthSetting = { default: 'impersonate', contexts: {} };

const isMode = (value: string): value is ClusterAuthMode => (CLUSTER_AUTH_MODES as readonly string[]).includes(value);

/** Parses EPHEMERA_CLUSTER_AUTH; returns the problem as a sentence when the value is malformed. */
export function parseClusterAuth(value: string): { ok: true; setting: ClusterAuthSetting } | { ok: false; problem: string } {
  const modes = CLUSTER_AUTH_MODES.join(' or ');
  let fallback: ClusterAuthMode | undefined;
  const contexts: Record<string, ClusterAuthMode> = {};
  for (const entry of value.split(',').map((item) => item.trim()).filter(Boolean)) {
    const eq = entry.lastIndexOf('=');
    if (eq === -1) {
      if (!isMode(entry)) return { ok: false, problem: `EPHEMERA_CLUSTER_AUTH: "${entry}" is not a mode; use ${modes}, or context=mode` };
      if (fallback) return { ok: false, problem: 'EPHEMERA_CLUSTER_AUTH gives the default mode twice; name at most one bare mode' };
      fallback = entry;
      continue;
    }
    const context = entry.slice(0, eq).trim();
    const mode = entry.slice(eq + 1).trim();
    if (!context) return { ok: false, problem: `EPHEMERA_CLUSTER_AUTH: "${entry}" names no context before "="` };
    if (!isMode(mode)) return { ok: false, problem: `EPHEMERA_CLUSTER_AUTH: "${mode}" (for ${context}) is not a mode; use ${modes}` };
    if (context in contexts) return { ok: false, problem: `EPHEMERA_CLUSTER_AUTH names ${context} twice` };
    contexts[context] = mode;
  }
  if (!fallback && Object.keys(contexts).length === 0) {
    return { ok: false, problem: `EPHEMERA_CLUSTER_AUTH is empty; set it to ${modes}, or unset it to impersonate everywhere` };
  }
  return { ok: true, setting: { default: fallback ?? 'impersonate', contexts } };
}

export function authModeFor(setting: ClusterAuthSetting, context: string): ClusterAuthMode {
  return Object.hasOwn(setting.contexts, context) ? setting.contexts[context] : setting.default;
}
