/**
 * Runs every benchmark, one after the other, each in a process of its own (`npm run bench`).
 *
 *   npm run bench                              every bench at its full size (about 8 minutes on 2 cores)
 *   npm run bench -- --quick                   smaller stores and shorter runs (about 3 minutes)
 *   npm run bench -- --operations 50000        the store benches over 50,000 operations
 *   npm run bench -- operations-list webhook-ingest    only these
 *
 * A bench that fails is reported and the others still run; the exit code is 1 if any failed.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { meetsTarget, type ReportedFigure } from './support/report.ts';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const operationsAt = args.indexOf('--operations');
const operations = operationsAt === -1 ? (quick ? '20000' : '100000') : (args[operationsAt + 1] ?? '');
if (!/^\d+$/.test(operations)) {
  console.error(`--operations takes a number, not "${operations}"`);
  process.exit(2);
}
const selected = args.filter((arg, index) => !arg.startsWith('--') && (operationsAt === -1 || index !== operationsAt + 1));

const BENCHES: { name: string; args: string[] }[] = [
  { name: 'bundle', args: [] },
  { name: 'operations-list', args: [operations, quick ? '50' : '200'] },
  { name: 'webhook-ingest', args: [operations, quick ? '5' : '15', '8'] },
  { name: 'webhooks-under-search', args: [operations, quick ? '5' : '20', '20'] },
  { name: 'broadcast', args: [quick ? '200' : '1000', '50'] },
  { name: 'bulk-resend', args: [quick ? '200' : '1000', '50'] },
  { name: 'operations-scroll', args: ['--rows', quick ? '500' : '2000'] },
  { name: 'watched-reads', args: [quick ? '6' : '12'] },
];

const unknown = selected.filter((name) => !BENCHES.some((bench) => bench.name === name));
if (unknown.length > 0) {
  console.error(`no such bench: ${unknown.join(', ')} (there are ${BENCHES.map((b) => b.name).join(', ')})`);
  process.exit(2);
}
const toRun = selected.length > 0 ? BENCHES.filter((bench) => selected.includes(bench.name)) : BENCHES;

// Each bench appends its headline figures here (bench/support/report.ts); the summary reads them.
const reportDir = mkdtempSync(path.join(os.tmpdir(), 'fleetops-bench-report-'));
const reportFile = path.join(reportDir, 'figures.jsonl');

function run(file: string, benchArgs: readonly string[]): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', file, ...benchArgs], {
      stdio: 'inherit',
      env: { ...process.env, BENCH_REPORT: reportFile },
    });
    child.on('error', reject);
    child.on('close', resolve);
  });
}

const outcomes: { name: string; seconds: number; ok: boolean }[] = [];
const started = performance.now();
for (const bench of toRun) {
  const file = `bench/${bench.name}.bench.ts`;
  console.log(`\n=== ${bench.name}: npx tsx ${file} ${bench.args.join(' ')}\n`);
  const benchStarted = performance.now();
  const code = await run(file, bench.args);
  outcomes.push({ name: bench.name, seconds: (performance.now() - benchStarted) / 1000, ok: code === 0 });
}

console.log(`\n=== ${outcomes.length} benches in ${((performance.now() - started) / 1000).toFixed(0)} s`);
for (const { name, seconds, ok } of outcomes) console.log(`${ok ? 'done  ' : 'FAILED'}  ${name.padEnd(24)} ${seconds.toFixed(0).padStart(4)} s`);
if (outcomes.some((outcome) => !outcome.ok)) process.exitCode = 1;

let figures: ReportedFigure[] = [];
try {
  figures = readFileSync(reportFile, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as ReportedFigure);
} catch {
  // no bench reported a figure
} finally {
  rmSync(reportDir, { recursive: true, force: true });
}

const cpus = os.cpus();
console.log(
  `\n=== summary on ${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ` +
    `${os.type()} ${os.release()}, Node ${process.versions.node}, ${new Date().toISOString().slice(0, 16)} UTC\n`,
);
const targetWords = (figure: ReportedFigure): string => {
  const t = figure.target;
  if (!t) return '';
  const parts = [
    t.max !== undefined ? `≤ ${t.max} ${figure.unit}` : '',
    t.min !== undefined ? `≥ ${t.min} ${figure.unit}` : '',
    t.equals !== undefined ? `= ${t.equals}` : '',
    t.minRatio !== undefined ? `≥ ${t.minRatio}× baseline` : '',
    t.maxRatio !== undefined ? `≤ ${t.maxRatio}× baseline` : '',
  ];
  return parts.filter(Boolean).join(', ');
};
const rows = figures.map((figure) => {
  const verdict = meetsTarget(figure);
  return [
    figure.bench,
    figure.what,
    `${figure.value} ${figure.unit}`,
    figure.baseline ? `${figure.baseline.value} (${figure.baseline.what})` : '',
    figure.baseline && figure.baseline.value !== 0 ? `${(figure.value / figure.baseline.value).toFixed(2)}×` : '',
    targetWords(figure),
    verdict === undefined ? '' : verdict ? 'met' : 'MISSED',
  ];
});
const header = ['bench', 'what', 'value', 'baseline (same run)', 'ratio', 'target', ''];
const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
const line = (cells: string[]) =>
  cells
    .map((cell, column) => cell.padEnd(widths[column] ?? 0))
    .join('  ')
    .trimEnd();
console.log(line(header));
console.log(line(widths.map((width) => '-'.repeat(width))));
for (const row of rows) console.log(line(row));
const missed = figures.filter((figure) => meetsTarget(figure) === false).length;
console.log(`\n${figures.length} figures, ${missed} missed their target`);
