// Ephemera's process: one HTTP server for the Next.js app and for WebSocket
// upgrades (the terminal bridge needs long-lived sockets that Next's route
// handlers cannot hold). It also puts the security headers on every response
// (lib/http/security-headers.ts) and checks the session before any upgrade.
//   tsx server/main.ts          production; needs a prior `next build`
//   tsx server/main.ts --dev    development, with HMR

import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { policyLoaded, sessionEnded } from '@/lib/audit/events';
import { recordAudit, setAuditRecorder } from '@/lib/audit/record';
import { auditSink, recorderWithSink, type AuditSink } from '@/lib/audit/sink';
import { authSettings, type AuthSettings } from '@/lib/auth/settings';
import { config, ConfigError } from '@/lib/config/env';
import type { RetentionConfig } from '@/lib/config/file';
import { newNonce, securityHeaders } from '@/lib/http/security-headers';
import { clusterInventory } from '@/lib/k8s/clusters';
import { describeRetention, RETENTION_INTERVAL_MS, retentionConfigured, runRetention } from '@/lib/retention/retention';
import { recoverSessions } from '@/lib/sessions/cleanup';
import { endLiveSessions } from '@/lib/sessions/live';
import { closeOpenRecordings } from '@/lib/sessions/recording';
import { appServerId, impersonatingClientFor } from '@/lib/sessions/deps';
import { closeStore, getStore } from '@/lib/store/shared';
import { createUpgradeRouter, refuse, routes } from './upgrade';
import { sessionAuthorizer } from './upgrade-auth';

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

