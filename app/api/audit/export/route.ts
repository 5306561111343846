// GET /api/audit/export   every audit event as JSON lines (application/x-ndjson), streamed
//   oldest first (audit.export: leads, admins). The export is itself an audit event.

import { auditExported } from '@/lib/audit/events';
import { requireAuditAction } from '@/lib/audit/http';
import { recordAudit } from '@/lib/audit/record';
import { withUser } from '@/lib/auth/session';
import { errorResponse } from '@/lib/http/errors';
import { textStream } from '@/lib/http/text-stream';
import { getStore } from '@/lib/store/shared';

export const GET = withUser(async (user, request) => {
  try {
    requireAuditAction(user, request, 'audit.export');
    const store = await getStore();
    // Awaited (it never rejects), so the export includes the event that records it.
    await recordAudit(auditExported(user));
    const body = textStream(store.audit.exportJsonLines());
    const day = new Date().toISOString().slice(0, 10);
    return new Response(body, {
      headers: { 'Content-Type': 'application/x-ndjson', 'Content-Disposition': `attachment; filename="ephemera-audit-${day}.jsonl"`, 'Cache-Control': 'no-store' },
    });
  } catch (error) {
    return errorResponse(error);
  }
});
