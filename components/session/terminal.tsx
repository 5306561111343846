'use client';

// The session's terminal: xterm.js wired to the terminal WebSocket
// (lib/sessions/protocol.ts). Binary frames both ways, `resize` whenever the
// terminal is fitted, reconnects after a dropped connection (the decision is
// lib/sessions/terminal-connection.ts; this only wires events to it). The
// text on screen is mirrored into an off-screen log for assistive technology
// and tests, a few times a second at most.

import '@xterm/xterm/css/xterm.css';
import type { FitAddon } from '@xterm/addon-fit';
import type { Terminal } from '@xterm/xterm';
import { useCallback, useEffect, useReducer, useRef } from 'react';
import { TERMINAL_WS_PATH, type ClientMessage } from '@/lib/sessions/protocol';
import { initialTerminalState, parseServerMessage, reduce, type TerminalState } from '@/lib/sessions/terminal-connection';
import { documentNonce, stampStyleNonce } from './style-nonce';

const TRANSCRIPT_LINES = 500;
const TRANSCRIPT_THROTTLE_MS = 100;

export interface SessionTerminalProps {
  sessionId: string;
  /** One-shot sessions: output only, nothing typed goes anywhere. */
  readOnly: boolean;
  onState: (state: TerminalState) => void;
  /** Set by the parent to end the session; called with a function that does. */
  registerEnd: (end: () => void) => void;
}

/** The socket's address; with the terminal's size when it is known, so the first bytes are laid out for it. */
function socketUrl(sessionId: string, size?: { cols: number; rows: number }): string {
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  const query = new URLSearchParams({ session: sessionId, ...(size ? { cols: String(size.cols), rows: String(size.rows) } : {}) });
  return `${scheme}://${window.location.host}${TERMINAL_WS_PATH}?${query}`;
}

/** What the terminal shows (the last lines of its buffer), as plain text. */
function screenText(term: Terminal): string {
  const buffer = term.buffer.active;
  const lines: string[] = [];
  for (let y = Math.max(0, buffer.length - TRANSCRIPT_LINES); y < buffer.length; y++) lines.push(buffer.getLine(y)?.translateToString(true) ?? '');
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines.join('\n');
}