/** Fails fast on bad configuration, and tells the operator which clusters this process will show and who may sign in. */
function checkConfiguration(): { host: string; port: number; auth: AuthSettings } {
  try {
    const { host, port, configFile } = config();
    const auth = authSettings();
    process.stdout.write(`Sign-in: ${auth.sso.providerName} (${auth.sso.issuer}), client ${auth.sso.clientId}; public URL ${auth.sso.publicUrl}\n`);
    if (!auth.fileFound) {
      process.stdout.write(`No ${configFile.shownAs}: no group is mapped to a role, so everyone who signs in sees "no access". See ephemera.example.yaml.\n`);
    }
    const inventory = clusterInventory();
    if (inventory.kind === 'none') {
      process.stdout.write(`No cluster configured; looked at:\n  ${inventory.searched.join('\n  ')}\n`);
    } else {
      const names = inventory.clusters.map((cluster) => cluster.name).join(', ') || 'none';
      process.stdout.write(`Clusters from ${inventory.source}: ${names}\n`);
    }
    return { host, port, auth };
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
}

/**
 * Sessions this process (same host and port) left open when it last stopped
 * are over: end them as interrupted and delete their node debug pods and pod
 * copies. A store or cluster that cannot be reached is reported, not fatal:
 * browsing works without it.
 */
async function recoverLeftSessions(): Promise<void> {
  try {
    const store = await getStore();
    const recovery = await recoverSessions(store.sessions, appServerId(), impersonatingClientFor);
    for (const record of recovery.interrupted) void recordAudit(sessionEnded(record));
    if (recovery.interrupted.length > 0) {
      const deleted = recovery.deleted.length > 0 ? `; deleted ${recovery.deleted.join(', ')}` : '';
      process.stdout.write(`Sessions left open by the previous run: ${recovery.interrupted.length} ended as interrupted${deleted}\n`);
    }
    for (const failure of recovery.failed) process.stderr.write(`Ephemera: could not delete ${failure.pod}, left by the previous run: ${failure.message}\n`);
  } catch (error) {
    process.stderr.write(`Ephemera: could not recover the sessions left by the previous run: ${(error as Error).message}\n`);
  }
}

/**
 * Removes what the `retention:` section says is too old, now and every hour;
 * returns how to stop it. A failed run is reported and tried again next hour.
 */
function startRetention(retention: RetentionConfig, sink: AuditSink | undefined): () => Promise<void> {
  if (!retentionConfigured(retention)) return async () => {};
  let running: Promise<void> = Promise.resolve();
  const run = () => {
    running = running.then(async () => {
      try {
        const result = await runRetention(await getStore(), retention);
        if (result.event) {
          sink?.(result.event);
          process.stdout.write(`Ephemera: ${describeRetention(result)}\n`);
        }
      } catch (error) {
        process.stderr.write(`Ephemera: retention run failed (tried again in an hour): ${(error as Error).message}\n`);
      }
    });
  };
  run();
  const timer = setInterval(run, RETENTION_INTERVAL_MS).unref();
  return () => {
    clearInterval(timer);
    return running;
  };
}

async function main(): Promise<void> {
  const { dev } = parseMode();
  const { host, port, auth } = checkConfiguration();
  // From here every audit event (lib/audit/record.ts) goes to the shared store, and a copy to the sink if there is one.
  const sink = auditSink(auth.file.audit.sink);
  setAuditRecorder(recorderWithSink(async (event) => (await getStore()).audit.append(event), sink));
  void recordAudit(policyLoaded(auth.fileFound ? config().configFile.shownAs : 'defaults', createHash('sha256').update(JSON.stringify(auth.policy)).digest('hex')));
  // Alongside Next's preparation; finished before the first request, so that a
  // session started by this run is never taken for one the last run left.
  const recovered = recoverLeftSessions();
  const stopRetention = startRetention(auth.file.retention, sink);
  if (!dev && !fs.existsSync(path.join(ROOT, '.next', 'BUILD_ID'))) {
    fail('no production build in .next/. Run `npm run build` first, or `npm run dev` for development mode.');
  }

  // React and Next pick their production or development build from NODE_ENV when
  // first loaded, so it is set to match the mode before `next` is imported.
  Reflect.set(process.env, 'NODE_ENV', dev ? 'development' : 'production');
  // next-auth builds its callback URLs from NEXTAUTH_URL, whichever variable the public URL came from.
  process.env.NEXTAUTH_URL = auth.sso.publicUrl;
  const { default: next } = await import('next');

  // Next attaches its own upgrade listener (HMR in development) to `httpServer` on
  // the first request. Giving it this never-listening server keeps that listener
  // off the public one, so every upgrade is routed in one place: ours below.
  const nextUpgrades = http.createServer();
  const app = next({ dev, dir: ROOT, hostname: host, port, httpServer: nextUpgrades });
  const handle = app.getRequestHandler();
  await app.prepare();

  const server = http.createServer((request, response) => {
    const headers = securityHeaders({ nonce: newNonce(), publicUrl: auth.sso.publicUrl, dev });
    for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
    // Next reads the nonce for its own scripts from the request's CSP header; a client cannot choose it.
    request.headers['content-security-policy'] = headers['Content-Security-Policy'];
    handle(request, response).catch((error: unknown) => {
      console.error('Ephemera: request failed', request.method, request.url, error);
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
      response.end('Internal error\n');
    });
  });
  const upgrades = createUpgradeRouter(
    routes,
    (request, socket, head) => {
      if (nextUpgrades.listenerCount('upgrade') > 0) nextUpgrades.emit('upgrade', request, socket, head);
      else refuse(socket, 404, 'No WebSocket endpoint here');
    },
    sessionAuthorizer({ ...auth, publicUrl: auth.sso.publicUrl }),
  );
  server.on('upgrade', upgrades.handleUpgrade);

  await recovered;
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
    // Stop taking connections, let in-flight requests finish, close WebSockets with 1001;
    // end the sessions this process holds, deleting their node debug pods and pod copies.
    const closed = new Promise((resolve) => server.close(resolve));
    server.closeIdleConnections();
    // A retention run in progress finishes first: it holds the store.
    await Promise.all([closed, upgrades.close(), endLiveSessions('interrupted', 'Ephemera was stopped while this session was open.'), stopRetention()]);
    // The recordings' last half second, before the store closes.
    await closeOpenRecordings();
    await app.close();
    // PGlite writes its folder back as it closes; PostgreSQL's pool says goodbye.
    await closeStore().catch((error: unknown) => process.stderr.write(`Ephemera: closing the store failed: ${(error as Error).message}\n`));
    process.exit(0);
  };
  process.on('SIGTERM', (signal) => void stop(signal));
  process.on('SIGINT', (signal) => void stop(signal));
}

main().catch((error: unknown) => fail((error as Error).stack ?? String(error)));
