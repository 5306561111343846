import { describe, expect, it } from 'vitest';
import { textStream } from './text-stream';

describe('textStream', () => {
  it('streams the pieces in order as UTF-8', async () => {
    async function* pieces() {
      yield 'première ligne\n';
      yield '';
      yield '✓ second\n';
    }
    expect(await new Response(textStream(pieces())).text()).toBe('première ligne\n✓ second\n');
  });

  it('ends the iteration when the reader cancels', async () => {
    let finished = false;
    async function* endless() {
      try {
        for (let i = 0; ; i++) yield `${i}\n`;
      } finally {
        finished = true;
      }
    }
    const reader = textStream(endless()).getReader();
    await reader.read();
    await reader.cancel();
    expect(finished).toBe(true);
  });
});
