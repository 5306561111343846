// Starting the processes a running Ephemera needs locally: the dev cluster
// (dev/cluster), the dev identity provider (dev/idp) and Ephemera's own server.
// Used by `npm run demo`, Playwright's global setup, and integration tests.

import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { startProcess, type StartOptions, type StartedProcess } from './processes';

export const PROJECT_ROOT = path.resolve(import.meta.dirname, '..', '..');

/** Runs a TypeScript entry point in one node process (no npx or tsx wrapper), so stopping it stops it. */
function tsx(script: string): [string, string[]] {
  return [process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, script)]];
}

export interface DevCluster {
  url: string;
  kubeconfig: string;
  process: StartedProcess;
}

/** Starts dev/cluster, which writes a kubeconfig with the contexts dev-admin and dev-dashboard. */
export async function startDevCluster(options: {
  port: number;
  kubeconfig: string;
  scenario?: 'demo' | 'none';
  onLine?: StartOptions['onLine'];
}): Promise<DevCluster> {
  const [command, args] = tsx('dev/cluster/main.ts');
  const started = await startProcess(
    command,
    [...args, '--listen', `127.0.0.1:${options.port}`, '--kubeconfig', options.kubeconfig, '--scenario', options.scenario ?? 'none'],
    { name: 'dev cluster', ready: /^dev cluster ready on (https:\/\/\S+)/, cwd: PROJECT_ROOT, onLine: options.onLine },
  );
  return { url: started.match[1], kubeconfig: options.kubeconfig, process: started };
}

export interface DevIdp {
  /** The issuer URL. */
  url: string;
  process: StartedProcess;
}

/** Starts dev/idp with one client; `redirectUris` are the callback URLs of the Ephemera instances it serves. */
export async function startDevIdp(options: {
  port: number;
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  tokenTtlSeconds?: number;
  onLine?: StartOptions['onLine'];
}): Promise<DevIdp> {
  const [command, args] = tsx('dev/idp/main.ts');
  const started = await startProcess(
    command,
    [
      ...args,
      '--listen',
      `127.0.0.1:${options.port}`,
      '--client-id',
      options.clientId,
      '--client-secret',
      options.clientSecret,
      ...options.redirectUris.flatMap((uri) => ['--redirect-uri', uri]),
      ...(options.tokenTtlSeconds ? ['--token-ttl', String(options.tokenTtlSeconds)] : []),
    ],
    { name: 'dev IdP', ready: /^dev idp ready on (http:\/\/\S+)/, cwd: PROJECT_ROOT, onLine: options.onLine },
  );
  return { url: started.match[1], process: started };
}

/** The configuration file the demo and the browser tests use: the demo users' groups mapped to the four roles. */
export const DEMO_CONFIG_FILE = path.join(PROJECT_ROOT, 'dev', 'demo', 'ephemera.yaml');

/** The callback URL an IdP must allow for an Ephemera at `publicUrl`. */
export const redirectUriFor = (publicUrl: string) => `${publicUrl}/api/auth/callback/oidc`;

export interface DevSso {
  idp: DevIdp;
  /** The environment that points an Ephemera at `publicUrl` to the dev IdP, with a fresh session secret. */
  envFor(publicUrl: string): Record<string, string>;
}

/**
 * Zero-configuration sign-in: the dev IdP with a freshly generated client
 * secret, registered for each of `publicUrls`. Every Ephemera given `envFor(url)`
 * gets its own generated session secret; nothing is written to disk.
 */
export async function startDevSso(options: { port: number; publicUrls: string[]; tokenTtlSeconds?: number; onLine?: StartOptions['onLine'] }): Promise<DevSso> {
  const clientId = 'ephemera';
  const clientSecret = randomBytes(32).toString('base64url');
  const idp = await startDevIdp({ ...options, clientId, clientSecret, redirectUris: options.publicUrls.map(redirectUriFor) });
  return {
    idp,
    envFor: (publicUrl) => ({
      EPHEMERA_OIDC_ISSUER: idp.url,
      EPHEMERA_OIDC_CLIENT_ID: clientId,
      EPHEMERA_OIDC_CLIENT_SECRET: clientSecret,
      EPHEMERA_OIDC_NAME: 'Dev IdP',
      EPHEMERA_SESSION_SECRET: randomBytes(32).toString('base64url'),
      EPHEMERA_PUBLIC_URL: publicUrl,
    }),
  };
}

export interface EphemeraServer {
  url: string;
  process: StartedProcess;
}

/** Starts server/main.ts in production mode; `env` adds to (and overrides) this process's environment. */
export async function startEphemera(options: { env: Record<string, string>; onLine?: StartOptions['onLine'] }): Promise<EphemeraServer> {
  const [command, args] = tsx('server/main.ts');
  const started = await startProcess(command, args, {
    name: 'Ephemera',
    ready: /^Ephemera ready on (http:\/\/\S+)/,
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...options.env },
    onLine: options.onLine,
  });
  return { url: started.match[1], process: started };
}

/** What a production build is made from; server/ is not in it (tsx runs it directly). */
const BUILD_INPUTS = ['app', 'components', 'lib', 'public', 'proxy.ts', 'next.config.js', 'postcss.config.mjs', 'tsconfig.json', 'package-lock.json'];

/**
 * Why `.next` needs (re)building, or null when it is current. Deliberately
 * simple: any build input newer than .next/BUILD_ID means stale.
 */
export function staleBuildReason(root = PROJECT_ROOT): string | null {
  const buildId = path.join(root, '.next', 'BUILD_ID');
  if (!fs.existsSync(buildId)) return 'no production build in .next/';
  const builtAt = fs.statSync(buildId).mtimeMs;
  for (const input of BUILD_INPUTS) {
    const newer = newestFile(path.join(root, input));
    if (newer && newer.mtimeMs > builtAt) return `${path.relative(root, newer.file)} changed since the last build`;
  }
  return null;
}

function newestFile(target: string): { file: string; mtimeMs: number } | null {
  if (!fs.existsSync(target)) return null;
  const stat = fs.statSync(target);
  if (!stat.isDirectory()) return { file: target, mtimeMs: stat.mtimeMs };
  let newest: { file: string; mtimeMs: number } | null = null;
  for (const entry of fs.readdirSync(target, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    const mtimeMs = fs.statSync(file).mtimeMs;
    if (!newest || mtimeMs > newest.mtimeMs) newest = { file, mtimeMs };
  }
  return newest;
}

/** `next build` through Next's own bin script, run by this node. */
export function nextBuildCommand(): [string, string[]] {
  return [process.execPath, [path.join(PROJECT_ROOT, 'node_modules', 'next', 'dist', 'bin', 'next'), 'build']];
}
