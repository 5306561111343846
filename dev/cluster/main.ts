// The dev cluster: a Kubernetes API simulator for development, tests and the demo.
//   npm run dev:cluster -- --listen 127.0.0.1:PORT --kubeconfig FILE [--scenario demo] [--state-dir DIR] [--verbose]
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { issueServingCertificates } from './pki';
import { renderKubeconfig } from './kubeconfig';
import { DevCluster } from './server';
import { seedBase, DASHBOARD_NAMESPACE, DASHBOARD_SERVICE_ACCOUNT } from './scenario/base';
import { seedDemo } from './scenario/demo';
import { seedScale } from './scenario/scale';
import { serviceAccountUser } from './authn';

const USAGE = 'usage: npm run dev:cluster -- --listen 127.0.0.1:PORT --kubeconfig FILE [--scenario demo|none] [--state-dir DIR] [--verbose] [--backoff-base-ms N] [--pull-delay-ms N] [--scale-pods N [--scale-namespaces M]]';

function fail(message: string): never {
  process.stderr.write(`dev cluster: ${message}\n${USAGE}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  let args;
  try {
    args = parseArgs({
      options: {
        listen: { type: 'string', default: '127.0.0.1:6443' },
        kubeconfig: { type: 'string' },
        scenario: { type: 'string', default: 'none' },
        'state-dir': { type: 'string' },
        verbose: { type: 'boolean', default: false },
        'backoff-base-ms': { type: 'string' },
        'pull-delay-ms': { type: 'string' },
        'scale-pods': { type: 'string' },
        'scale-namespaces': { type: 'string', default: '50' },
      },
    }).values;
  } catch (error) {
    fail((error as Error).message);
  }
  const listen = /^([^:]+|\[[^\]]+\]):(\d+)$/.exec(args.listen!);
  if (!listen) fail(`--listen must be HOST:PORT, got ${JSON.stringify(args.listen)}`);
  const host = listen[1].replace(/^\[|\]$/g, '');
  const port = Number(listen[2]);
  if (!args.kubeconfig) fail('--kubeconfig FILE is required: the dev cluster writes its CA and tokens there');
  if (!['demo', 'none'].includes(args.scenario!)) fail(`unknown scenario ${JSON.stringify(args.scenario)}; known: demo, none`);

  const ownStateDir = !args['state-dir'];
  const stateDir = args['state-dir'] ?? mkdtempSync(path.join(os.tmpdir(), 'ephemera-dev-cluster-'));
  mkdirSync(stateDir, { recursive: true });

  const certs = issueServingCertificates([host, '127.0.0.1', 'localhost']);
  const log = args.verbose ? (line: string) => process.stderr.write(`${line}\n`) : undefined;
  const kubelet = {
    ...(args['backoff-base-ms'] ? { backoffBaseMs: Number(args['backoff-base-ms']) } : {}),
    ...(args['pull-delay-ms'] ? { pullDelayMs: Number(args['pull-delay-ms']) } : {}),
  };
  const cluster = new DevCluster({ host, port, certPem: certs.certPem, keyPem: certs.keyPem, stateDir, log, kubelet });

  const adminToken = cluster.tokens.issue({ name: 'dev-admin', groups: ['system:masters'] });
  seedBase(cluster);
  const dashboardToken = cluster.tokens.issue(serviceAccountUser(DASHBOARD_NAMESPACE, DASHBOARD_SERVICE_ACCOUNT));
  if (args.scenario === 'demo') seedDemo(cluster);
  if (args['scale-pods']) {
    const pods = Number(args['scale-pods']);
    const namespaces = Number(args['scale-namespaces']);
    if (!Number.isInteger(pods) || pods < 1) fail(`--scale-pods must be a positive whole number, got ${JSON.stringify(args['scale-pods'])}`);
    if (!Number.isInteger(namespaces) || namespaces < 1) fail(`--scale-namespaces must be a positive whole number`);
    seedScale(cluster, { pods, namespaces });
  }

  const url = await cluster.listen();
  const kubeconfigPath = path.resolve(args.kubeconfig);
  mkdirSync(path.dirname(kubeconfigPath), { recursive: true });
  writeFileSync(
    kubeconfigPath,
    renderKubeconfig(url, certs.caCertPem, [
      { name: 'dev-admin', user: 'dev-admin', token: adminToken, namespace: 'default' },
      { name: 'dev-dashboard', user: 'dev-dashboard', token: dashboardToken, namespace: DASHBOARD_NAMESPACE },
    ], 'dev-admin'),
    { mode: 0o600 },
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log?.(`dev cluster: ${signal}, stopping`);
    await cluster.stop();
    if (ownStateDir) rmSync(stateDir, { recursive: true, force: true });
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  process.stdout.write(`dev cluster ready on ${url}\n`);
  process.stdout.write(`kubeconfig: ${kubeconfigPath} (contexts dev-admin, dev-dashboard)\n`);
}

main().catch((error) => {
  process.stderr.write(`dev cluster: ${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
