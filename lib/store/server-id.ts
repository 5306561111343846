// Which Ephemera process holds a session. The id must stay the same when the
// same replica restarts (same host name, same port), so that at start-up it
// finds the sessions it left open and ends them as interrupted
// (SessionStore.interruptAll). Where host names change on restart (a
// Deployment's pods do; a StatefulSet's do not), set EPHEMERA_SERVER_ID to
// something that does not.

import os from 'node:os';

export function serverIdFor(port: number, env: Record<string, string | undefined> = process.env): string {
  const configured = env.EPHEMERA_SERVER_ID?.trim();
  return configured ? configured : `${os.hostname()}:${port}`;
}
