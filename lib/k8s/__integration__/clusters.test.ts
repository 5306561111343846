// loadClusters and probe against the dev cluster, through client-node's real
// TLS, auth and fetch: the error messages are checked against what client-node
// actually throws, not against look-alikes.

import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { freePort } from '@/scripts/lib/processes';
import { startDevCluster, type DevCluster } from '@/scripts/lib/services';
import { loadClusters, type ClusterRegistry } from '../clusters';

let dir: string;
let cluster: DevCluster;
let silent: net.Server;
let registry: ClusterRegistry;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ephemera-clusters-'));
  cluster = await startDevCluster({ port: await freePort(), kubeconfig: path.join(dir, 'dev-cluster.kubeconfig') });
  // Accepts TCP connections and never says a word, to exercise the timeout.
  silent = net.createServer(() => {});
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));

  const kubeconfig = parse(fs.readFileSync(cluster.kubeconfig, 'utf8'));
  const someOtherCa = Buffer.from(tls.rootCertificates[0]).toString('base64');
  kubeconfig.clusters.push(
    { name: 'closed', cluster: { server: `https://127.0.0.1:${await freePort()}` } },
    { name: 'other-ca', cluster: { server: cluster.url, 'certificate-authority-data': someOtherCa } },
    { name: 'silent', cluster: { server: `https://127.0.0.1:${(silent.address() as net.AddressInfo).port}` } },
  );
  kubeconfig.users.push({ name: 'stale', user: { token: 'not-a-token-this-cluster-issued' } });
  kubeconfig.contexts.push(
    { name: 'closed-port', context: { cluster: 'closed', user: 'dev-dashboard' } },
    { name: 'wrong-ca', context: { cluster: 'other-ca', user: 'dev-dashboard' } },
    { name: 'stale-token', context: { cluster: 'ephemera-dev', user: 'stale' } },
    { name: 'no-answer', context: { cluster: 'silent', user: 'dev-dashboard' } },
  );
  const file = path.join(dir, 'kubeconfig');
  fs.writeFileSync(file, stringify(kubeconfig));
  registry = loadClusters({ kind: 'kubeconfig', paths: [file], from: 'EPHEMERA_KUBECONFIG' }, null);
});

afterAll(async () => {
  await cluster?.process.stop();
  silent?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('loadClusters against the dev cluster', () => {
  it('lists every context with its server and user name', () => {
    expect(registry.inventory).toMatchObject({ kind: 'configured', source: expect.stringContaining('(from EPHEMERA_KUBECONFIG)') });
    const clusters = registry.inventory.kind === 'configured' ? registry.inventory.clusters : [];
    expect(clusters.map((c) => c.name)).toEqual(['dev-admin', 'dev-dashboard', 'closed-port', 'wrong-ca', 'stale-token', 'no-answer']);
    expect(clusters[1]).toEqual({ name: 'dev-dashboard', server: cluster.url, user: 'dev-dashboard', namespace: expect.any(String) });
  });

  it('finds the dev cluster reachable, with its version', async () => {
    expect(await registry.probe('dev-dashboard')).toEqual({ reachable: true, version: expect.stringMatching(/^v1\.\d+$/), gitVersion: expect.stringMatching(/^v1\./) });
  });

  it.each([
    ['closed-port', /^Connection refused by 127\.0\.0\.1:\d+: nothing is listening there/],
    ['wrong-ca', /^TLS error: the API server's certificate is not signed by the certificate authority in the kubeconfig/],
    ['stale-token', /^The API server rejected the credentials \(401 Unauthorized\)/],
  ])('explains why %s is unreachable', async (context, message) => {
    const status = await registry.probe(context);
    expect(status).toEqual({ reachable: false, error: expect.stringMatching(message) });
  });

  it('gives up on a server that never answers after the timeout', async () => {
    expect(await registry.probe('no-answer', 300)).toEqual({ reachable: false, error: expect.stringMatching(/^No answer from 127\.0\.0\.1:\d+ within 0\.3 s/) });
  });
});
