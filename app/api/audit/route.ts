// GET /api/audit?after=&limit=&actor=&action=&session=   audit events, oldest first (audit.read: leads, admins)
//   → 200 { events }; page on with after = the last seq seen. docs/api.md has the fields.

import { auditFilterFrom, requireAuditAction } from '@/lib/audit/http';
import { withUser } from '@/lib/auth/session';
import { errorResponse } from '@/lib/http/errors';
import { getStore } from '@/lib/store/shared';

export const GET = withUser(async (user, request) => {
  try {
    requireAuditAction(user, request, 'audit.read');
    const filter = auditFilterFrom(new URL(request.url).searchParams);
    const events = await (await getStore()).audit.list(filter);
    return Response.json({ events }, { headers: { 'Cache-Control': 'no-store' } });
  } catch (error) {
    return errorResponse(error);
  }
});