export function SessionTerminal({ sessionId, readOnly, onState, registerEnd }: SessionTerminalProps) {
  const [state, dispatch] = useReducer(reduce, initialTerminalState);
  const [generation, reconnect] = useReducer((n: number) => n + 1, 0);
  const host = useRef<HTMLDivElement>(null);
  const transcript = useRef<HTMLPreElement>(null);
  const term = useRef<{ terminal: Terminal; fit: FitAddon } | null>(null);
  const socket = useRef<WebSocket | null>(null);
  /** Output that arrived before xterm was loaded. */
  const early = useRef<Uint8Array[]>([]);

  const send = useCallback((message: ClientMessage) => {
    if (socket.current?.readyState === WebSocket.OPEN) socket.current.send(JSON.stringify(message));
  }, []);

  const fitAndResize = useCallback(() => {
    const t = term.current;
    if (!t || !host.current || host.current.clientWidth === 0) return;
    t.fit.fit();
    send({ type: 'resize', cols: t.terminal.cols, rows: t.terminal.rows });
  }, [send]);

  useEffect(() => onState(state), [state, onState]);

  // The terminal itself: made once, on the client only (xterm needs a DOM).
  useEffect(() => {
    let disposed = false;
    const cleanups: Array<() => void> = [stampStyleNonce(documentNonce())];
    (async () => {
      const [{ Terminal }, { FitAddon }] = await Promise.all([import('@xterm/xterm'), import('@xterm/addon-fit')]);
      if (disposed || !host.current) return;
      const terminal = new Terminal({ cursorBlink: !readOnly, disableStdin: readOnly, convertEol: readOnly, scrollback: 5_000, fontSize: 13 });
      const fit = new FitAddon();
      terminal.loadAddon(fit);
      terminal.open(host.current);
      term.current = { terminal, fit };

      const encoder = new TextEncoder();
      const input = (bytes: Uint8Array) => {
        if (!readOnly && socket.current?.readyState === WebSocket.OPEN) socket.current.send(bytes);
      };
      const onData = terminal.onData((data) => input(encoder.encode(data)));
      const onBinary = terminal.onBinary((data) => input(Uint8Array.from(data, (c) => c.charCodeAt(0) & 0xff)));
      // Ctrl+Shift+C / Ctrl+Shift+V (Cmd+Shift on macOS) copy and paste; plain Ctrl+C stays the interrupt.
      terminal.attachCustomKeyEventHandler((event) => {
        if (event.type !== 'keydown' || !event.shiftKey || !(event.ctrlKey || event.metaKey)) return true;
        if (event.code === 'KeyC') {
          const selection = terminal.getSelection();
          if (selection) void navigator.clipboard?.writeText(selection).catch(() => undefined);
          return false;
        }
        if (event.code === 'KeyV') {
          void navigator.clipboard?.readText().then((text) => terminal.paste(text)).catch(() => undefined);
          return false;
        }
        return true;
      });
      let pending: ReturnType<typeof setTimeout> | null = null;
      const onParsed = terminal.onWriteParsed(() => {
        pending ??= setTimeout(() => {
          pending = null;
          if (transcript.current) transcript.current.textContent = screenText(terminal);
        }, TRANSCRIPT_THROTTLE_MS);
      });
      // Output that came before xterm was loaded, now that the transcript listens too.
      for (const chunk of early.current.splice(0)) terminal.write(chunk);
      const observer = new ResizeObserver(() => fitAndResize());
      observer.observe(host.current);
      window.addEventListener('resize', fitAndResize);
      fitAndResize();
      cleanups.push(() => {
        if (pending) clearTimeout(pending);
        window.removeEventListener('resize', fitAndResize);
        observer.disconnect();
        onData.dispose();
        onBinary.dispose();
        onParsed.dispose();
        terminal.dispose();
        term.current = null;
      });
    })();
    return () => {
      disposed = true;
      cleanups.forEach((cleanup) => cleanup());
    };
  }, [readOnly, fitAndResize]);

  // One socket per generation: the first, and one per reconnect.
  useEffect(() => {
    dispatch({ type: 'connect' });
    const fitted = term.current?.terminal;
    const ws = new WebSocket(socketUrl(sessionId, fitted ? { cols: fitted.cols, rows: fitted.rows } : undefined));
    ws.binaryType = 'arraybuffer';
    socket.current = ws;
    let ended = false;
    ws.onopen = () => {
      dispatch({ type: 'open' });
      fitAndResize();
    };
    ws.onmessage = (event) => {
      if (typeof event.data === 'string') {
        const message = parseServerMessage(event.data);
        if (!message) return;
        if (message.type === 'ended') ended = true;
        if (message.type === 'attached') {
          // Back after a dropped connection: the server replays the recent output, so start from a clean screen.
          if (generation > 0) term.current?.terminal.reset();
          fitAndResize();
          if (!readOnly) term.current?.terminal.focus();
        }
        dispatch({ type: 'message', message });
      } else {
        const bytes = new Uint8Array(event.data as ArrayBuffer);
        if (term.current) term.current.terminal.write(bytes);
        else early.current.push(bytes);
      }
    };
    ws.onclose = (event) => {
      if (socket.current === ws) socket.current = null;
      dispatch({ type: 'close', code: ended ? 1000 : event.code, reason: event.reason });
    };
    return () => {
      ws.onclose = null;
      ws.close(1000, 'page closed');
    };
  }, [sessionId, generation, readOnly, fitAndResize]);

  useEffect(() => {
    if (state.phase !== 'reconnecting' || state.retryInMs === undefined) return;
    const timer = setTimeout(reconnect, state.retryInMs);
    return () => clearTimeout(timer);
  }, [state.phase, state.retryInMs, state.attempt]);

  useEffect(() => {
    registerEnd(() => {
      if (socket.current?.readyState === WebSocket.OPEN) send({ type: 'end' });
      else void fetch(`/api/sessions/${encodeURIComponent(sessionId)}`, { method: 'DELETE' });
    });
  }, [registerEnd, send, sessionId]);

  return (
    <div className="space-y-2">
      <div
        ref={host}
        role="group"
        aria-label={readOnly ? 'Command output' : 'Terminal'}
        className="h-[28rem] min-h-48 resize-y overflow-hidden rounded-md bg-black p-1"
      />
      <pre ref={transcript} role="log" aria-live="off" aria-label={readOnly ? 'Output text' : 'Terminal text'} className="sr-only" />
      {state.phase === 'disconnected' && (
        <button type="button" onClick={reconnect} className="rounded-md border border-zinc-300 px-2.5 py-1 text-xs font-medium dark:border-zinc-700">
          Reconnect
        </button>
      )}
    </div>
  );
}
