// Starts what the browser tests run against, and returns the teardown:
//   - the dev cluster, on a free port, writing its own kubeconfig into a temp dir;
//   - a derived kubeconfig adding the context `unreachable`, whose server is a
//     port nothing listens on;
//   - the dev IdP, with the demo users, registered for the app below and for a
//     second, short-session app that e2e/auth/login.spec.ts starts itself;
//   - Ephemera's production server (server/main.ts, after `npm run build`), showing
//     the contexts dev-dashboard and unreachable, roles from dev/demo/ephemera.yaml.
// Tests read EPHEMERA_E2E_URL (also the baseURL), EPHEMERA_E2E_KUBECONFIG (all
// contexts, including dev-admin, for seeding), EPHEMERA_E2E_IDP_URL,
// EPHEMERA_E2E_SECRETS (the generated secrets, to check none reaches a browser)
// and EPHEMERA_E2E_SHORT_SESSION_ENV (the environment of the short-session app).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { freePort } from '@/scripts/lib/processes';
import { DEMO_CONFIG_FILE, PROJECT_ROOT, staleBuildReason, startDevCluster, startDevSso, startEphemera } from '@/scripts/lib/services';

export const UNREACHABLE_CONTEXT = 'unreachable';

/** The session lifetime of the short-session app, seconds: long enough to sign in and see the home page. */
export const SHORT_SESSION_SECONDS = 10;

export default async function globalSetup(): Promise<() => Promise<void>> {
  const stale = staleBuildReason();
  if (stale === 'no production build in .next/') {
    throw new Error('Browser tests run against the production build, and there is none in .next/. Run `npm run build` first.');
  }
  if (stale) process.stderr.write(`warning: testing an old production build (${stale}); run \`npm run build\` to test the current code.\n`);

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ephemera-e2e-'));
  const logDir = path.join(PROJECT_ROOT, '.ephemera', 'e2e');
  fs.mkdirSync(logDir, { recursive: true });
  const log = fs.createWriteStream(path.join(logDir, 'services.log'));
  const logTo = (label: string) => (line: string) => log.write(`${label} ${line}\n`);

  // Undone in reverse: Ephemera, then the cluster, then the files.
  const undo: Array<() => unknown> = [() => fs.rmSync(dir, { recursive: true, force: true }), () => log.end()];
  const teardown = async () => {
    for (const step of undo.reverse()) await step();
  };

  try {
    const cluster = await startDevCluster({ port: await freePort(), kubeconfig: path.join(dir, 'dev-cluster.kubeconfig'), onLine: logTo('[cluster] ') });
    undo.push(() => cluster.process.stop());
    const kubeconfig = path.join(dir, 'kubeconfig');
    fs.writeFileSync(kubeconfig, withUnreachableContext(fs.readFileSync(cluster.kubeconfig, 'utf8'), await freePort()), { mode: 0o600 });

    const [port, shortSessionPort] = [await freePort(), await freePort()];
    const publicUrl = `http://127.0.0.1:${port}`;
    const shortSessionUrl = `http://127.0.0.1:${shortSessionPort}`;
    const sso = await startDevSso({ port: await freePort(), publicUrls: [publicUrl, shortSessionUrl], onLine: logTo('[idp]     ') });
    undo.push(() => sso.idp.process.stop());

    const base = { EPHEMERA_KUBECONFIG: kubeconfig, EPHEMERA_CONTEXTS: `dev-dashboard,${UNREACHABLE_CONTEXT}`, EPHEMERA_CONFIG: DEMO_CONFIG_FILE, HOST: '127.0.0.1' };
    const ssoEnv = sso.envFor(publicUrl);
    // Each server its own PGlite folder: one folder is for one process at a time (lib/store).
    const env = { ...base, ...ssoEnv, PORT: String(port), EPHEMERA_DATA_DIR: path.join(dir, 'data') };
    const app = await startEphemera({ env, onLine: logTo('[ephemera]') });
    undo.push(() => app.process.stop());

    const shortSessionEnv = { ...base, ...sso.envFor(shortSessionUrl), PORT: String(shortSessionPort), EPHEMERA_SESSION_MAX_AGE: String(SHORT_SESSION_SECONDS), EPHEMERA_DATA_DIR: 'memory://' };
    process.env.EPHEMERA_E2E_URL = app.url;
    process.env.EPHEMERA_E2E_KUBECONFIG = kubeconfig;
    process.env.EPHEMERA_E2E_IDP_URL = sso.idp.url;
    process.env.EPHEMERA_E2E_SECRETS = JSON.stringify([ssoEnv.EPHEMERA_OIDC_CLIENT_SECRET, ssoEnv.EPHEMERA_SESSION_SECRET]);
    process.env.EPHEMERA_E2E_SHORT_SESSION_ENV = JSON.stringify(shortSessionEnv);
  } catch (error) {
    await teardown();
    throw error;
  }
  return teardown;
}

/** The dev cluster's kubeconfig plus a cluster at a closed port, reached with the dashboard's own user. */
function withUnreachableContext(kubeconfigYaml: string, closedPort: number): string {
  const kubeconfig = parse(kubeconfigYaml);
  kubeconfig.clusters.push({ name: 'closed-port', cluster: { server: `https://127.0.0.1:${closedPort}` } });
  kubeconfig.contexts.push({ name: UNREACHABLE_CONTEXT, context: { cluster: 'closed-port', user: 'dev-dashboard' } });
  return stringify(kubeconfig);
}
