/**
 * One table for `npm run bench`: each bench prints its own detail and also hands its headline
 * figures to `reportFigures`, which appends them as JSON lines to the file named by BENCH_REPORT
 * (set by bench/run-all.ts). A bench run on its own, without BENCH_REPORT, only prints.
 *
 * A figure says what was measured, its value and unit, and where it can be, the baseline measured
 * in the same run and the target it is held to, so the summary can show a ratio and a verdict.
 */
import { appendFileSync } from 'node:fs';

export type Figure = {
  /** What was measured, in words: "GET /api/operations p95, one connection, SQLite, 1,000,000". */
  what: string;
  value: number;
  unit: string;
  /** The same measurement of a baseline in the same run (a bare receiver, no browsers, the limit's minimum). */
  baseline?: { what: string; value: number };
  /** What the figure must be: `value <= max`, `value >= min`, a ratio to the baseline at least `minRatio`, or `equals`. */
  target?: { max?: number; min?: number; minRatio?: number; maxRatio?: number; equals?: number };
};

export type ReportedFigure = Figure & { bench: string };

export function reportFigures(bench: string, figures: readonly Figure[]): void {
  const file = process.env.BENCH_REPORT;
  if (!file || figures.length === 0) return;
  appendFileSync(file, figures.map((figure) => JSON.stringify({ bench, ...figure })).join('\n') + '\n');
}

/** Whether a figure meets its target; undefined when it has none. */
export function meetsTarget(figure: Figure): boolean | undefined {
  const { target, value, baseline } = figure;
  if (!target) return undefined;
  const ratio = baseline && baseline.value !== 0 ? value / baseline.value : undefined;
  if (target.max !== undefined && !(value <= target.max)) return false;
  if (target.min !== undefined && !(value >= target.min)) return false;
  if (target.equals !== undefined && value !== target.equals) return false;
  if (target.minRatio !== undefined && !(ratio !== undefined && ratio >= target.minRatio)) return false;
  if (target.maxRatio !== undefined && !(ratio !== undefined && ratio <= target.maxRatio)) return false;
  return true;
}
