import { PassThrough } from 'node:stream';
import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { createPacer, type PacerClock } from '../../server/pacer';
import { SseWriter } from '../../server/sse-writer';

/** A clock whose timers fire `lateMs` after they were due, as real ones do (1 ms granularity, a busy machine). */
function lateClock(lateMs: number): PacerClock & { sleeps: number[] } {
  let now = 1_000;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    async sleep(ms) {
      sleeps.push(ms);
      now += ms + lateMs;
    },
  };
}

/** Sends `count` chunks through the pacer; returns when each went out. */
async function sendTimes(count: number, rate: number, clock: PacerClock): Promise<number[]> {
  const pacer = createPacer(rate, clock);
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const wait = pacer.delay();
    if (wait > 0) await clock.sleep(wait);
    times.push(clock.now());
  }
  return times;
}

describe('pacer', () => {
  it('keeps 1,000 chunks/s although every timer fires late', async () => {
    const clock = lateClock(0.25);
    const times = await sendTimes(10_000, 1000, clock);
    const rate = (times.length - 1) / ((times.at(-1)! - times[0]!) / 1000);
    expect(rate).toBeGreaterThan(990);
    expect(rate).toBeLessThanOrEqual(1000);
  });

  it('never sends a chunk before its due time, and never falls behind by more than one timer', async () => {
    const clock = lateClock(3.5);
    const times = await sendTimes(2_000, 1000, clock);
    times.forEach((t, i) => {
      expect(t).toBeGreaterThanOrEqual(times[0]! + i);
      expect(t).toBeLessThan(times[0]! + i + 4.5);
    });
  });

  it('sends what is due at once, then waits for the next due time', async () => {
    // Timers 3.5 ms late at 1 ms per chunk: after each wait, three or four chunks are due and go out without waiting.
    const clock = lateClock(3.5);
    await sendTimes(101, 1000, clock);
    expect(clock.sleeps.length).toBeGreaterThan(15);
    expect(clock.sleeps.length).toBeLessThan(30);
    for (const ms of clock.sleeps) expect(ms).toBeLessThanOrEqual(1);
  });

  it('refuses a rate that is not positive', () => {
    expect(() => createPacer(0)).toThrow(RangeError);
    expect(() => createPacer(Number.NaN)).toThrow(RangeError);
  });
});

describe('SseWriter paced by rate', () => {
  it('writes each event at its due time on the schedule', async () => {
    const clock = lateClock(2);
    const sink = new PassThrough();
    const written: number[] = [];
    // Events that are due together share a write: record each event's time.
    sink.on('data', (bytes: Buffer) => {
      for (const _ of bytes.toString().matchAll(/^data: /gm)) written.push(clock.now());
    });
    const res = Object.assign(sink, { writeHead: () => res, flushHeaders: () => undefined }) as unknown as ServerResponse;
    const writer = new SseWriter(res, { chunksPerSecond: 500, clock });
    writer.open();
    for (let i = 0; i < 50; i++) expect(await writer.event(`{"n":${i}}`)).toBe(true);
    await writer.done();
    // 50 events at 2 ms each, plus [DONE]: the last event went out at ~98 ms, not 50 × (2 + 2) ms.
    expect(written).toHaveLength(51);
    expect(written[49]! - written[0]!).toBeGreaterThanOrEqual(98);
    expect(written[49]! - written[0]!).toBeLessThan(98 + 2 + 2);
  });
});
