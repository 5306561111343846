// A session record as it crosses to the browser: JSON, so its instants are ISO strings.
import type { SessionRecord } from '@/lib/store/types';

export type SessionJson = Omit<SessionRecord, 'createdAt' | 'startedAt' | 'endedAt'> & {
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
};

export function toSessionJson(record: SessionRecord): SessionJson {
  const iso = (date: Date | string | null) => (date === null ? null : new Date(date).toISOString());
  return { ...record, createdAt: iso(record.createdAt)!, startedAt: iso(record.startedAt), endedAt: iso(record.endedAt) };
}
