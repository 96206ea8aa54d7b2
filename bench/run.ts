/**
 * `npm run bench`: checks the fixture, runs every benchmark (each measurement in its own process) and
 * rewrites bench/RESULTS.md. Kept out of `npm test` on purpose: it takes minutes, and its figures are
 * only meaningful next to the machine description it records.
 */
import { execSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { benchOpen } from './open.js';
import { benchOpenBrowser } from './open-browser.js';
import { benchSearch } from './search.js';
import { benchCsvImport } from './csv-import.js';
import { benchListScroll } from './list-scroll.js';
import { benchSync } from './sync.js';
import { benchReconcile } from './reconcile.js';
import { benchSize } from './size.js';
import { benchDir, log, machine, runChild, table, type Section } from './common.js';

const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' / ');

const started = performance.now();
const date = execSync('date -u', { encoding: 'utf8' }).trim();
const loadBefore = load();
const sections: Section[] = [];
sections.push(await runChild<Section>('fixture-check.ts', []));
log('search');
sections.push(await benchSearch());
log('open');
sections.push(await benchOpen());
log('open in the browser');
sections.push(await benchOpenBrowser());
log('sync');
sections.push(await benchSync());
log('reconcile');
sections.push(await benchReconcile());
log('list scrolling');
sections.push(await benchListScroll());
log('csv import');
sections.push(await benchCsvImport({ browser: true }));
log('bundle size');
sections.push(await benchSize());
const minutes = (performance.now() - started) / 60000;

const targets = sections.flatMap((s) => s.targets);
const md = [
  '# Benchmark results',
  '',
  `Written by \`npm run bench\` (\`node --import tsx bench/run.ts\`) on ${date}; the run took ${minutes.toFixed(1)} min.`,
  '',
  ...machine(),
  `- Load average (1 / 5 / 15 min) at start: ${loadBefore}; at end: ${load()}. Other work on this machine during the run slows single measurements; medians and percentiles damp it, they do not remove it.`,
  '',
  '## Targets',
  '',
  table(
    ['target', 'limit', 'measured', 'met', 'margin'],
    targets.map((t) => [t.name, t.limit, t.measured, t.met ? 'yes' : '**no**', t.margin]),
  ),
  '',
  ...sections.flatMap((s) => [`## ${s.title}`, '', s.markdown, '']),
].join('\n');

writeFileSync(join(benchDir, 'RESULTS.md'), md);
log(`wrote bench/RESULTS.md in ${minutes.toFixed(1)} min: ${targets.filter((t) => t.met).length}/${targets.length} targets met`);
