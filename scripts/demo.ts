// `npm run demo`: Ephemera against a local simulated cluster, with no setup.
//   1. builds the app when .next is missing or older than the sources;
//   2. starts the dev cluster on a free port; it writes .ephemera/demo/kubeconfig;
//   3. starts the dev IdP on a free port with a generated client secret, unless
//      EPHEMERA_OIDC_ISSUER points at a real one;
//   4. starts Ephemera (production mode) on HOST:PORT (default 127.0.0.1:3000), showing the
//      dev-dashboard context (the dashboard's own service account), signing people in
//      through the IdP with a generated session secret, roles from dev/demo/ephemera.yaml;
//   5. on Ctrl-C or SIGTERM stops Ephemera, then the IdP and the cluster, and everything they started.
// The build comes first so a failed build leaves nothing running.

import path from 'node:path';
import { freePort, runToCompletion } from './lib/processes';
import {
  DEMO_CONFIG_FILE,
  nextBuildCommand,
  PROJECT_ROOT,
  staleBuildReason,
  startDevCluster,
  startDevSso,
  startEphemera,
  type DevCluster,
  type DevIdp,
  type EphemeraServer,
} from './lib/services';

const KUBECONFIG = path.join(PROJECT_ROOT, '.ephemera', 'demo', 'kubeconfig');

const prefixed = (label: string) => (line: string) => process.stdout.write(`${label} ${line}\n`);

let cluster: DevCluster | undefined;
let idp: DevIdp | undefined;
let app: EphemeraServer | undefined;
let stopping: Promise<void> | undefined;
const building = new AbortController();

function stopAll(): Promise<void> {
  // Ephemera first: it holds connections to the cluster, not the other way round.
  stopping ??= (async () => {
    building.abort();
    await app?.process.stop();
    await idp?.process.stop();
    await cluster?.process.stop();
  })();
  return stopping;
}

async function main(): Promise<void> {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      process.stdout.write(`\ndemo: ${signal}, stopping\n`);
      void stopAll().then(() => process.exit(0));
    });
  }

  const stale = staleBuildReason();
  if (stale) {
    process.stdout.write(`demo: building the app (${stale})\n`);
    const [command, args] = nextBuildCommand();
    await runToCompletion(command, args, { name: 'next build', cwd: PROJECT_ROOT, signal: building.signal });
  }

  cluster = await startDevCluster({ port: await freePort(), kubeconfig: KUBECONFIG, scenario: 'demo', onLine: prefixed('[cluster] ') });
  app = await startEphemera({
    // PORT and HOST pass through from this environment; the server defaults them.
    env: { EPHEMERA_KUBECONFIG: KUBECONFIG, EPHEMERA_CONTEXTS: 'dev-dashboard', EPHEMERA_CONFIG: process.env.EPHEMERA_CONFIG ?? DEMO_CONFIG_FILE, ...(await signIn()) },
    onLine: prefixed('[ephemera]'),
  });

  // Any child ending on its own ends the demo: half a demo only confuses.
  const children = [['dev cluster', cluster.process], ['Ephemera', app.process], ...(idp ? [['dev IdP', idp.process] as const] : [])] as const;
  for (const [name, started] of children) {
    void started.exited.then(({ code, signal }) => {
      if (stopping) return;
      process.stderr.write(`demo: ${name} exited (${signal ?? `code ${code}`}); stopping\n`);
      void stopAll().then(() => process.exit(1));
    });
  }

  const kubeconfig = path.relative(process.cwd(), KUBECONFIG);
  process.stdout.write(
    `\nEphemera demo: ${publicUrl()}\n` +
      (idp ? `  sign in as alice, lena, sam, ada or nora, password demo (dev IdP ${idp.url})\n` : '') +
      `  dev cluster ${cluster.url}; try kubectl --kubeconfig ${kubeconfig} get pods -A\n` +
      '  Ctrl-C stops everything.\n\n',
  );
}

/** Where the browser reaches the demo: EPHEMERA_PUBLIC_URL, else the loopback address and PORT the server will listen on. */
function publicUrl(): string {
  if (process.env.EPHEMERA_PUBLIC_URL) return process.env.EPHEMERA_PUBLIC_URL.replace(/\/$/, '');
  const host = process.env.HOST && /^(127\.|localhost$)/.test(process.env.HOST) ? process.env.HOST : '127.0.0.1';
  return `http://${host}:${process.env.PORT || 3000}`;
}

/** The dev IdP and the environment for it, unless this environment already names a real IdP (then it passes through). */
async function signIn(): Promise<Record<string, string>> {
  if (process.env.EPHEMERA_OIDC_ISSUER) return {};
  const sso = await startDevSso({ port: await freePort(), publicUrls: [publicUrl()], onLine: prefixed('[idp]     ') });
  idp = sso.idp;
  return sso.envFor(publicUrl());
}

main().catch(async (error: unknown) => {
  process.stderr.write(`demo: ${(error as Error).message}\n`);
  await stopAll();
  process.exit(1);
});
