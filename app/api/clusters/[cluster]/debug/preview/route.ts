// POST /api/clusters/:cluster/debug/preview   body { request, mode? } (or a bare request)
// What starting this session would send, built from the pod or node read as
// the signed-in user: 200 { ok: true, request, build, connect, yaml, kubectl,
// adjustments, warnings, limits, breakGlass }. A refusal answers with its own
// status (400 errors, 403 rule, 404, 409) and { ok: false, error, message,
// rule?, errors? }, the same as POST …/sessions would. Sends nothing.
// Origin-checked by proxy.ts like every POST.

import { withUser } from '@/lib/auth/session';
import { errorResponse } from '@/lib/http/errors';
import { clusterParams, parseOrThrow } from '@/lib/k8s/params';
import { appPrepareDeps } from '@/lib/sessions/deps';
import { jsonBody, refusalResponse, sessionBody } from '@/lib/sessions/http';
import { debugRoleRefusal, prepareSession } from '@/lib/sessions/prepare';

type Context = { params: Promise<{ cluster: string }> };

export const POST = withUser(async (user, request, { params }: Context) => {
  try {
    const { cluster } = parseOrThrow(clusterParams, await params);
    const roles = debugRoleRefusal(user);
    if (roles) return refusalResponse(roles, user, request);
    const { request: input, mode } = sessionBody(await jsonBody(request));
    const prepared = await prepareSession(user, cluster, input, mode, appPrepareDeps());
    if (!prepared.ok) return refusalResponse(prepared, user, request);
    return Response.json(prepared, { headers: { 'Cache-Control': 'no-store' } });
  } catch (error) {
    return errorResponse(error);
  }
});
