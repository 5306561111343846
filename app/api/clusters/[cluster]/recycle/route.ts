// GET /api/clusters/:cluster/recycle — pods carrying ephemeral containers that
// the user may see, and per namespace whether they may recycle them.

import { withUser } from '@/lib/auth/session';
import { errorResponse } from '@/lib/http/errors';
import { clusterParams, parseOrThrow } from '@/lib/k8s/params';
import { browseAs } from '@/lib/k8s/pods';
import { recycleListing } from '@/lib/k8s/recycle';
import { notSyncedError, SYNC_WAIT_MS } from '@/lib/k8s/sync';

type Context = { params: Promise<{ cluster: string }> };

export const GET = withUser(async (user, _request, { params }: Context) => {
  try {
    const { cluster } = parseOrThrow(clusterParams, await params);
    const browse = browseAs(user, cluster);
    const status = await browse.cache.whenSynced(SYNC_WAIT_MS);
    if (!status.syncedAt) throw notSyncedError(cluster, status);
    return Response.json(await recycleListing(user, browse), { headers: { 'Cache-Control': 'no-store' } });
  } catch (error) {
    return errorResponse(error);
  }
});
