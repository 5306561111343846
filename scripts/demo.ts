// `npm run demo`: Ephemera against a local simulated cluster, with no setup.
//   1. builds the app when .next is missing or older than the sources;
//   2. starts the dev cluster on a free port; it writes .ephemera/demo/kubeconfig;
//   3. starts Ephemera (production mode) on HOST:PORT (default 127.0.0.1:3000), showing the
//      dev-dashboard context: the dashboard's own service account;
//   4. on Ctrl-C or SIGTERM stops Ephemera, then the cluster, and everything they started.
// The build comes first so a failed build leaves nothing running.

import path from 'node:path';
import { freePort, runToCompletion } from './lib/processes';
import { nextBuildCommand, PROJECT_ROOT, staleBuildReason, startDevCluster, startEphemera, type DevCluster, type EphemeraServer } from './lib/services';

const KUBECONFIG = path.join(PROJECT_ROOT, '.ephemera', 'demo', 'kubeconfig');

const prefixed = (label: string) => (line: string) => process.stdout.write(`${label} ${line}\n`);

let cluster: DevCluster | undefined;
let app: EphemeraServer | undefined;
let stopping: Promise<void> | undefined;
const building = new AbortController();

function stopAll(): Promise<void> {
  // Ephemera first: it holds connections to the cluster, not the other way round.
  stopping ??= (async () => {
    building.abort();
    await app?.process.stop();
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
    env: { EPHEMERA_KUBECONFIG: KUBECONFIG, EPHEMERA_CONTEXTS: 'dev-dashboard' },
    onLine: prefixed('[ephemera]'),
  });

  // Either child ending on its own ends the demo: half a demo only confuses.
  for (const [name, started] of [['dev cluster', cluster.process], ['Ephemera', app.process]] as const) {
    void started.exited.then(({ code, signal }) => {
      if (stopping) return;
      process.stderr.write(`demo: ${name} exited (${signal ?? `code ${code}`}); stopping\n`);
      void stopAll().then(() => process.exit(1));
    });
  }

  const kubeconfig = path.relative(process.cwd(), KUBECONFIG);
  process.stdout.write(
    `\nEphemera demo: ${app.url}\n` +
      `  dev cluster ${cluster.url}; try kubectl --kubeconfig ${kubeconfig} get pods -A\n` +
      '  Ctrl-C stops both.\n\n',
  );
}

main().catch(async (error: unknown) => {
  process.stderr.write(`demo: ${(error as Error).message}\n`);
  await stopAll();
  process.exit(1);
});
