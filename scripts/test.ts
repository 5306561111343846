// `npm test`: every test, the way CI runs them.
//   1. unit and integration tests (Vitest): pure functions, the dev cluster against the real kubectl and client-node;
//   2. a production build of the dashboard (`next build`);
//   3. browser tests (Playwright, system Chromium) against that build.
// Ends with one summary line, "N passed, N failed", and a non-zero exit on any failure.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const reports = path.join(root, '.ephemera', 'test-reports');
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });

const bin = (name: string) => path.join(root, 'node_modules', '.bin', name);

function run(label: string, command: string, args: string[]): number {
  process.stdout.write(`\n=== ${label}: ${[path.basename(command), ...args].join(' ')}\n`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: process.env });
  return result.status ?? 1;
}

interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

function vitestCounts(file: string): Counts {
  if (!existsSync(file)) return { passed: 0, failed: 1, skipped: 0 };
  const report = JSON.parse(readFileSync(file, 'utf8'));
  return {
    passed: report.numPassedTests ?? 0,
    failed: report.numFailedTests ?? 0,
    skipped: (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0),
  };
}

function playwrightCounts(file: string): Counts {
  if (!existsSync(file)) return { passed: 0, failed: 1, skipped: 0 };
  const stats = JSON.parse(readFileSync(file, 'utf8')).stats ?? {};
  return { passed: stats.expected ?? 0, failed: (stats.unexpected ?? 0) + (stats.flaky ?? 0), skipped: stats.skipped ?? 0 };
}

const vitestReport = path.join(reports, 'vitest.json');
const unitExit = run('unit and integration tests', bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestReport}`]);
const unit = vitestCounts(vitestReport);
if (unitExit !== 0 && unit.failed === 0) unit.failed = 1; // a suite that failed to load counts as a failure

let e2e: Counts = { passed: 0, failed: 0, skipped: 0 };
const buildExit = run('production build', bin('next'), ['build']);
if (buildExit !== 0) {
  e2e.failed += 1;
} else {
  const playwrightReport = path.join(reports, 'playwright.json');
  const e2eExit = spawnSync(bin('playwright'), ['test', '--reporter=list,json'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightReport },
  }).status;
  e2e = playwrightCounts(playwrightReport);
  if (e2eExit !== 0 && e2e.failed === 0) e2e.failed = 1;
}

const passed = unit.passed + e2e.passed;
const failed = unit.failed + e2e.failed;
const skipped = unit.skipped + e2e.skipped;
process.stdout.write(`\nunit+integration: ${unit.passed} passed, ${unit.failed} failed; browser: ${e2e.passed} passed, ${e2e.failed} failed\n`);
process.stdout.write(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
