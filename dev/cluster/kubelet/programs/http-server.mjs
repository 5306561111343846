// A small static HTTP server, the only program of the distroless image.
import http from 'node:http';
import { err, forever, onStop, title } from './lib.mjs';

title(['/server']);
const port = Number(process.env.PORT ?? 8080);
const server = http.createServer((req, res) => {
  const body = req.url === '/healthz' ? 'ok\n' : 'hello from a distroless container\n';
  res.writeHead(200, { 'content-type': 'text/plain' }).end(body);
  err(JSON.stringify({ level: 'info', ts: Date.now() / 1000, msg: 'request', method: req.method, path: req.url, status: 200 }));
});
server.on('error', (e) => err(JSON.stringify({ level: 'warn', ts: Date.now() / 1000, msg: `cannot listen on :${port}; continuing`, error: e.code })));
server.listen(port, () => err(JSON.stringify({ level: 'info', ts: Date.now() / 1000, msg: `listening on :${port}` })));
onStop(() => err(JSON.stringify({ level: 'info', ts: Date.now() / 1000, msg: 'shutting down' })));
forever();
