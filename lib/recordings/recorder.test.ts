import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { headerLine, outputOf, parseCast } from './asciicast';
import { Recorder, type RecorderSink } from './recorder';

const START = new Date('2026-11-27T09:00:00Z');

/** A sink that keeps chunks in memory, in the order they were stored; `refuse` makes its next appends fail. */
function memorySink() {
  const chunks: { seq: number; events: string; text: string; bytes: number }[] = [];
  let finished = 0;
  let refuse: Error | undefined;
  const sink: RecorderSink = {
    async append(chunk) {
      await Promise.resolve();
      if (refuse) throw refuse;
      chunks.push(chunk);
    },
    async finish() {
      finished++;
    },
  };
  return {
    sink,
    chunks,
    finished: () => finished,
    refuse: (error: Error) => (refuse = error),
    cast: () => headerLine({ version: 2, width: 80, height: 24, timestamp: START.getTime() / 1000 }) + chunks.map((c) => c.events).join(''),
  };
}

describe('Recorder', () => {
  let clock: number;
  beforeEach(() => {
    vi.useFakeTimers();
    clock = START.getTime();
  });
  afterEach(() => vi.useRealTimers());

  const recorder = (sink: RecorderSink, overrides: { recordInput?: boolean; maxPendingBytes?: number; onFailure?: (error: Error) => void } = {}) =>
    new Recorder({ sink, startedAt: START, recordInput: overrides.recordInput ?? false, now: () => clock, onFailure: overrides.onFailure ?? (() => {}), maxPendingBytes: overrides.maxPendingBytes });

  it('writes events with their times, a chunk per flush interval, and the whole output back byte for byte', async () => {
    const memory = memorySink();
    const rec = recorder(memory.sink);
    clock += 120;
    rec.output(Buffer.from('$ echo hi\r\n'));
    clock += 380;
    rec.resize(100, 30);
    expect(memory.chunks).toEqual([]); // nothing written before the interval
    await vi.advanceTimersByTimeAsync(500);
    expect(memory.chunks).toHaveLength(1);
    clock += 1_000;
    rec.output(Buffer.from('hi\r\n'));
    await vi.advanceTimersByTimeAsync(500);
    expect(memory.chunks.map((c) => c.seq)).toEqual([0, 1]);
    await rec.close();
    expect(memory.finished()).toBe(1);
    const { events } = parseCast(memory.cast());
    expect(events).toEqual([
      [0.12, 'o', '$ echo hi\r\n'],
      [0.5, 'r', '100x30'],
      [1.5, 'o', 'hi\r\n'],
    ]);
    expect(memory.chunks.map((c) => c.bytes)).toEqual([11, 4]);
    expect(memory.chunks[0].text).toBe('$ echo hi\n');
  });

  it('keeps a character split across two reads whole', async () => {
    const memory = memorySink();
    const rec = recorder(memory.sink);
    const bytes = Buffer.from('✓ ok');
    rec.output(bytes.subarray(0, 1));
    rec.output(bytes.subarray(1));
    await rec.close();
    expect(outputOf(parseCast(memory.cast()).events)).toBe('✓ ok');
  });

  it('records a log’s bare newlines as CR LF when told to, the way the page shows them', async () => {
    const memory = memorySink();
    const rec = new Recorder({ sink: memory.sink, startedAt: START, recordInput: false, convertEol: true, now: () => clock, onFailure: () => {} });
    rec.output(Buffer.from('one\ntwo\r\nthree\n'));
    await rec.close();
    expect(outputOf(parseCast(memory.cast()).events)).toBe('one\r\ntwo\r\nthree\r\n');
    expect(memory.chunks[0].bytes).toBe(15); // what the log sent, not what was recorded
  });

  it('records keystrokes only when told to', async () => {
    for (const recordInput of [false, true]) {
      const memory = memorySink();
      const rec = recorder(memory.sink, { recordInput });
      rec.input(Buffer.from('ls\r'));
      rec.output(Buffer.from('ls\r\n'));
      await rec.close();
      expect(parseCast(memory.cast()).events.map(([, code]) => code)).toEqual(recordInput ? ['i', 'o'] : ['o']);
    }
  });

  it('says once when the store refuses a chunk, then records nothing more', async () => {
    const memory = memorySink();
    const failures: string[] = [];
    const rec = recorder(memory.sink, { onFailure: (error) => failures.push(error.message) });
    rec.output(Buffer.from('first\r\n'));
    await vi.advanceTimersByTimeAsync(500);
    memory.refuse(new Error('connection to the database lost'));
    rec.output(Buffer.from('second\r\n'));
    await vi.advanceTimersByTimeAsync(500);
    rec.output(Buffer.from('third\r\n'));
    await vi.advanceTimersByTimeAsync(500);
    await rec.close();
    expect(failures).toEqual(['connection to the database lost']);
    expect(rec.recording).toBe(false);
    expect(memory.chunks.map((c) => c.events)).toEqual(['[0,"o","first\\r\\n"]\n']);
    expect(memory.finished()).toBe(0);
  });

  it('says it is behind when output outruns the store, writes at once, and says when it has caught up', async () => {
    const releases: Array<() => void> = [];
    const stored: string[] = [];
    const slow: RecorderSink = {
      append: (chunk) => new Promise<void>((resolve) => releases.push(() => (stored.push(chunk.events), resolve()))),
      finish: async () => {},
    };
    const signals: boolean[] = [];
    const rec = new Recorder({ sink: slow, startedAt: START, recordInput: false, now: () => clock, onFailure: () => {}, highWaterBytes: 1000 });
    rec.onBackPressure((behind) => signals.push(behind));
    rec.output(Buffer.alloc(600, 'a'));
    expect(signals).toEqual([]);
    rec.output(Buffer.alloc(600, 'b')); // past the high-water mark
    expect(signals).toEqual([true]);
    await vi.advanceTimersByTimeAsync(0);
    expect(releases).toHaveLength(1); // written at once, not at the interval
    releases.shift()!();
    await vi.advanceTimersByTimeAsync(0);
    expect(signals).toEqual([true, false]);
    expect(stored.join('')).toContain('bbbb');
  });

  it('fails when the store falls too far behind, rather than holding the output in memory', async () => {
    const failures: string[] = [];
    const stuck: RecorderSink = { append: () => new Promise(() => {}), finish: async () => {} };
    const rec = recorder(stuck, { maxPendingBytes: 1024, onFailure: (error) => failures.push(error.message) });
    // Spread over several flushes: what is queued behind the stuck write counts too.
    for (let i = 0; i < 20; i++) {
      rec.output(Buffer.alloc(100, 'x'));
      await vi.advanceTimersByTimeAsync(500);
    }
    expect(failures).toEqual(['the store fell behind by more than 1 KiB of recording']);
  });
});
