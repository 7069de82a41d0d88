/**
 * What the browser fetches, in gzip bytes (`npx tsx bench/bundle.bench.ts`; part of `npm run bench`).
 *
 * Builds the SPA into a temporary folder with Vite's manifest and counts, as a first visit does:
 * - the first load: the entry chunk, every chunk `index.html` preloads (its static imports) and the CSS;
 * - each page: the first load plus the page's own chunk and the chunks it imports that the first
 *   load does not hold already.
 *
 * gzip at level 9, as `vite build` reports it. Issue 14's budgets: first load ≤ 100 kB, /operations ≤ 140 kB.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import { reportFigures } from './support/report.ts';

type ManifestChunk = { file: string; src?: string; isEntry?: boolean; isDynamicEntry?: boolean; imports?: string[]; css?: string[] };

const outDir = mkdtempSync(join(tmpdir(), 'fleet-ops-bundle-'));
try {
  await build({ logLevel: 'silent', build: { outDir, emptyOutDir: true, manifest: true } });
  const manifest = JSON.parse(readFileSync(join(outDir, '.vite', 'manifest.json'), 'utf8')) as Record<string, ManifestChunk>;
  const gzipped = new Map<string, number>();
  const size = (file: string) => {
    let bytes = gzipped.get(file);
    if (bytes === undefined) {
      bytes = gzipSync(readFileSync(join(outDir, file)), { level: 9 }).length;
      gzipped.set(file, bytes);
    }
    return bytes;
  };
  /** A chunk's file, its CSS and every chunk it imports statically (what loading it fetches). */
  const closure = (key: string, into = new Set<string>()) => {
    const chunk = manifest[key];
    if (!chunk || into.has(chunk.file)) return into;
    into.add(chunk.file);
    for (const css of chunk.css ?? []) into.add(css);
    for (const imported of chunk.imports ?? []) closure(imported, into);
    return into;
  };
  const sum = (files: Iterable<string>, only: (file: string) => boolean = () => true) =>
    [...files].filter(only).reduce((total, file) => total + size(file), 0);
  const kB = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;

  const entryKey = Object.keys(manifest).find((key) => manifest[key]?.isEntry);
  if (!entryKey) throw new Error('the build has no entry chunk');
  const firstLoad = closure(entryKey);
  const isJs = (file: string) => file.endsWith('.js');
  const rows: [string, string, string][] = [['first load (entry + preloads)', kB(sum(firstLoad, isJs)), kB(sum(firstLoad))]];
  const pages = Object.entries(manifest)
    .filter(([, chunk]) => chunk.isDynamicEntry && chunk.src?.match(/(page|routes\/[^/]+)\.tsx$/))
    .map(([key, chunk]) => {
      const files = new Set([...firstLoad, ...closure(key)]);
      return { name: (chunk.src ?? key).replace(/^src\//, ''), js: sum(files, isJs), all: sum(files) };
    })
    .sort((a, b) => b.js - a.js);
  for (const page of pages) rows.push([`first visit to ${page.name}`, kB(page.js), kB(page.all)]);

  console.log('\nbundle (gzip level 9)');
  console.log(`${'what'.padEnd(72)} ${'JavaScript'.padStart(11)} ${'with CSS'.padStart(10)}`);
  for (const [what, js, all] of rows) console.log(`${what.padEnd(72)} ${js.padStart(11)} ${all.padStart(10)}`);
  // The budgets: the first load and a first visit to /operations, JavaScript in gzip.
  const operations = pages.find((page) => page.name.endsWith('operations-page.tsx'));
  reportFigures('bundle', [
    {
      what: 'first-load JavaScript (entry + preloads), gzip',
      value: Number((sum(firstLoad, isJs) / 1000).toFixed(1)),
      unit: 'kB',
      target: { max: 100 },
    },
    ...(operations
      ? [{ what: 'first visit to /operations, JavaScript, gzip', value: Number((operations.js / 1000).toFixed(1)), unit: 'kB', target: { max: 140 } }]
      : []),
  ]);
} finally {
  rmSync(outDir, { recursive: true, force: true });
}
