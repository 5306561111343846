// Starting the two processes a running Ephemera needs locally: the dev cluster
// (dev/cluster) and Ephemera's own server. Used by `npm run demo`, Playwright's
// global setup, and integration tests.

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
const BUILD_INPUTS = ['app', 'components', 'lib', 'public', 'next.config.js', 'postcss.config.mjs', 'tsconfig.json', 'package-lock.json'];

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
