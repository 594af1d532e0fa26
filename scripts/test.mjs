#!/usr/bin/env node
// The whole suite in one command: typecheck, lint, unit + integration tests on real PostgreSQL,
// the front-end builds, and the browser journeys in Chromium. Ends with one summary line.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

mkdirSync('.tmp', { recursive: true });
let passed = 0;
let failed = 0;
const failures = [];

/** Run one step; vitest steps contribute their test counts, other steps count as one check each. */
function step(name, command, args, counts) {
  const started = Date.now();
  process.stdout.write(`\n▶ ${name}\n`);
  if (counts) rmSync(counts, { force: true });
  const result = spawnSync(command, args, { stdio: 'inherit', env: process.env });
  let ok = result.status === 0;
  if (counts && existsSync(counts)) {
    const report = JSON.parse(readFileSync(counts, 'utf8'));
    // Trust the report over the exit code: a failed test is a failed step, whatever the runner returned.
    if ((report.numFailedTests ?? 0) > 0 || (report.numFailedTestSuites ?? 0) > 0 || report.success === false) ok = false;
    passed += report.numPassedTests ?? 0;
    failed += (report.numFailedTests ?? 0) + (ok || report.numFailedTests ? 0 : 1);
  } else {
    if (ok) passed++;
    else failed++;
  }
  if (!ok) failures.push(name);
  process.stdout.write(`${ok ? '✔' : '✘'} ${name} (${((Date.now() - started) / 1000).toFixed(1)}s)\n`);
  return ok;
}

const vitest = (project, out) => ['vitest', 'run', '--project', project, '--reporter=default', '--reporter=json', `--outputFile.json=${out}`];

step('typecheck', 'npm', ['run', '-s', 'typecheck']);
step('lint', 'npm', ['run', '-s', 'lint']);
step('contract unit tests', 'npx', [...vitest('contract', '.tmp/contract.json')], '.tmp/contract.json');
step('server unit and integration tests on PostgreSQL', 'npx', [...vitest('server', '.tmp/server.json')], '.tmp/server.json');
const built = step('build front ends', 'npm', ['run', '-s', 'build']);
if (built) step('browser journeys (Chromium)', 'npx', [...vitest('e2e', '.tmp/e2e.json')], '.tmp/e2e.json');
else failures.push('browser journeys skipped: build failed');

process.stdout.write(`\n${failures.length ? `failed steps: ${failures.join(', ')}\n` : ''}`);
process.stdout.write(`${passed} passed, ${failed} failed\n`);
process.exit(failures.length ? 1 : 0);
