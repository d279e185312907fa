import { describe, expect, it } from 'vitest';
import { formatValue } from '../support/report';
import { failed, growthExponent, measured, median, unavailable } from '../support/results';
import { windowStats } from '../support/window-stats';

const input = { id: 'x', section: 2, label: 'x', unit: 'ms' as const };

describe('the bench arithmetic', () => {
  it('takes the median of odd and even counts without reordering the samples', () => {
    const samples = [30, 10, 20];
    expect(median(samples)).toBe(20);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(samples).toEqual([30, 10, 20]);
  });

  it('gives exponent 1 for linear growth, 2 for quadratic, and Page Assist about 1.7', () => {
    expect(growthExponent(60, 100, 240, 400)).toBeCloseTo(1);
    expect(growthExponent(60, 100, 240, 1600)).toBeCloseTo(2);
    expect(growthExponent(60, 1680, 240, 18_400)).toBeCloseTo(1.73, 2);
  });

  it('summarises samples, dropping the ones that could not be measured, and checks the budget on the median', () => {
    const m = measured({ ...input, budget: '< 80 ms', check: (v) => v < 80 }, [90, Number.NaN, 70, 60]);
    expect(m).toMatchObject({ status: 'ok', samples: [90, 70, 60], median: 70, min: 60, max: 90, withinBudget: true });
    expect(m).not.toHaveProperty('check');
  });

  it('judges an every-run budget on the worst sample, not the median', () => {
    const tasks = { ...input, budget: '≤ 50 ms in every run', check: (v: number) => v <= 50 };
    expect(measured(tasks, [0, 0, 99]).withinBudget).toBe(true);
    expect(measured({ ...tasks, judge: 'max' }, [0, 0, 99])).toMatchObject({ median: 0, withinBudget: false });
    expect(measured({ ...tasks, judge: 'max' }, [0, 40, 50]).withinBudget).toBe(true);
  });

  it('reports a measure with no sample as failed, never as a number', () => {
    expect(measured(input, [Number.NaN])).toMatchObject({ status: 'failed', samples: [] });
    expect(measured(input, [])).not.toHaveProperty('median');
    expect(unavailable(input, 'no chat UI')).toMatchObject({ status: 'not available yet', note: 'no chat UI' });
    expect(failed(input, new Error('boom\nstack'))).toMatchObject({ status: 'failed', note: 'boom' });
  });

  it('formats each unit readably', () => {
    expect(formatValue(1234.4, 'ms')).toBe('1,234 ms');
    expect(formatValue(18_400, 'ms')).toBe('18.40 s');
    expect(formatValue(2.5, 'ms')).toBe('2.5 ms');
    expect(formatValue(118_886, 'bytes')).toBe('116.1 KB');
    expect(formatValue(13 * 1024 * 1024, 'bytes')).toBe('13.00 MB');
    expect(formatValue(0.754, 'exponent')).toBe('0.75');
  });
});

describe('responsiveness in a window', () => {
  const probe = {
    longTasks: [
      { start: 5, duration: 60 }, // ends inside the window: counts
      { start: 200, duration: 120 },
      { start: 400, duration: 80 }, // after the window
    ],
    frames: [0, 16, 32, 100, 116, 300, 316],
  };

  it('counts the long tasks overlapping the window and the frame gaps over 50 ms inside it', () => {
    const stats = windowStats(probe, 10, 320);
    expect(stats).toMatchObject({ longestTaskMs: 120, totalLongTaskMs: 180, longTasks: 2, framesOver50: 2, longestFrameGapMs: 184 });
    expect(stats.fps).toBeCloseTo((5 * 1000) / 300);
  });

  it('says 0, not -Infinity, when nothing happened', () => {
    expect(windowStats({ longTasks: [], frames: [] }, 0, 100)).toMatchObject({ longestTaskMs: 0, longestFrameGapMs: 0, fps: 0 });
  });
});
