// Reading the test runners' JSON reports into counts and one line per failure, for `npm test`'s summary.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface Counts {
  passed: number;
  failed: number;
  skipped: number;
  /** "file › test: first line of the error", one per failed test */
  failures: string[];
}

const firstLine = (text: unknown) =>
  String(text ?? '')
    .replace(/\x1b\[[0-9;]*m/g, '')
    .trim()
    .split('\n')[0]
    .slice(0, 300);

export function vitestCounts(file: string, root: string): Counts {
  if (!existsSync(file)) return { passed: 0, failed: 1, skipped: 0, failures: ['vitest wrote no report'] };
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const failures: string[] = [];
  for (const suite of report.testResults ?? []) {
    const file = path.relative(root, suite.name ?? '');
    const failedTests = (suite.assertionResults ?? []).filter((test: { status: string }) => test.status === 'failed');
    for (const test of failedTests) failures.push(`${file} › ${test.fullName}: ${firstLine(test.failureMessages?.[0])}`);
    // A file that failed to load has no test results, only a message.
    if (suite.status === 'failed' && failedTests.length === 0) failures.push(`${file}: ${firstLine(suite.message)}`);
  }
  return {
    passed: report.numPassedTests ?? 0,
    failed: report.numFailedTests ?? 0,
    skipped: (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0),
    failures,
  };
}

export function playwrightCounts(file: string): Counts {
  if (!existsSync(file)) return { passed: 0, failed: 1, skipped: 0, failures: ['playwright wrote no report'] };
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const stats = report.stats ?? {};
  const failures: string[] = [];
  interface Suite { title: string; file?: string; specs?: Spec[]; suites?: Suite[] }
  interface Spec { title: string; file: string; tests: { status: string; results: { error?: { message?: string } }[] }[] }
  const walk = (suite: Suite, titles: string[]) => {
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests) {
        if (test.status === 'expected' || test.status === 'skipped') continue;
        const error = test.results.find((result) => result.error)?.error?.message;
        failures.push(`${spec.file} › ${[...titles, spec.title].join(' › ')} (${test.status}): ${firstLine(error)}`);
      }
    }
    for (const child of suite.suites ?? []) walk(child, [...titles, child.title]);
  };
  for (const suite of report.suites ?? []) walk(suite, []);
  for (const error of report.errors ?? []) failures.push(`playwright: ${firstLine(error.message)}`);
  return { passed: stats.expected ?? 0, failed: (stats.unexpected ?? 0) + (stats.flaky ?? 0), skipped: stats.skipped ?? 0, failures };
}

