import { describe, expect, it } from 'vitest';
import { OutputRing } from './output-ring';

const text = (ring: OutputRing) => Buffer.concat(ring.contents()).toString();

describe('OutputRing', () => {
  it('keeps everything up to its capacity', () => {
    const ring = new OutputRing(10);
    ring.append(Buffer.from('abc'));
    ring.append(Buffer.from('defg'));
    expect(text(ring)).toBe('abcdefg');
    expect([ring.start, ring.total, ring.droppedSince(0)]).toEqual([0, 7, 0]);
  });

  it('drops the oldest bytes past its capacity, cutting a chunk where it must, and counts them', () => {
    const ring = new OutputRing(5);
    ring.append(Buffer.from('abc'));
    ring.append(Buffer.from('defg'));
    expect(text(ring)).toBe('cdefg');
    expect([ring.start, ring.total]).toEqual([2, 7]);
    expect(ring.droppedSince(0)).toBe(2);
    expect(ring.droppedSince(3)).toBe(0);
  });

  it('keeps the tail of a chunk larger than itself', () => {
    const ring = new OutputRing(4);
    ring.append(Buffer.from('xy'));
    ring.append(Buffer.from('0123456789'));
    expect(text(ring)).toBe('6789');
    expect(ring.droppedSince(2)).toBe(6);
  });

  it('ignores empty chunks', () => {
    const ring = new OutputRing(4);
    ring.append(Buffer.alloc(0));
    expect([ring.contents(), ring.total]).toEqual([[], 0]);
  });

  it('copies what it holds into one buffer when its chunks keep much more memory alive than they show', () => {
    const ring = new OutputRing(1024);
    for (let i = 0; i < 100; i++) ring.append(Buffer.alloc(64 * 1024, 'x').subarray(0, 3));
    expect(ring.retainedBytes).toBeLessThanOrEqual(2 * 1024 + 64 * 1024);
    for (let i = 0; i < 2000; i++) ring.append(Buffer.from([0x61 + (i % 26)]));
    expect(ring.contents().length).toBeLessThanOrEqual(1024);
    expect(text(ring)).toHaveLength(1024);
    expect(text(ring).endsWith('hijklmnopqrstuvwx')).toBe(true);
    expect(ring.total).toBe(2300);
  });
});
