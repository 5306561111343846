// GET /api/audit/verify   whether the audit chain is intact (audit.read: leads, admins)
//   → 200 { ok: true, events, lastHash, removedThrough? } (removedThrough: where a retention run cut the log)
//     or { ok: false, brokenAt, reason: hash | link | gap, message }.

import { requireAuditAction } from '@/lib/audit/http';
import { withUser } from '@/lib/auth/session';
import { errorResponse } from '@/lib/http/errors';
import { getStore } from '@/lib/store/shared';

export const GET = withUser(async (user, request) => {
  try {
    requireAuditAction(user, request, 'audit.read');
    return Response.json(await (await getStore()).audit.verify(), { headers: { 'Cache-Control': 'no-store' } });
  } catch (error) {
    return errorResponse(error);
  }
});
