// GET /api/clusters/:cluster/debug/options?namespace=NS&pod=NAME
// GET /api/clusters/:cluster/debug/options?node=NAME[&namespace=NS]
// What the compose form offers this person here (lib/sessions/options.ts):
// approved images, the profiles they may use (least privileged first, each
// explained), the pod's containers, volumes, running ephemeral containers to
// re-attach to, whether a reason is needed, the limits. The pod or node is
// read as the user: 403/404 keep the cluster's words.

import { z } from 'zod';
import { withUser } from '@/lib/auth/session';
import { errorResponse } from '@/lib/http/errors';
import { clusterParams, namespaceName, objectName, parseOrThrow } from '@/lib/k8s/params';
import { appPrepareDeps } from '@/lib/sessions/deps';
import { refusalResponse } from '@/lib/sessions/http';
import { optionsFor, type OptionsQuery } from '@/lib/sessions/options';

type Context = { params: Promise<{ cluster: string }> };

const query = z.union(
  [
    z.object({ namespace: namespaceName, pod: objectName, node: z.undefined().optional() }),
    z.object({ namespace: namespaceName.default('default'), node: objectName, pod: z.undefined().optional() }),
  ],
  { message: 'Give namespace and pod (?namespace=shop&pod=checkout-0), or node (?node=node-a&namespace=shop)' },
);

export const GET = withUser(async (user, request, { params }: Context) => {
  try {
    const { cluster } = parseOrThrow(clusterParams, await params);
    const search = new URL(request.url).searchParams;
    const asked = Object.fromEntries(['namespace', 'pod', 'node'].flatMap((name) => (search.get(name) ? [[name, search.get(name)]] : [])));
    const where = parseOrThrow(query, asked) as OptionsQuery;
    const deps = appPrepareDeps();
    const result = await optionsFor(user, cluster, where, deps);
    if (!result.ok) return refusalResponse(result, user, request);
    return Response.json(result.options, { headers: { 'Cache-Control': 'no-store' } });
  } catch (error) {
    return errorResponse(error);
  }
});
