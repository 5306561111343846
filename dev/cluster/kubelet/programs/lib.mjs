// Shared helpers for the fake daemons the simulated images run (plain Node, no dependencies).
import net from 'node:net';

/** What `ps` shows for this process. */
export function title(argv) {
  try {
    process.title = argv.join(' ');
  } catch {
    /* not settable here */
  }
}

export const out = (line) => process.stdout.write(`${line}\n`);
export const err = (line) => process.stderr.write(`${line}\n`);

/**
 * Listen on a TCP port. Where the dev cluster runs pods without network
 * namespaces they share the host's ports, so a port already taken (or not
 * allowed) is logged and tolerated, not fatal.
 */
export function listen(port, onConnection, log = err) {
  const server = net.createServer(onConnection);
  server.on('error', (e) => log(`warning: cannot listen on port ${port} (${e.code ?? e.message}); continuing without it`));
  server.listen(port);
  return server;
}

/** Run `onStop` on SIGTERM/SIGINT, then exit with `code`. */
export function onStop(cleanup, code = 0) {
  const handler = (signal) => {
    Promise.resolve(cleanup(signal)).finally(() => process.exit(code));
  };
  process.on('SIGTERM', () => handler('SIGTERM'));
  process.on('SIGINT', () => handler('SIGINT'));
}

/**
 * Keep running until a signal arrives, or until the process that started us is
 * gone (the simulator died without stopping its containers): never linger as an orphan.
 */
export function forever() {
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) process.exit(0);
  }, 1000);
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
