// GET /api/clusters/:cluster/pods/:namespace/:name/log?container=&previous=&tailLines=&follow=
// A container's log as plain text, streamed from the cluster as the signed-in
// user (their RBAC decides); with follow, until the browser goes away.

import { Readable } from 'node:stream';
import { withUser } from '@/lib/auth/session';
import { errorResponse } from '@/lib/http/errors';
import { logQuerySchema, parseOrThrow, podParams } from '@/lib/k8s/params';
import { podLogAs } from '@/lib/k8s/pods';
import { clusterClientFor } from '@/lib/k8s/user-client';

type Context = { params: Promise<{ cluster: string; namespace: string; name: string }> };

export const GET = withUser(async (user, request, { params }: Context) => {
  try {
    const { cluster, namespace, name } = parseOrThrow(podParams, await params);
    const search = new URL(request.url).searchParams;
    const query = parseOrThrow(logQuerySchema, Object.fromEntries(['container', 'previous', 'follow', 'tailLines'].map((key) => [key, search.get(key) ?? undefined])));
    const body = await podLogAs(clusterClientFor(cluster, user), namespace, name, query, request.signal);
    return new Response(Readable.toWeb(Readable.from(body)) as ReadableStream<Uint8Array>, {
      headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-cache, no-transform', 'X-Accel-Buffering': 'no', 'X-Content-Type-Options': 'nosniff' },
    });
  } catch (error) {
    return errorResponse(error);
  }
});
