// GET /api/clusters/:cluster/pods/events?namespace=&q=&status=&label=&node=&ephemeral=&rows=none
// The live pod list as Server-Sent Events (lib/k8s/pod-feed.ts names the
// events): a snapshot, then row changes, filtered for the signed-in user;
// rows=none for the cache's status and which other kinds changed, only.
// EventSource reconnects by itself, and each connection starts with a snapshot.

import { withUser } from '@/lib/auth/session';
import { z } from 'zod';
import { errorResponse } from '@/lib/http/errors';
import { clusterParams, parseOrThrow, podFilterFrom } from '@/lib/k8s/params';
import { openPodFeed, type PodFeed } from '@/lib/k8s/pod-feed';
import { browseAs } from '@/lib/k8s/pods';
import { SYNC_WAIT_MS } from '@/lib/k8s/sync';

type Context = { params: Promise<{ cluster: string }> };

const rowsParam = z.object({ rows: z.enum(['all', 'none'], { message: 'rows must be all or none' }).default('all') });

/** A reader this far behind (bytes queued) is cut off; its EventSource reconnects and starts from a fresh snapshot. */
const MAX_QUEUED_BYTES = 32 * 1024 * 1024;

export const GET = withUser(async (user, request, { params }: Context) => {
  try {
    const { cluster } = parseOrThrow(clusterParams, await params);
    const search = new URL(request.url).searchParams;
    const filter = podFilterFrom(search);
    const { rows } = parseOrThrow(rowsParam, { rows: search.get('rows') ?? undefined });
    const browse = browseAs(user, cluster);
    // Not synced in time: the feed starts empty with the cache's status, and rows follow as changes once it syncs.
    await browse.cache.whenSynced(SYNC_WAIT_MS);

    const encoder = new TextEncoder();
    let controller!: ReadableStreamDefaultController<Uint8Array>;
    let feed: PodFeed | undefined;
    let open = true;
    const stop = () => {
      if (!open) return;
      open = false;
      feed?.close();
      try {
        controller.close();
      } catch {
        // Already closed or cancelled by the reader.
      }
    };
    const stream = new ReadableStream<Uint8Array>(
      { start: (c) => void (controller = c), cancel: stop },
      new ByteLengthQueuingStrategy({ highWaterMark: 1024 * 1024 }),
    );
    const write = (text: string) => {
      if (!open) return;
      if ((controller.desiredSize ?? 0) < -MAX_QUEUED_BYTES) return stop();
      controller.enqueue(encoder.encode(text));
    };
    write('retry: 2000\n\n');
    feed = await openPodFeed(
      { browse, filter, rows: rows === 'all' },
      { send: (event, data) => write(`event: ${event}\ndata: ${data}\n\n`), keepAlive: () => write(': keep-alive\n\n'), end: stop },
    );
    request.signal.addEventListener('abort', stop);
    return new Response(stream, {
      headers: {
        'Content-Type': 'text/event-stream; charset=utf-8',
        // no-transform: the compression layer must not buffer the stream.
        'Cache-Control': 'no-cache, no-transform',
        'X-Accel-Buffering': 'no',
      },
    });
  } catch (error) {
    return errorResponse(error);
  }
});
