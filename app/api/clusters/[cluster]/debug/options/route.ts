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
import { debugRoleRefusal } from '@/lib/sessions/prepare';

type Context = { params: Promise<{ cluster: string }> };

const query = z
  .object({ namespace: namespaceName.optional(), pod: objectName.optional(), node: objectName.optional() })
  .refine((q) => (q.pod !== undefined) !== (q.node !== undefined) && (q.node !== undefined || q.namespace !== undefined), {
    message: 'Give namespace and pod (?namespace=shop&pod=checkout-0), or node (?node=node-a&namespace=shop)',
  })
  .transform((q): OptionsQuery => (q.node !== undefined ? { namespace: q.namespace ?? 'default', node: q.node } : { namespace: q.namespace!, pod: q.pod! }));

export const GET = withUser(async (user, request, { params }: Context) => {
  try {
    const { cluster } = parseOrThrow(clusterParams, await params);
    const roles = debugRoleRefusal(user);
    if (roles) return refusalResponse(roles, user, request);
    const search = new URL(request.url).searchParams;
    const asked = Object.fromEntries(['namespace', 'pod', 'node'].flatMap((name) => (search.get(name) ? [[name, search.get(name)]] : [])));
    const result = await optionsFor(user, cluster, parseOrThrow(query, asked), appPrepareDeps());
    if (!result.ok) return refusalResponse(result, user, request);
    return Response.json(result.options, { headers: { 'Cache-Control': 'no-store' } });
  } catch (error) {
    return errorResponse(error);
  }
});
