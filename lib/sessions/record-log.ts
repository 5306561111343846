// A one-shot session's recording: its container's log, followed from the
// moment the container runs until it exits, whoever is watching (a browser's
// follow starts again from the top on each reload, so it cannot be the one
// recorded). The log has bare newlines; the page shows them as new lines
// (xterm's convertEol), and so does the recording.

import { Log, type KubeConfig } from '@kubernetes/client-node';
import { Writable } from 'node:stream';
import type { RecordingStore, SessionRecord } from '@/lib/store/types';
import { beginRecording, type RecordingFailure } from './recording';

/** The width a one-shot's output is shown at (its page's terminal is fitted, but nothing is laid out for it). */
const ONE_SHOT_SIZE = { cols: 120, rows: 30 };

export interface LogRecording {
  /** Resolves once the log has ended (the container exited) or `timeoutMs` passed, and the recording is stored. */
  finish(timeoutMs: number): Promise<void>;
  /** Stops following at once and stores what was recorded. */
  stop(): Promise<void>;
}

export function recordLog(
  record: SessionRecord,
  kubeConfig: KubeConfig,
  recordings: Pick<RecordingStore, 'begin' | 'append' | 'finish'>,
  failed: (failure: RecordingFailure) => void,
  log: (line: string) => void,
): LogRecording {
  let abort: AbortController | undefined;
  let stopped = false;
  let logEnded!: () => void;
  const ended = new Promise<void>((resolve) => (logEnded = resolve));

  const started = (async () => {
    const { recorder, failure } = await beginRecording(record, ONE_SHOT_SIZE, recordings, failed, { convertEol: true });
    if (failure) {
      failed(failure);
      logEnded();
      return undefined;
    }
    const sink = new Writable({
      write: (chunk: Buffer, _encoding, callback) => {
        recorder!.output(chunk);
        callback();
      },
    });
    sink.once('finish', logEnded);
    sink.once('pipe', (response: NodeJS.ReadableStream) => {
      response.once('error', logEnded);
      response.once('close', logEnded);
    });
    if (stopped) {
      logEnded();
      return recorder;
    }
    try {
      abort = await new Log(kubeConfig).log(record.namespace!, record.pod!, record.container, sink, { follow: true });
      if (stopped) abort.abort();
    } catch (error) {
      log(`session ${record.id}: recording its output: ${(error as Error).message}`);
      logEnded();
    }
    return recorder;
  })();

  const close = async () => {
    stopped = true;
    abort?.abort();
    await (await started)?.close();
  };

  return {
    async finish(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([ended, new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
      clearTimeout(timer);
      await close();
    },
    stop: close,
  };
}
