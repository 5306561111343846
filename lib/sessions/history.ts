// The session history (the /sessions page): whose sessions a person sees,
// the filter read from the page's query (the API's parameters plus `all=1`),
// one page of rows, and the query of the next, older page. How each row reads
// (outcome, duration) is here too, so the page only renders. Pure but for the
// store's list.

import { can } from '@/lib/auth/roles';
import type { EphemeraUser } from '@/lib/auth/types';
import { humanDuration } from '@/lib/k8s/duration';
import { BadRequestError } from '@/lib/k8s/params';
import type { SessionOutcome, SessionRecord, SessionStore } from '@/lib/store/types';
import { sessionFilterFrom, sessionView, type SessionView } from './view';

export const HISTORY_PAGE_SIZE = 50;

/** The filter form's fields, each an API query parameter of the same name. */
export const HISTORY_FIELDS = ['user', 'namespace', 'pod', 'node', 'profile', 'outcome', 'from', 'to', 'q'] as const;
export type HistoryForm = Partial<Record<(typeof HISTORY_FIELDS)[number], string>>;

export const OUTCOME_LABELS: Readonly<Record<SessionOutcome, string>> = {
  starting: 'Starting',
  running: 'Running',
  exited: 'Exited',
  'user-ended': 'Ended by a person',
  'idle-timeout': 'Idle timeout',
  'max-duration': 'Maximum duration',
  'start-failed': 'Failed to start',
  'start-timeout': 'Start timed out',
  'cluster-error': 'Cluster error',
  interrupted: 'Interrupted',
  detached: 'Detached',
  'recording-failed': 'Recording failed',
};

export interface SessionHistory {
  /** own: the person's sessions only; everyone: all they may see (others' as metadata unless they may replay any). */
  scope: 'own' | 'everyone';
  /** Debuggers have sessions of their own and may see others' metadata: they switch with `all=1`. */
  mayChooseScope: boolean;
  /** What the form shows: the query as it came (user only in scope everyone). */
  form: HistoryForm;
  /** Whether any filter narrows the list (beyond the scope). */
  filtered: boolean;
  sessions: SessionView[];
  /** The query string of the next, older page; absent on the last one. */
  older?: string;
  /** On a later page (`before` given), the query string of the first. */
  newest?: string;
  /** Why the query was not used (a bad date, an unknown outcome…); no rows then. */
  error?: string;
}

function scopeFor(user: EphemeraUser, params: URLSearchParams): Pick<SessionHistory, 'scope' | 'mayChooseScope'> {
  // Viewers and leads start no sessions: "their own" would always be empty.
  if (can(user.roles, 'sessions.replayAny') || !can(user.roles, 'sessions.start')) return { scope: 'everyone', mayChooseScope: false };
  return { scope: params.get('all') === '1' ? 'everyone' : 'own', mayChooseScope: true };
}

/** One page of the sessions `user` asked for with `params` (the page's query string), newest first. */
export async function sessionHistory(store: Pick<SessionStore, 'list'>, user: EphemeraUser, params: URLSearchParams): Promise<SessionHistory> {
  const { scope, mayChooseScope } = scopeFor(user, params);
  const query = new URLSearchParams([...params].filter(([key, value]) => value !== '' && !['all', 'limit', 'mine'].includes(key)));
  if (scope === 'own') query.set('user', user.name);

  const form: HistoryForm = {};
  for (const field of HISTORY_FIELDS) {
    const value = params.get(field);
    if (value && !(field === 'user' && scope === 'own')) form[field] = value;
  }
  const filtered = [...query.keys()].some((key) => key !== 'before' && !(key === 'user' && scope === 'own'));
  const pageLink = (before?: Date) => {
    const link = new URLSearchParams([...params].filter(([key, value]) => value !== '' && key !== 'before'));
    if (before) link.set('before', before.toISOString());
    return link.toString();
  };
  const base = { scope, mayChooseScope, form, filtered, ...(query.has('before') ? { newest: pageLink() } : {}) };

  let records: SessionRecord[];
  try {
    records = await store.list({ ...sessionFilterFrom(query, user), limit: HISTORY_PAGE_SIZE + 1 });
  } catch (error) {
    if (error instanceof BadRequestError) return { ...base, sessions: [], error: error.message };
    throw error;
  }
  const sessions = records.slice(0, HISTORY_PAGE_SIZE).map((record) => sessionView(record, user));
  if (records.length <= HISTORY_PAGE_SIZE) return { ...base, sessions };

  return { ...base, sessions, older: pageLink(sessions.at(-1)!.createdAt) };
}

type Timed = Pick<SessionRecord, 'state' | 'createdAt' | 'startedAt' | 'endedAt'>;

/** "Running", "Ended by a person", "Exited · code 3"… */
export function outcomeText(session: Pick<SessionRecord, 'state' | 'endReason' | 'exitCode'>): string {
  if (session.state !== 'ended') return OUTCOME_LABELS[session.state];
  const reason = session.endReason ? OUTCOME_LABELS[session.endReason] : 'Ended';
  return session.exitCode === null ? reason : `${reason} · code ${session.exitCode}`;
}

/** From the container running (or, if it never ran, the request) to the end, as kubectl prints ages; "starting" or "running" while open. */
export function sessionDuration(session: Timed): string {
  if (session.state !== 'ended' || session.endedAt === null) return session.state === 'starting' ? 'starting' : 'running';
  return humanDuration(session.endedAt.getTime() - (session.startedAt ?? session.createdAt).getTime());
}
