/**
 * Shared pieces of the benchmark scripts: statistics, markdown, child processes and CPU-profile
 * summaries. Benchmarks run only through `npm run bench` (bench/run.ts), never from the test command:
 * they take minutes and their figures depend on the machine.
 */
import { execSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Profiler, Runtime } from 'node:inspector';
import { Session } from 'node:inspector/promises';
import { availableParallelism, tmpdir, totalmem } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadPhone } from '../components/model/lazy-phone.js';

// The benches write customers with phones right after opening stores; a page's store open waits for the
// phone module (openLocalStore's whenReady), and so do they.
await loadPhone();

export const benchDir = dirname(fileURLToPath(import.meta.url));
export const rootDir = dirname(benchDir);

/** A target from the issue, checked against a measured figure. */
export interface TargetCheck {
  name: string;
  limit: string;
  measured: string;
  met: boolean;
  /** e.g. "3.4× over" or "62% of budget". */
  margin: string;
}

/** What each bench script hands to bench/run.ts for RESULTS.md. */
export interface Section {
  title: string;
  markdown: string;
  targets: TargetCheck[];
}

export function checkTarget(name: string, value: number, limit: number, unit: string, digits = 1): TargetCheck {
  const met = value <= limit;
  const ratio = value / limit;
  return {
    name,
    limit: `< ${limit} ${unit}`,
    measured: `${value.toFixed(digits)} ${unit}`,
    met,
    margin: met ? `${Math.round(ratio * 100)}% of budget` : `${ratio.toFixed(1)}× over (+${(value - limit).toFixed(digits)} ${unit})`,
  };
}

// ── statistics ───────────────────────────────────────────────────────────────

/** Nearest-rank percentile: a value that was actually measured, never an interpolation. */
export function percentile(values: readonly number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] as number;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  if (!sorted.length) return NaN;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export function ms(value: number): string {
  if (!Number.isFinite(value)) return '—';
  if (value < 1) return `${(value * 1000).toFixed(0)} µs`;
  if (value < 100) return `${value.toFixed(2)} ms`;
  return `${value.toFixed(0)} ms`;
}

export function mb(bytes: number): string {
  return `${(bytes / 1048576).toFixed(1)} MB`;
}

export function ratio(ours: number, peer: number): string {
  if (!Number.isFinite(ours) || !Number.isFinite(peer) || peer === 0) return '—';
  return `${(ours / peer).toFixed(2)}×`;
}

