import { describe, expect, it } from 'vitest';
import { CastFormatError, eventLine, headerLine, idleEnds, outputOf, parseCast, searchableText } from './asciicast';

describe('asciicast v2 lines', () => {
  it('writes a header and events that read back the same, unicode and control bytes included', () => {
    const text =
      headerLine({ version: 2, width: 120, height: 40, timestamp: 1_795_000_000, title: 'shop/checkout · debugger' }) +
      eventLine(0.1234567, 'o', '$ ls\r\n\x1b[1;34mdir\x1b[0m  “quoted” ✓\r\n') +
      eventLine(1.5, 'r', '80x24') +
      eventLine(2, 'i', '\x03');
    expect(text.split('\n')[1]).toBe('[0.123457,"o","$ ls\\r\\n\\u001b[1;34mdir\\u001b[0m  “quoted” ✓\\r\\n"]');
    const { header, events } = parseCast(text);
    expect(header).toEqual({ version: 2, width: 120, height: 40, timestamp: 1_795_000_000, title: 'shop/checkout · debugger' });
    expect(events).toEqual([
      [0.123457, 'o', '$ ls\r\n\x1b[1;34mdir\x1b[0m  “quoted” ✓\r\n'],
      [1.5, 'r', '80x24'],
      [2, 'i', '\x03'],
    ]);
    expect(outputOf(events)).toBe('$ ls\r\n\x1b[1;34mdir\x1b[0m  “quoted” ✓\r\n');
  });

  it('never writes a negative time (a clock that stepped back)', () => {
    expect(eventLine(-0.2, 'o', 'x')).toBe('[0,"o","x"]\n');
  });

  it('refuses what is not asciicast v2, saying which line', () => {
    expect(() => parseCast('')).toThrow(CastFormatError);
    expect(() => parseCast('{"version":1,"width":80,"height":24}\n')).toThrow('line 1 is not an asciicast v2 header');
    expect(() => parseCast('{"version":2,"width":80,"height":24}\n[1,"o","a"]\n[2,"x","b"]\n')).toThrow('line 3 is not an asciicast v2 event');
  });
});

describe('searchableText', () => {
  it('keeps the words and drops colours, cursor moves, titles and carriage returns', () => {
    expect(searchableText('\x1b]0;root@pod: /\x07\x1b[1;32mroot\x1b[0m:\x1b[2K/# cat /etc/os-release\r\nNAME="Alpine"\r\n\x1b(B\tok\x07')).toBe(
      'root:/# cat /etc/os-release\nNAME="Alpine"\n\tok',
    );
  });
});

describe('idleEnds', () => {
  it('marks where each quiet stretch of output ends, counting from the start, and ignores input and resizes', () => {
    expect(
      idleEnds(
        [
          [0.5, 'o', 'a'],
          [3, 'i', 'x'],
          [7, 'r', '80x24'],
          [12, 'o', 'b'],
          [13, 'o', 'c'],
          [30, 'o', 'd'],
        ],
        5,
      ),
    ).toEqual([
      { at: 12, idleSeconds: 11.5 },
      { at: 30, idleSeconds: 17 },
    ]);
    expect(idleEnds([[8, 'o', 'late start']], 5)).toEqual([{ at: 8, idleSeconds: 8 }]);
    expect(idleEnds([], 5)).toEqual([]);
  });
});
