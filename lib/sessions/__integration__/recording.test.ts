// beginRecording with a real store (PGlite in memory): the header from the
// session, and closeOpenRecordings storing what a stopping server still holds.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outputOf, parseCast } from '@/lib/recordings/asciicast';
import { IN_MEMORY, openStore } from '@/lib/store';
import type { NewSession, Store } from '@/lib/store/types';
import { beginRecording, closeOpenRecordings, failureMessage } from '../recording';

let store: Store;
beforeAll(async () => {
  store = await openStore({ dataDir: IN_MEMORY });
});
afterAll(async () => {
  await store?.close();
});

const newSession = (): NewSession => ({
  user: 'alice', groups: ['oncall'], roles: ['debugger'], cluster: 'dev', namespace: 'shop', pod: 'checkout-0', node: null, kind: 'ephemeral', mode: 'interactive',
  container: 'debugger-abcde', image: 'busybox:1.36', profile: 'restricted', target: 'app', mounts: [], command: null, reason: null, breakGlass: false, spec: {},
  limits: { maxDurationSeconds: 3600, idleTimeoutSeconds: 900, recording: { input: true, onStoreFailure: 'continue' } }, serverId: 'test:1',
});

const castOf = async (id: string) => {
  let text = '';
  for await (const line of (await store.recordings.cast(id))!) text += line;
  return parseCast(text);
};

describe('beginRecording', () => {
  it('heads the recording with the terminal size and the session, and keeps the session’s input rule', async () => {
    const record = await store.sessions.create(newSession());
    const { recorder, failure } = await beginRecording(record, { cols: 132, rows: 43 }, store.recordings, () => {});
    expect(failure).toBeUndefined();
    recorder!.input(Buffer.from('id\r'));
    recorder!.output(Buffer.from('uid=0(root)\r\n'));
    await recorder!.close();
    const { header, events } = await castOf(record.id);
    expect(header).toMatchObject({ version: 2, width: 132, height: 43, title: 'shop/checkout-0 · debugger-abcde (alice)', env: { TERM: 'xterm-256color' } });
    expect(events.map(([, code, data]) => [code, data])).toEqual([
      ['i', 'id\r'],
      ['o', 'uid=0(root)\r\n'],
    ]);
  });

  it('closeOpenRecordings stores the last output of every recorder still open, and marks each complete', async () => {
    const records = await Promise.all([store.sessions.create(newSession()), store.sessions.create(newSession())]);
    for (const [i, record] of records.entries()) {
      const { recorder } = await beginRecording(record, { cols: 80, rows: 24 }, store.recordings, () => {});
      recorder!.output(Buffer.from(`last words ${i}\r\n`)); // within the flush interval: not stored yet
    }
    expect((await store.recordings.get(records[0].id))?.chunks).toBe(0);
    await closeOpenRecordings();
    for (const [i, record] of records.entries()) {
      expect(await store.recordings.get(record.id)).toMatchObject({ endedAt: expect.any(Date), chunks: 1 });
      expect(outputOf((await castOf(record.id)).events)).toBe(`last words ${i}\r\n`);
    }
  });

  it('when the store cannot begin it, says what the rule does about it', async () => {
    const broken = await openStore({ dataDir: IN_MEMORY });
    await broken.close();
    const record = await store.sessions.create(newSession());
    const { recorder, failure } = await beginRecording(record, { cols: 80, rows: 24 }, broken.recordings, () => {});
    expect(recorder).toBeUndefined();
    expect(failure).toEqual({ then: 'continue', message: expect.stringMatching(/^This session is not being recorded: Ephemera could not store its recording \(.+\)\. The policy lets it go on/) });
    expect(failureMessage('end', new Error('disk full'))).toBe('Ephemera could not record this session (disk full), and the policy ends sessions that cannot be recorded.');
  });
});
