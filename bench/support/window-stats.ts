/** How responsive a page was between two of its times, from the probe's long tasks and frames. */
import type { Page } from 'puppeteer';
import type { ProbeState } from './probe';

export interface WindowStats {
  /** The longest task of 50 ms or more overlapping the window; 0 when there was none. */
  longestTaskMs: number;
  totalLongTaskMs: number;
  longTasks: number;
  /** Gaps between animation frames longer than 50 ms (the page could not paint). */
  framesOver50: number;
  longestFrameGapMs: number;
  fps: number;
}

export function windowStats(probe: Pick<ProbeState, 'longTasks' | 'frames'>, from: number, to: number): WindowStats {
  const tasks = probe.longTasks.filter((t) => t.start + t.duration > from && t.start < to);
  const frames = probe.frames.filter((f) => f >= from && f <= to);
  const gaps = frames.slice(1).map((f, i) => f - frames[i]!);
  return {
    longestTaskMs: Math.max(0, ...tasks.map((t) => t.duration)),
    totalLongTaskMs: tasks.reduce((sum, t) => sum + t.duration, 0),
    longTasks: tasks.length,
    framesOver50: gaps.filter((g) => g > 50).length,
    longestFrameGapMs: Math.max(0, ...gaps),
    fps: frames.length > 1 ? ((frames.length - 1) * 1000) / (frames.at(-1)! - frames[0]!) : 0,
  };
}

/** Starts recording frames in the page (clearing earlier ones). */
export async function startFrames(page: Page): Promise<void> {
  await page.evaluate(() => {
    const probe = (globalThis as unknown as { __benchProbe: ProbeState }).__benchProbe;
    probe.frames = [];
    probe.recording = true;
  });
}

/** Stops recording and returns the probe's records (long tasks up to now included). */
export async function stopFrames(page: Page): Promise<Omit<ProbeState, 'takeRecords'> & { timeOrigin: number }> {
  return page.evaluate(async () => {
    const probe = (globalThis as unknown as { __benchProbe: ProbeState }).__benchProbe;
    probe.recording = false;
    // A long task's entry is queued after the task ends; give it a moment, then take what the observer holds.
    await new Promise((resolve) => setTimeout(resolve, 250));
    probe.takeRecords();
    const { longTasks, frames, recording, seen, sendAt, clicks } = probe;
    return { longTasks, frames, recording, seen, sendAt, clicks, timeOrigin: performance.timeOrigin };
  });
}
