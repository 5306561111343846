import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { sessionLimits } from './limits';

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(new Date('2026-11-27T06:00:00Z'));
});
afterEach(() => vi.useRealTimers());

function limits(idleTimeoutMs: number, endsInMs: number) {
  let lastInput = Date.now();
  const events: string[] = [];
  const at = () => `${(Date.now() - new Date('2026-11-27T06:00:00Z').getTime()) / 1000}s`;
  const control = sessionLimits({
    idleTimeoutMs,
    endsAt: new Date(Date.now() + endsInMs),
    idleFor: () => Date.now() - lastInput,
    notice: (message) => events.push(`${at()} notice: ${message}`),
    end: (reason, message) => events.push(`${at()} ${reason}: ${message}`),
  });
  return { control, events, type: () => (lastInput = Date.now()) };
}

describe('sessionLimits', () => {
  it('ends after the idle timeout, with no notice when the timeout is two minutes or less', () => {
    const { control, events } = limits(2_000, 3_600_000);
    control.start();
    vi.advanceTimersByTime(2_000);
    expect(events).toEqual(["2s idle-timeout: No input for 2 s: the session's idle timeout ended it."]);
  });

  it('input restarts the idle clock', () => {
    const { control, events, type } = limits(2_000, 3_600_000);
    control.start();
    vi.advanceTimersByTime(1_500);
    type();
    vi.advanceTimersByTime(1_900);
    expect(events).toEqual([]);
    vi.advanceTimersByTime(100);
    expect(events).toEqual(["3.5s idle-timeout: No input for 2 s: the session's idle timeout ended it."]);
  });

  it('announces an idle timeout longer than two minutes a minute ahead, and again after new input', () => {
    const { control, events, type } = limits(15 * 60_000, 3_600_000);
    control.start();
    vi.advanceTimersByTime(14 * 60_000);
    expect(events).toEqual(['840s notice: No input for 14 min: the session ends in 60 s unless you type something.']);
    type();
    vi.advanceTimersByTime(14 * 60_000);
    expect(events).toHaveLength(2);
    vi.advanceTimersByTime(60_000);
    expect(events.at(-1)).toBe("1740s idle-timeout: No input for 15 min: the session's idle timeout ended it.");
  });

  it('announces the maximum duration a minute ahead and ends there', () => {
    const { control, events } = limits(0, 10 * 60_000);
    control.start();
    vi.advanceTimersByTime(10 * 60_000);
    expect(events).toEqual([
      '540s notice: The session reaches its maximum duration in one minute, at 2026-11-27T06:10:00.000Z.',
      '600s max-duration: The session reached its maximum duration (2026-11-27T06:10:00.000Z).',
    ]);
  });

  it('stop() cancels everything', () => {
    const { control, events } = limits(2_000, 5_000);
    control.start();
    control.stop();
    vi.advanceTimersByTime(60_000);
    expect(events).toEqual([]);
  });
});
