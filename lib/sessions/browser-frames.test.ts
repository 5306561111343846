import { describe, expect, it } from 'vitest';
import { MAX_STDIN_FRAME_BYTES, readBrowserFrame } from './browser-frames';

const text = (value: unknown) => readBrowserFrame(Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)), false);

describe('readBrowserFrame', () => {
  it('takes a binary frame as stdin, up to the limit', () => {
    expect(readBrowserFrame(Buffer.from('ls\r'), true)).toEqual({ kind: 'stdin', data: Buffer.from('ls\r') });
    expect(readBrowserFrame(Buffer.alloc(MAX_STDIN_FRAME_BYTES), true).kind).toBe('stdin');
    expect(readBrowserFrame(Buffer.alloc(MAX_STDIN_FRAME_BYTES + 1), true)).toEqual({
      kind: 'refused',
      message: 'Input frame of 65537 bytes refused: at most 65536 bytes per frame. Nothing of it was typed.',
    });
  });

  it.each([
    [{ type: 'resize', cols: 80, rows: 24 }, { kind: 'control', message: { type: 'resize', cols: 80, rows: 24 } }],
    [{ type: 'resize', cols: 1000, rows: 1 }, { kind: 'control', message: { type: 'resize', cols: 1000, rows: 1 } }],
    [{ type: 'end', extra: true }, { kind: 'control', message: { type: 'end' } }],
  ])('reads %j', (input, expected) => {
    expect(text(input)).toEqual(expected);
  });

  it.each([
    ['{oops', /^Control message refused: it is not JSON \(/],
    ['"resize"', /must be a JSON object/],
    ['null', /must be a JSON object/],
    [{ cols: 1 }, /has no "type"; expected "resize" or "end"/],
    [{ type: 'paste' }, /unknown type "paste"/],
    [{ type: 'resize', cols: 0, rows: 24 }, /^Resize refused: cols=0; cols and rows must be whole numbers from 1 to 1000/],
    [{ type: 'resize', cols: 80, rows: 1001 }, /rows=1001;/],
    [{ type: 'resize', cols: '80', rows: 24.5 }, /cols="80", rows=24.5;/],
    [{ type: 'resize' }, /cols=missing, rows=missing;/],
    ['x'.repeat(5000), /Control message of 5000 bytes refused/],
  ])('refuses %j', (input, message) => {
    const frame = text(input);
    expect(frame.kind).toBe('refused');
    expect((frame as { message: string }).message).toMatch(message);
  });
});
