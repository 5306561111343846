// GET /api/clusters/:cluster/nodes — nodes from the shared cache, if the user may list nodes.

import { withUser } from '@/lib/auth/session';
import { errorResponse } from '@/lib/http/errors';
import { listNodes } from '@/lib/k8s/nodes';
import { clusterParams, parseOrThrow } from '@/lib/k8s/params';
import { browseAs } from '@/lib/k8s/pods';
import { notSyncedError, SYNC_WAIT_MS } from '@/lib/k8s/sync';

type Context = { params: Promise<{ cluster: string }> };

export const GET = withUser(async (user, _request, { params }: Context) => {
  try {
    const { cluster } = parseOrThrow(clusterParams, await params);
    const browse = browseAs(user, cluster);
    const status = await browse.cache.whenSynced(SYNC_WAIT_MS);
    if (!status.syncedAt) throw notSyncedError(cluster, status);
    return Response.json(await listNodes(browse), { headers: { 'Cache-Control': 'no-store' } });
  } catch (error) {
    return errorResponse(error);
  }
});
