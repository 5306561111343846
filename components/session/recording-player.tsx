'use client';

// A session's recording in asciinema-player: the replay of a finished session
// (play/pause, seek, speed, markers at the end of every idle stretch with
// buttons to jump between them, download), or a running session observed live
// (the player's eventsource driver on …/recording/live, which reads the store,
// so the session may run on another replica).

import 'asciinema-player/dist/bundle/asciinema-player.css';
import type { Player } from 'asciinema-player';
import { useEffect, useRef, useState } from 'react';
import { idleEnds, parseCast } from '@/lib/recordings/asciicast';

/** Quiet stretches this long or longer get a marker where they end. */
const IDLE_MARKER_SECONDS = 5;
const SPEEDS = [0.5, 1, 2, 4, 8];

type Loaded = { kind: 'loading' } | { kind: 'failed'; message: string } | { kind: 'ready'; cast: string; markers: [number, string][]; duration: number };

export function RecordingPlayer({ sessionId, live }: { sessionId: string; live: boolean }) {
  const host = useRef<HTMLDivElement>(null);
  const player = useRef<Player | null>(null);
  const [loaded, setLoaded] = useState<Loaded>({ kind: live ? 'ready' : 'loading', cast: '', markers: [], duration: 0 } as Loaded);
  const [speed, setSpeed] = useState(1);
  const [skipIdle, setSkipIdle] = useState(false);
  const base = `/api/sessions/${encodeURIComponent(sessionId)}/recording`;

  // The recording, fetched once: its idle ends become the player's markers.
  useEffect(() => {
    if (live) return;
    let cancelled = false;
    (async () => {
      const response = await fetch(`${base}?for=player`);
      if (!response.ok) {
        const body = (await response.json().catch(() => null)) as { error?: string } | null;
        if (!cancelled) setLoaded({ kind: 'failed', message: body?.error ?? `The recording could not be read (HTTP ${response.status}).` });
        return;
      }
      const cast = await response.text();
      const { events } = parseCast(cast);
      const markers = idleEnds(events, IDLE_MARKER_SECONDS).map(({ at, idleSeconds }): [number, string] => [at, `after ${Math.round(idleSeconds)} s idle`]);
      if (!cancelled) setLoaded({ kind: 'ready', cast, markers, duration: events.at(-1)?.[0] ?? 0 });
    })().catch((error: unknown) => !cancelled && setLoaded({ kind: 'failed', message: `The recording could not be read: ${(error as Error).message}` }));
    return () => {
      cancelled = true;
    };
  }, [base, live]);

  // The player; made again when the speed or idle skipping changes, from where it was.
  useEffect(() => {
    if (loaded.kind !== 'ready' || !host.current) return;
    let disposed = false;
    const startAt = player.current?.getCurrentTime() ?? 0;
    (async () => {
      const { create } = await import('asciinema-player');
      if (disposed || !host.current) return;
      const source = live ? ({ driver: 'eventsource', url: `${base}/live` } as unknown as Parameters<typeof create>[0]) : { data: loaded.cast };
      player.current = create(source, host.current, {
        autoPlay: live,
        speed,
        idleTimeLimit: skipIdle ? 2 : undefined,
        markers: live ? undefined : loaded.markers,
        startAt: live ? undefined : startAt,
        fit: 'both',
        terminalFontSize: 'small',
        ...(live ? {} : { preload: true }),
      });
    })();
    return () => {
      disposed = true;
      player.current?.dispose();
      player.current = null;
    };
  }, [loaded, live, base, speed, skipIdle]);

  if (loaded.kind === 'loading') return <p className="text-sm text-zinc-500 dark:text-zinc-400">Loading the recording…</p>;
  if (loaded.kind === 'failed') return <p role="alert" className="text-sm text-red-700 dark:text-red-400">{loaded.message}</p>;

  return (
    <section aria-label={live ? 'Live view' : 'Replay'} className="space-y-2">
      <div ref={host} data-testid="recording-player" className="h-[28rem] overflow-hidden rounded-md bg-black" />
      <div className="flex flex-wrap items-center gap-3 text-xs">
        {!live && (
          <>
            <label className="flex items-center gap-1">
              Speed
              <select value={speed} onChange={(event) => setSpeed(Number(event.target.value))} className="rounded border border-zinc-300 bg-white px-1 py-0.5 dark:border-zinc-700 dark:bg-zinc-900">
                {SPEEDS.map((s) => (
                  <option key={s} value={s}>
                    {s}×
                  </option>
                ))}
              </select>
            </label>
            <label className="flex items-center gap-1">
              <input type="checkbox" checked={skipIdle} onChange={(event) => setSkipIdle(event.target.checked)} />
              Skip idle time (at most 2 s)
            </label>
            <button type="button" disabled={loaded.markers.length === 0} onClick={() => void player.current?.seek({ marker: 'prev' })} className="rounded border border-zinc-300 px-2 py-0.5 disabled:opacity-50 dark:border-zinc-700">
              Previous idle end
            </button>
            <button type="button" disabled={loaded.markers.length === 0} onClick={() => void player.current?.seek({ marker: 'next' })} className="rounded border border-zinc-300 px-2 py-0.5 disabled:opacity-50 dark:border-zinc-700">
              Next idle end
            </button>
            <span className="text-zinc-500 dark:text-zinc-400">
              {formatDuration(loaded.duration)} · {loaded.markers.length} idle {loaded.markers.length === 1 ? 'stretch' : 'stretches'} of {IDLE_MARKER_SECONDS} s or more · keys: space, ←/→, [ ]
            </span>
            <a href={base} download className="ml-auto text-sky-700 hover:underline dark:text-sky-400">
              Download .cast
            </a>
          </>
        )}
        {live && <span className="text-zinc-500 dark:text-zinc-400">Read-only: you see what the terminal shows, as it happens (a second or so behind).</span>}
      </div>
    </section>
  );
}

function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  return s >= 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s} s`;
}
