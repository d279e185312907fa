import { describe, expect, it } from 'vitest';
import type { StreamRun } from '../support/stream-run';
import { streamMeasures, type VariantRuns } from '../suites/streaming-measures';

function run(longestTaskMs: number): StreamRun {
  return { firstMs: 100, lastMs: 800, afterLastByteMs: 300, chunksPerSecond: 1000, longestTaskMs, totalLongTaskMs: longestTaskMs, longTasks: longestTaskMs ? 1 : 0, framesOver50: 0, longestFrameGapMs: 33, fps: 60 };
}

const runs: VariantRuns = { fast60: [run(0), run(0)], fast240: [run(0), run(70)], paced240: [run(0)], pageHeap: [4e6], backgroundHeap: [2e6] };

describe('streaming measures', () => {
  it('judges the budgets on a judged variant, by the worst run for long tasks', () => {
    const rows = streamMeasures('ui', 'real chat UI', runs, true);
    const longest = rows.find((r) => r.id === 'stream.ui.240kb.fast.longestTask')!;
    expect(longest.budget).toBe('≤ 50 ms in every run');
    expect(longest.withinBudget).toBe(false);
    expect(rows.find((r) => r.id === 'stream.ui.240kb.paced.fps')!.withinBudget).toBe(true);
  });

  it('shows a reference variant without budgets, and with the same figures', () => {
    const judged = streamMeasures('components', 'components', runs, true);
    const reference = streamMeasures('components', 'components', runs, false);
    expect(reference.every((r) => r.budget === undefined && r.withinBudget === undefined)).toBe(true);
    expect(reference.map((r) => r.samples)).toEqual(judged.map((r) => r.samples));
    expect(reference.find((r) => r.id.endsWith('240kb.fast.longestTask'))!.pageAssist).toBe('6.8 s');
  });
});
