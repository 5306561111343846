// GET    /api/clusters/:cluster/pods/:namespace/:name   the pod page's data, read as the signed-in user
// DELETE /api/clusters/:cluster/pods/:namespace/:name?uid=   recycle the pod, as the user (lib/k8s/recycle.ts);
//        Origin-checked by proxy.ts like every mutating request.

import { z } from 'zod';
import { podRecycled } from '@/lib/audit/events';
import { recordAudit } from '@/lib/audit/record';
import { withUser } from '@/lib/auth/session';
import { errorResponse } from '@/lib/http/errors';
import { parseOrThrow, podParams } from '@/lib/k8s/params';
import { browseAs, podPage } from '@/lib/k8s/pods';
import { recyclePod } from '@/lib/k8s/recycle';
import { clusterClientFor } from '@/lib/k8s/user-client';

type Context = { params: Promise<{ cluster: string; namespace: string; name: string }> };

const deleteQuery = z.object({ uid: z.string({ message: 'uid is required: the uid of the pod you confirmed' }).min(1, 'uid must not be empty').max(64) });

export const GET = withUser(async (user, _request, { params }: Context) => {
  try {
    const { cluster, namespace, name } = parseOrThrow(podParams, await params);
    const page = await podPage(clusterClientFor(cluster, user), browseAs(user, cluster), namespace, name);
    return Response.json(page, { headers: { 'Cache-Control': 'no-store' } });
  } catch (error) {
    return errorResponse(error);
  }
});

export const DELETE = withUser(async (user, request, { params }: Context) => {
  try {
    const { cluster, namespace, name } = parseOrThrow(podParams, await params);
    const { uid } = parseOrThrow(deleteQuery, { uid: new URL(request.url).searchParams.get('uid') ?? undefined });
    await recyclePod(user, clusterClientFor(cluster, user), browseAs(user, cluster), namespace, name, uid);
    void recordAudit(podRecycled(user, cluster, namespace, name, uid));
    return Response.json({ recycled: `${namespace}/${name}`, message: `Pod ${namespace}/${name} is being deleted; its controller recreates it without the ephemeral containers.` });
  } catch (error) {
    return errorResponse(error);
  }
});
