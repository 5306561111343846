// What a frame from the browser on the terminal WebSocket means (protocol.ts):
// a binary frame is stdin, a text frame one JSON control message. Pure: the
// bridge decides what to do; this only says what arrived, or why it is refused
// (the refusal goes back as an `error` message and nothing else changes).

import type { ClientMessage } from './protocol';

/** The most stdin one binary frame may carry; a paste larger than this is split by the client. */
export const MAX_STDIN_FRAME_BYTES = 64 * 1024;
/** A control message is a few dozen bytes; anything this long is not one. */
export const MAX_CONTROL_FRAME_BYTES = 4 * 1024;
/** Terminal sizes outside 1..MAX_TERMINAL_CELLS (either way) are refused. */
export const MAX_TERMINAL_CELLS = 1000;

export type BrowserFrame = { kind: 'stdin'; data: Buffer } | { kind: 'control'; message: ClientMessage } | { kind: 'refused'; message: string };

export function readBrowserFrame(data: Buffer, isBinary: boolean): BrowserFrame {
  if (isBinary) {
    if (data.length > MAX_STDIN_FRAME_BYTES) {
      return refused(`Input frame of ${data.length} bytes refused: at most ${MAX_STDIN_FRAME_BYTES} bytes per frame. Nothing of it was typed.`);
    }
    return { kind: 'stdin', data };
  }
  if (data.length > MAX_CONTROL_FRAME_BYTES) {
    return refused(`Control message of ${data.length} bytes refused: at most ${MAX_CONTROL_FRAME_BYTES} bytes.`);
  }
  let value: unknown;
  try {
    value = JSON.parse(data.toString('utf8'));
  } catch (error) {
    return refused(`Control message refused: it is not JSON (${(error as Error).message}). Send terminal input as binary frames.`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return refused('Control message refused: it must be a JSON object with a "type".');
  const message = value as Record<string, unknown>;
  switch (message.type) {
    case 'resize':
      return readResize(message);
    case 'end':
      return { kind: 'control', message: { type: 'end' } };
    case undefined:
      return refused('Control message refused: it has no "type"; expected "resize" or "end".');
    default:
      return refused(`Control message refused: unknown type ${JSON.stringify(message.type)}; expected "resize" or "end".`);
  }
}

function readResize(message: Record<string, unknown>): BrowserFrame {
  const bad = (['cols', 'rows'] as const).filter((field) => {
    const n = message[field];
    return typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > MAX_TERMINAL_CELLS;
  });
  if (bad.length > 0) {
    const shown = bad.map((field) => `${field}=${JSON.stringify(message[field]) ?? 'missing'}`).join(', ');
    return refused(`Resize refused: ${shown}; cols and rows must be whole numbers from 1 to ${MAX_TERMINAL_CELLS}. The terminal keeps its size.`);
  }
  return { kind: 'control', message: { type: 'resize', cols: message.cols as number, rows: message.rows as number } };
}

const refused = (message: string): BrowserFrame => ({ kind: 'refused', message });
