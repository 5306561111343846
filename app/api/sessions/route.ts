// GET /api/sessions?user=&cluster=&namespace=&pod=&node=&kind=&profile=&state=&outcome=&from=&to=&limit=&before=&mine=1
// Debug sessions, newest first (at most `limit`, default 100; `before` pages).
// Every role sees who, what, when and how it ended; the owner and those who
// may replay any session (lead, admin) see the rest (lib/sessions/view.ts).

import { withUser } from '@/lib/auth/session';
import { errorResponse } from '@/lib/http/errors';
import { sessionFilterFrom, sessionView } from '@/lib/sessions/view';
import { getStore } from '@/lib/store/shared';

export const GET = withUser(async (user, request) => {
  try {
    const filter = sessionFilterFrom(new URL(request.url).searchParams, user);
    const store = await getStore();
    const sessions = (await store.sessions.list(filter)).map((record) => sessionView(record, user));
    return Response.json({ sessions }, { headers: { 'Cache-Control': 'no-store' } });
  } catch (error) {
    return errorResponse(error);
  }
});
