#!/usr/bin/env node
// The one test command (README, .ci/run): node tests, then browser tests in Debian's Chromium, then one
// closing summary line. Exits non-zero when anything failed or when a runner could not run.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const only = process.argv[2]; // optional: "node" or "browser"

function filesUnder(dir, suffix) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path, suffix) : path.endsWith(suffix) ? [path] : [];
  });
}

function run(cmd, args, env = {}) {
  return new Promise((resolve) => {
    let out = '';
    const child = spawn(cmd, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d) => {
      out += d;
      process.stdout.write(d);
    });
    child.stderr.on('data', (d) => process.stderr.write(d));
    child.on('close', (code) => resolve({ code: code ?? 1, out }));
  });
}

const totals = [];

// Types are part of the contract (strict, no any): a type error fails the run like a failing test.
{
  console.log('typecheck: tsc --noEmit');
  const { code } = await run('node', ['node_modules/typescript/bin/tsc', '--noEmit', '-p', '.']);
  totals.push({ name: 'typecheck', pass: code === 0 ? 1 : 0, fail: code === 0 ? 0 : 1, ran: true });
}

if (only !== 'browser') {
  const files = filesUnder(join(root, 'test'), '.test.ts')
    .filter((f) => !f.includes('/browser/'))
    .map((f) => relative(root, f))
    .sort();
  const { code, out } = await run('node', ['--import', 'tsx', '--test', '--test-reporter=spec', ...files]);
  const pass = Number(/ℹ pass (\d+)/.exec(out)?.[1] ?? 0);
  const fail = Number(/ℹ fail (\d+)/.exec(out)?.[1] ?? 0) + Number(/ℹ cancelled (\d+)/.exec(out)?.[1] ?? 0);
  totals.push({ name: 'node', pass, fail: fail || (code !== 0 ? 1 : 0), ran: pass + fail > 0 });
}

if (only !== 'node') {
  const resultFile = join(root, 'test-output', 'browser-results.json');
  mkdirSync(join(root, 'test-output'), { recursive: true });
  rmSync(resultFile, { force: true });
  const chrome = process.env.CHROME_PATH ?? '/usr/bin/chromium';
  const { code } = await run('node', ['node_modules/@web/test-runner/dist/bin.js', '--config', 'web-test-runner.config.js'], {
    CHROME_PATH: chrome,
    POS_WTR_RESULTS: resultFile,
  });
  const result = existsSync(resultFile) ? JSON.parse(readFileSync(resultFile, 'utf8')) : { passed: 0, failed: 0 };
  totals.push({ name: 'browser', pass: result.passed, fail: result.failed || (code !== 0 ? 1 : 0), ran: result.passed + result.failed > 0 });
}

let passed = 0;
let failed = 0;
console.log('');
for (const t of totals) {
  console.log(`${t.name} tests: ${t.pass} passed, ${t.fail} failed${t.ran ? '' : ' (the runner ran no test)'}`);
  passed += t.pass;
  failed += t.fail + (t.ran ? 0 : 1);
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
