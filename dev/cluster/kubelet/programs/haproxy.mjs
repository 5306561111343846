// A fake HAProxy in front of the PXC nodes: logs like haproxy and listens on its ports.
import { forever, listen, onStop, out, title } from './lib.mjs';

title(['haproxy', '-W', '-db', '-f', '/etc/haproxy-custom/haproxy-global.cfg', '-f', '/etc/haproxy/pxc/haproxy.cfg', '-p', '/etc/haproxy/pxc/haproxy.pid', '-S', '/etc/haproxy/pxc/haproxy-main.sock']);
const notice = (text) => out(`[NOTICE]   (${process.pid}) : ${text}`);
notice('haproxy version is 2.8.11');
notice('path to executable is /usr/sbin/haproxy');
out(`[WARNING]  (${process.pid}) : Server galera-nodes/cluster1-pxc-0 is DOWN, reason: Layer7 wrong status, code: 1, info: "Not ready", check duration: 2ms. 0 active and 0 backup servers left.`);
// As the operator's haproxy.cfg: galera-in, galera-replica-in, galera-admin-in, mysqlx-in, galera-mysqlx-in.
for (const port of [3306, 3307, 3309, 33060, 33062]) listen(port, (s) => s.on('error', () => undefined), (line) => out(`[WARNING]  (${process.pid}) : ${line}`));
notice(`New worker (${process.pid + 1}) forked`);
notice('Loading success.');
onStop(() => out(`[WARNING]  (${process.pid}) : Exiting Master process...`));
forever();
