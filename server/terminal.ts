// The terminal WebSocket (lib/sessions/protocol.ts) at
//   /api/ws/terminal?session=<id>
// for a session in the store: refused with a close code when there is no such
// session, it is someone else's (admins excepted) or it has ended; while it is
// starting, the starter's progress (lib/sessions/live.ts); once running, the
// session's terminal hub (lib/sessions/terminal-hub.ts), the one connection
// to the container, as the session's user — interactive sessions attach (or
// exec) with stdin and a TTY, one-shot sessions follow the container's log,
// whose output began before anyone connected. Every socket of one session
// joins that hub: a socket that comes back after a dropped connection or a
// reload, or a second tab, finds the same shell. The container exiting, a
// limit, the user's "end" or nobody coming back within the reconnect grace
// period ends the session (endSession).

import type { IncomingMessage } from 'node:http';
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import type { WebSocket } from 'ws';
import type { EphemeraUser } from '@/lib/auth/types';
import { readBrowserFrame } from '@/lib/sessions/browser-frames';
import { CLOSE, type ServerMessage } from '@/lib/sessions/protocol';
import { sessionAttached } from '@/lib/audit/events';
import { recordAudit } from '@/lib/audit/record';
import { clusterClientFor } from '@/lib/k8s/user-client';
import { appEndElsewhere } from '@/lib/sessions/deps';
import { endSession, liveSession, type LiveSession } from '@/lib/sessions/live';
import { openTerminalHub, type EndedShown, type HubOptions } from '@/lib/sessions/terminal-hub';
import { forgetTerminalHub, keepTerminalHub, terminalHub } from '@/lib/sessions/terminal-hubs';
import { beginRecording, type RecordingFailure } from '@/lib/sessions/recording';
import { mayEnd } from '@/lib/sessions/view';
import { getStore } from '@/lib/store/shared';
import type { EndReason, RecordingStore, SessionRecord, SessionStore } from '@/lib/store/types';
import type { WebSocketRoute } from './upgrade';

export interface TerminalDeps {
  sessions: Pick<SessionStore, 'get'>;
  /** The starter's registry (lib/sessions/live.ts): progress while starting, `ended` when the session ends elsewhere. */
  liveSession(id: string): LiveSession | undefined;
  /** Ends the session for good: the store's row, clean-up of what it left in the cluster. */
  endSession(id: string, reason: EndReason, message: string, exitCode?: number | null): Promise<unknown>;
  /** A KubeConfig acting as `user` on `cluster` (lib/k8s/user-client.ts). */
  kubeConfigFor(cluster: string, user: EphemeraUser): KubeConfig;
  /** Where interactive sessions are recorded (lib/sessions/recording.ts). */
  recordings: Pick<RecordingStore, 'begin' | 'append' | 'finish'>;
}

/** The process's own: the shared store, the live registry, clients acting as the user on the configured clusters. */
export async function appTerminalDeps(): Promise<TerminalDeps> {
  const store = await getStore();
  const elsewhere = await appEndElsewhere();
  return {
    sessions: store.sessions,
    recordings: store.recordings,
    liveSession,
    endSession: (id, reason, message, exitCode) => endSession(id, reason, message, exitCode, elsewhere),
    kubeConfigFor: (cluster, user) => clusterClientFor(cluster, user).kubeConfig,
  };
}

/** How often the session's state is read while it starts, when no event says it changed. */
const STARTING_POLL_MS = 1_000;
/** WebSocket close reasons are at most 123 bytes. */
const closeReason = (text: string) => Buffer.from(text).subarray(0, 123).toString('utf8').replace(/\uFFFD$/, '');

/** Sessions stored before the grace period was a limit of its own: the policy's default. */
const DEFAULT_RECONNECT_GRACE_SECONDS = 60;

export function terminalRoute(deps: () => Promise<TerminalDeps>): WebSocketRoute {
  return (socket, request, user) => {
    socket.on('error', () => {});
    deps()
      .then((resolved) => serveTerminal(socket, request, user, resolved))
      .catch((error: unknown) => {
        console.error('Ephemera: terminal socket failed', error);
        send(socket, { type: 'error', message: 'The session could not be opened; reload to try again.' });
        socket.close(1011, 'internal error');
      });
  };
}

