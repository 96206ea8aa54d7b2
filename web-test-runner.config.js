// Browser tests: real Chromium (Debian's, found through CHROME_PATH), real IndexedDB, TypeScript
// compiled by esbuild with the repo's tsconfig (Lit's decorators need its settings).
import { writeFileSync } from 'node:fs';
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

export default {
  rootDir: '.',
  files: ['test/browser/**/*.test.ts'],
  nodeResolve: { exportConditions: ['browser', 'development'] },
  plugins: [esbuildPlugin({ ts: true, target: 'es2022', tsconfig: './tsconfig.json' })],
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
