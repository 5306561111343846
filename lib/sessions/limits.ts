// A session's limits while a browser is attached (guardrails, DESIGN.md): the
// idle timeout (no input for so long) and the maximum duration, each announced
// a minute ahead when it is more than two minutes away. Time is Date.now() and
// setTimeout, so tests drive it with fake timers.

/** A notice comes this long before a limit, when the limit is more than twice as far. */
const NOTICE_BEFORE_MS = 60_000;
/** setTimeout's longest delay. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface LimitsOptions {
  /** 0: no idle limit (a session without input cannot be idle). */
  idleTimeoutMs: number;
  endsAt: Date;
  idleFor(): number;
  notice(message: string): void;
  end(reason: 'idle-timeout' | 'max-duration', message: string): void;
}

/** The idle timeout and the maximum duration, each with a notice a minute ahead when it is more than two minutes long. */
export function sessionLimits(options: LimitsOptions): { start(): void; stop(): void } {
  const timers = new Set<NodeJS.Timeout>();
  const at = (delayMs: number, run: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      run();
    }, Math.min(Math.max(0, delayMs), MAX_TIMER_MS));
    timers.add(timer);
  };
  const idle = options.idleTimeoutMs;
  const noticeAt = idle > 2 * NOTICE_BEFORE_MS ? idle - NOTICE_BEFORE_MS : Infinity;
  let idleNoticeSent = false;
  // Rescheduled from the last input rather than on every keystroke.
  const checkIdle = () => {
    const quiet = options.idleFor();
    if (quiet >= idle) return options.end('idle-timeout', `No input for ${duration(idle)}: the session's idle timeout ended it.`);
    if (quiet < noticeAt) {
      idleNoticeSent = false; // input since the last notice
      return at(Math.min(noticeAt, idle) - quiet, checkIdle);
    }
    if (!idleNoticeSent) {
      idleNoticeSent = true;
      options.notice(`No input for ${duration(quiet)}: the session ends in ${duration(idle - quiet)} unless you type something.`);
    }
    at(idle - quiet, checkIdle);
  };
  return {
    start() {
      if (idle > 0) checkIdle();
      const left = options.endsAt.getTime() - Date.now();
      if (left > 2 * NOTICE_BEFORE_MS) {
        at(left - NOTICE_BEFORE_MS, () => options.notice(`The session reaches its maximum duration in one minute, at ${options.endsAt.toISOString()}.`));
      }
      const endAt = () => {
        const remaining = options.endsAt.getTime() - Date.now();
        if (remaining > 0) return at(remaining, endAt); // past setTimeout's range
        options.end('max-duration', `The session reached its maximum duration (${options.endsAt.toISOString()}).`);
      };
      at(left, endAt);
    },
    stop() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}

function duration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 120) return `${seconds} s`;
  return seconds % 60 === 0 ? `${seconds / 60} min` : `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}
