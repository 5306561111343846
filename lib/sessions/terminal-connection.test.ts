import { describe, expect, it } from 'vitest';
import { CLOSE } from './protocol';
import { describeEnding, initialTerminalState, parseServerMessage, RECONNECT_DELAYS_MS, reduce, type TerminalEvent, type TerminalState } from './terminal-connection';

const run = (events: TerminalEvent[], from: TerminalState = initialTerminalState) => events.reduce(reduce, from);
const attached: TerminalEvent = { type: 'message', message: { type: 'attached', container: 'debugger-x', tty: true, endsAt: '2026-01-01T01:00:00Z', idleTimeoutSeconds: 900 } };

describe('the terminal connection', () => {
  it('goes from connecting through every waiting reason to attached', () => {
    const state = run([
      { type: 'open' },
      { type: 'message', message: { type: 'progress', phase: 'waiting', reason: 'ContainerCreating' } },
      { type: 'message', message: { type: 'progress', phase: 'waiting', reason: 'ContainerCreating' } },
      { type: 'message', message: { type: 'progress', phase: 'waiting', reason: 'ErrImagePull', message: 'not found' } },
    ]);
    expect(state.phase).toBe('starting');
    expect(state.progress).toEqual([
      { phase: 'waiting', reason: 'ContainerCreating' },
      { phase: 'waiting', reason: 'ErrImagePull', message: 'not found' },
    ]);
    expect(reduce(state, attached)).toMatchObject({ phase: 'attached', attached: { container: 'debugger-x' } });
  });

  it('reconnects with backoff after a drop, resets once attached again, and gives up in the end', () => {
    let state = run([{ type: 'open' }, attached, { type: 'close', code: 1006, reason: '' }]);
    expect(state).toMatchObject({ phase: 'reconnecting', attempt: 1, retryInMs: RECONNECT_DELAYS_MS[0] });
    state = run([{ type: 'connect' }, { type: 'open' }, attached], state);
    expect(state).toMatchObject({ phase: 'attached', attempt: 0 });
    for (let i = 0; i < RECONNECT_DELAYS_MS.length; i++) state = run([{ type: 'connect' }, { type: 'close', code: 1006, reason: '' }], state);
    expect(state.phase).toBe('reconnecting');
    state = run([{ type: 'connect' }, { type: 'close', code: 1006, reason: '' }], state);
    expect(state.phase).toBe('disconnected');
    expect(state.problem).toMatch(/Gave up after 5 tries/);
  });

  it('stays ended once ended, and does not retry a session that is not there or not yours', () => {
    const ended = run([{ type: 'open' }, attached, { type: 'message', message: { type: 'ended', reason: 'exited', exitCode: 3, message: 'exited' } }, { type: 'close', code: 1000, reason: '' }]);
    expect(ended).toMatchObject({ phase: 'ended', ended: { exitCode: 3 } });
    expect(describeEnding(ended.ended!)).toBe('exited with code 3');
    expect(run([{ type: 'close', code: CLOSE.notFound, reason: 'no such session' }]).phase).toBe('disconnected');
    expect(run([{ type: 'close', code: CLOSE.forbidden, reason: '' }]).phase).toBe('disconnected');
    expect(run([{ type: 'close', code: CLOSE.gone, reason: '' }]).phase).toBe('ended');
  });

  it('reads only well-formed control messages', () => {
    expect(parseServerMessage('{"type":"notice","message":"hi"}')).toEqual({ type: 'notice', message: 'hi' });
    expect(parseServerMessage('{"type":"what"}')).toBeNull();
    expect(parseServerMessage('nope')).toBeNull();
  });
});
