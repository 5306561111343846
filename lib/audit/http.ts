// What the audit API routes share: the role check (audit.read, audit.export)
// and the list query's validation.

import { z } from 'zod';
import { recordDenial } from '@/lib/auth/denials';
import { can, type Action } from '@/lib/auth/roles';
import type { EphemeraUser } from '@/lib/auth/types';
import { UserFacingError } from '@/lib/http/errors';
import { parseOrThrow } from '@/lib/k8s/params';
import { MAX_AUDIT_LIMIT } from '@/lib/store/audit';
import type { AuditFilter } from '@/lib/store/types';
import { AUDIT_ACTIONS } from './chain';

/** Throws a 403 (recorded as a denial) unless the user's roles allow `action`. */
export function requireAuditAction(user: EphemeraUser, request: Request, action: Extract<Action, 'audit.read' | 'audit.export'>): void {
  if (can(user.roles, action)) return;
  recordDenial({ user, route: `${request.method} ${new URL(request.url).pathname}`, reason: 'missing-role', detail: `needs ${action}` });
  throw new UserFacingError(`The audit log is for leads and admins (${action}); you hold ${user.roles.join(', ')}.`, 403);
}

const wholeNumber = (name: string, min: number) =>
  z
    .string()
    .regex(/^\d+$/, `${name} must be a whole number`)
    .transform(Number)
    .refine((n) => n >= min, `${name} must be at least ${min}`);

export const auditQuerySchema = z.object({
  after: wholeNumber('after', 0).optional(),
  limit: wholeNumber('limit', 1)
    .refine((n) => n <= MAX_AUDIT_LIMIT, `limit must be at most ${MAX_AUDIT_LIMIT}`)
    .optional(),
  actor: z.string().min(1, 'actor must not be empty').optional(),
  action: z.enum(AUDIT_ACTIONS, { message: `action must be one of ${AUDIT_ACTIONS.join(', ')}` }).optional(),
  session: z.uuid({ message: 'session must be a session id (a UUID)' }).optional(),
});

/** The list filter from `?after=&limit=&actor=&action=&session=`; a 400 naming the field otherwise. */
export function auditFilterFrom(params: URLSearchParams): AuditFilter {
  const { session, ...rest } = parseOrThrow(auditQuerySchema, Object.fromEntries(params));
  return { ...rest, ...(session ? { sessionId: session } : {}) };
}
