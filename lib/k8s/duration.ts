// Ages and durations as kubectl prints them (apimachinery's duration.HumanDuration),
// and timestamps as ISO strings whichever form the API object came in: raw JSON
// (strings) or client-node's deserialized classes (Date). Pure; safe in the browser.

/** kubectl's AGE column: "45s", "3m12s", "5h20m", "3d4h", "2y14d". */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  // Up to two seconds in the future is clock skew, not an error.
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  const days = Math.floor(hours / 24);
  if (hours < 24 * 8) return hours % 24 === 0 ? `${days}d` : `${days}d${hours % 24}h`;
  if (hours < 24 * 365 * 2) return `${days}d`;
  const years = Math.floor(days / 365);
  if (hours < 24 * 365 * 8) return days % 365 === 0 ? `${years}y` : `${years}y${days % 365}d`;
  return `${years}y`;
}

/** The age of something created at `iso`, as of `now`; "<unknown>" without a timestamp, as kubectl prints. */
export function age(iso: string | undefined, now: number): string {
  if (!iso) return '<unknown>';
  const t = Date.parse(iso);
  return Number.isNaN(t) ? '<unknown>' : humanDuration(now - t);
}

/** An API timestamp (string or Date) as an ISO string; undefined when absent or unparsable. */
export function isoTime(value: unknown): string | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString().replace(/\.000Z$/, 'Z');
  if (typeof value === 'string' && value !== '' && !Number.isNaN(Date.parse(value))) return value;
  return undefined;
}
