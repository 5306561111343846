// A fake nginx: the official image's entrypoint chatter, then "Welcome to nginx!" on port 80.
import http from 'node:http';
import { err, forever, onStop, out, title } from './lib.mjs';

title(['nginx: master process nginx -g daemon off;']);
const stamp = () => {
  const d = new Date();
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}/${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
};
const notice = (text) => err(`${stamp()} [notice] 1#1: ${text}`);
for (const line of [
  '/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration',
  '/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/',
  '/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh',
  '10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf',
  '10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf',
  '/docker-entrypoint.sh: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh',
  '/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh',
  '/docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh',
  '/docker-entrypoint.sh: Configuration complete; ready for start up',
]) out(line);
notice('using the "epoll" event method');
notice('nginx/1.27.3');
notice('built by gcc 12.2.0 (Debian 12.2.0-14)');
notice('OS: Linux');
notice('start worker processes');

const page = '<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n</head>\n<body>\n<h1>Welcome to nginx!</h1>\n</body>\n</html>\n';
const server = http.createServer((req, res) => {
  res.writeHead(200, { server: 'nginx/1.27.3', 'content-type': 'text/html' }).end(page);
  const when = new Date().toUTCString().replace(/^\w+, (\d+) (\w+) (\d+) ([\d:]+) GMT$/, '$1/$2/$3:$4 +0000');
  out(`${req.socket.remoteAddress?.replace('::ffff:', '')} - - [${when}] "${req.method} ${req.url} HTTP/${req.httpVersion}" 200 ${page.length} "-" "${req.headers['user-agent'] ?? '-'}" "-"`);
});
server.on('error', (e) => err(`${stamp()} [emerg] 1#1: bind() to 0.0.0.0:80 failed (${e.code}); continuing without it`));
server.listen(Number(process.env.NGINX_PORT ?? 80));
onStop(() => {
  notice('signal 3 (SIGQUIT) received, shutting down');
  notice('exit');
});
forever();
