// Browser tests: real Chromium (Debian's, found through CHROME_PATH), real IndexedDB, TypeScript
// compiled by esbuild with the repo's tsconfig (Lit's decorators need its settings).
import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { defaultReporter, summaryReporter } from '@web/test-runner';

/** Writes pass/fail totals for scripts/test.js to print the project's one summary line. */
function totalsReporter() {
  return {
    onTestRunFinished({ sessions }) {
      let passed = 0;
      let failed = 0;
      const count = (suite) => {
        for (const t of suite.tests) t.passed ? passed++ : t.skipped ? 0 : failed++;
        for (const s of suite.suites) count(s);
      };
      for (const session of sessions) {
        if (session.testResults) count(session.testResults);
        if (!session.passed && !session.testResults?.tests.length && !session.testResults?.suites.length) failed++;
      }
      if (process.env.POS_WTR_RESULTS) writeFileSync(process.env.POS_WTR_RESULTS, JSON.stringify({ passed, failed }));
    },
  };
}

/**
 * The real sync server, started in this process for tests of tills syncing through it (a test page cannot
 * start processes). It runs in open mode (no secret) on a free port with its data in a temporary folder;
 * a test asks `GET /__sync-server` for `{ url }`. Stopped, and its data removed, when the run ends.
 */
function syncServerPlugin() {
  let server;
  let dataDir;
  return {
    name: 'pos-sync-server',
    async serverStart() {
      // The server is TypeScript; tsx compiles it on import, as sync-server/bin/pos-sync-server.js does.
      const { register } = await import('tsx/esm/api');
      register();
      const { startServer, createLogger } = await import('./sync-server/index.ts');
      dataDir = await mkdtemp(join(tmpdir(), 'pos-wtr-sync-'));
      // Quiet below errors (open mode warns on start); no fsync, since nothing here must survive a crash.
      server = await startServer({ port: 0, host: '127.0.0.1', dataDir, fsync: false, log: createLogger('error') });
    },
    serve(context) {
      if (context.path !== '/__sync-server') return undefined;
      return { body: JSON.stringify({ url: server.url }), type: 'json', headers: { 'cache-control': 'no-store' } };
    },
    async serverStop() {
      await server?.close();
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export default {
  rootDir: '.',
  files: ['test/browser/**/*.test.ts'],
  nodeResolve: { exportConditions: ['browser', 'development'] },
  plugins: [esbuildPlugin({ ts: true, target: 'es2022', tsconfig: './tsconfig.json' }), syncServerPlugin()],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
        args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
      },
    }),
  ],
  concurrency: 1,
  testFramework: { config: { timeout: 20000 } },
  testsFinishTimeout: 600000,
  reporters: [defaultReporter(), summaryReporter({ flatten: false }), totalsReporter()],
};
