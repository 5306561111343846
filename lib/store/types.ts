// What the store keeps of a debug session, and the interface both back ends
// (PostgreSQL for production replicas, PGlite embedded by default) implement
// with the same SQL and the same migrations: sessions, their recordings and
// the audit log.

import type { AuditAction, AuditEvent, ChainVerdict, NewAuditEvent, RetentionCut } from '@/lib/audit/chain';
import type { Role } from '@/lib/auth/types';
import type { CastHeader } from '@/lib/recordings/asciicast';

export type { AuditAction, AuditEvent, ChainVerdict, NewAuditEvent } from '@/lib/audit/chain';

/** ephemeral: a container added to a pod; node: a node debug pod; copy: a pod copy; exec: into an existing container; attach: to a still-running ephemeral container. */
export const SESSION_KINDS = ['ephemeral', 'node', 'copy', 'exec', 'attach'] as const;
export type SessionKind = (typeof SESSION_KINDS)[number];

/** interactive: a terminal (stdin + tty); oneshot: one command, its output streamed, then the container exits. */
export const SESSION_MODES = ['interactive', 'oneshot'] as const;
export type SessionMode = (typeof SESSION_MODES)[number];

/** starting: sent to the cluster, waiting for the container; running: attached or attachable; ended: over, for good. */
export const SESSION_STATES = ['starting', 'running', 'ended'] as const;
export type SessionState = (typeof SESSION_STATES)[number];

/** Why a session ended. */
export const END_REASONS = [
  'exited', // the container's process ended (exitCode set)
  'user-ended', // the user ended it (button, API DELETE)
  'idle-timeout', // policy: no input for idleTimeoutSeconds
  'max-duration', // policy: maxDurationSeconds reached
  'start-failed', // the container never ran: image pull error, config error, … (endMessage says which)
  'start-timeout', // the container was not running within the start timeout
  'cluster-error', // the cluster went away or refused mid-session
  'interrupted', // the Ephemera process that held it stopped (found at start-up)
  'detached', // every browser left and none came back within the reconnect grace period
  'recording-failed', // the store could not take the recording, and the policy fails closed
] as const;
export type EndReason = (typeof END_REASONS)[number];

/** How a session went, in one word: still starting, running, or why it ended. */
export const SESSION_OUTCOMES = ['starting', 'running', ...END_REASONS] as const;
export type SessionOutcome = (typeof SESSION_OUTCOMES)[number];

export interface VolumeMountRecord {
  name: string;
  mountPath: string;
  readOnly: boolean;
}

export interface SessionLimitsRecord {
  maxDurationSeconds: number;
  idleTimeoutSeconds: number;
  /** How long the terminal stays attached with no browser connected; absent in sessions stored before it was kept (60 s applies). */
  reconnectGraceSeconds?: number;
  /** The policy's recording rules when the session started; absent in sessions stored before there were any (no input, fail closed). */
  recording?: RecordingRules;
}

export interface RecordingRules {
  input: boolean;
  onStoreFailure: 'end' | 'continue';
}

/** A new session, as the starter writes it. */
export interface NewSession {
  user: string;
  groups: string[];
  roles: Role[];
  cluster: string;
  namespace: string | null;
  /** The pod the terminal connects to: the debugged pod, the node debug pod, or the copy. */
  pod: string | null;
  node: string | null;
  kind: SessionKind;
  mode: SessionMode;
  /** The container the terminal connects to (the debug container, or the exec target). */
  container: string;
  image: string | null;
  profile: string | null;
  /** targetContainerName: whose processes the debug container sees. */
  target: string | null;
  mounts: VolumeMountRecord[];
  command: string[] | null;
  reason: string | null;
  breakGlass: boolean;
  /** What was sent to the cluster: the ephemeral container, or the pod. */
  spec: unknown;
  limits: SessionLimitsRecord;
  /** Which Ephemera process holds the session (lib/store/server-id.ts), so a restart can find what it left behind. */
  serverId: string;
}

export interface SessionRecord extends NewSession {
  /** A UUID. */
  id: string;
  state: SessionState;
  createdAt: Date;
  /** When the container was first seen running. */
  startedAt: Date | null;
  endedAt: Date | null;
  exitCode: number | null;
  endReason: EndReason | null;
  /** One sentence for people: why it ended, the cluster's own words where there are some. */
  endMessage: string | null;
}

export type SessionUpdate = Partial<Pick<SessionRecord, 'state' | 'startedAt' | 'endedAt' | 'exitCode' | 'endReason' | 'endMessage' | 'pod' | 'container' | 'serverId'>>;

export interface SessionFilter {
  user?: string;
  cluster?: string;
  namespace?: string;
  pod?: string;
  node?: string;
  kind?: SessionKind;
  profile?: string;
  state?: SessionState;
  /** `starting` or `running` (the state), or the end reason of an ended session. */
  outcome?: SessionOutcome;
  /** Created at or after this instant. */
  from?: Date;
  /** Created before this instant. */
  to?: Date;
  /** Only sessions whose recorded output contains this text, case-insensitively (escape sequences aside). */
  text?: string;
  /** Newest first; at most this many (default 100, at most 1000). */
  limit?: number;
  /** Only sessions created before this instant (paging). Creation times are unique in a store, so the last row's createdAt fetches the next page without gaps. */
  before?: Date;
}

