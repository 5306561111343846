// A fake Percona XtraDB Cluster mysqld: logs like mysqld 8.0, listens on 3306,
// greets clients with a MySQL protocol handshake, and keeps a datadir that
// looks like one (sparse files: sizes as InnoDB makes them, no disk used).
import { randomUUID } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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

const datadirArg = process.argv.find((a) => a.startsWith('--datadir='));
const DATADIR = datadirArg ? datadirArg.slice('--datadir='.length) : '/var/lib/mysql';
const PID_FILE = path.join(DATADIR, `${os.hostname()}.pid`);
let wrotePidFile = false;

/**
 * Only into a volume (a mount point): without namespaces the path is the
 * host's own /var/lib/mysql, which is not ours to write.
 */
function datadirIsVolume() {
  try {
    const unescape = (s) => s.replace(/\\([0-7]{3})/g, (_, o) => String.fromCharCode(parseInt(o, 8)));
    return readFileSync('/proc/self/mountinfo', 'utf8').split('\n').some((l) => unescape(l.split(' ')[4] ?? '') === DATADIR);
  } catch {
    return false;
  }
}

/** The files a PXC 8.0 datadir has after its first start, made once. */
function initializeDatadir() {
  const file = (name, content) => {
    const p = path.join(DATADIR, name);
    if (!existsSync(p)) writeFileSync(p, content);
  };
  const sparse = (name, bytes) => {
    const p = path.join(DATADIR, name);
    if (existsSync(p)) return;
    closeSync(openSync(p, 'w', 0o640));
    truncateSync(p, bytes);
  };
  const uuid = randomUUID();
  for (const dir of ['mysql', 'performance_schema', 'sys', '#innodb_redo', '#innodb_temp']) mkdirSync(path.join(DATADIR, dir), { recursive: true, mode: 0o750 });
  file('auto.cnf', `[auto]\nserver-uuid=${uuid}\n`);
  file('grastate.dat', `# GALERA saved state\nversion: 2.1\nuuid:    ${uuid}\nseqno:   -1\nsafe_to_bootstrap: 0\n`);
  file('gvwstate.dat', `my_uuid: ${uuid}\n#vwbeg\nview_id: 3 ${uuid} 3\nbootstrap: 0\nmember: ${uuid} 0\n#vwend\n`);
  file('binlog.index', './binlog.000001\n');
  file('binlog.000001', Buffer.from([0xfe, 0x62, 0x69, 0x6e]));
  file('ib_buffer_pool', '');
  sparse('ibdata1', 12 * 1024 * 1024);
  sparse('ibtmp1', 12 * 1024 * 1024);
  sparse('mysql.ibd', 24 * 1024 * 1024);
  sparse('undo_001', 16 * 1024 * 1024);
  sparse('undo_002', 16 * 1024 * 1024);
  sparse('#ib_16384_0.dblwr', 192 * 1024);
  sparse('#ib_16384_1.dblwr', 8 * 1024 * 1024);
  sparse('galera.cache', 128 * 1024 * 1024);
  sparse('#innodb_redo/#ib_redo0', 3200 * 1024);
  writeFileSync(PID_FILE, `${process.pid}\n`);
  wrotePidFile = true;
}

onStop(() => {
  if (wrotePidFile) rmSync(PID_FILE, { force: true });
  log(0, 'System', 'MY-013172', 'Server', `Received SHUTDOWN from user <via user signal>. Shutting down mysqld (Version: ${VERSION}).`);
  log(0, 'System', 'MY-010910', 'Server', `/usr/sbin/mysqld: Shutdown complete (mysqld ${VERSION})  Percona XtraDB Cluster (GPL), Release rel30, Revision 8d9bd9f, WSREP version 26.1.4.3.`);
});

log(0, 'Warning', 'MY-011068', 'Server', 'The syntax \'wsrep_slave_threads\' is deprecated and will be removed in a future release. Please use wsrep_applier_threads instead.');
log(0, 'System', 'MY-010116', 'Server', `/usr/sbin/mysqld (mysqld ${VERSION}) starting as process ${process.pid}`);
log(0, 'Note', 'MY-000000', 'Galera', 'Loading provider /usr/lib64/galera4/libgalera_smm.so initial position: 00000000-0000-0000-0000-000000000000:-1');
log(0, 'Note', 'MY-000000', 'Galera', 'wsrep_load(): Galera 4.19(fe6a4f3) by Codership Oy <info@codership.com> (modified by Percona <https://percona.com/>) loaded successfully.');
await sleep(150);
log(1, 'System', 'MY-013576', 'InnoDB', 'InnoDB initialization has started.');
if (datadirIsVolume()) {
  try {
    initializeDatadir();
  } catch (e) {
    log(1, 'Warning', 'MY-012574', 'InnoDB', `cannot write to the datadir ${DATADIR}: ${e.code ?? e.message}; continuing without it`);
  }
}
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
