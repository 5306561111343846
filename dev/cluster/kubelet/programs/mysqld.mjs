// A fake Percona XtraDB Cluster mysqld: logs like mysqld 8.0, listens on 3306
// and greets clients with a MySQL protocol handshake.
import { err, forever, listen, onStop, sleep, title } from './lib.mjs';

const VERSION = '8.0.39-30.1';
const args = process.argv.slice(2).filter((a) => a !== 'mysqld');
title(['mysqld', ...(args.length ? args : ['--wsrep_start_position=00000000-0000-0000-0000-000000000000:-1'])]);

const ts = () => new Date().toISOString().replace('Z', '000Z');
const log = (thread, level, code, sub, text) => err(`${ts()} ${thread} [${level}] [${code}] [${sub}] ${text}`);

function handshake() {
  const body = Buffer.concat([
    Buffer.from([10]),
    Buffer.from(`${VERSION}\0`),
    Buffer.from([process.pid & 0xff, (process.pid >> 8) & 0xff, 0, 0]),
    Buffer.from('ephemera'),
    Buffer.from([0, 0xff, 0xf7, 0x21, 0x02, 0x00, 0xff, 0xc1, 21, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
    Buffer.from('simulatedsalt\0mysql_native_password\0'),
  ]);
  const header = Buffer.from([body.length & 0xff, (body.length >> 8) & 0xff, (body.length >> 16) & 0xff, 0]);
  return Buffer.concat([header, body]);
}

onStop(() => {
  log(0, 'System', 'MY-013172', 'Server', `Received SHUTDOWN from user <via user signal>. Shutting down mysqld (Version: ${VERSION}).`);
  log(0, 'System', 'MY-010910', 'Server', `/usr/sbin/mysqld: Shutdown complete (mysqld ${VERSION})  Percona XtraDB Cluster (GPL), Release rel30, Revision 8d9bd9f, WSREP version 26.1.4.3.`);
});

log(0, 'Warning', 'MY-011068', 'Server', 'The syntax \'wsrep_slave_threads\' is deprecated and will be removed in a future release. Please use wsrep_applier_threads instead.');
log(0, 'System', 'MY-010116', 'Server', `/usr/sbin/mysqld (mysqld ${VERSION}) starting as process ${process.pid}`);
log(0, 'Note', 'MY-000000', 'Galera', 'Loading provider /usr/lib64/galera4/libgalera_smm.so initial position: 00000000-0000-0000-0000-000000000000:-1');
log(0, 'Note', 'MY-000000', 'Galera', 'wsrep_load(): Galera 4.19(fe6a4f3) by Codership Oy <info@codership.com> (modified by Percona <https://percona.com/>) loaded successfully.');
await sleep(150);
log(1, 'System', 'MY-013576', 'InnoDB', 'InnoDB initialization has started.');
await sleep(150);
log(1, 'System', 'MY-013577', 'InnoDB', 'InnoDB initialization has ended.');
listen(3306, (socket) => {
  socket.on('error', () => undefined);
  socket.write(handshake());
}, (line) => log(0, 'Warning', 'MY-010101', 'Server', line));
listen(33060, (socket) => socket.on('error', () => undefined), () => undefined);
log(0, 'System', 'MY-010931', 'Server', `/usr/sbin/mysqld: ready for connections. Version: '${VERSION}'  socket: '/tmp/mysql.sock'  port: 3306  Percona XtraDB Cluster (GPL), Release rel30, Revision 8d9bd9f, WSREP version 26.1.4.3.`);
log(0, 'System', 'MY-011323', 'Server', "X Plugin ready for connections. Bind-address: '::' port: 33060, socket: /var/run/mysqld/mysqlx.sock");

forever();