export interface SessionStore {
  create(session: NewSession): Promise<SessionRecord>;
  get(id: string): Promise<SessionRecord | undefined>;
  /**
   * Applies the update; an ended session never changes state again (the update is ignored and the stored row returned).
   * Ending (state 'ended') without endedAt sets it to now. Undefined for an unknown id.
   */
  update(id: string, update: SessionUpdate): Promise<SessionRecord | undefined>;
  /** Throws RangeError for a limit that is not a whole number of at least 1 (more than 1000 means 1000), an unknown outcome or an invalid date. */
  list(filter?: SessionFilter): Promise<SessionRecord[]>;
  /** Ends, with reason `interrupted`, every session still starting or running that `serverId` held; returns them (for clean-up). */
  interruptAll(serverId: string): Promise<SessionRecord[]>;
  /** Deletes the sessions that ended before `before`, with their recordings and observers; returns how many. Open sessions are never deleted. */
  deleteEndedBefore(before: Date): Promise<number>;
}

export interface AuditFilter {
  /** Only events with a greater seq (paging: pass the last seq seen). */
  after?: number;
  /** Oldest first; at most this many (default 100, at most 1000). */
  limit?: number;
  actor?: string;
  action?: AuditAction;
  sessionId?: string;
}

/** The append-only, hash-chained audit log (lib/audit/chain.ts says how the chain is made). */
export interface AuditLog {
  /** Chains and stores the event; appends from every replica on one database are serialised. */
  append(event: NewAuditEvent): Promise<AuditEvent>;
  /** Throws RangeError for a limit that is not a whole number of at least 1; more than 1000 means 1000. */
  list(filter?: AuditFilter): Promise<AuditEvent[]>;
  /** Reads the whole table, a page at a time, and says whether the chain is intact or where it first breaks. */
  verify(): Promise<ChainVerdict>;
  /** Every event in seq order, read a page at a time. */
  events(): AsyncIterable<AuditEvent>;
  /** Every event as one JSON line each (newline-terminated), read a page at a time. */
  exportJsonLines(): AsyncIterable<string>;
  /**
   * In one transaction under the append lock: finds the events stored before
   * `before` (none when it is undefined), appends the retention.run event that
   * `record` makes from that cut, then deletes them. The event stays, so the
   * shortened chain still verifies (lib/audit/chain.ts). `record` may return
   * undefined only when there is no cut: then nothing is appended or deleted.
   */
  deleteBefore(before: Date | undefined, record: (cut: RetentionCut | undefined) => NewAuditEvent | undefined): Promise<{ event?: AuditEvent; deleted: number }>;
}

/** A session's recording (asciicast v2): its header, and how far it got. */
export interface RecordingInfo {
  sessionId: string;
  header: CastHeader;
  /** Whether keystrokes are recorded ("i" events) besides the output. */
  input: boolean;
  startedAt: Date;
  /** Set when the recorder closed it; null while recording, or when its process was killed (the chunks stored so far are all there is). */
  endedAt: Date | null;
  /** Output bytes recorded (UTF-8), and chunks stored. */
  bytes: number;
  chunks: number;
}

/** Event lines written together, at most a second apart. */
export interface RecordingChunk {
  /** 0, 1, 2, … per recording. */
  seq: number;
  /** asciicast v2 event lines, each newline-terminated. */
  events: string;
  /** The chunk's output as plain text, for search (lib/recordings/asciicast.ts searchableText). */
  text: string;
  /** Output bytes in this chunk. */
  bytes: number;
}

export interface RecordingStore {
  /** Starts the session's recording; when it already has one (a second hub in another process), returns that one unchanged. */
  begin(sessionId: string, header: CastHeader, options: { input: boolean }): Promise<RecordingInfo>;
  /** Stores a chunk; a seq stored before is refused (the chunk is not applied twice). */
  append(sessionId: string, chunk: RecordingChunk): Promise<void>;
  /** Marks the recording complete (idempotent). */
  finish(sessionId: string): Promise<void>;
  get(sessionId: string): Promise<RecordingInfo | undefined>;
  /** Chunks with seq greater than `after` (default: from the first), in order, at most `limit` (default 100, at most 1000). */
  chunks(sessionId: string, options?: { after?: number; limit?: number }): Promise<RecordingChunk[]>;
  /** `observer` is watching the session live now (called every few seconds while they do). */
  observing(sessionId: string, observer: string): Promise<void>;
  /** Who was seen observing the session within the last `withinMs`, by name. */
  observers(sessionId: string, withinMs: number): Promise<string[]>;
  /** The whole recording as asciicast v2 text, a line at a time (header first), read a page of chunks at a time; undefined when there is none. */
  cast(sessionId: string): Promise<AsyncIterable<string> | undefined>;
}

export interface Store {
  readonly backend: 'postgres' | 'pglite';
  readonly sessions: SessionStore;
  readonly recordings: RecordingStore;
  readonly audit: AuditLog;
  close(): Promise<void>;
}