export function table(headers: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const line = (cells: readonly string[]) => `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}

/** Asks V8 for a full collection, twice because the first can leave weakly held objects for the second. */
export function collect(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc: heap figures need a full collection first');
  gc();
  gc();
}

// ── child processes ──────────────────────────────────────────────────────────

/**
 * Runs a bench script in a fresh Node process and returns what it wrote with `writeResult`. A fresh
 * process per measurement keeps heap figures and JIT state from one measurement out of the next.
 */
export async function runChild<T>(script: string, args: readonly string[], nodeFlags: readonly string[] = []): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'pos-bench-'));
  const out = join(dir, 'result.json');
  try {
    const code = await new Promise<number>((resolve, reject) => {
      const child = spawn(process.execPath, [...nodeFlags, '--import', 'tsx', join(benchDir, script), ...args, '--out', out], {
        cwd: rootDir,
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      child.on('error', reject);
      child.on('close', (c) => resolve(c ?? 1));
    });
    if (code !== 0) throw new Error(`bench child ${script} ${args.join(' ')} exited with ${code}`);
    return JSON.parse(readFileSync(out, 'utf8')) as T;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function argValue(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

export function writeResult(result: unknown): void {
  const out = argValue('--out');
  if (out) writeFileSync(out, JSON.stringify(result));
  else console.log(JSON.stringify(result, null, 2));
}

/** True when `moduleUrl` is the script Node was started with (not imported by run.ts). */
export function isMain(moduleUrl: string): boolean {
  const entry = process.argv[1];
  return entry !== undefined && moduleUrl === pathToFileURL(entry).href;
}

export function log(message: string): void {
  process.stderr.write(`[bench ${process.uptime().toFixed(0).padStart(4)} s] ${message}\n`);
}

// ── CPU profiles ─────────────────────────────────────────────────────────────

/**
 * Samples the CPU while `fn` runs, through the inspector, so the profile covers only the measured work
 * (not tsx compiling the sources or the fixture being generated, which `--cpu-prof` would include).
 */
export async function profiled<T>(fn: () => T | Promise<T>, intervalMicros = 250): Promise<{ value: T; profile: Profiler.Profile }> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: intervalMicros });
    await session.post('Profiler.start');
    const value = await fn();
    const { profile } = await session.post('Profiler.stop');
    return { value, profile };
  } finally {
    session.disconnect();
  }
}

export interface ProfileSummary {
  totalMs: number;
  /** Top functions by self time: [function, where, ms, share]. */
  self: Array<[string, string, number, number]>;
  /** Self time by package (JIT-generated code is charged to the package that generated it). */
  packages: Array<[string, number, number]>;
  /** Our own functions by inclusive time (self plus callees). */
  inclusive: Array<[string, string, number, number]>;
}

const SPECIAL = new Set(['(garbage collector)', '(program)', '(idle)', '(root)']);

function packageOf(url: string): string {
  if (!url) return '';
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 14).split('/');
    return rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : (rest[0] ?? url);
  }
  if (url.includes('/components/')) return `components/${url.split('/components/')[1]?.split('/')[0] ?? ''}`;
  if (url.startsWith('node:')) return 'node';
  if (url.includes('/bench/') || url.includes('/test/fixtures/')) return 'bench harness';
  return basename(url);
}

function whereOf(frame: Runtime.CallFrame): string {
  const file = frame.url
    ? frame.url
        .replace(/^file:\/\//, '')
        .replace(`${rootDir}/`, '')
        .replace(/^node_modules\//, '')
    : '';
  // tsx compiles our sources to one line per file, so only library line numbers mean anything.
  return file.includes('node_modules') || !file.endsWith('.ts') ? (file ? `${file}:${frame.lineNumber + 1}` : '') : file;
}

export function summariseProfile(profile: Profiler.Profile, top = 15): ProfileSummary {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  const self = new Map<string, { name: string; where: string; us: number }>();
  const packages = new Map<string, number>();
  const inclusive = new Map<string, { name: string; where: string; us: number }>();
  let total = 0;
  samples.forEach((id, i) => {
    const node = nodes.get(id);
    if (!node) return;
    // A sample's time is the gap to the next sample.
    const us = deltas[i + 1] ?? 0;
    total += us;
    const frame = node.callFrame;
    const name = frame.functionName || '(anonymous)';
    let where = whereOf(frame);
    let pkg = SPECIAL.has(name) ? name : packageOf(frame.url);
    if (!pkg) {
      // Code compiled at run time (zod's generated object parsers) has no url: charge it to its caller's package.
      for (let up = parent.get(id); up !== undefined && !pkg; up = parent.get(up)) {
        const callerFrame = nodes.get(up)?.callFrame;
        if (callerFrame?.url) {
          pkg = packageOf(callerFrame.url);
          where = `generated code called from ${callerFrame.functionName || '(anonymous)'} (${whereOf(callerFrame)})`;
        }
      }
      pkg ||= '(unknown)';
    }
    const key = `${name}\u0000${where}`;
    const entry = self.get(key) ?? { name, where, us: 0 };
    entry.us += us;
    self.set(key, entry);
    packages.set(pkg, (packages.get(pkg) ?? 0) + us);
    const seen = new Set<string>();
    for (let up: number | undefined = id; up !== undefined; up = parent.get(up)) {
      const f = nodes.get(up)?.callFrame;
      if (!f || !f.url.includes('/components/')) continue;
      const k = `${f.functionName || '(anonymous)'}\u0000${whereOf(f)}`;
      if (seen.has(k)) continue;
      seen.add(k);
      const e = inclusive.get(k) ?? { name: f.functionName || '(anonymous)', where: whereOf(f), us: 0 };
      e.us += us;
      inclusive.set(k, e);
    }
  });
  const share = (us: number) => (total ? us / total : 0);
  return {
    totalMs: total / 1000,
    self: [...self.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map((e) => [e.name, e.where, e.us / 1000, share(e.us)]),
    packages: [...packages].sort((a, b) => b[1] - a[1]).map(([p, us]) => [p, us / 1000, share(us)]),
    inclusive: [...inclusive.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map((e) => [e.name, e.where, e.us / 1000, share(e.us)]),
  };
}

export function profileMarkdown(summary: ProfileSummary): string {
  const pct = (s: number) => `${(s * 100).toFixed(1)}%`;
  return [
    `Sampled ${ms(summary.totalMs)} of CPU time.`,
    '',
    'Self time by package:',
    '',
    table(
      ['package', 'self', 'share'],
      summary.packages.filter(([, , s]) => s >= 0.005).map(([p, t, s]) => [p, ms(t), pct(s)]),
    ),
    '',
    'Top functions by self time:',
    '',
    table(
      ['function', 'where', 'self', 'share'],
      summary.self.map(([n, w, t, s]) => [`\`${n}\``, w, ms(t), pct(s)]),
    ),
    '',
    'Our code (components/) by inclusive time:',
    '',
    table(
      ['function', 'where', 'inclusive', 'share'],
      summary.inclusive.map(([n, w, t, s]) => [`\`${n}\``, w, ms(t), pct(s)]),
    ),
  ].join('\n');
}

/** The machine lines every results file starts with: figures mean little without them. */
export function machine(): string[] {
  const cpu = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown';
  let nproc = String(availableParallelism());
  try {
    nproc = execSync('nproc', { encoding: 'utf8' }).trim();
  } catch {
    // availableParallelism says the same where coreutils' nproc is missing.
  }
  return [
    `- CPU: ${cpu}, ${nproc} cores (nproc)`,
    `- Memory: ${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    `- Node ${process.version}, ${process.platform}/${process.arch}`,
  ];
}
