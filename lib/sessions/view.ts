// Sessions as the API shows them, to whom. Every role may see who ran which
// session, when, on what and how it ended (DESIGN.md: viewers see session
// metadata); the rest — the spec sent, the command, the reason, the person's
// groups — only the session's owner and those who may replay any session
// (leads, admins). Ending a session: its owner or an admin. Pure.

import { z } from 'zod';
import { can } from '@/lib/auth/roles';
import type { EphemeraUser } from '@/lib/auth/types';
import { BadRequestError } from '@/lib/k8s/params';
import { SESSION_KINDS, SESSION_OUTCOMES, SESSION_STATES, type SessionFilter, type SessionRecord } from '@/lib/store/types';

const METADATA = [
  'id', 'user', 'cluster', 'namespace', 'pod', 'node', 'kind', 'mode', 'container', 'image', 'profile', 'target', 'breakGlass',
  'state', 'createdAt', 'startedAt', 'endedAt', 'exitCode', 'endReason', 'endMessage',
] as const satisfies ReadonlyArray<keyof SessionRecord>;

export type SessionMetadata = Pick<SessionRecord, (typeof METADATA)[number]> & { detail: false };
export type SessionDetail = Omit<SessionRecord, 'serverId'> & { detail: true };
export type SessionView = SessionMetadata | SessionDetail;

export const ownsSession = (record: Pick<SessionRecord, 'user'>, user: EphemeraUser) => record.user === user.name;

/** Whether `user` sees all of `record`, or its metadata only. */
export function seesDetail(record: Pick<SessionRecord, 'user'>, user: EphemeraUser): boolean {
  return ownsSession(record, user) || can(user.roles, 'sessions.replayAny');
}

export function sessionView(record: SessionRecord, user: EphemeraUser): SessionView {
  if (seesDetail(record, user)) {
    const { serverId: _serverId, ...rest } = record;
    return { ...rest, detail: true };
  }
  return { ...(Object.fromEntries(METADATA.map((key) => [key, record[key]])) as Pick<SessionRecord, (typeof METADATA)[number]>), detail: false };
}

/** Whether `user` may replay or observe `record`'s recording: leads and admins any, debuggers their own; viewers none. */
export function mayReplay(record: Pick<SessionRecord, 'user'>, user: EphemeraUser): boolean {
  return can(user.roles, 'sessions.replayAny') || (ownsSession(record, user) && can(user.roles, 'sessions.replayOwn'));
}

/** Whether `user` could replay any session at all (asked before a lookup, so a viewer learns nothing of which ids exist). */
export function mayReplaySome(user: EphemeraUser): boolean {
  return can(user.roles, 'sessions.replayAny') || can(user.roles, 'sessions.replayOwn');
}

/** Whether `user` may end `record`: its owner (who may still start sessions) or an admin. */
export function mayEnd(record: Pick<SessionRecord, 'user'>, user: EphemeraUser): boolean {
  return user.roles.includes('admin') || (ownsSession(record, user) && can(user.roles, 'sessions.attachOwn'));
}

const optional = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (value === '' || value === null ? undefined : value), schema.optional());

const DAY_MS = 24 * 60 * 60 * 1000;

/** A day (`2026-11-27`, the whole UTC day: `to` takes in all of it) or an instant (`2026-11-27T06:00:00Z`). */
const dayOrInstant = (name: 'from' | 'to') =>
  z
    .union([z.iso.date(), z.iso.datetime({ offset: true })], {
      message: `${name} must be a date (2026-11-27) or an ISO 8601 instant (2026-11-27T06:00:00Z)`,
    })
    .transform((text) => (text.length === 10 && name === 'to' ? new Date(new Date(text).getTime() + DAY_MS) : new Date(text)));

const FilterSchema = z
  .strictObject({
    user: optional(z.string().max(256)),
    cluster: optional(z.string().max(253)),
    namespace: optional(z.string().max(63)),
    pod: optional(z.string().max(253)),
    node: optional(z.string().max(253)),
    kind: optional(z.enum(SESSION_KINDS, { message: `kind must be one of ${SESSION_KINDS.join(', ')}` })),
    profile: optional(z.string().max(63)),
    state: optional(z.enum(SESSION_STATES, { message: `state must be one of ${SESSION_STATES.join(', ')}` })),
    outcome: optional(z.enum(SESSION_OUTCOMES, { message: `outcome must be one of ${SESSION_OUTCOMES.join(', ')}` })),
    from: optional(dayOrInstant('from')),
    to: optional(dayOrInstant('to')),
    limit: optional(z.coerce.number({ message: 'limit must be a whole number' }).int('limit must be a whole number').min(1, 'limit must be at least 1').max(1000, 'limit must be at most 1000')),
    q: optional(z.string().trim().min(2, 'q must be at least 2 characters').max(200, 'q must be at most 200 characters')),
    before: optional(z.iso.datetime({ offset: true, message: 'before must be an ISO 8601 instant, e.g. 2026-11-27T06:00:00Z' }).transform((s) => new Date(s))),
  })
  .refine(({ from, to }) => from === undefined || to === undefined || from < to, { message: 'from must be before to' });

const FILTER_PARAMETERS = [...Object.keys(FilterSchema.shape), 'mine'];

/** The list filter from a query string; 400 naming the bad parameter. `mine=1` is user=<you>. */
export function sessionFilterFrom(params: URLSearchParams, user: EphemeraUser): SessionFilter {
  const raw: Record<string, string> = {};
  for (const [key, value] of params) if (key !== 'mine') raw[key] = value;
  if (['1', 'true'].includes(params.get('mine') ?? '')) raw.user = user.name;
  // Searching what recordings show is reading them: any for leads and admins, one's own for debuggers.
  if (raw.q !== undefined && raw.q !== '' && !can(user.roles, 'sessions.replayAny')) {
    if (!can(user.roles, 'sessions.replayOwn')) throw new BadRequestError('q searches inside recordings, which are for their owners, leads and admins: filter by user, namespace, pod, node, profile, outcome or date.');
    raw.user = user.name;
  }
  const parsed = FilterSchema.safeParse(raw);
  if (!parsed.success) {
    throw new BadRequestError(
      parsed.error.issues.map((issue) => (issue.code === 'unrecognized_keys' ? `unknown parameter ${issue.keys.join(', ')}: use ${FILTER_PARAMETERS.join(', ')}` : issue.message)).join('; ') + '.',
    );
  }
  const { q, ...filter } = parsed.data;
  return Object.fromEntries(Object.entries({ ...filter, text: q }).filter(([, value]) => value !== undefined)) as SessionFilter;
}
