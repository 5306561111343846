import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { recordDenial, setDenialSink } from './denials';

const lines: string[] = [];
const previous = setDenialSink((line) => lines.push(line));
afterEach(() => {
  lines.length = 0;
});
afterAll(() => setDenialSink(previous));

describe('recordDenial', () => {
  it('writes one JSON line per refusal, with the user when known', () => {
    const at = new Date('2025-01-02T03:04:05.000Z');
    recordDenial({ route: 'GET /api/clusters', reason: 'no-session' }, at);
    recordDenial({ user: { name: 'nora', groups: [], roles: [] }, route: 'UPGRADE /api/ws/ping', reason: 'origin-mismatch', detail: 'Origin: http://evil.example' }, at);
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      { event: 'access.denied', time: '2025-01-02T03:04:05.000Z', route: 'GET /api/clusters', reason: 'no-session' },
      {
        event: 'access.denied',
        time: '2025-01-02T03:04:05.000Z',
        route: 'UPGRADE /api/ws/ping',
        reason: 'origin-mismatch',
        user: 'nora',
        groups: [],
        roles: [],
        detail: 'Origin: http://evil.example',
      },
    ]);
    expect(lines.every((line) => !line.includes('\n'))).toBe(true);
  });

  it('never writes the ID token, even when handed a full user', () => {
    recordDenial({ user: { name: 'a', groups: [], roles: [], idToken: 'secret.id.token' } as never, route: 'GET /', reason: 'no-role' });
    expect(lines[0]).not.toContain('secret.id.token');
  });
});
