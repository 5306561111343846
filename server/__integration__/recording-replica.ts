// One Ephemera replica as a process of its own, for recording-kill.test.ts:
// the store on a PostgreSQL URL, the real terminal WebSocket route (with
// alice signed in, in place of the session cookie) on 127.0.0.1, clients as
// the session's user on the dev cluster by impersonation. Prints
//   recording replica <serverId> ready on 127.0.0.1:<port>
// once it listens, so the test can kill it mid-session as a crash would.
//
//   node --import tsx server/__integration__/recording-replica.ts \
//     --database-url postgres://… --kubeconfig <dev cluster kubeconfig> --server-id replica-b:1

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import type { KubeConfig } from '@kubernetes/client-node';
import { setAuditRecorder } from '@/lib/audit/record';
import type { EphemeraUser } from '@/lib/auth/types';
import { loadClusters } from '@/lib/k8s/clusters';
import { userClient } from '@/lib/k8s/user-client';
import { endSession, liveSession } from '@/lib/sessions/live';
import { TERMINAL_WS_PATH } from '@/lib/sessions/protocol';
import { openStore } from '@/lib/store';
import { terminalRoute, type TerminalDeps } from '../terminal';
import { createUpgradeRouter, refuse } from '../upgrade';

const REPLICA_CLUSTER = 'dev-dashboard';
const alice: EphemeraUser = { name: 'alice', groups: ['oncall'], roles: ['debugger'] };

const { values } = parseArgs({
  options: {
    'database-url': { type: 'string' },
    kubeconfig: { type: 'string' },
    'server-id': { type: 'string' },
  },
});
const databaseUrl = values['database-url'];
const kubeconfig = values.kubeconfig;
const serverId = values['server-id'];
if (!databaseUrl || !kubeconfig || !serverId) {
  console.error('usage: recording-replica.ts --database-url <postgres://…> --kubeconfig <path> --server-id <id>');
  process.exit(2);
}

const store = await openStore({ databaseUrl });
setAuditRecorder((event) => store.audit.append(event));
const dashboard = loadClusters({ kind: 'kubeconfig', paths: [kubeconfig], from: 'EPHEMERA_KUBECONFIG' }, null).connection(REPLICA_CLUSTER)!.kubeConfig;
const deps: TerminalDeps = {
  sessions: store.sessions,
  recordings: store.recordings,
  liveSession,
  endSession: (id, reason, message, exitCode) => endSession(id, reason, message, exitCode, { store: store.sessions }),
  kubeConfigFor: (cluster, user): KubeConfig => userClient(cluster, dashboard, user, 'impersonate').kubeConfig,
};
const router = createUpgradeRouter(
  { [TERMINAL_WS_PATH]: terminalRoute(async () => deps) },
  (_request, socket) => refuse(socket, 404, 'no'),
  async () => ({ ok: true, user: alice }),
);
const server = http.createServer((_request, response) => response.writeHead(404).end());
server.on('upgrade', router.handleUpgrade);
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
console.log(`recording replica ${serverId} ready on 127.0.0.1:${(server.address() as AddressInfo).port}`);

// A polite stop (the test's clean-up after a failure); the test itself kills with SIGKILL, which nothing here sees.
process.once('SIGTERM', () => {
  server.closeAllConnections();
  server.close();
  void store.close().finally(() => process.exit(0));
});
