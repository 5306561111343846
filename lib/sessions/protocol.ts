// The terminal WebSocket between the browser and server/ (the bridge to
// pods/attach and pods/exec). Any number of sockets per session (a reload, a
// second tab), all joined to the session's one cluster connection
// (terminal-hub.ts):
//   ws(s)://HOST/api/ws/terminal?session=<id>
// Binary frames carry terminal bytes: browser → server is stdin, server →
// browser is stdout and stderr as the container wrote them. Text frames carry
// one JSON control message each (below). A malformed frame gets an `error`
// message back and changes nothing; the session goes on.

export const TERMINAL_WS_PATH = '/api/ws/terminal';

export type ContainerPhase = 'waiting' | 'running' | 'terminated';

export type ServerMessage =
  /** While starting: the container's state as the cluster reports it (every Waiting reason, with its message). */
  | { type: 'progress'; phase: ContainerPhase; reason?: string; message?: string }
  /** Connected to the container's streams; from here on, binary frames flow: the session's recent output first (up to 256 KiB), then live. */
  | { type: 'attached'; container: string; tty: boolean; endsAt: string; idleTimeoutSeconds: number }
  /** Something the person should read in the terminal's margin (a limit coming, output dropped while away…). */
  | { type: 'notice'; message: string }
  /** A frame from the browser was refused; nothing else changed. */
  | { type: 'error'; message: string }
  /** The session is over; the socket closes right after. */
  | { type: 'ended'; reason: string; exitCode: number | null; message: string };

export type ClientMessage =
  /** The terminal's size in character cells (xterm's fit). */
  | { type: 'resize'; cols: number; rows: number }
  /** End the session (the same as DELETE /api/sessions/<id>). */
  | { type: 'end' };

/** WebSocket close codes past 4000 that the bridge uses. */
export const CLOSE = {
  /** The session ended (normal). */
  ended: 1000,
  /** No such session. */
  notFound: 4404,
  /** The session belongs to someone else. */
  forbidden: 4403,
  /** The session had already ended when the socket opened. */
  gone: 4410,
} as const;
