/**
 * What a bench script (list-scroll, csv-import, size, reconcile) does when run on its own (not from
 * bench/run.ts): write its section, with the machine it ran on and its targets, to
 * bench/results/<name>.md and print it.
 */
import { execSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { benchDir, log, table, type Section } from '../common.js';

const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' / ');

function cpu(): string {
  try {
    return /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

export async function runStandalone(name: string, script: string, bench: () => Promise<Section>): Promise<void> {
  const started = performance.now();
  const date = execSync('date -u', { encoding: 'utf8' }).trim();
  const loadBefore = load();
  const section = await bench();
  const minutes = (performance.now() - started) / 60000;
  const markdown = [
    `## ${section.title}`,
    '',
    `Command: \`node --import tsx ${script}\`, ${date}; took ${minutes.toFixed(1)} min.`,
    '',
    `- CPU: ${cpu()}, ${availableParallelism()} cores`,
    `- Memory: ${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    `- Node ${process.version}, ${process.platform}/${process.arch}`,
    `- Load average (1 / 5 / 15 min) at start: ${loadBefore}; at end: ${load()}.`,
    '',
    table(
      ['target', 'limit', 'measured', 'met', 'margin'],
      section.targets.map((t) => [t.name, t.limit, t.measured, t.met ? 'yes' : '**no**', t.margin]),
    ),
    '',
    section.markdown,
    '',
  ].join('\n');
  const dir = join(benchDir, 'results');
  mkdirSync(dir, { recursive: true });
  const out = join(dir, `${name}.md`);
  writeFileSync(out, markdown);
  console.log(markdown);
  log(`wrote ${out}`);
}
