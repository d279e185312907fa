/**
 * The bench's output: a plain-text table on stdout, and the same run as JSON
 * (every sample) plus a markdown table under bench/results/ (git-ignored).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { environmentLines, type Environment } from './environment';
import { RESULTS_DIR } from './paths';
import type { Measure, Unit } from './results';

export interface RunReport {
  environment: Environment;
  options: unknown;
  build: { rebuilt: boolean; ms: number };
  durationMs: number;
  measures: Measure[];
}

const SECTIONS: Record<number, string> = {
  1: '1. Bytes the pages load',
  2: '2. Open time, navigation start → ready (in the page)',
  3: '3. Streaming (4-character chunks)',
  4: '4. Unlock',
  5: '5. History at scale',
  6: '6. Memory',
};

export function formatValue(value: number, unit: Unit): string {
  const n = (v: number, digits = 0) => v.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  switch (unit) {
    case 'ms':
      return value >= 10_000 ? `${n(value / 1000, 2)} s` : `${n(value, value < 10 ? 1 : 0)} ms`;
    case 's':
      return `${n(value, 2)} s`;
    case 'bytes':
      return value >= 1024 * 1024 ? `${n(value / 1024 / 1024, 2)} MB` : `${n(value / 1024, 1)} KB`;
    case 'fps':
      return `${n(value, 1)} fps`;
    case 'exponent':
      return n(value, 2);
    case 'ratio':
      return n(value, 2);
    case 'chunks/s':
      return `${n(value)}/s`;
    case 'count':
      return n(value, Number.isInteger(value) ? 0 : 1);
  }
}

function figure(m: Measure): string {
  if (m.status !== 'ok') return m.status;
  return formatValue(m.median!, m.unit);
}

function spread(m: Measure): string {
  if (m.status !== 'ok' || m.samples.length < 2) return '';
  return `${formatValue(m.min!, m.unit)} – ${formatValue(m.max!, m.unit)}`;
}

function verdict(m: Measure): string {
  if (!m.budget) return '';
  if (m.withinBudget === undefined) return m.budget;
  return `${m.budget} ${m.withinBudget ? 'met' : 'MISSED'}`;
}

export function textTable(report: RunReport): string {
  const lines = [...environmentLines(report.environment), `build ${report.build.rebuilt ? `rebuilt in ${(report.build.ms / 1000).toFixed(0)} s` : 'unchanged'}; run took ${(report.durationMs / 60_000).toFixed(1)} min`, ''];
  const widths = [58, 12, 24, 4, 24];
  const row = (cells: string[]) => cells.map((c, i) => (i < widths.length ? c.padEnd(widths[i]!) : c)).join(' ').trimEnd();
  for (const section of [...new Set(report.measures.map((m) => m.section))].sort()) {
    lines.push(SECTIONS[section] ?? `${section}.`, row(['  measure', 'median', 'min – max', 'n', 'budget', 'Page Assist']));
    let variant: string | undefined;
    for (const m of report.measures.filter((x) => x.section === section)) {
      if (m.variant && m.variant !== variant) lines.push(`  [${m.variant}]`);
      variant = m.variant ?? variant;
      lines.push(row([`  ${m.label}`, figure(m), spread(m), m.status === 'ok' ? String(m.samples.length) : '', verdict(m), m.pageAssist ?? '']));
      if (m.note) lines.push(`      ${m.note}`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

export function markdownTable(report: RunReport): string {
  const head = ['| measure | variant | median (min – max, n) | budget | Page Assist |', '|---|---|---|---|---|'];
  const rows = report.measures.map((m) => {
    const value = m.status === 'ok' ? `${figure(m)}${m.samples.length > 1 ? ` (${spread(m)}, ${m.samples.length})` : ''}` : `*${m.status}*`;
    return `| ${m.label.trim()} | ${m.variant ?? ''} | ${value} | ${verdict(m)} | ${m.pageAssist ?? ''} |`;
  });
  return [...environmentLines(report.environment).map((l) => `${l}  `), '', ...head, ...rows, ''].join('\n');
}

/** Writes `bench-<time>.json`, `latest.json` and `latest.md`; returns the JSON's path. */
export async function writeResults(report: RunReport): Promise<string> {
  await mkdir(RESULTS_DIR, { recursive: true });
  const json = `${JSON.stringify(report, null, 2)}\n`;
  const file = path.join(RESULTS_DIR, `bench-${report.environment.startedAt.replace(/[:.]/g, '-')}.json`);
  await writeFile(file, json);
  await writeFile(path.join(RESULTS_DIR, 'latest.json'), json);
  await writeFile(path.join(RESULTS_DIR, 'latest.md'), markdownTable(report));
  return file;
}
