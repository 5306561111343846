// GET    /api/sessions/:id   one session (metadata, or all of it for its owner, leads and admins)
// DELETE /api/sessions/:id   end it (its owner or an admin): 200 { session } as ended, with
//                            reason user-ended; a node debug pod or pod copy is deleted.
//                            Ending one that has ended already answers it as it is.

import { withUser } from '@/lib/auth/session';
import { errorResponse, UserFacingError } from '@/lib/http/errors';
import { recordDenial } from '@/lib/auth/denials';
import { appEndElsewhere } from '@/lib/sessions/deps';
import { endSession } from '@/lib/sessions/live';
import { mayEnd, sessionView } from '@/lib/sessions/view';
import { can } from '@/lib/auth/roles';
import { getStore } from '@/lib/store/shared';

type Context = { params: Promise<{ id: string }> };

const notFound = (id: string) => new UserFacingError(`There is no session ${id}. It may be on another Ephemera installation; check the link.`, 404);

export const GET = withUser(async (user, _request, { params }: Context) => {
  try {
    const { id } = await params;
    const record = await (await getStore()).sessions.get(id);
    if (!record) throw notFound(id);
    return Response.json({ session: sessionView(record, user) }, { headers: { 'Cache-Control': 'no-store' } });
  } catch (error) {
    return errorResponse(error);
  }
});

export const DELETE = withUser(async (user, request, { params }: Context) => {
  try {
    const { id } = await params;
    // Those who may never end a session are told so before anything is looked up.
    if (!user.roles.includes('admin') && !can(user.roles, 'sessions.attachOwn')) {
      recordDenial({ user, route: `DELETE ${new URL(request.url).pathname}`, reason: 'missing-role', detail: 'ending a session needs its owner (debugger) or an admin' });
      throw new UserFacingError(`Ending a session is for its owner or an admin; you hold ${user.roles.join(', ')}.`, 403);
    }
    const record = await (await getStore()).sessions.get(id);
    if (!record) throw notFound(id);
    if (!mayEnd(record, user)) {
      recordDenial({ user, route: `DELETE ${new URL(request.url).pathname}`, reason: 'missing-role', detail: `session of ${record.user}` });
      throw new UserFacingError(`This is ${record.user}'s session: only they or an admin may end it.`, 403);
    }
    if (record.state === 'ended') return Response.json({ session: sessionView(record, user) });
    const ended = await endSession(id, 'user-ended', `Ended by ${user.name}.`, null, await appEndElsewhere());
    return Response.json({ session: sessionView(ended ?? record, user) });
  } catch (error) {
    return errorResponse(error);
  }
});
