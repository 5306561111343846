// `npm test`: every test, the way CI runs them.
//   1. unit and integration tests (Vitest): pure functions, the dev cluster against the real kubectl and client-node;
//   2. a production build of the dashboard (`next build`);
//   3. browser tests (Playwright, system Chromium) against that build.
// Ends with one summary line, "N passed, N failed", and a non-zero exit on any failure.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { type Counts, playwrightCounts, vitestCounts } from './lib/test-reports';

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

const vitestReport = path.join(reports, 'vitest.json');
const unitExit = run('unit and integration tests', bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestReport}`]);
const unit = vitestCounts(vitestReport, root);
if (unitExit !== 0 && unit.failed === 0) unit.failed = 1; // a suite that failed to load counts as a failure

let e2e: Counts = { passed: 0, failed: 0, skipped: 0, failures: [] };
const buildExit = run('production build', bin('next'), ['build']);
if (buildExit !== 0) {
  e2e.failed += 1;
  e2e.failures.push('next build failed');
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
// The failures again, last, where a truncated log still shows them.
const failures = [...unit.failures, ...e2e.failures];
if (failures.length > 0) process.stdout.write(`\nfailed:\n${failures.map((failure) => `  ✗ ${failure}`).join('\n')}\n`);
process.stdout.write(`\nunit+integration: ${unit.passed} passed, ${unit.failed} failed; browser: ${e2e.passed} passed, ${e2e.failed} failed\n`);
process.stdout.write(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
