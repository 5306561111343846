// GET /api/sessions/:id/recording   the session's recording as an asciicast v2
//   file (application/x-asciicast), streamed from the store a page at a time,
//   as a download. For its owner (debugger), leads and admins; viewers 403.
//   A recording still being made is served as far as it is stored. Each read
//   is a session.replay audit event (`?for=player`: the page's player, else a download).

import { sessionWatched } from '@/lib/audit/events';
import { recordAudit } from '@/lib/audit/record';
import { withUser } from '@/lib/auth/session';
import { errorResponse } from '@/lib/http/errors';
import { textStream } from '@/lib/http/text-stream';
import { readableRecording } from '@/lib/sessions/recording-http';

type Context = { params: Promise<{ id: string }> };

export const GET = withUser(async (user, request, { params }: Context) => {
  try {
    const { id } = await params;
    const { store, record } = await readableRecording(user, request, id);
    await recordAudit(sessionWatched(record, user, new URL(request.url).searchParams.get('for') === 'player' ? 'replay' : 'download'));
    const body = textStream((await store.recordings.cast(id))!);
    const day = record.createdAt.toISOString().slice(0, 10);
    return new Response(body, {
      headers: {
        'Content-Type': 'application/x-asciicast',
        'Content-Disposition': `attachment; filename="ephemera-${day}-${record.user.replace(/[^A-Za-z0-9._-]/g, '_')}-${id.slice(0, 8)}.cast"`,
        'Cache-Control': 'no-store',
      },
    });
  } catch (error) {
    return errorResponse(error);
  }
});