export async function serveTerminal(socket: WebSocket, request: IncomingMessage, user: EphemeraUser, deps: TerminalDeps): Promise<void> {
  const query = new URL(request.url ?? '/', 'http://terminal.invalid').searchParams;
  const id = query.get('session') ?? '';
  let record = id ? await deps.sessions.get(id).catch(() => undefined) : undefined;
  if (!record) return socket.close(CLOSE.notFound, closeReason(id ? `No session ${id}.` : 'No session named: add ?session=<id>.'));
  // Attaching is ending's rule (lib/sessions/view.ts): the owner, while a role still lets them attach, or an admin.
  if (!mayEnd(record, user)) {
    const why = record.user === user.name ? 'Your roles no longer let you attach to sessions.' : 'This session belongs to someone else.';
    return socket.close(CLOSE.forbidden, closeReason(why));
  }
  if (record.state === 'ended') {
    await sendFinishedOutput(socket, record, user, deps);
    send(socket, endedMessage(record));
    return socket.close(CLOSE.gone, closeReason('The session had already ended.'));
  }
  if (record.state === 'starting') record = await untilStarted(socket, record, deps);
  if (!record || socket.readyState !== socket.OPEN) return;
  if (record.state === 'ended') {
    // It never ran (start-failed, start-timeout…), or a one-shot ran and finished before this socket could follow it.
    await sendFinishedOutput(socket, record, user, deps);
    send(socket, endedMessage(record));
    return socket.close(CLOSE.ended);
  }
  void recordAudit(sessionAttached(record, user));
  await attach(socket, record, user, deps, initialSize(query));
}

/** `&cols=…&rows=…`: the terminal's size from the first byte (else 80×24 until the first resize); out of range, ignored. */
function initialSize(query: URLSearchParams): { cols: number; rows: number } | undefined {
  const frame = readBrowserFrame(Buffer.from(JSON.stringify({ type: 'resize', cols: Number(query.get('cols')), rows: Number(query.get('rows')) })), false);
  return frame.kind === 'control' && frame.message.type === 'resize' ? { cols: frame.message.cols, rows: frame.message.rows } : undefined;
}

/** Forwards the starter's progress until the session is running or ended; undefined if the browser left first. */
async function untilStarted(socket: WebSocket, record: SessionRecord, deps: TerminalDeps): Promise<SessionRecord | undefined> {
  let current = record;
  let wake: () => void = () => {};
  const forward = (message: ServerMessage) => {
    if (message.type === 'progress' || message.type === 'notice') send(socket, message);
    wake();
  };
  const live = deps.liveSession(record.id);
  live?.history().forEach(forward);
  const unsubscribe = live?.subscribe(forward) ?? (() => {});
  const onClose = () => wake();
  socket.on('close', onClose);
  // Before the container runs there is nothing to type into, but the person may give up: `end` ends the session.
  const onMessage = (data: Buffer, isBinary: boolean) => {
    const frame = readBrowserFrame(data, isBinary);
    if (frame.kind === 'refused') return send(socket, { type: 'error', message: frame.message });
    if (frame.kind === 'stdin') return send(socket, { type: 'error', message: 'The container is not running yet: that input was not sent.' });
    if (frame.message.type === 'end') {
      deps
        .endSession(record.id, 'user-ended', 'Ended by the user before the container ran.')
        .catch((error: unknown) => console.error(`Ephemera: ending session ${record.id} failed`, error))
        .finally(() => wake());
    }
    // A resize before the terminal exists: its size comes again once attached.
  };
  socket.on('message', onMessage);
  try {
    while (current.state === 'starting' && socket.readyState === socket.OPEN) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, STARTING_POLL_MS);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      current = (await deps.sessions.get(record.id)) ?? current;
    }
  } finally {
    unsubscribe();
    socket.off('close', onClose);
    socket.off('message', onMessage);
  }
  return socket.readyState === socket.OPEN ? current : undefined;
}

