// asciicast v2, the format of asciinema and its player
// (https://docs.asciinema.org/manual/asciicast/v2/): a JSON header line, then
// one JSON array per event, `[seconds, code, data]`, with code "o" (output),
// "i" (input) or "r" (resize, data "COLSxROWS"). Pure: the recorder and the
// store hand it bytes and times; it hands back lines.

export interface CastHeader {
  version: 2;
  width: number;
  height: number;
  /** Unix seconds when the recording started. */
  timestamp: number;
  title?: string;
  env?: Record<string, string>;
}

export type CastEventCode = 'o' | 'i' | 'r';
export type CastEvent = [seconds: number, code: CastEventCode, data: string];

/** The header, its keys in the specification's order whatever order they come in (a jsonb column keeps none). */
export function headerLine({ version, width, height, timestamp, ...rest }: CastHeader): string {
  return `${JSON.stringify({ version, width, height, timestamp, ...rest })}\n`;
}

/** One event line; times to the microsecond, as asciinema writes them. */
export function eventLine(seconds: number, code: CastEventCode, data: string): string {
  return `${JSON.stringify([Math.round(Math.max(0, seconds) * 1e6) / 1e6, code, data])}\n`;
}

export class CastFormatError extends Error {}

/** Reads a whole recording back (tests, search, the replay's checks); throws CastFormatError on a line that is not asciicast v2. */
export function parseCast(text: string): { header: CastHeader; events: CastEvent[] } {
  const lines = text.split('\n').filter((line) => line.length > 0);
  if (lines.length === 0) throw new CastFormatError('an empty recording has no header');
  const header = JSON.parse(lines[0]) as CastHeader;
  if (header?.version !== 2 || !Number.isInteger(header.width) || !Number.isInteger(header.height)) {
    throw new CastFormatError('line 1 is not an asciicast v2 header');
  }
  const events = lines.slice(1).map((line, index) => {
    const event = JSON.parse(line) as unknown;
    if (!Array.isArray(event) || event.length !== 3 || typeof event[0] !== 'number' || !['o', 'i', 'r'].includes(event[1]) || typeof event[2] !== 'string') {
      throw new CastFormatError(`line ${index + 2} is not an asciicast v2 event`);
    }
    return event as CastEvent;
  });
  return { header, events };
}

/** The output of a recording, concatenated: what the terminal was sent. */
export function outputOf(events: readonly CastEvent[]): string {
  return events
    .filter(([, code]) => code === 'o')
    .map(([, , data]) => data)
    .join('');
}

// CSI … final byte, OSC … BEL/ST, other ESC sequences (charset designations like ESC ( B included), and the other C0 controls but tab and newline.
const ESCAPES = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[ -/]*[0-~]|[\x00-\x08\x0b-\x1f\x7f]/g;

/** Output as plain text for searching: escape sequences and control characters removed, carriage returns dropped. */
export function searchableText(output: string): string {
  return output.replace(ESCAPES, '');
}

/** Idle stretches of at least `minIdleSeconds` (no output): where each ends, and how long it was, for the player's markers. */
export function idleEnds(events: readonly CastEvent[], minIdleSeconds: number): { at: number; idleSeconds: number }[] {
  const ends: { at: number; idleSeconds: number }[] = [];
  let last = 0;
  for (const [time, code] of events) {
    if (code !== 'o') continue;
    if (time - last >= minIdleSeconds) ends.push({ at: time, idleSeconds: time - last });
    last = time;
  }
  return ends;
}
