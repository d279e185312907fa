import { Writable } from 'node:stream';
import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { PacerClock } from '../../server/pacer';
import { SseWriter, type StreamOptions } from '../../server/sse-writer';

/** A response that records each write as it happens. */
function recordingResponse(): { res: ServerResponse; writes: string[]; text: () => string; events: () => string[] } {
  const writes: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      writes.push(chunk.toString());
      callback();
    },
  });
  const res = Object.assign(sink, { writeHead: () => res, flushHeaders: () => undefined }) as unknown as ServerResponse;
  const text = () => writes.join('');
  const events = () => [...text().matchAll(/^data: (.*)$/gm)].map((m) => m[1]!);
  return { res, writes, text, events };
}

async function send(options: StreamOptions, count: number, finish = true) {
  const recording = recordingResponse();
  const writer = new SseWriter(recording.res, options);
  writer.open();
  let accepted = 0;
  for (let i = 0; i < count; i++) {
    if (!(await writer.event(`{"n":${i}}`))) break;
    accepted += 1;
  }
  if (finish) await writer.done();
  return { ...recording, accepted };
}

describe('SseWriter', () => {
  it('sends events that are ready together, each one intact and in order', async () => {
    const { events, writes } = await send({}, 5_000);
    expect(events()).toEqual([...Array.from({ length: 5_000 }, (_, i) => `{"n":${i}}`), '[DONE]']);
    // ~60 KB of events: a few writes of up to 16 KB, not one per event.
    expect(writes.length).toBeLessThan(10);
  });

  it('a cut in the middle of a burst still delivers every event before it', async () => {
    const { events, accepted, res } = await send({ cutAfter: 3_000 }, 5_000, false);
    expect(accepted).toBe(3_000);
    expect(events()).toEqual(Array.from({ length: 3_000 }, (_, i) => `{"n":${i}}`));
    expect(res.destroyed).toBe(true);
  });

  it('writes what is ready before pausing, never after', async () => {
    const recording = recordingResponse();
    const seenAtSleep: number[] = [];
    const clock: PacerClock = {
      now: () => 0,
      async sleep() {
        seenAtSleep.push(recording.events().length);
      },
    };
    const writer = new SseWriter(recording.res, { intervalMs: 50, clock });
    writer.open();
    for (let i = 0; i < 4; i++) await writer.event(`{"n":${i}}`);
    // Before each pause, every event so far is already on the wire.
    expect(seenAtSleep).toEqual([1, 2, 3]);
  });

  it('a lone event goes out without waiting for more', async () => {
    const { res, events } = recordingResponse();
    const writer = new SseWriter(res);
    writer.open();
    await writer.event('{"only":true}');
    await new Promise((resolve) => setImmediate(resolve));
    expect(events()).toEqual(['{"only":true}']);
  });

  it('malformed lines follow the first event, and the events around them stay whole', async () => {
    const { text, events } = await send({ malformed: true }, 3);
    expect(text()).toContain('data: not json at all');
    expect(events().filter((e) => e.startsWith('{"n":'))).toEqual(['{"n":0}', '{"n":1}', '{"n":2}']);
  });
});
