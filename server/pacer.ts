/**
 * Paces a stream to a rate by schedule, not by sleeping per chunk: chunk i is
 * due at start + i / rate. Whatever is already due goes out at once, and only
 * then does the pacer wait, until the next due time. Timers fire late (≥ 1 ms,
 * more on a busy machine); sleeping a fixed interval per chunk adds that
 * lateness to every chunk, a schedule absorbs it, so the achieved rate stays
 * on target.
 */

/** Time source and timer, injectable so tests can drive the schedule without waiting. */
export interface PacerClock {
  /** Milliseconds, monotonic. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: PacerClock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface Pacer {
  /** Takes the next chunk's slot; returns how many ms until it is due (0: now). The first chunk is due at once. */
  delay(): number;
}

export function createPacer(chunksPerSecond: number, clock: PacerClock = realClock): Pacer {
  if (!(chunksPerSecond > 0) || !Number.isFinite(chunksPerSecond)) throw new RangeError('chunksPerSecond must be a positive number');
  const period = 1000 / chunksPerSecond;
  let start: number | undefined;
  let sent = 0;
  return {
    delay() {
      start ??= clock.now();
      const due = start + sent * period;
      sent += 1;
      return Math.max(0, due - clock.now());
    },
  };
}
