// GET /api/clusters/:cluster/pods?namespace=&q=&status=&label=
// The pods the signed-in user may see, from the shared watch cache, filtered.
// Server-Timing says how long the answer took to build (the benchmark reads it).

import { withUser } from '@/lib/auth/session';
import { errorResponse } from '@/lib/http/errors';
import { clusterParams, parseOrThrow, podFilterFrom } from '@/lib/k8s/params';
import { browseAs, podListJson } from '@/lib/k8s/pods';
import { notSyncedError, SYNC_WAIT_MS } from '@/lib/k8s/sync';

type Context = { params: Promise<{ cluster: string }> };

export const GET = withUser(async (user, request, { params }: Context) => {
  try {
    const started = performance.now();
    const { cluster } = parseOrThrow(clusterParams, await params);
    const filter = podFilterFrom(new URL(request.url).searchParams);
    const browse = browseAs(user, cluster);
    const status = await browse.cache.whenSynced(SYNC_WAIT_MS);
    if (!status.syncedAt) throw notSyncedError(cluster, status);
    const body = await podListJson(browse, filter);
    return new Response(body, {
      headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', 'Server-Timing': `app;dur=${(performance.now() - started).toFixed(1)}` },
    });
  } catch (error) {
    return errorResponse(error);
  }
});
