// Ephemera's configuration: every environment variable the app reads is
// validated here, once, and the rest of the code imports the typed result.
// Parsing is a pure function of (env, file system probe) so tests can pass both.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { IMPERSONATE_EVERYWHERE, parseClusterAuth, type ClusterAuthSetting } from './cluster-auth';

/** Where a pod's service account is mounted (the same paths kubectl and client-go read). */
export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** How Ephemera finds its clusters, decided once at startup. */
export type ClusterSource =
  | {
      kind: 'kubeconfig';
      /** Existing files, merged in order like kubectl does; the first one wins on name clashes. */
      paths: string[];
      /** The variable the paths came from, so errors about the files can name it. */
      from: 'EPHEMERA_KUBECONFIG' | 'KUBECONFIG' | 'default';
    }
  | {
      kind: 'in-cluster';
      server: string;
      caFile: string;
      tokenFile: string;
      namespaceFile: string;
    }
  | {
      kind: 'none';
      /** What was looked at, for the empty state and the startup log. */
      searched: string[];
    };

export interface EphemeraConfig {
  port: number;
  host: string;
  clusterSource: ClusterSource;
  /** EPHEMERA_CONTEXTS: when set, only these kubeconfig contexts are shown. */
  contexts: string[] | null;
  /** EPHEMERA_CLUSTER_AUTH: impersonate (default) or pass the user's ID token, per context. */
  clusterAuth: ClusterAuthSetting;
  /** The configuration file (lib/config/file.ts): EPHEMERA_CONFIG, else ./ephemera.yaml, which may be absent. */
  configFile: { path: string; explicit: boolean; shownAs: string };
  /** Where sessions are kept (lib/store): EPHEMERA_DATABASE_URL, else PGlite in EPHEMERA_DATA_DIR (default ./.ephemera/data). */
  store: StoreLocation;
}

export type StoreLocation =
  | { kind: 'postgres'; url: string }
  /** An absolute folder, or `memory://` (nothing kept). */
  | { kind: 'pglite'; dataDir: string };

/** A configuration problem; its message names the variable and says what to do. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** The file system questions configuration asks; injected so tests need no real files. */
export interface ConfigHost {
  homedir: string;
  cwd: string;
  exists(file: string): boolean;
}

// An empty variable (`PORT=`) means "not set", as in most shells' habits.
export const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

const port = (variable: string) =>
  z
    .string()
    .regex(/^\d+$/, `${variable} must be a TCP port number`)
    .transform(Number)
    .refine((n) => n >= 1 && n <= 65535, `${variable} must be between 1 and 65535`);

const EnvSchema = z.object({
  PORT: optional(port('PORT')),
  HOST: optional(z.string().trim().min(1)),
  EPHEMERA_KUBECONFIG: optional(z.string()),
  KUBECONFIG: optional(z.string()),
  EPHEMERA_CONTEXTS: optional(
    z
      .string()
      .transform((list) => [...new Set(list.split(',').map((name) => name.trim()).filter(Boolean))])
      .refine((names) => names.length > 0, 'EPHEMERA_CONTEXTS must name at least one context, e.g. "prod-eu,prod-us"'),
  ),
  EPHEMERA_CLUSTER_AUTH: optional(
    z.string().transform((value, context) => {
      const parsed = parseClusterAuth(value);
      if (parsed.ok) return parsed.setting;
      context.addIssue({ code: 'custom', message: parsed.problem });
      return z.NEVER;
    }),
  ),
  KUBERNETES_SERVICE_HOST: optional(z.string()),
  KUBERNETES_SERVICE_PORT: optional(port('KUBERNETES_SERVICE_PORT')),
  EPHEMERA_CONFIG: optional(z.string()),
  EPHEMERA_DATABASE_URL: optional(z.string().trim().superRefine(checkDatabaseUrl)),
  EPHEMERA_DATA_DIR: optional(z.string().trim().min(1)),
});

// The URL usually holds a password, so messages name its scheme at most, never the whole (parseEnv is told it is secret).
function checkDatabaseUrl(value: string, context: z.RefinementCtx): void {
  const example = 'e.g. postgres://ephemera:PASSWORD@db.example.com:5432/ephemera';
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(value)?.[1];
  if (scheme === undefined || !['postgres', 'postgresql'].includes(scheme.toLowerCase())) {
    const found = scheme === undefined ? '' : ` (it starts with ${scheme}://)`;
    context.addIssue({
      code: 'custom',
      message: `EPHEMERA_DATABASE_URL must start with postgres:// or postgresql://${found}, ${example}; unset it to use the embedded store`,
    });
    return;
  }
  try {
    new URL(value);
  } catch {
    context.addIssue({ code: 'custom', message: `EPHEMERA_DATABASE_URL is not a valid URL; check its punctuation (percent-encode @, : and / inside the password), ${example}` });
  }
}

type EnvVars = z.infer<typeof EnvSchema>;

