// Recording audit events from where things happen (routes, the terminal
// bridge, the session registry), without those places importing the store:
// proxy.ts and the auth helpers are bundled by Next where PGlite's WebAssembly
// must not follow. The server (server/main.ts) installs the recorder that
// appends to the shared store; until it does, events go nowhere but the
// stderr line some callers already write.
//
// Recording never fails or delays the user's action: an append that fails is
// logged loudly on stderr and the action goes on. (Issue 7 item 1 makes
// recordings fail closed by policy; the audit log deliberately does not, so a
// store outage cannot lock everyone out of ending a session.)

import type { NewAuditEvent } from './chain';

export type AuditRecorder = (event: NewAuditEvent) => Promise<unknown>;

// On globalThis: Next bundles each route into its own chunk, and the custom
// server loads this file outside the bundle; all must see one recorder.
const RECORDER = Symbol.for('ephemera.audit.recorder');
const holder = () => globalThis as unknown as Record<symbol, AuditRecorder | undefined>;

/** Installs where events go (the server, at start; tests); returns the previous recorder. */
export function setAuditRecorder(next: AuditRecorder | undefined): AuditRecorder | undefined {
  const previous = holder()[RECORDER];
  holder()[RECORDER] = next;
  return previous;
}

/** Records `event` in the background; resolves (never rejects) once it is stored or its failure logged. */
export function recordAudit(event: NewAuditEvent): Promise<void> {
  const recorder = holder()[RECORDER];
  if (!recorder) return Promise.resolve();
  return Promise.resolve()
    .then(() => recorder(event))
    .then(
      () => undefined,
      (error: unknown) => {
        process.stderr.write(`Ephemera: AUDIT EVENT NOT RECORDED (${event.action} by ${event.actor ?? 'Ephemera'}): ${(error as Error)?.message ?? error}\n`);
      },
    );
}
