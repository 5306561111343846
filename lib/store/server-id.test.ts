import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { serverIdFor } from './server-id';

describe('serverIdFor', () => {
  it('is the host name and port, the same on every restart of this replica', () => {
    expect(serverIdFor(3000, {})).toBe(`${os.hostname()}:3000`);
    expect(serverIdFor(3000, {})).toBe(serverIdFor(3000, {}));
    expect(serverIdFor(3001, {})).not.toBe(serverIdFor(3000, {}));
  });

  it('is EPHEMERA_SERVER_ID when set (an empty value counts as unset)', () => {
    expect(serverIdFor(3000, { EPHEMERA_SERVER_ID: 'ephemera-0' })).toBe('ephemera-0');
    expect(serverIdFor(3000, { EPHEMERA_SERVER_ID: '  ' })).toBe(`${os.hostname()}:3000`);
  });
});
