// The mutation score of the pure layers: Stryker (9.6.1, vitest runner) mutates source/core and the pure parts of
// source/dataplane and source/tui (stryker.config.mjs) and runs the pure tests (vitest.pure.config.ts) against each mutant. Not part
// of `npm test`: it takes minutes. `npx tsx bench/mutation.ts [--survivors] [--mutate GLOB]...`, or `npm run mutation`.
// Prints the score per file and in all (killed + timed out over all mutants, as Stryker counts it), and with
// --survivors each surviving or uncovered mutant as FILE:LINE what -> replacement.
import {spawnSync} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {join, resolve} from 'node:path';

type Mutant = {mutatorName: string; replacement?: string; status: string; location: {start: {line: number; column: number}}};
type Report = {files: Record<string, {mutants: Mutant[]; source: string}>};

const ROOT = resolve(import.meta.dirname, '..');
const REPORT = join(ROOT, '.scratch', 'mutation', 'mutation.json');
const args = process.argv.slice(2);
const survivors = args.includes('--survivors');
// Stryker takes one --mutate (the last one given wins): several globs go as one comma-separated list
const globs = args.flatMap((a, i) => (a === '--mutate' && args[i + 1] ? [args[i + 1]!] : []));
const mutate = globs.length > 0 ? ['--mutate', globs.join(',')] : [];

const t0 = performance.now();
const run = spawnSync('npx', ['stryker', 'run', 'stryker.config.mjs', '--reporters', 'json', ...mutate], {cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit']});
const seconds = (performance.now() - t0) / 1000;
if (run.status !== 0) {
	console.error(`stryker failed (exit ${run.status})`);
	process.exit(1);
}

const report = JSON.parse(readFileSync(REPORT, 'utf8')) as Report;
const DETECTED = new Set(['Killed', 'Timeout']);
const COUNTED = new Set(['Killed', 'Timeout', 'Survived', 'NoCoverage']);
const score = (ms: Mutant[]) => {
	const counted = ms.filter(m => COUNTED.has(m.status));
	return {detected: counted.filter(m => DETECTED.has(m.status)).length, total: counted.length};
};
const pct = (s: {detected: number; total: number}) => (s.total === 0 ? 100 : (100 * s.detected) / s.total);

const rows = Object.entries(report.files).sort(([a], [b]) => a.localeCompare(b));
const width = Math.max(...rows.map(([f]) => f.length));
for (const [file, {mutants}] of rows) {
	const s = score(mutants);
	console.log(`${file.padEnd(width)}  ${pct(s).toFixed(1).padStart(5)}%  ${s.detected}/${s.total}`);
}
const all = score(rows.flatMap(([, f]) => f.mutants));
if (survivors) {
	console.log('');
	for (const [file, {mutants, source}] of rows) {
		const lines = source.split('\n');
		for (const m of mutants.filter(x => x.status === 'Survived' || x.status === 'NoCoverage')) {
			const at = m.location.start;
			console.log(`${file}:${at.line}:${at.column} ${m.status} ${m.mutatorName}: ${lines[at.line - 1]!.trim().slice(0, 90)} -> ${(m.replacement ?? '').replace(/\s+/g, ' ').slice(0, 60)}`);
		}
	}
}
console.log(`mutation score ${pct(all).toFixed(1)}% (${all.detected} of ${all.total} mutants detected) in ${seconds.toFixed(0)} s`);
