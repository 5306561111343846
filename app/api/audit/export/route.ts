// GET /api/audit/export   every audit event as JSON lines (application/x-ndjson), streamed
//   oldest first (audit.export: leads, admins). The export is itself an audit event.

import { auditExported } from '@/lib/audit/events';
import { requireAuditAction } from '@/lib/audit/http';
import { recordAudit } from '@/lib/audit/record';
import { withUser } from '@/lib/auth/session';
import { errorResponse } from '@/lib/http/errors';
import { getStore } from '@/lib/store/shared';

export const GET = withUser(async (user, request) => {
  try {
    requireAuditAction(user, request, 'audit.export');
    const store = await getStore();
    // Awaited (it never rejects), so the export includes the event that records it.
    await recordAudit(auditExported(user));
    const lines = store.audit.exportJsonLines()[Symbol.asyncIterator]();
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const next = await lines.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      },
      async cancel() {
        await lines.return?.();
      },
    });
    const day = new Date().toISOString().slice(0, 10);
    return new Response(body, {
      headers: { 'Content-Type': 'application/x-ndjson', 'Content-Disposition': `attachment; filename="ephemera-audit-${day}.jsonl"`, 'Cache-Control': 'no-store' },
    });
  } catch (error) {
    return errorResponse(error);
  }
});
