// The browser's side of the terminal WebSocket (protocol.ts) as a small plain
// state machine: the socket's events in, what the page shows out. The
// terminal component only wires the socket to `reduce` and renders the state;
// reconnecting after a dropped connection is decided here, not in refs.
import { CLOSE, type ContainerPhase, type ServerMessage } from './protocol';

/** Waits before each reconnect attempt after a dropped connection; then it gives up and offers a button. */
export const RECONNECT_DELAYS_MS = [500, 1_000, 2_000, 4_000, 8_000] as const;

export interface ProgressStep {
  phase: ContainerPhase;
  reason?: string;
  message?: string;
}

export type ConnectionPhase =
  /** Opening the socket (the first time, or again after a drop). */
  | 'connecting'
  /** Open; the container is not running yet (progress messages arrive). */
  | 'starting'
  /** Streams connected. */
  | 'attached'
  /** The socket dropped; another try in `retryInMs`. */
  | 'reconnecting'
  /** Gave up, or the server refused for good (no such session, not yours). */
  | 'disconnected'
  /** The session is over. */
  | 'ended';

export interface TerminalState {
  phase: ConnectionPhase;
  /** Reconnect attempts since the last successful attach. */
  attempt: number;
  retryInMs?: number;
  progress: ProgressStep[];
  attached?: { container: string; tty: boolean; endsAt: string; idleTimeoutSeconds: number };
  ended?: { reason: string; exitCode: number | null; message: string };
  notices: string[];
  /** Why the connection is down, in words. */
  problem?: string;
}

export type TerminalEvent =
  | { type: 'connect' }
  | { type: 'open' }
  | { type: 'message'; message: ServerMessage }
  | { type: 'close'; code: number; reason: string };

export const initialTerminalState: TerminalState = { phase: 'connecting', attempt: 0, progress: [], notices: [] };

const MAX_NOTICES = 20;

/** A text frame from the server as a ServerMessage, or null when it is not one. */
export function parseServerMessage(text: string): ServerMessage | null {
  try {
    const value = JSON.parse(text) as { type?: unknown };
    if (value && typeof value === 'object' && ['progress', 'attached', 'notice', 'error', 'ended'].includes(value.type as string)) return value as ServerMessage;
  } catch {
    // not JSON: ignored, like any other malformed frame
  }
  return null;
}

function onMessage(state: TerminalState, message: ServerMessage): TerminalState {
  switch (message.type) {
    case 'progress': {
      const last = state.progress.at(-1);
      const same = last && last.phase === message.phase && last.reason === message.reason && last.message === message.message;
      const step: ProgressStep = { phase: message.phase, ...(message.reason ? { reason: message.reason } : {}), ...(message.message ? { message: message.message } : {}) };
      return { ...state, phase: state.phase === 'attached' ? 'attached' : 'starting', progress: same ? state.progress : [...state.progress, step] };
    }
    case 'attached':
      return {
        ...state,
        phase: 'attached',
        attempt: 0,
        retryInMs: undefined,
        problem: undefined,
        attached: { container: message.container, tty: message.tty, endsAt: message.endsAt, idleTimeoutSeconds: message.idleTimeoutSeconds },
      };
    case 'notice':
    case 'error':
      return { ...state, notices: [...state.notices, message.type === 'error' ? `Refused: ${message.message}` : message.message].slice(-MAX_NOTICES) };
    case 'ended':
      return { ...state, phase: 'ended', retryInMs: undefined, ended: { reason: message.reason, exitCode: message.exitCode, message: message.message } };
  }
}

function onClose(state: TerminalState, code: number, reason: string): TerminalState {
  if (state.phase === 'ended') return state;
  if (code === CLOSE.notFound) return { ...state, phase: 'disconnected', problem: reason || 'There is no such session.' };
  if (code === CLOSE.forbidden) return { ...state, phase: 'disconnected', problem: reason || 'This session belongs to someone else.' };
  if (code === CLOSE.gone) return { ...state, phase: 'ended', ended: state.ended ?? { reason: 'ended', exitCode: null, message: reason || 'The session had already ended.' } };
  const delay = RECONNECT_DELAYS_MS[state.attempt];
  const why = reason ? `The connection dropped (${reason}).` : `The connection dropped (code ${code}).`;
  if (delay === undefined) return { ...state, phase: 'disconnected', retryInMs: undefined, problem: `${why} Gave up after ${RECONNECT_DELAYS_MS.length} tries.` };
  return { ...state, phase: 'reconnecting', attempt: state.attempt + 1, retryInMs: delay, problem: why };
}

export function reduce(state: TerminalState, event: TerminalEvent): TerminalState {
  switch (event.type) {
    case 'connect':
      return state.phase === 'ended' ? state : { ...state, phase: 'connecting', retryInMs: undefined };
    case 'open':
      return state.phase === 'connecting' ? { ...state, phase: 'starting' } : state;
    case 'message':
      return onMessage(state, event.message);
    case 'close':
      return onClose(state, event.code, event.reason);
  }
}

/** "exited with code 3", "ended by the user", …: the ending in words for the status line. */
export function describeEnding(ended: NonNullable<TerminalState['ended']>): string {
  const code = ended.exitCode === null ? '' : ` with code ${ended.exitCode}`;
  switch (ended.reason) {
    case 'exited':
      return `exited${code}`;
    case 'user-ended':
      return `ended by the user${code}`;
    case 'idle-timeout':
      return `ended after the idle timeout${code}`;
    case 'max-duration':
      return `ended at the maximum duration${code}`;
    case 'start-failed':
      return 'the container never started';
    case 'start-timeout':
      return 'the container did not start in time';
    default:
      return `${ended.reason.replace(/-/g, ' ')}${code}`;
  }
}
