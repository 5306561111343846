// Observing a session live, from any replica: its recording followed in the
// store (chunks land at least twice a second wherever the session runs), as
// the Server-Sent Events asciinema-player's `eventsource` driver reads — first
// {cols, rows, time, init} with the output so far (the player's terminal
// starts from it), then each event `[time, code, data]`, and {state:
// "offline"} when the recording is complete. Pure but for the store reads.

import { parseCast, type CastEvent } from '@/lib/recordings/asciicast';
import type { RecordingStore } from '@/lib/store/types';

/** The most of the output so far an observer's terminal starts from: the screen it shows is in the last of it. */
export const INIT_BYTES = 512 * 1024;

export interface LiveCastOptions {
  recordings: Pick<RecordingStore, 'get' | 'chunks'>;
  sessionId: string;
  /** Between store reads once caught up. */
  pollMs: number;
  /** Aborts the follow (the observer left). */
  signal: AbortSignal;
  /** Called on every read: the observer is still there. */
  onPoll?: () => Promise<void> | void;
  /** Whether the session has ended (a recording whose process was killed is never marked complete; its session is, on restart). */
  sessionEnded: () => Promise<boolean>;
}

const eventsOf = (lines: string): CastEvent[] => (lines ? parseCast(`{"version":2,"width":1,"height":1}\n${lines}`).events : []);

/** The messages to send, one JSON text each, until the recording is complete or the signal aborts. */
export async function* liveCast({ recordings, sessionId, pollMs, signal, onPoll, sessionEnded }: LiveCastOptions): AsyncGenerator<string> {
  const info = await recordings.get(sessionId);
  if (!info) return;
  let size = { cols: info.header.width, rows: info.header.height };
  let time = 0;
  let init = '';
  let after = -1;
  // Catch up: everything stored so far becomes the starting screen.
  for (;;) {
    const page = await recordings.chunks(sessionId, { after, limit: 500 });
    for (const chunk of page) {
      for (const [t, code, data] of eventsOf(chunk.events)) {
        time = t;
        if (code === 'o') init += data;
        if (code === 'r') {
          const [cols, rows] = data.split('x').map(Number);
          if (cols > 0 && rows > 0) size = { cols, rows };
        }
      }
      if (init.length > INIT_BYTES * 2) init = init.slice(-INIT_BYTES);
    }
    if (page.length === 0) break;
    after = page.at(-1)!.seq;
  }
  yield JSON.stringify({ cols: size.cols, rows: size.rows, time, init: init.slice(-INIT_BYTES) });

  for (;;) {
    if (signal.aborted) return;
    await onPoll?.();
    const page = await recordings.chunks(sessionId, { after, limit: 500 });
    for (const chunk of page) {
      for (const event of eventsOf(chunk.events)) yield JSON.stringify(event);
      after = chunk.seq;
    }
    if (page.length > 0) continue;
    if ((await recordings.get(sessionId))?.endedAt || (await sessionEnded())) {
      // Complete: nothing more will come (the last chunk is written before the end is marked).
      yield JSON.stringify({ state: 'offline' });
      return;
    }
    // One listener per wait, removed when the wait ends: an observer polls for hours on one signal.
    await new Promise<void>((resolve) => {
      const aborted = () => (clearTimeout(timer), resolve());
      const timer = setTimeout(() => (signal.removeEventListener('abort', aborted), resolve()), pollMs);
      signal.addEventListener('abort', aborted, { once: true });
    });
  }
}