async function attach(socket: WebSocket, record: SessionRecord, user: EphemeraUser, deps: TerminalDeps, size?: { cols: number; rows: number }): Promise<void> {
  if (!record.namespace || !record.pod) {
    send(socket, { type: 'error', message: `Session ${record.id} names no pod to connect to.` });
    return socket.close(CLOSE.gone, 'no pod');
  }
  const joined = terminalHub(record.id);
  if (joined) return joined.join(socket, size);
  // Always as the session's owner, with the groups it was started with; the owner's own sign-in carries the ID token pass-through needs.
  const owner: EphemeraUser = user.name === record.user ? user : { name: record.user, groups: record.groups, roles: record.roles };
  let kubeConfig: KubeConfig;
  try {
    kubeConfig = deps.kubeConfigFor(record.cluster, owner);
  } catch (error) {
    // This socket cannot act as the owner (no ID token for pass-through, an unknown cluster); the session goes on.
    send(socket, { type: 'error', message: (error as Error).message });
    return socket.close(CLOSE.forbidden, closeReason('Cannot act as the session’s user.'));
  }
  const interactive = record.mode === 'interactive';
  const started = record.startedAt ?? record.createdAt;
  // An exec's process is the hub's own (one-shot or not); other one-shot sessions follow their container's log.
  const action: HubOptions['action'] = record.kind === 'exec' ? 'exec' : interactive ? 'attach' : 'log';
  // Attach and exec are recorded here from the hub's first byte; a one-shot's log by the starter, which follows it whoever watches.
  let recordingFailed: (failure: RecordingFailure) => void = () => {};
  const recording = action !== 'log' ? await beginRecording(record, size ?? DEFAULT_SIZE, deps.recordings, (failure) => recordingFailed(failure)) : {};
  if (recording.failure?.then === 'end') {
    const ended = (await deps.endSession(record.id, 'recording-failed', recording.failure.message).catch(() => undefined)) as SessionRecord | undefined;
    send(socket, ended ? endedMessage(ended) : { type: 'ended', reason: 'recording-failed', exitCode: null, message: recording.failure.message });
    return socket.close(CLOSE.ended, closeReason('The session could not be recorded.'));
  }
  // Another socket of this session may have made the hub while this one waited for the store.
  const joinedMeanwhile = terminalHub(record.id);
  if (joinedMeanwhile) {
    void recording.recorder?.close();
    return joinedMeanwhile.join(socket, size);
  }
  if (socket.readyState !== socket.OPEN) return void recording.recorder?.close();
  const options: Omit<HubOptions, 'onEnd'> = {
    kubeConfig,
    namespace: record.namespace,
    pod: record.pod,
    container: record.container,
    action,
    command: record.kind === 'exec' ? (record.command ?? ['sh']) : undefined,
    tty: interactive,
    stdin: interactive,
    idleTimeoutSeconds: record.limits.idleTimeoutSeconds,
    endsAt: new Date(started.getTime() + record.limits.maxDurationSeconds * 1000),
    reconnectGraceSeconds: record.limits.reconnectGraceSeconds ?? DEFAULT_RECONNECT_GRACE_SECONDS,
    initialSize: size,
    recorder: recording.recorder,
  };
  const hub = openTerminalHub({
    ...options,
    onEnd: (result) => {
      forgetTerminalHub(record.id, hub);
      stopWatching();
      void recording.recorder?.close();
      // A one-shot's browsers left: its container goes on. Ended elsewhere: whoever ended it recorded it.
      if (result.reason === 'browsers-left' || result.reason === 'ended-elsewhere') return;
      deps.endSession(record.id, result.reason, result.message, result.exitCode).catch((error: unknown) => {
        console.error(`Ephemera: ending session ${record.id} failed`, error);
      });
    },
  });
  keepTerminalHub(record.id, hub);
  hub.join(socket);
  if (recording.failure) hub.notice(recording.failure.message);
  recordingFailed = (failure) => {
    if (failure.then === 'continue') return hub.notice(failure.message);
    void deps
      .endSession(record.id, 'recording-failed', failure.message)
      .catch((error: unknown) => console.error(`Ephemera: ending session ${record.id} failed`, error))
      .finally(() => hub.end({ reason: 'recording-failed', exitCode: null, message: failure.message }));
  };
  const stopWatching = watchForEndElsewhere(record.id, deps, (ended) => {
    // The starter ends a one-shot as its container exits, while its log may still be on the way: let the log finish first.
    if (interactive) return hub.end(ended);
    const drained = setTimeout(() => hub.end(ended), ONE_SHOT_DRAIN_MS);
    void hub.ended.then(() => clearTimeout(drained));
  });
}

/** The terminal's size until the browser says (xterm.js's default). */
const DEFAULT_SIZE = { cols: 80, rows: 24 };
/** How long a one-shot's log may take to arrive after its session was ended elsewhere. */
const ONE_SHOT_DRAIN_MS = 10_000;
/** The most of a finished one-shot's output sent to a socket that comes after it ended. */
const FINISHED_OUTPUT_BYTES = 1024 * 1024;

/**
 * A one-shot session's output, for a socket that connects after the session
 * ended (the command was quicker than the page): the container's log, read as
 * the session's user, while the pod still has it. Interactive sessions and
 * pods that are gone send nothing.
 */
async function sendFinishedOutput(socket: WebSocket, record: SessionRecord, user: EphemeraUser, deps: TerminalDeps): Promise<void> {
  if (record.mode !== 'oneshot' || !record.namespace || !record.pod || record.startedAt === null) return;
  const owner: EphemeraUser = user.name === record.user ? user : { name: record.user, groups: record.groups, roles: record.roles };
  try {
    const core = deps.kubeConfigFor(record.cluster, owner).makeApiClient(CoreV1Api);
    const log = await core.readNamespacedPodLog({ name: record.pod, namespace: record.namespace, container: record.container, limitBytes: FINISHED_OUTPUT_BYTES });
    if (log && socket.readyState === socket.OPEN) socket.send(Buffer.from(log, 'utf8'), { binary: true });
  } catch {
    // The pod or its log is gone (node pods and copies are deleted as their session ends): nothing to show.
  }
}

/** The session ended elsewhere (the API's DELETE, the starter's maximum duration): tell its browsers. */
function watchForEndElsewhere(id: string, deps: TerminalDeps, end: (shown: EndedShown) => void): () => void {
  return (
    deps.liveSession(id)?.subscribe((message) => {
      if (message.type === 'ended') end(message);
    }) ?? (() => {})
  );
}

function endedMessage(record: SessionRecord): Extract<ServerMessage, { type: 'ended' }> {
  return {
    type: 'ended',
    reason: record.endReason ?? 'ended',
    exitCode: record.exitCode,
    message: record.endMessage ?? 'The session has ended.',
  };
}

function send(socket: WebSocket, message: ServerMessage): void {
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
}
