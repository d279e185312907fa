/** The streaming and memory rows of one variant, from its runs, with the budgets and Page Assist's figures. */
import { growthExponent, measured, median, type Measure, type MeasureInput } from '../support/results';
import type { StreamRun } from '../support/stream-run';

export interface VariantRuns {
  fast60: StreamRun[];
  fast240: StreamRun[];
  paced240: StreamRun[];
  pageHeap: number[];
  backgroundHeap: number[];
}

const MB = 1024 * 1024;

/**
 * `judged`: whether the budgets apply. They apply to the real chat UI;
 * the chat-components page parses the stream on its own main thread, which the
 * product never does, so its rows are a reference without budgets.
 */
export function streamMeasures(key: string, variant: string, runs: VariantRuns, judged: boolean): Measure[] {
  const row = (input: Omit<MeasureInput, 'variant'>, values: number[]) => {
    const { budget: _budget, check: _check, judge: _judge, ...unjudged } = input;
    return measured({ ...(judged ? input : unjudged), variant }, values);
  };
  const pick = (list: StreamRun[], field: keyof StreamRun) => list.map((r) => r[field]);
  const out: Measure[] = [];
  for (const [size, list, pa] of [
    ['60 KB', runs.fast60, { last: '1.68 s', task: '1.1 s' }],
    ['240 KB', runs.fast240, { last: '18.4 s', task: '6.8 s' }],
  ] as const) {
    const id = `stream.${key}.${size.replace(' ', '').toLowerCase()}.fast`;
    const large = size === '240 KB';
    out.push(
      row({ id: `${id}.first`, section: 3, label: `${size} fast: send → first text visible`, unit: 'ms' }, pick(list, 'firstMs')),
      row({ id: `${id}.last`, section: 3, label: `${size} fast: send → last chunk visible`, unit: 'ms', pageAssist: pa.last }, pick(list, 'lastMs')),
      row(
        {
          id: `${id}.afterLastByte`,
          section: 3,
          label: `${size} fast: last byte → last chunk visible`,
          unit: 'ms',
          ...(large && { budget: '≤ 1,000 ms', check: (m: number) => m <= 1000 }),
        },
        pick(list, 'afterLastByteMs'),
      ),
      row(
        {
          id: `${id}.longestTask`,
          section: 3,
          label: `${size} fast: longest task (0 = none ≥ 50 ms)`,
          unit: 'ms',
          pageAssist: pa.task,
          ...(large && { budget: '≤ 50 ms in every run', check: (m: number) => m <= 50, judge: 'max' as const }),
        },
        pick(list, 'longestTaskMs'),
      ),
      row({ id: `${id}.totalLongTask`, section: 3, label: `${size} fast: total long-task time`, unit: 'ms' }, pick(list, 'totalLongTaskMs')),
      row({ id: `${id}.framesOver50`, section: 3, label: `${size} fast: frames over 50 ms`, unit: 'count' }, pick(list, 'framesOver50')),
    );
  }
  if (runs.fast60.length && runs.fast240.length) {
    const k = growthExponent(60, median(pick(runs.fast60, 'lastMs')), 240, median(pick(runs.fast240, 'lastMs')));
    out.push(
      row(
        { id: `stream.${key}.exponent`, section: 3, label: 'growth exponent of send → last visible, 60 → 240 KB', unit: 'exponent', budget: '≤ 1.1', check: (m) => m <= 1.1, pageAssist: '~1.7', note: 'from the two medians' },
        [k],
      ),
    );
  }
  const paced = runs.paced240;
  out.push(
    row({ id: `stream.${key}.240kb.paced.fps`, section: 3, label: '240 KB paced: frames per second', unit: 'fps', budget: '≥ 50', check: (m) => m >= 50, pageAssist: '~4' }, pick(paced, 'fps')),
    row({ id: `stream.${key}.240kb.paced.framesOver50`, section: 3, label: '240 KB paced: frames over 50 ms', unit: 'count', pageAssist: '220' }, pick(paced, 'framesOver50')),
    row({ id: `stream.${key}.240kb.paced.longestTask`, section: 3, label: '240 KB paced: longest task (0 = none ≥ 50 ms)', unit: 'ms' }, pick(paced, 'longestTaskMs')),
    row({ id: `stream.${key}.240kb.paced.rate`, section: 3, label: '240 KB paced: chunks/s actually delivered', unit: 'chunks/s', note: 'target 1,000; the service paces to a schedule (server/pacer.ts)' }, pick(paced, 'chunksPerSecond')),
    row(
      { id: `memory.${key}.page`, section: 6, label: 'page JS heap after the 240 KB answer, after GC', unit: 'bytes', budget: '< 15 MB', check: (m) => m < 15 * MB, pageAssist: '37 MB' },
      runs.pageHeap,
    ),
    row(
      { id: `memory.${key}.background`, section: 6, label: 'background JS heap after the 240 KB answer, after GC', unit: 'bytes', note: key === 'components' ? 'this variant does not use the background' : runs.backgroundHeap.some(Number.isNaN) ? 'some runs found the worker stopped (idle)' : undefined },
      runs.backgroundHeap,
    ),
  );
  return out;
}
