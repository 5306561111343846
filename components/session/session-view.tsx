'use client';

// The session page's live part: its status line, the start's progress (every
// Waiting reason, explained), the terminal, and the End button. When the
// session ends the record is read again so the details show the outcome.

import { useCallback, useEffect, useRef, useState } from 'react';
import { explainWaitingReason } from '@/lib/debug/waiting';
import { describeEnding, initialTerminalState, type TerminalState } from '@/lib/sessions/terminal-connection';
import type { SessionJson } from './session-json';
import { SessionMetadata } from './session-metadata';
import { RecordingPlayer } from './recording-player';
import { SessionTerminal } from './terminal';

/** How often the person debugging asks who observes their session. */
const OBSERVERS_POLL_MS = 5_000;

/** Who is observing the session live (any replica), asked every few seconds while `active`. */
function useObservers(sessionId: string, active: boolean): string[] {
  const [observers, setObservers] = useState<string[]>([]);
  useEffect(() => {
    if (!active) return setObservers([]);
    let cancelled = false;
    const ask = async () => {
      const response = await fetch(`/api/sessions/${encodeURIComponent(sessionId)}/observers`).catch(() => null);
      const body = (await response?.json().catch(() => null)) as { observers?: string[] } | null;
      if (!cancelled && body?.observers) setObservers(body.observers);
    };
    void ask();
    const timer = setInterval(() => void ask(), OBSERVERS_POLL_MS);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, [sessionId, active]);
  return observers;
}

function statusLine(state: TerminalState, session: SessionJson, connected: boolean): string {
  const recorded = session.state === 'ended' ? { reason: session.endReason ?? 'ended', exitCode: session.exitCode, message: session.endMessage ?? '' } : undefined;
  const ended = state.ended ?? recorded;
  if (ended) return `Session ended: ${describeEnding(ended)}.${ended.message ? ` ${ended.message}` : ''}`;
  // No terminal on this page (someone else's session): the record says where it is.
  if (!connected) return session.state === 'running' ? `Running: ${session.user}’s session.` : `Starting: ${session.user}’s session is waiting for its container.`;
  switch (state.phase) {
    case 'connecting':
      return state.attempt > 0 ? `Reconnecting (try ${state.attempt})…` : 'Connecting…';
    case 'starting': {
      const last = state.progress.at(-1);
      return last ? `Starting: the container is ${last.phase}${last.reason ? ` (${last.reason})` : ''}.` : 'Starting: waiting for the container.';
    }
    case 'attached':
      return session.mode === 'oneshot' ? `Running: showing the output of ${state.attached!.container}.` : `Connected to ${state.attached!.container}.`;
    case 'reconnecting':
      return `Connection lost; reconnecting in ${Math.round((state.retryInMs ?? 0) / 100) / 10} s (try ${state.attempt}).`;
    case 'disconnected':
      return `Disconnected: ${state.problem ?? 'the connection closed.'}`;
    default:
      return '';
  }
}

export interface SessionViewProps {
  initial: SessionJson;
  /** The person may attach: it is theirs, and their role still lets them. */
  attach: boolean;
  /** The person may replay the recording (and observe the session live). */
  replay: boolean;
  /** A recording was stored when the page was made. */
  recorded: boolean;
}

export function SessionView({ initial, attach, replay, recorded }: SessionViewProps) {
  const [session, setSession] = useState(initial);
  const [state, setState] = useState<TerminalState>(initialTerminalState);
  const end = useRef<() => void>(() => undefined);
  const [ending, setEnding] = useState(false);

  const refresh = useCallback(async () => {
    const response = await fetch(`/api/sessions/${encodeURIComponent(initial.id)}`).catch(() => null);
    const body = (await response?.json().catch(() => null)) as { session?: SessionJson } | null;
    if (body?.session) setSession(body.session);
  }, [initial.id]);

  // Read the record again when the container runs and when the session ends: the details show what happened.
  useEffect(() => {
    if (state.phase === 'attached' || state.phase === 'ended') void refresh();
  }, [state.phase, refresh]);

  const registerEnd = useCallback((fn: () => void) => {
    end.current = fn;
  }, []);

  const over = session.state === 'ended' || state.phase === 'ended';
  const showTerminal = attach && initial.state !== 'ended';
  const [replaying, setReplaying] = useState(false);
  // Someone else's running session: a lead or an admin observes it; its owner is attached instead.
  const observe = replay && !attach && initial.state === 'running';
  const observers = useObservers(initial.id, showTerminal && !over);

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-3">
        <p role="status" aria-label="Session status" className={`text-sm font-medium ${over ? 'text-zinc-900 dark:text-zinc-100' : 'text-zinc-700 dark:text-zinc-300'}`}>
          {statusLine(state, session, showTerminal)}
        </p>
        {showTerminal && !over && (
          <button
            type="button"
            disabled={ending}
            onClick={() => {
              setEnding(true);
              end.current();
            }}
            className="ml-auto rounded-md bg-red-600 px-2.5 py-1 text-xs font-medium text-white hover:bg-red-700 disabled:opacity-60"
          >
            {ending ? 'Ending…' : 'End session'}
          </button>
        )}
      </div>
      {state.progress.length > 0 && (
        <section aria-label="Start progress" className="rounded-md border border-zinc-200 bg-white p-3 text-xs dark:border-zinc-800 dark:bg-zinc-900">
          <ol className="space-y-1">
            {state.progress.map((step, i) => (
              <li key={i}>
                <span className="font-medium">{step.phase}</span>
                {step.reason && <span className="font-mono"> {step.reason}</span>}
                {step.message && <span className="text-zinc-600 dark:text-zinc-400">: {step.message}</span>}
                {step.phase === 'waiting' && step.reason && step.reason !== 'ContainerCreating' && step.reason !== 'PodInitializing' && (
                  <span className="block text-amber-800 dark:text-amber-300">{explainWaitingReason(step.reason, step.message)}</span>
                )}
              </li>
            ))}
          </ol>
        </section>
      )}
      {state.notices.length > 0 && (
        <ul aria-label="Notices" className="space-y-1 text-xs text-sky-800 dark:text-sky-300">
          {state.notices.map((notice, i) => (
            <li key={i}>{notice}</li>
          ))}
        </ul>
      )}
      {showTerminal ? (
        <>
          <SessionTerminal sessionId={initial.id} readOnly={initial.mode === 'oneshot'} onState={setState} registerEnd={registerEnd} />
          {initial.mode !== 'oneshot' && (
            <p className="text-xs text-zinc-500 dark:text-zinc-400">Copy: select, then Ctrl+Shift+C (⌘⇧C). Paste: Ctrl+Shift+V (⌘⇧V) or the browser’s paste.</p>
          )}
        </>
      ) : (
        !attach &&
        !replay && <p className="text-zinc-500 dark:text-zinc-400">You see this session’s details; its recording is for the person who started it, leads and admins.</p>
      )}
      {observers.length > 0 && !over && (
        <p role="note" aria-label="Observers" className="text-xs text-amber-800 dark:text-amber-300">
          Observed live by {observers.join(', ')}.
        </p>
      )}
      {observe && !over && <RecordingPlayer sessionId={initial.id} live />}
      {replay && !observe && initial.state === 'ended' && (recorded ? <RecordingPlayer sessionId={initial.id} live={false} /> : <p className="text-sm text-zinc-500 dark:text-zinc-400">This session has no recording.</p>)}
      {replay && initial.state !== 'ended' && over && (
        replaying ? (
          <RecordingPlayer sessionId={initial.id} live={false} />
        ) : (
          <button type="button" onClick={() => setReplaying(true)} className="rounded-md border border-zinc-300 px-2.5 py-1 text-xs font-medium dark:border-zinc-700">
            Replay this session
          </button>
        )
      )}
      <SessionMetadata session={session} endsAt={state.attached?.endsAt} />
    </div>
  );
}
