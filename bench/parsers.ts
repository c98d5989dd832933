// What an argument-parsing library would add to a scripted command's start, against `node -e 0` and today's
// `nsdeck net list` (args.ts), in the same run. The libraries are not nsdeck's dependencies: install them aside,
//   npm install --prefix /tmp/parsers commander@15 yargs@18
//   npm run build && npx tsx bench/parsers.ts /tmp/parsers
// Each parses a bind command as nsdeck's would, loaded from node_modules and bundled by esbuild (as dist/ is).
import {execFileSync} from 'node:child_process';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {build} from 'esbuild';
import {median, ms} from './stats.js';

const libs = process.argv[2];
if (!libs) throw new Error('usage: npx tsx bench/parsers.ts DIR (where commander and yargs are installed)');
const RUNS = 31;
const dir = mkdtempSync(join(tmpdir(), 'nsdeck-parsers-'));
const state = mkdtempSync(join(tmpdir(), 'nsdeck-parsers-state-'));
try {
	const sources = {
		commander: `import {Command} from 'commander';
const p = new Command('nsdeck').exitOverride();
p.command('bind').argument('<app>').option('-n, --network <net>').option('-o, --outbound <net>').option('--ip <addr>').action(() => {});
p.parse(['node', 'nsdeck', 'bind', 'web', '-n', 'blue']);`,
		yargs: `import yargs from 'yargs';
yargs(['bind', 'web', '-n', 'blue']).command('bind <app>', 'bind', y => y.option('network', {alias: 'n', type: 'string'}).option('outbound', {alias: 'o', type: 'string'}).option('ip', {type: 'string'})).strict().parse();`,
	};
	const cases: Record<string, string[]> = {'node -e 0': ['-e', '0'], 'nsdeck net list (args.ts)': ['dist/cli.js', 'net', 'list']};
	for (const [name, text] of Object.entries(sources)) {
		const file = join(libs, `bench-${name}.mjs`);
		writeFileSync(file, text);
		cases[`${name}, from node_modules`] = [file];
		await build({entryPoints: [file], bundle: true, platform: 'node', format: 'esm', outfile: join(dir, `${name}.mjs`), logLevel: 'warning'});
		cases[`${name}, bundled`] = [join(dir, `${name}.mjs`)];
	}
	const times: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map(k => [k, []]));
	for (let i = 0; i < RUNS; i++) {
		for (const [name, args] of Object.entries(cases)) {
			const t = performance.now();
			execFileSync(process.execPath, args, {stdio: 'ignore', env: {...process.env, NSDECK_STATE_DIR: state}});
			times[name]!.push(performance.now() - t);
		}
	}
	const floor = median(times['node -e 0']!);
	const today = median(times['nsdeck net list (args.ts)']!);
	for (const [name, xs] of Object.entries(times)) {
		const m = median(xs);
		const lib = name.startsWith('commander') || name.startsWith('yargs');
		console.log(`${name.padEnd(30)} ${ms(m).padStart(9)}   ${lib ? `+${ms(m - floor)} over node -e 0 = +${(((m - floor) / today) * 100).toFixed(0)}% of a scripted command` : ''}`);
	}
} finally {
	rmSync(dir, {recursive: true, force: true});
	rmSync(state, {recursive: true, force: true});
}
