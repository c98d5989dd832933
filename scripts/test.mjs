// Runs vitest, then prints the plain closing line CI reads: `N passed, N failed, N skipped`, alone and last.
// The host guard (test/host-guard.ts, run at vitest's global teardown) counts as one more test: passed when the root
// namespace's routes, rules and addresses are the same after the run as before, failed (with what changed) otherwise.
import {spawnSync} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'nsdeck-vitest-'));
const report = join(dir, 'report.json');
const guard = join(dir, 'host-guard.json');
const run = spawnSync('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)], {
	stdio: 'inherit',
	env: {...process.env, NSDECK_HOST_GUARD: guard},
});
let summary = '0 passed, 1 failed';
let status = run.status ?? 1;
try {
	const r = JSON.parse(readFileSync(report, 'utf8'));
	// a file that fails to load has no failed test in it, but it did fail: count it
	const broken = (r.testResults ?? []).filter(f => f.status === 'failed' && !(f.assertionResults ?? []).some(t => t.status === 'failed')).length;
	let passed = r.numPassedTests;
	let failed = r.numFailedTests + broken;
	// the guard did not report (vitest died before its teardown): that is a failure too
	const g = existsSync(guard) ? JSON.parse(readFileSync(guard, 'utf8')) : {ok: false, diff: ['(the host guard did not run)']};
	if (g.ok) passed += 1;
	else {
		failed += 1;
		status = status || 1;
		console.log(`host guard FAILED: the root namespace changed during the run\n${g.diff.join('\n')}`);
	}
	summary = `${passed} passed, ${failed} failed, ${r.numPendingTests + (r.numTodoTests ?? 0)} skipped`;
} catch {}
rmSync(dir, {recursive: true, force: true});
console.log(summary);
process.exit(status);
