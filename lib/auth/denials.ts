// Every refusal Ephemera makes on the way in (no session, expired session, no
// role, wrong Origin, an upgrade turned down) goes through recordDenial, so the
// audit log has one place to take them from: each is one structured line on
// stderr and an audit event (auth.denied, or session.refused for the debug
// policy's refusals) once the server has installed the recorder.

import { denied } from '@/lib/audit/events';
import { recordAudit } from '@/lib/audit/record';
import type { EphemeraUser } from './types';

export type DenialReason =
  | 'no-session'
  | 'invalid-session'
  | 'session-expired'
  | 'no-role'
  | 'missing-role'
  | 'origin-mismatch'
  /** The IdP's answer named nobody Ephemera could sign in. */
  | 'no-identity'
  /** The debug policy (ephemera.yaml, policy:) refused a session; the detail names the rule. */
  | 'policy';

export interface Denial {
  /** Who asked, when the request carried a valid session. */
  user?: Pick<EphemeraUser, 'name' | 'groups' | 'roles'>;
  /** `METHOD /path`, or `UPGRADE /api/ws/…`. */
  route: string;
  reason: DenialReason;
  /** Anything that helps a reader: the role that was needed, the Origin that came. */
  detail?: string;
  /** The policy rule that refused (reason policy). */
  rule?: string;
}

export type DenialSink = (line: string) => void;

let sink: DenialSink = (line) => process.stderr.write(`${line}\n`);

/** Where denial lines go; tests swap it. Returns the previous sink. */
export function setDenialSink(next: DenialSink): DenialSink {
  const previous = sink;
  sink = next;
  return previous;
}

export function recordDenial(denial: Denial, now: Date = new Date()): void {
  const { user, route, reason, detail } = denial;
  sink(
    JSON.stringify({
      event: 'access.denied',
      time: now.toISOString(),
      route,
      reason,
      ...(user ? { user: user.name, groups: user.groups, roles: user.roles } : {}),
      ...(detail ? { detail } : {}),
    }),
  );
  void recordAudit(denied(denial));
}