/** Parses `env` with `schema`, or throws one ConfigError naming every bad variable and its value. */
export function parseEnv<T extends z.ZodType>(schema: T, env: Record<string, string | undefined>, secret: readonly string[] = []): z.infer<T> {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const variable = String(issue.path[0]);
    // Issues from our own refinements already name the variable.
    const message = issue.message.startsWith(variable) ? issue.message : `${variable}: ${issue.message}`;
    return secret.includes(variable) ? message : `${message} (got ${JSON.stringify(env[variable])})`;
  });
  throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
}

export function parseConfig(env: Record<string, string | undefined>, host: ConfigHost): EphemeraConfig {
  const vars = parseEnv(EnvSchema, env, ['EPHEMERA_DATABASE_URL']);
  return {
    port: vars.PORT ?? 3000,
    host: vars.HOST ?? '127.0.0.1',
    clusterSource: resolveClusterSource(vars, host),
    contexts: vars.EPHEMERA_CONTEXTS ?? null,
    clusterAuth: vars.EPHEMERA_CLUSTER_AUTH ?? IMPERSONATE_EVERYWHERE,
    configFile: {
      path: path.resolve(host.cwd, vars.EPHEMERA_CONFIG ?? 'ephemera.yaml'),
      explicit: vars.EPHEMERA_CONFIG !== undefined,
      shownAs: vars.EPHEMERA_CONFIG ?? 'ephemera.yaml',
    },
    store: resolveStore(vars, host),
  };
}

function resolveStore(vars: EnvVars, host: ConfigHost): StoreLocation {
  if (vars.EPHEMERA_DATABASE_URL !== undefined) return { kind: 'postgres', url: vars.EPHEMERA_DATABASE_URL };
  const dataDir = vars.EPHEMERA_DATA_DIR ?? path.join('.ephemera', 'data');
  return { kind: 'pglite', dataDir: dataDir === 'memory://' ? dataDir : path.resolve(host.cwd, dataDir) };
}

/**
 * kubectl's order, with Ephemera's own variable first so the dashboard can be
 * pointed somewhere without disturbing the operator's shell: EPHEMERA_KUBECONFIG,
 * KUBECONFIG, ~/.kube/config, then the pod's service account.
 */
function resolveClusterSource(vars: EnvVars, host: ConfigHost): ClusterSource {
  if (vars.EPHEMERA_KUBECONFIG !== undefined) {
    const file = path.resolve(host.cwd, vars.EPHEMERA_KUBECONFIG);
    if (!host.exists(file)) {
      throw new ConfigError(
        `EPHEMERA_KUBECONFIG points to ${file}, which does not exist. Set it to a kubeconfig file, or unset it to use KUBECONFIG or ~/.kube/config.`,
      );
    }
    return { kind: 'kubeconfig', paths: [file], from: 'EPHEMERA_KUBECONFIG' };
  }

  if (vars.KUBECONFIG !== undefined) {
    const listed = vars.KUBECONFIG.split(path.delimiter)
      .filter(Boolean)
      .map((file) => path.resolve(host.cwd, file));
    // Like kubectl, a missing file in the list is skipped; a list with no file at all is a mistake.
    const present = listed.filter((file) => host.exists(file));
    if (present.length === 0) {
      throw new ConfigError(
        `KUBECONFIG lists ${listed.join(path.delimiter) || '(nothing)'}, and none of those files exists. Fix the path or unset KUBECONFIG.`,
      );
    }
    return { kind: 'kubeconfig', paths: present, from: 'KUBECONFIG' };
  }

  const homeConfig = path.join(host.homedir, '.kube', 'config');
  if (host.exists(homeConfig)) {
    return { kind: 'kubeconfig', paths: [homeConfig], from: 'default' };
  }

  const tokenFile = path.join(SERVICE_ACCOUNT_DIR, 'token');
  if (vars.KUBERNETES_SERVICE_HOST !== undefined && host.exists(tokenFile)) {
    const apiHost = vars.KUBERNETES_SERVICE_HOST;
    // The service host is an IP; IPv6 needs brackets inside a URL.
    const hostPart = apiHost.includes(':') ? `[${apiHost}]` : apiHost;
    return {
      kind: 'in-cluster',
      server: `https://${hostPart}:${vars.KUBERNETES_SERVICE_PORT ?? 443}`,
      caFile: path.join(SERVICE_ACCOUNT_DIR, 'ca.crt'),
      tokenFile,
      namespaceFile: path.join(SERVICE_ACCOUNT_DIR, 'namespace'),
    };
  }

  return {
    kind: 'none',
    searched: [
      'EPHEMERA_KUBECONFIG (not set)',
      'KUBECONFIG (not set)',
      `${homeConfig} (no such file)`,
      vars.KUBERNETES_SERVICE_HOST === undefined
        ? 'in-cluster service account (KUBERNETES_SERVICE_HOST not set)'
        : `in-cluster service account (no token at ${tokenFile})`,
    ],
  };
}

const realHost: ConfigHost = {
  homedir: os.homedir(),
  cwd: process.cwd(),
  exists: (file) => fs.existsSync(file),
};

let loaded: EphemeraConfig | undefined;

/** The process's configuration, parsed on first use; throws ConfigError when invalid. */
export function config(): EphemeraConfig {
  loaded ??= parseConfig(process.env, realHost);
  return loaded;
}
