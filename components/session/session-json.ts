// A session as it crosses to the browser (lib/sessions/view.ts decides what
// each person sees): JSON, so its instants are ISO strings. Without `detail`,
// only the metadata every role may see is there.
import type { SessionRecord } from '@/lib/store/types';

type Metadata = Pick<
  SessionRecord,
  'id' | 'user' | 'cluster' | 'namespace' | 'pod' | 'node' | 'kind' | 'mode' | 'container' | 'image' | 'profile' | 'target' | 'breakGlass' | 'state' | 'exitCode' | 'endReason' | 'endMessage'
>;

export type SessionJson = Metadata &
  Partial<Pick<SessionRecord, 'mounts' | 'limits' | 'reason' | 'command'>> & {
    detail: boolean;
    createdAt: string;
    startedAt: string | null;
    endedAt: string | null;
  };

/** A session view (records with Dates) as the JSON the API sends. */
export function toSessionJson(view: Metadata & { detail: boolean; createdAt: Date; startedAt: Date | null; endedAt: Date | null }): SessionJson {
  const iso = (date: Date | string | null) => (date === null ? null : new Date(date).toISOString());
  return JSON.parse(JSON.stringify({ ...view, createdAt: iso(view.createdAt), startedAt: iso(view.startedAt), endedAt: iso(view.endedAt) })) as SessionJson;
}
