import { describe, expect, it } from 'vitest';
import { age, humanDuration, isoTime } from './duration';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

describe('humanDuration (kubectl AGE)', () => {
  it.each([
    [-3 * S, '<invalid>'],
    [-1 * S, '0s'],
    [0, '0s'],
    [119 * S, '119s'],
    [2 * M, '2m'],
    [3 * M + 12 * S, '3m12s'],
    [10 * M + 30 * S, '10m'],
    [179 * M, '179m'],
    [3 * H, '3h'],
    [5 * H + 20 * M, '5h20m'],
    [8 * H + 20 * M, '8h'],
    [47 * H, '47h'],
    [3 * D, '3d'],
    [3 * D + 4 * H, '3d4h'],
    [8 * D + 4 * H, '8d'],
    [729 * D, '729d'],
    [2 * 365 * D + 14 * D, '2y14d'],
    [3 * 365 * D, '3y'],
    [9 * 365 * D + 5 * D, '9y'],
  ])('%d ms → %s', (ms, expected) => {
    expect(humanDuration(ms)).toBe(expected);
  });
});

describe('age and isoTime', () => {
  it('ages an ISO time against now, and says <unknown> without one', () => {
    expect(age('2026-01-01T00:00:00Z', Date.parse('2026-01-01T00:05:00Z'))).toBe('5m');
    expect(age(undefined, 0)).toBe('<unknown>');
    expect(age('not a time', 0)).toBe('<unknown>');
  });

  it('reads strings (raw JSON) and Dates (client-node classes) alike', () => {
    expect(isoTime('2026-01-01T00:00:00Z')).toBe('2026-01-01T00:00:00Z');
    expect(isoTime(new Date('2026-01-01T00:00:00Z'))).toBe('2026-01-01T00:00:00Z');
    expect(isoTime(new Date('2026-01-01T00:00:00.250Z'))).toBe('2026-01-01T00:00:00.250Z');
    expect(isoTime(undefined)).toBeUndefined();
    expect(isoTime('')).toBeUndefined();
    expect(isoTime(new Date(NaN))).toBeUndefined();
  });
});
