/**
 * `npm test`: data, lint, type-checks, unit tests, production build, browser tests; then one plain
 * closing line `N passed, N failed` (CI reads it). Each static check counts as one test.
 * `npm test -- --unit` stops after the unit tests (no build, no browser).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync, rmSync } from 'node:fs';

interface Tally {
  passed: number;
  failed: number;
  skipped: number;
}
const total: Tally = { passed: 0, failed: 0, skipped: 0 };
const failures: string[] = [];
const unitOnly = process.argv.includes('--unit');

function run(label: string, command: string, args: string[]): boolean {
  console.log(`\n── ${label}: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', env: process.env });
  return result.status === 0;
}

function check(label: string, command: string, args: string[]): void {
  if (run(label, command, args)) total.passed++;
  else {
    total.failed++;
    failures.push(label);
  }
}

function vitest(label: string, config: string): void {
  const output = `.cache/vitest-${label}.json`;
  rmSync(output, { force: true });
  const ok = run(label, 'npx', ['vitest', 'run', '--config', config, '--reporter=default', '--reporter=json', `--outputFile.json=${output}`]);
  if (!existsSync(output)) {
    total.failed++;
    failures.push(`${label} (the runner crashed before reporting)`);
    return;
  }
  const report = JSON.parse(readFileSync(output, 'utf8')) as {
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
    numTodoTests: number;
    numFailedTestSuites: number;
  };
  total.passed += report.numPassedTests;
  total.failed += report.numFailedTests + (report.numFailedTests === 0 && (report.numFailedTestSuites > 0 || !ok) ? 1 : 0);
  total.skipped += report.numPendingTests + report.numTodoTests;
  if (!ok) failures.push(label);
}

mkdirSync('.cache', { recursive: true });
check('données', 'npx', ['tsx', 'scripts/data/build.ts', '--if-stale']);
check('lint', 'npx', ['eslint', '.']);
check('svelte-check', 'npx', ['svelte-check', '--tsconfig', './tsconfig.json', '--threshold', 'error']);
check('tsc (src/core sans DOM)', 'npx', ['tsc', '-p', 'tsconfig.core.json']);
vitest('unit', 'vitest.config.ts');
if (!unitOnly) {
  if (run('build', 'npx', ['vite', 'build'])) {
    total.passed++;
    vitest('e2e', 'vitest.e2e.config.ts');
  } else {
    total.failed++;
    failures.push('build (browser tests not run)');
  }
}

if (failures.length > 0) console.log(`\nÉchecs : ${failures.join(', ')}`);
console.log(`${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ''}`);
process.exit(total.failed > 0 ? 1 : 0);
