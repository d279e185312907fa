/**
 * One row of the bench's table: a measure, its samples and their median,
 * min and max, next to the budget and Page Assist's figure. A measure that
 * could not run says why instead of showing a number.
 */

export type Unit = 'ms' | 's' | 'bytes' | 'count' | 'fps' | 'ratio' | 'exponent' | 'chunks/s';

export interface Measure {
  /** Stable id for the JSON (e.g. `open.running.popup`). */
  id: string;
  /** Which numbered part of the issue (1–6). */
  section: number;
  label: string;
  unit: Unit;
  /** What ran, e.g. "real chat UI" or "bench page: product chat components"; shown beside the figure. */
  variant?: string;
  status: 'ok' | 'not available yet' | 'failed';
  samples: number[];
  median?: number;
  min?: number;
  max?: number;
  budget?: string;
  /** Whether the median meets the budget, when there is one and a number to compare. */
  withinBudget?: boolean;
  pageAssist?: string;
  note?: string;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export interface MeasureInput {
  id: string;
  section: number;
  label: string;
  unit: Unit;
  variant?: string;
  budget?: string;
  /** Checks the budget, against the median unless `judge` says otherwise. */
  check?: (value: number) => boolean;
  /** `max`: the budget must hold in every run (e.g. "no task over 50 ms"), so the worst sample decides. */
  judge?: 'median' | 'max';
  pageAssist?: string;
  note?: string;
}

/** A measured row; with no samples it is `failed` (use {@link unavailable} for a missing feature). */
export function measured(input: MeasureInput, samples: readonly number[]): Measure {
  const { check, judge = 'median', ...rest } = input;
  const clean = samples.filter((n) => Number.isFinite(n));
  if (clean.length === 0) return { ...rest, status: 'failed', samples: [], note: input.note ?? 'no sample could be taken' };
  const m = median(clean);
  const max = Math.max(...clean);
  return {
    ...rest,
    status: 'ok',
    samples: clean,
    median: m,
    min: Math.min(...clean),
    max,
    ...(check && { withinBudget: check(judge === 'max' ? max : m) }),
  };
}

export function unavailable(input: MeasureInput, why: string): Measure {
  const { check: _check, judge: _judge, ...rest } = input;
  return { ...rest, status: 'not available yet', samples: [], note: why };
}

export function failed(input: MeasureInput, error: unknown): Measure {
  const { check: _check, judge: _judge, ...rest } = input;
  const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
  return { ...rest, status: 'failed', samples: [], note: message.slice(0, 300) };
}

/**
 * The exponent k in time ∝ size^k between two sizes: 1 is linear, 2
 * quadratic. Page Assist's streaming grows with k ≈ 1.7.
 */
export function growthExponent(smallSize: number, smallTime: number, largeSize: number, largeTime: number): number {
  return Math.log(largeTime / smallTime) / Math.log(largeSize / smallSize);
}
