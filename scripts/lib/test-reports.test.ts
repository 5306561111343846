// The summary's failure lines, read from reports the real runners wrote for a small project
// with one passing, one failing test and one file that does not load.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { playwrightCounts, vitestCounts } from './test-reports';

const root = path.resolve(import.meta.dirname, '../..');
const bin = (name: string) => path.join(root, 'node_modules', '.bin', name);
let project: string;

beforeAll(() => {
  // Inside the repository, so that the runners resolve from its node_modules.
  mkdirSync(path.join(root, '.ephemera'), { recursive: true });
  project = mkdtempSync(path.join(root, '.ephemera', 'reports-test-'));
});
afterAll(() => rmSync(project, { recursive: true, force: true }));

describe('vitestCounts', () => {
  it('counts and names a failed test and a file that failed to load', () => {
    writeFileSync(
      path.join(project, 'sample.test.ts'),
      `import { it, expect } from 'vitest';\nit('adds', () => expect(1 + 1).toBe(2));\nit('subtracts', () => expect(2 - 1).toBe(3));\n`,
    );
    writeFileSync(path.join(project, 'broken.test.ts'), `import './does-not-exist';\n`);
    writeFileSync(path.join(project, 'vitest.config.mjs'), `export default { test: { include: ['*.test.ts'] } };\n`);
    const report = path.join(project, 'vitest.json');
    spawnSync(bin('vitest'), ['run', '--root', project, '--config', path.join(project, 'vitest.config.mjs'), '--reporter=json', `--outputFile.json=${report}`], {
      cwd: project,
      encoding: 'utf8',
    });
    const counts = vitestCounts(report, project);
    expect(counts).toMatchObject({ passed: 1, failed: 1 });
    expect(counts.failures).toHaveLength(2);
    expect(counts.failures).toContainEqual(expect.stringMatching(/^sample\.test\.ts › subtracts: .*expected 1 to be 3/));
    expect(counts.failures).toContainEqual(expect.stringMatching(/^broken\.test\.ts: .*does-not-exist/));
  });

  it('a missing report is one failure, said as such', () => {
    expect(vitestCounts(path.join(project, 'absent.json'), project)).toEqual({ passed: 0, failed: 1, skipped: 0, failures: ['vitest wrote no report'] });
  });
});

describe('playwrightCounts', () => {
  it('counts and names a failed test with its describe titles', () => {
    const dir = path.join(project, 'pw');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'playwright.config.ts'), `export default { testDir: '.', testMatch: '*.spec.ts', workers: 1, outputDir: './test-results' };\n`);
    writeFileSync(
      path.join(dir, 'sample.spec.ts'),
      `import { test, expect } from '@playwright/test';\n` +
        `test.describe('maths', () => {\n` +
        `  test('adds', () => expect(1 + 1).toBe(2));\n` +
        `  test('subtracts', () => expect(2 - 1).toBe(3));\n` +
        `});\n`,
    );
    const report = path.join(dir, 'playwright.json');
    spawnSync(bin('playwright'), ['test', '--config', path.join(dir, 'playwright.config.ts'), '--reporter=json'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, PLAYWRIGHT_JSON_OUTPUT_NAME: report },
    });
    const counts = playwrightCounts(report);
    expect(counts).toMatchObject({ passed: 1, failed: 1 });
    expect(counts.failures).toEqual([expect.stringMatching(/^sample\.spec\.ts › maths › subtracts \(unexpected\): .*toBe/)]);
  });
});
