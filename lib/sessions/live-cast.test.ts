import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { RecordingInfo } from '@/lib/store/types';
import { liveCast } from './live-cast';

const info: RecordingInfo = {
  sessionId: '00000000-0000-0000-0000-000000000001',
  header: { version: 2, width: 80, height: 24, timestamp: 0 },
  input: false,
  startedAt: new Date(0),
  endedAt: null,
  bytes: 0,
  chunks: 0,
};

describe('liveCast', () => {
  it('leaves no abort listener behind per poll while it waits for a session that has nothing new', async () => {
    const stop = new AbortController();
    let polls = 0;
    const messages = liveCast({
      recordings: { get: async () => info, chunks: async () => [] },
      sessionId: info.sessionId,
      pollMs: 1,
      signal: stop.signal,
      onPoll: () => void polls++,
      sessionEnded: async () => polls >= 30,
    });
    const seen: string[] = [];
    for await (const message of messages) {
      seen.push(message);
      expect(getEventListeners(stop.signal, 'abort').length).toBeLessThanOrEqual(1);
    }
    expect(seen.at(-1)).toBe('{"state":"offline"}');
    expect(polls).toBe(30);
    expect(getEventListeners(stop.signal, 'abort')).toEqual([]);
  });
});
