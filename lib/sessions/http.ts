// The JSON edges of the session routes: reading a body, and answering a
// refusal with its status, the rule that refused and every field problem.
// Refusals by Ephemera's roles or policy are recorded (lib/auth/denials.ts).

import { z } from 'zod';
import { recordDenial } from '@/lib/auth/denials';
import type { EphemeraUser } from '@/lib/auth/types';
import { BadRequestError } from '@/lib/k8s/params';
import { SESSION_MODES, type SessionMode } from '@/lib/store/types';
import type { SessionRefusal } from './prepare';

const ModeSchema = z.enum(SESSION_MODES, { message: `mode must be one of ${SESSION_MODES.join(', ')}` });

/** The request body, as JSON; 400 when it is not. */
export async function jsonBody(request: Request): Promise<unknown> {
  const text = await request.text();
  if (text.trim() === '') throw new BadRequestError('The request has no body: send JSON, e.g. {"request": {"kind": "ephemeral", "namespace": "shop", "pod": "checkout-0"}}.');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new BadRequestError(`The body is not JSON: ${(error as Error).message}.`);
  }
}

/** `{ request, mode? }`, or a bare request (it has no `request` field of its own); mode defaults to interactive. */
export function sessionBody(body: unknown): { request: unknown; mode: SessionMode } {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new BadRequestError('The body must be a JSON object: {"request": {…}, "mode": "interactive"}.');
  const record = body as Record<string, unknown>;
  if (!('request' in record)) return { request: body, mode: 'interactive' };
  const unknown = Object.keys(record).filter((key) => key !== 'request' && key !== 'mode');
  if (unknown.length > 0) throw new BadRequestError(`Unknown field${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} in the body: send {"request": {…}, "mode": "interactive" | "oneshot"}.`);
  const mode = ModeSchema.safeParse(record.mode ?? 'interactive');
  if (!mode.success) throw new BadRequestError(`${mode.error.issues[0].message}.`);
  return { request: record.request, mode: mode.data };
}

/** A refusal as the API answers it: `{ ok: false, error, message, rule?, errors? }` with its status; role and policy refusals recorded. */
export function refusalResponse(refusal: SessionRefusal, user: EphemeraUser, request: Request): Response {
  if (refusal.status === 403 && refusal.rule !== undefined) {
    const route = `${request.method} ${new URL(request.url).pathname}`;
    recordDenial({ user, route, reason: refusal.rule === 'roles' ? 'missing-role' : 'policy', detail: `${refusal.rule}: ${refusal.message}`, rule: refusal.rule });
  }
  const { status, message, rule, errors } = refusal;
  return Response.json({ ok: false, error: message, message, ...(rule ? { rule } : {}), ...(errors ? { errors } : {}) }, { status });
}
