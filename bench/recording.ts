// The recorder's own cost (issue 7), without a cluster: N bytes of terminal
// output handed to a Recorder in 64 KiB reads, as a hub hands them, until the
// recording is complete in the store. Measured three ways in the same run:
// into a sink that keeps nothing (the baseline: decoding, JSON, the text for
// search), into PGlite in memory (the default store, in this same thread),
// and into PostgreSQL when one can be started here. Two kinds of output:
// printable text (a log, a `cat`), and NUL bytes (`head -c N /dev/zero`, the
// terminal benchmark's), which JSON writes as six characters each.

import { performance } from 'node:perf_hooks';
import { Recorder, type RecorderSink } from '@/lib/recordings/recorder';
import { startPostgres } from '@/lib/store/__integration__/postgres-server';
import { IN_MEMORY, openStore } from '@/lib/store';
import type { NewSession, Store } from '@/lib/store/types';
import { median, type Figure } from './stats';

const READ = 64 * 1024;

const session = (): NewSession => ({
  user: 'alice', groups: ['oncall'], roles: ['debugger'], cluster: 'dev', namespace: 'shop', pod: 'bench', node: null, kind: 'exec', mode: 'interactive',
  container: 'shell', image: null, profile: null, target: null, mounts: [], command: null, reason: null, breakGlass: false, spec: {},
  limits: { maxDurationSeconds: 3600, idleTimeoutSeconds: 3600 }, serverId: 'bench:0',
});

function payload(kind: 'text' | 'nul'): Buffer {
  if (kind === 'nul') return Buffer.alloc(READ);
  const line = '2026-11-27T10:00:00.000Z INFO checkout: order 12345 paid, 3 items, total 42.00 EUR\r\n';
  return Buffer.from(line.repeat(Math.ceil(READ / line.length)).slice(0, READ));
}

/** MB/s from the first read to the recording complete. */
async function recordedRate(bytes: number, kind: 'text' | 'nul', sinkFor: () => Promise<{ sink: RecorderSink; startedAt: Date }>): Promise<number> {
  const { sink, startedAt } = await sinkFor();
  let failure: Error | undefined;
  let behind = false;
  const recorder = new Recorder({ sink, startedAt, recordInput: false, onFailure: (error) => (failure = error) });
  recorder.onBackPressure((b) => (behind = b));
  const chunk = payload(kind);
  const start = performance.now();
  for (let sent = 0; sent < bytes; sent += READ) {
    recorder.output(chunk);
    // As the hub does: a recorder that is behind pauses the stream until it has caught up.
    while (behind && !failure) await new Promise((resolve) => setImmediate(resolve));
    if (failure) throw failure;
  }
  await recorder.close();
  if (failure) throw failure;
  return bytes / (performance.now() - start) / 1000;
}

const storeSink = (store: Store) => async () => {
  const { id } = await store.sessions.create(session());
  const info = await store.recordings.begin(id, { version: 2, width: 80, height: 24, timestamp: Math.floor(Date.now() / 1000) }, { input: false });
  return { startedAt: info.startedAt, sink: { append: (chunk: Parameters<RecorderSink['append']>[0]) => store.recordings.append(id, chunk), finish: () => store.recordings.finish(id) } };
};

const nowhere = async () => ({ startedAt: new Date(), sink: { append: async () => {}, finish: async () => {} } satisfies RecorderSink });

export async function benchRecording({ bytes, runs, log }: { bytes: number; runs: number; log(line: string): void }): Promise<Figure[]> {
  const pglite = await openStore({ dataDir: IN_MEMORY });
  const postgres = await startPostgres().catch((error: unknown) => {
    log(`  no PostgreSQL here (${(error as Error).message}); PGlite only`);
    return undefined;
  });
  const pgStore = postgres ? await openStore({ databaseUrl: await postgres.createDatabase('bench_recording') }) : undefined;
  const figures: Figure[] = [];
  try {
    for (const kind of ['text', 'nul'] as const) {
      const arms: Array<[string, () => Promise<{ sink: RecorderSink; startedAt: Date }>]> = [
        ['no store', nowhere],
        ['PGlite', storeSink(pglite)],
        ...(pgStore ? [['PostgreSQL', storeSink(pgStore)] as [string, () => Promise<{ sink: RecorderSink; startedAt: Date }>]] : []),
      ];
      const rates = new Map<string, number[]>(arms.map(([name]) => [name, []]));
      await recordedRate(Math.min(bytes, 10_000_000), kind, nowhere); // warm-up, unmeasured
      for (let run = 0; run < runs; run++) {
        for (const [name, sinkFor] of arms) rates.get(name)!.push(await recordedRate(bytes, kind, sinkFor));
        log(`  ${kind} run ${run + 1}: ${arms.map(([name]) => `${name} ${rates.get(name)!.at(-1)!.toFixed(0)} MB/s`).join(', ')}`);
      }
      const baseline = median(rates.get('no store')!);
      figures.push({ measure: `recorder, ${kind === 'text' ? 'text' : 'NUL bytes'}, no store (baseline)`, value: `${baseline.toFixed(0)} MB/s`, note: `median of ${runs}, ${bytes} bytes in 64 KiB reads` });
      for (const [name] of arms.slice(1)) {
        const rate = median(rates.get(name)!);
        figures.push({ measure: `recorder, ${kind === 'text' ? 'text' : 'NUL bytes'}, into ${name}`, value: `${rate.toFixed(0)} MB/s`, note: `${(rate / baseline).toFixed(2)}× the baseline; until the recording is complete in the store` });
      }
    }
  } finally {
    await pglite.close();
    await pgStore?.close();
    await postgres?.stop();
  }
  return figures;
}
