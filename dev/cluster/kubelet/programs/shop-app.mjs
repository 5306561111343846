// The demo's crash-looping checkout service: starts, fails to reach its database, exits 1.
import { err, out, sleep, title } from './lib.mjs';

title(['/app/checkout']);
const port = process.env.PORT ?? '8080';
const db = process.env.DATABASE_URL ?? 'postgres://checkout@orders-db.shop.svc.cluster.local:5432/orders';
out(JSON.stringify({ time: new Date().toISOString(), level: 'INFO', msg: 'starting checkout service', version: '1.8.0', port }));
out(JSON.stringify({ time: new Date().toISOString(), level: 'INFO', msg: 'connecting to database', url: db.replace(/\/\/[^@]*@/, '//***@') }));
await sleep(1000);
err(JSON.stringify({ time: new Date().toISOString(), level: 'ERROR', msg: 'failed to connect to database', error: 'dial tcp 10.96.118.42:5432: connect: connection refused' }));
err('panic: database unavailable: dial tcp 10.96.118.42:5432: connect: connection refused');
process.exit(1);
