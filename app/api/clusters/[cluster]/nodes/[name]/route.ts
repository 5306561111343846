// GET /api/clusters/:cluster/nodes/:name — one node and the pods on it the user may see.

import { withUser } from '@/lib/auth/session';
import { errorResponse } from '@/lib/http/errors';
import { nodePage } from '@/lib/k8s/nodes';
import { nodeParams, parseOrThrow } from '@/lib/k8s/params';
import { browseAs } from '@/lib/k8s/pods';
import { notSyncedError, SYNC_WAIT_MS } from '@/lib/k8s/sync';

type Context = { params: Promise<{ cluster: string; name: string }> };

export const GET = withUser(async (user, _request, { params }: Context) => {
  try {
    const { cluster, name } = parseOrThrow(nodeParams, await params);
    const browse = browseAs(user, cluster);
    const status = await browse.cache.whenSynced(SYNC_WAIT_MS);
    if (!status.syncedAt) throw notSyncedError(cluster, status);
    return Response.json(await nodePage(browse, name), { headers: { 'Cache-Control': 'no-store' } });
  } catch (error) {
    return errorResponse(error);
  }
});
