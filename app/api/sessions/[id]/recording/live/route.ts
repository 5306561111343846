// GET /api/sessions/:id/recording/live   a session observed as it happens, as
//   Server-Sent Events for asciinema-player's eventsource driver
//   (lib/sessions/live-cast.ts): the output so far, then each event, then
//   {"state":"offline"} once the recording is complete. Read from the store,
//   so the session may run on any replica. For its owner, leads and admins;
//   the observer is shown to the person debugging (GET …/observers) and
//   recorded once as session.observe.

import { sessionWatched } from '@/lib/audit/events';
import { recordAudit } from '@/lib/audit/record';
import { withUser } from '@/lib/auth/session';
import { errorResponse } from '@/lib/http/errors';
import { liveCast } from '@/lib/sessions/live-cast';
import { readableRecording } from '@/lib/sessions/recording-http';

type Context = { params: Promise<{ id: string }> };

const POLL_MS = 250;
/** How often an observer says it is still there (the page counts those seen within OBSERVER_WINDOW_MS). */
const OBSERVING_EVERY_MS = 3_000;
const KEEP_ALIVE_MS = 15_000;

export const GET = withUser(async (user, request, { params }: Context) => {
  try {
    const { id } = await params;
    const { store, record } = await readableRecording(user, request, id);
    if (record.user !== user.name) await recordAudit(sessionWatched(record, user, 'observe'));
    const stop = new AbortController();
    request.signal.addEventListener('abort', () => stop.abort(), { once: true });
    let lastSeen = 0;
    const messages = liveCast({
      recordings: store.recordings,
      sessionId: id,
      pollMs: POLL_MS,
      signal: stop.signal,
      // The owner watching their own session (a second tab) is not an observer.
      onPoll: async () => {
        if (record.user === user.name || Date.now() - lastSeen < OBSERVING_EVERY_MS) return;
        lastSeen = Date.now();
        await store.recordings.observing(id, user.name).catch(() => undefined);
      },
      sessionEnded: async () => (await store.sessions.get(id))?.state === 'ended',
    })[Symbol.asyncIterator]();
    const encoder = new TextEncoder();
    let keepAlive: NodeJS.Timeout | undefined;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        keepAlive = setInterval(() => controller.enqueue(encoder.encode(': still here\n\n')), KEEP_ALIVE_MS);
      },
      async pull(controller) {
        try {
          const next = await messages.next();
          if (next.done) {
            clearInterval(keepAlive);
            controller.close();
          } else {
            controller.enqueue(encoder.encode(`data: ${next.value}\n\n`));
          }
        } catch (error) {
          clearInterval(keepAlive);
          controller.error(error);
        }
      },
      async cancel() {
        clearInterval(keepAlive);
        stop.abort();
        await messages.return?.(undefined);
      },
    });
    return new Response(body, { headers: { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', 'X-Accel-Buffering': 'no' } });
  } catch (error) {
    return errorResponse(error);
  }
});
