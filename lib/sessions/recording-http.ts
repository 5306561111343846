// What the recording routes share: who may read a session's recording
// (lib/sessions/view.ts mayReplay), asked before and after the lookup, each
// refusal recorded as a denial.

import { recordDenial } from '@/lib/auth/denials';
import type { EphemeraUser } from '@/lib/auth/types';
import { UserFacingError } from '@/lib/http/errors';
import { getStore } from '@/lib/store/shared';
import type { RecordingInfo, SessionRecord, Store } from '@/lib/store/types';
import { mayReplay, mayReplaySome } from './view';

export interface ReadableRecording {
  store: Store;
  record: SessionRecord;
  info: RecordingInfo;
}

/** The session and its recording, when `user` may read it; else a 403 or 404 to throw. */
export async function readableRecording(user: EphemeraUser, request: Request, id: string): Promise<ReadableRecording> {
  const route = `${request.method} ${new URL(request.url).pathname}`;
  if (!mayReplaySome(user)) {
    recordDenial({ user, route, reason: 'missing-role', detail: 'replaying sessions needs the debugger (own), lead or admin role' });
    throw new UserFacingError(`Recordings are for the session's owner, leads and admins; you hold ${user.roles.join(', ')}. The session's details are on its page.`, 403);
  }
  const store = await getStore();
  const record = await store.sessions.get(id);
  if (!record) throw new UserFacingError(`There is no session ${id}.`, 404);
  if (!mayReplay(record, user)) {
    recordDenial({ user, route, reason: 'missing-role', detail: 'another person’s recording needs the lead or admin role' });
    throw new UserFacingError(`This recording is ${record.user}'s: only its owner, leads and admins may replay it.`, 403);
  }
  const info = await store.recordings.get(id);
  if (!info) {
    const why = record.state === 'starting' ? 'it has not started yet' : record.startedAt === null ? 'its container never ran' : 'it was not recorded (the store could not take it, or it predates recordings)';
    throw new UserFacingError(`Session ${id} has no recording: ${why}.`, 404);
  }
  return { store, record, info };
}
