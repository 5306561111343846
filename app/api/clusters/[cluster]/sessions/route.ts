// POST /api/clusters/:cluster/sessions   body { request, mode? }
//   request: a debug request (kind ephemeral | node | copy), or
//            { kind: exec | attach, namespace, pod, container, command? }
//   mode:    interactive (default) | oneshot
// Starts a session as the signed-in user (lib/sessions/start.ts): 201
// { session } once the cluster took it (state starting; running for exec and
// attach); the container is followed in the background and the terminal
// WebSocket shows its progress. Refusals: 400 { errors, message }, 403
// { rule?, message }, 404, 409, 422 { errors } with the cluster's causes.
// Origin-checked by proxy.ts like every POST. docs/api.md has examples.

import { sessionStarted } from '@/lib/audit/events';
import { recordAudit } from '@/lib/audit/record';
import { withUser } from '@/lib/auth/session';
import { errorResponse } from '@/lib/http/errors';
import { clusterParams, parseOrThrow } from '@/lib/k8s/params';
import { appSessionDeps } from '@/lib/sessions/deps';
import { jsonBody, refusalResponse, sessionBody } from '@/lib/sessions/http';
import { debugRoleRefusal } from '@/lib/sessions/prepare';
import { startSession } from '@/lib/sessions/start';
import { sessionView } from '@/lib/sessions/view';

type Context = { params: Promise<{ cluster: string }> };

export const POST = withUser(async (user, request, { params }: Context) => {
  try {
    const { cluster } = parseOrThrow(clusterParams, await params);
    const roles = debugRoleRefusal(user);
    if (roles) return refusalResponse(roles, user, request);
    const { request: input, mode } = sessionBody(await jsonBody(request));
    const started = await startSession(user, cluster, input, mode, await appSessionDeps());
    if (!started.ok) return refusalResponse(started, user, request);
    for (const event of sessionStarted(started.session)) void recordAudit(event);
    const session = sessionView(started.session, user);
    return Response.json({ session }, { status: 201, headers: { Location: `/api/sessions/${started.session.id}`, 'Cache-Control': 'no-store' } });
  } catch (error) {
    return errorResponse(error);
  }
});
