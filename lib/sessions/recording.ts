// A session's recording, from its terminal hub's point of view: begun in the
// store before the hub connects (so nothing the terminal shows goes
// unrecorded), fed by the hub, closed when the hub ends. When the store
// cannot take it, the rules the session started with decide (lib/store/types.ts
// RecordingRules): fail closed — the session ends as 'recording-failed' — or
// go on unrecorded, with a notice to the person and an audit event.

import { recordingFailed } from '@/lib/audit/events';
import { recordAudit } from '@/lib/audit/record';
import type { CastHeader } from '@/lib/recordings/asciicast';
import { Recorder } from '@/lib/recordings/recorder';
import type { RecordingRules, RecordingStore, SessionRecord } from '@/lib/store/types';

// The recorders open in this process, so a stopping server stores their last
// half second before it closes the store. On globalThis, as terminal-hubs.ts
// keeps its hubs: Next bundles the routes (one-shot recorders start there)
// apart from the custom server.
const OPEN = Symbol.for('ephemera.sessions.open-recorders');
const openRecorders = (): Set<Recorder> => {
  const global = globalThis as unknown as Record<symbol, Set<Recorder> | undefined>;
  return (global[OPEN] ??= new Set());
};

/** Closes every recorder still open in this process (its last chunk stored, the recording marked complete). */
export async function closeOpenRecordings(): Promise<void> {
  await Promise.all([...openRecorders()].map((recorder) => recorder.close().catch(() => undefined)));
}

/** Sessions stored before there were recording rules: output only, fail closed. */
export const DEFAULT_RECORDING_RULES: RecordingRules = { input: false, onStoreFailure: 'end' };

export type RecordingFailure = { then: 'end' | 'continue'; message: string };

export interface RecordingStart {
  /** Undefined when the recording could not begin and the policy lets the session go on. */
  recorder?: Recorder;
  /** Set when the recording could not begin: what to tell the person, and whether the session ends. */
  failure?: RecordingFailure;
}

export function rulesOf(record: SessionRecord): RecordingRules {
  return record.limits.recording ?? DEFAULT_RECORDING_RULES;
}

export function failureMessage(then: 'end' | 'continue', error: Error): string {
  return then === 'end'
    ? `Ephemera could not record this session (${error.message}), and the policy ends sessions that cannot be recorded.`
    : `This session is not being recorded: Ephemera could not store its recording (${error.message}). The policy lets it go on; the failure is in the audit log.`;
}

export function castHeader(record: SessionRecord, size: { cols: number; rows: number }, at: Date): CastHeader {
  const where = record.pod && record.namespace ? `${record.namespace}/${record.pod}` : (record.node ?? record.cluster);
  return { version: 2, width: size.cols, height: size.rows, timestamp: Math.floor(at.getTime() / 1000), title: `${where} · ${record.container} (${record.user})`, env: { TERM: 'xterm-256color' } };
}

/**
 * Begins `record`'s recording. `failed` is called at most once, later, if the
 * store stops taking it mid-session (with what the policy says to do); a
 * failure to begin is returned instead. Both are recorded in the audit log.
 */
export async function beginRecording(
  record: SessionRecord,
  size: { cols: number; rows: number },
  recordings: Pick<RecordingStore, 'begin' | 'append' | 'finish'>,
  failed: (failure: RecordingFailure) => void,
  options: { convertEol?: boolean } = {},
): Promise<RecordingStart> {
  const rules = rulesOf(record);
  const fail = (error: Error): RecordingFailure => {
    void recordAudit(recordingFailed(record, error.message, rules.onStoreFailure));
    return { then: rules.onStoreFailure, message: failureMessage(rules.onStoreFailure, error) };
  };
  let info;
  try {
    info = await recordings.begin(record.id, castHeader(record, size, new Date()), { input: rules.input });
  } catch (error) {
    return { failure: fail(error as Error) };
  }
  const recorder = new Recorder({
    sink: { append: (chunk) => recordings.append(record.id, chunk), finish: () => recordings.finish(record.id) },
    startedAt: info.startedAt,
    // Another hub recorded this session before (its process ended it without ending the session): go on after its chunks.
    firstSeq: info.chunks,
    recordInput: info.input,
    convertEol: options.convertEol,
    onFailure: (error) => failed(fail(error)),
    onClosed: () => openRecorders().delete(recorder),
  });
  openRecorders().add(recorder);
  return { recorder };
}
