// GET /api/sessions/:id/observers   who is observing the session live now
//   (seen within the last 10 s, on any replica): { observers: ["lena"] }.
//   For those who see the session's details: its owner, leads and admins.

import { withUser } from '@/lib/auth/session';
import { errorResponse, UserFacingError } from '@/lib/http/errors';
import { seesDetail } from '@/lib/sessions/view';
import { getStore } from '@/lib/store/shared';

type Context = { params: Promise<{ id: string }> };

const OBSERVER_WINDOW_MS = 10_000;

export const GET = withUser(async (user, _request, { params }: Context) => {
  try {
    const { id } = await params;
    const store = await getStore();
    const record = await store.sessions.get(id);
    if (!record) throw new UserFacingError(`There is no session ${id}.`, 404);
    if (!seesDetail(record, user)) throw new UserFacingError('Who observes a session is for its owner, leads and admins.', 403);
    return Response.json({ observers: await store.recordings.observers(id, OBSERVER_WINDOW_MS) }, { headers: { 'Cache-Control': 'no-store' } });
  } catch (error) {
    return errorResponse(error);
  }
});
