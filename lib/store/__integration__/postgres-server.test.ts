import { describe, expect, it } from 'vitest';
import { findPostgresBinaries } from './postgres-server';

describe('findPostgresBinaries', () => {
  it('finds the installed server', () => {
    expect(findPostgresBinaries().bin).toMatch(/^\/usr\/lib\/postgresql\/\d+\/bin$/);
  });

  it('fails, saying what to install, when there is none (the store tests fail rather than skip)', () => {
    expect(() => findPostgresBinaries('/nonexistent')).toThrow(/found none .*Install it: apt-get install postgresql/);
  });
});
