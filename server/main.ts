// Ephemera's process: one HTTP server for the Next.js app and for WebSocket
// upgrades (the terminal bridge needs long-lived sockets that Next's route
// handlers cannot hold).
//   tsx server/main.ts          production; needs a prior `next build`
//   tsx server/main.ts --dev    development, with HMR

import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { config, ConfigError } from '@/lib/config/env';
import { clusterInventory } from '@/lib/k8s/clusters';
import { createUpgradeRouter, refuse, routes } from './upgrade';

const ROOT = path.resolve(import.meta.dirname, '..');
const SHUTDOWN_GRACE_MS = 10_000;

function fail(message: string): never {
  process.stderr.write(`Ephemera: ${message}\n`);
  process.exit(1);
}

function parseMode(): { dev: boolean } {
  try {
    return { dev: parseArgs({ options: { dev: { type: 'boolean', default: false } } }).values.dev ?? false };
  } catch (error) {
    return fail(`${(error as Error).message}\nusage: tsx server/main.ts [--dev]`);
  }
}

/** Fails fast on bad configuration, and tells the operator which clusters this process will show. */
function checkConfiguration(): { host: string; port: number } {
  try {
    const { host, port } = config();
    const inventory = clusterInventory();
    if (inventory.kind === 'none') {
      process.stdout.write(`No cluster configured; looked at:\n  ${inventory.searched.join('\n  ')}\n`);
    } else {
      const names = inventory.clusters.map((cluster) => cluster.name).join(', ') || 'none';
      process.stdout.write(`Clusters from ${inventory.source}: ${names}\n`);
    }
    return { host, port };
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
}

async function main(): Promise<void> {
  const { dev } = parseMode();
  const { host, port } = checkConfiguration();
  if (!dev && !fs.existsSync(path.join(ROOT, '.next', 'BUILD_ID'))) {
    fail('no production build in .next/. Run `npm run build` first, or `npm run dev` for development mode.');
  }

  // React and Next pick their production or development build from NODE_ENV when
  // first loaded, so it is set to match the mode before `next` is imported.
  Reflect.set(process.env, 'NODE_ENV', dev ? 'development' : 'production');
  const { default: next } = await import('next');

  // Next attaches its own upgrade listener (HMR in development) to `httpServer` on
  // the first request. Giving it this never-listening server keeps that listener
  // off the public one, so every upgrade is routed in one place: ours below.
  const nextUpgrades = http.createServer();
  const app = next({ dev, dir: ROOT, hostname: host, port, httpServer: nextUpgrades });
  const handle = app.getRequestHandler();
  await app.prepare();

  const server = http.createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      console.error('Ephemera: request failed', request.method, request.url, error);
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
      response.end('Internal error\n');
    });
  });
  const upgrades = createUpgradeRouter(routes, (request, socket, head) => {
    if (nextUpgrades.listenerCount('upgrade') > 0) nextUpgrades.emit('upgrade', request, socket, head);
    else refuse(socket, 404, 'No WebSocket endpoint here');
  });
  server.on('upgrade', upgrades.handleUpgrade);

  await new Promise<void>((resolve) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') fail(`${host}:${port} is already in use. Set PORT to a free port.`);
      if (error.code === 'EADDRNOTAVAIL') fail(`HOST ${host} is not an address of this machine.`);
      fail(`cannot listen on ${host}:${port}: ${error.message}`);
    });
    server.listen(port, host, resolve);
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  process.stdout.write(`Ephemera ready on http://${shownHost}:${address.port}${dev ? ' (development)' : ''}\n`);

  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) {
      process.stderr.write(`Ephemera: second ${signal}, exiting now\n`);
      process.exit(1);
    }
    stopping = true;
    process.stdout.write(`Ephemera: ${signal}, shutting down\n`);
    setTimeout(() => fail(`shutdown took longer than ${SHUTDOWN_GRACE_MS / 1000} s; exiting anyway`), SHUTDOWN_GRACE_MS).unref();
    // Stop taking connections, let in-flight requests finish, close WebSockets with 1001.
    const closed = new Promise((resolve) => server.close(resolve));
    server.closeIdleConnections();
    await Promise.all([closed, upgrades.close()]);
    await app.close();
    process.exit(0);
  };
  process.on('SIGTERM', (signal) => void stop(signal));
  process.on('SIGINT', (signal) => void stop(signal));
}

main().catch((error: unknown) => fail((error as Error).stack ?? String(error)));
