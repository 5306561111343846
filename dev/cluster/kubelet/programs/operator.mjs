// A fake percona-xtradb-cluster-operator: controller-runtime style JSON logs.
import { forever, onStop, out, sleep, title } from './lib.mjs';

title(['percona-xtradb-cluster-operator']);
const log = (level, logger, msg, extra = {}) =>
  out(JSON.stringify({ level, ts: new Date().toISOString(), logger, msg, ...extra }));

onStop(() => log('info', '', 'Stopping and waiting for non leader election runnables'));
log('info', 'setup', 'Runs on', { platform: 'kubernetes', version: 'v1.32.0' });
log('info', 'setup', 'Manager starting up', { gitCommit: '2f4d0a1', gitBranch: 'release-1-16-0', goVersion: 'go1.23.4', os: 'linux', arch: 'amd64' });
log('info', 'controller-runtime.metrics', 'Starting metrics server');
log('info', '', 'starting server', { name: 'health probe', addr: '[::]:8081' });
await sleep(200);
log('info', '', 'successfully acquired lease', { lease: 'pxc/08db1feb.percona.com' });
for (const c of ['pxc-controller', 'pxcbackup-controller', 'pxcrestore-controller']) {
  log('info', '', 'Starting EventSource', { controller: c });
  log('info', '', 'Starting Controller', { controller: c });
  log('info', '', 'Starting workers', { controller: c, 'worker count': 1 });
}
forever();
