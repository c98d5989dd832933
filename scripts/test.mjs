// Runs vitest, then prints the plain closing line CI reads: `N passed, N failed, N skipped`, alone and last.
import {spawnSync} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'nsdeck-vitest-'));
const report = join(dir, 'report.json');
const run = spawnSync('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)], {stdio: 'inherit'});
let summary = '0 passed, 1 failed';
try {
	const r = JSON.parse(readFileSync(report, 'utf8'));
	// a file that fails to load has no failed test in it, but it did fail: count it
	const broken = (r.testResults ?? []).filter(f => f.status === 'failed' && !(f.assertionResults ?? []).some(t => t.status === 'failed')).length;
	summary = `${r.numPassedTests} passed, ${r.numFailedTests + broken} failed, ${r.numPendingTests + (r.numTodoTests ?? 0)} skipped`;
} catch {}
rmSync(dir, {recursive: true, force: true});
console.log(summary);
process.exit(run.status ?? 1);
