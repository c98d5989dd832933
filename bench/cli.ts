// What an init script pays: one CLI start, one `nsdeck bind` and one `nsdeck unbind`, each a whole process, and where
// their time goes (Node's start, module loading, the store, kernel reads, batches, waits), against `node -e 0` and
// the seed's way (one `ip` process per step) in the same run. Also `nsdeck --version` and `nsdeck status --json`
// with 200 apps against the build before this branch (git merge-base with main, or --base REF), same store.
// Run as root: npm run build && npx tsx bench/cli.ts [--runs N] [--base REF]
import {execFileSync, spawnSync} from 'node:child_process';
import {mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';
import {bindAll, unbindAll} from '../source/provision/apps.js';
import {openContext} from '../source/provision/context.js';
import {seedBind, seedUnbind, seedVrouter} from './seed.js';
import {median, ms, ratio} from './stats.js';

const ROOT = resolve(import.meta.dirname, '..');
const flag = (name: string) => {
	const i = process.argv.indexOf(`--${name}`);
	return i > 0 ? process.argv[i + 1] : undefined;
};
const RUNS = Number(flag('runs') ?? 15);
const PREFIX = 'bcli-';
const NAIVE = 'bclz-';
const TRACE = join(import.meta.dirname, 'trace.cjs');

type Trace = {
	preload: number; exit: number;
	dlopen: Array<{start: number; end: number; file: string}>;
	children: Array<{start: number; end?: number; command: string; args: string[]}>;
	timers: Array<{start: number; end?: number; delay: number}>;
};
type Phases = Record<string, number>;

const git = (...args: string[]) => execFileSync('git', args, {cwd: ROOT, encoding: 'utf8'}).trim();
const ours = (prefix: string) => readdirSync('/run/netns').filter(n => n.startsWith(prefix));
function wipe(prefix: string) {
	const names = ours(prefix);
	if (names.length) spawnSync('ip', ['-force', '-batch', '-'], {input: names.map(n => `netns del ${n}`).join('\n') + '\n'});
}

/** The build before this branch: its sources from git, built beside this tree, node_modules shared. */
function baseline(ref: string): string {
	const dir = mkdtempSync(join(tmpdir(), 'nsdeck-base-'));
	execFileSync('sh', ['-c', `git -C "$1" archive "$2" | tar -x -C "$3"`, 'sh', ROOT, ref, dir]);
	symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
	execFileSync(process.execPath, ['scripts/build.mjs'], {cwd: dir, stdio: 'inherit'});
	return dir;
}

/** Total length of the union of intervals (children may overlap). */
function covered(intervals: Array<[number, number]>): number {
	let total = 0;
	let until = -Infinity;
	for (const [a, b] of [...intervals].sort((x, y) => x[0] - y[0])) {
		if (b <= until) continue;
		total += b - Math.max(a, until);
		until = b;
	}
	return total;
}

function kindOf(c: Trace['children'][number]): string {
	const a = c.args.join(' ');
	if (c.command.endsWith('python3') || c.command === 'nsenter' || c.command === 'bridge' || / -j /.test(` ${a} `)) return 'kernel reads';
	if (a.includes('-batch')) return 'kernel batches';
	if (a.startsWith('netns exec')) return 'process start';
	return `other (${c.command})`;
}

/** Where one traced process spent its wall time. */
function phases(t: Trace, wall: number): Phases {
	const p: Phases = {'node start (until nsdeck runs)': t.preload};
	const addon = t.dlopen.find(d => d.file.startsWith('better_sqlite3'));
	const loaded = addon?.start ?? t.exit;
	p['module loading'] = loaded - t.preload;
	if (addon) p['store addon (dlopen)'] = addon.end - addon.start;
	const kids = t.children.filter(c => c.end !== undefined) as Array<Required<Trace['children'][number]>>;
	for (const c of kids) p[kindOf(c)] = (p[kindOf(c)] ?? 0) + (c.end - c.start);
	const waits = t.timers.filter(x => x.end !== undefined).map(x => [x.start, x.end!] as [number, number]);
	const busy = covered(kids.map(c => [c.start, c.end]));
	const waited = covered(waits) - covered([...waits, ...kids.map(c => [c.start, c.end] as [number, number])]) + busy;
	if (waited > 0.05) p['waits (timers, no child running)'] = waited;
	p['store, planning, JS (the rest until exit)'] = t.exit - (addon?.end ?? loaded) - busy - waited;
	p['process exit'] = wall - t.exit;
	return p;
}

/** Runs nsdeck (this build or another) as a whole process; traced, it also says where the time went. */
function nsdeck(cli: string, args: readonly string[], env: NodeJS.ProcessEnv, traced = false, exits: readonly number[] = [0]): {wall: number; trace?: Trace} {
	const file = join(tmpdir(), `nsdeck-trace-${process.pid}.json`);
	const t = performance.now();
	const r = spawnSync(process.execPath, [...(traced ? ['-r', TRACE] : []), cli, ...args], {env: {...env, ...(traced ? {NSDECK_BENCH_TRACE: file} : {})}, encoding: 'utf8'});
	const wall = performance.now() - t;
	if (!exits.includes(r.status ?? -1)) throw new Error(`nsdeck ${args.join(' ')}: exit ${r.status}: ${r.stderr}`);
	if (!traced) return {wall};
	const trace = JSON.parse(readFileSync(file, 'utf8')) as Trace;
	rmSync(file, {force: true});
	return {wall, trace};
}

function medians(list: Phases[]): Phases {
	const keys = [...new Set(list.flatMap(p => Object.keys(p)))];
	return Object.fromEntries(keys.map(k => [k, median(list.map(p => p[k] ?? 0))]));
}
function show(title: string, p: Phases, children: readonly string[] = []) {
	const total = Object.values(p).reduce((a, b) => a + b, 0);
	console.log(`\n${title}, traced (medians of each part; they add up to ${ms(total)}):`);
	for (const [k, v] of Object.entries(p)) console.log(`  ${k.padEnd(44)} ${ms(v).padStart(9)}`);
	if (children.length > 0) console.log(`  its ${children.length} child processes, in order:\n${children.map(c => `    ${c}`).join('\n')}`);
}

// the build before this branch: its merge-base with main (or --base REF); where git has neither, this build again
let ref = flag('base');
try {
	ref ??= git('merge-base', 'HEAD', 'main');
} catch {}
const base = ref ? baseline(ref) : ROOT;
console.log(ref ? `baseline: ${ref.slice(0, 12)} (${git('log', '-1', '--format=%s', ref).slice(0, 80)})` : 'baseline: none (no git merge-base with main): this build is compared with itself');
const state = mkdtempSync(join(tmpdir(), 'nsdeck-bench-cli-'));
const env = {...process.env, NSDECK_STATE_DIR: state, NSDECK_NS_PREFIX: PREFIX};
const CLI = join(ROOT, 'dist', 'cli.js');
const BASE_CLI = join(base, 'dist', 'cli.js');
wipe(PREFIX);
wipe(NAIVE);
try {
	nsdeck(CLI, ['net', 'create', 'blue', '--subnet', '10.200.0.0/16'], env);
	seedVrouter(NAIVE);
	const t: Record<string, number[]> = {};
	const push = (k: string, v: number) => (t[k] ??= []).push(v);
	const traces: Record<string, Phases[]> = {start: [], bind: [], unbind: []};
	const processes: Record<string, string[]> = {};
	for (let i = 0; i < RUNS; i++) {
		let s = performance.now();
		execFileSync(process.execPath, ['-e', '0']);
		push('node -e 0', performance.now() - s);
		s = performance.now();
		execFileSync(process.execPath, ['-r', TRACE, '-e', '0']);
		push('node -r trace -e 0', performance.now() - s);
		push('--version', nsdeck(CLI, ['--version'], env).wall);
		// before this branch --version was an unknown command (exit 2) after loading every command's module
		push('--version (base)', nsdeck(BASE_CLI, ['--version'], env, false, [0, 2]).wall);
		push('net list', nsdeck(CLI, ['net', 'list'], env).wall);
		push('bind', nsdeck(CLI, ['bind', 'one', '--network', 'blue'], env).wall);
		push('unbind', nsdeck(CLI, ['unbind', 'one'], env).wall);
		push('bind (base)', nsdeck(BASE_CLI, ['bind', 'one', '--network', 'blue'], env).wall);
		push('unbind (base)', nsdeck(BASE_CLI, ['unbind', 'one'], env).wall);
		// the same three traced: where the time goes (the preload adds its own few ms to Node's start)
		for (const [name, args] of [['start', ['net', 'list']], ['bind', ['bind', 'one', '--network', 'blue']], ['unbind', ['unbind', 'one']]] as const) {
			const r = nsdeck(CLI, args, env, true);
			traces[name]!.push(phases(r.trace!, r.wall));
			processes[name] ??= r.trace!.children.map(c => `${kindOf(c).padEnd(15)} ${c.command.split('/').pop()} ${c.args.filter(a => !a.includes('\n')).join(' ')}`.slice(0, 100));
		}
		s = performance.now();
		seedBind(NAIVE, i, `10.201.0.${i + 2}`);
		push('seed bind', performance.now() - s);
		s = performance.now();
		seedUnbind(NAIVE, i);
		push('seed unbind', performance.now() - s);
	}
	// status --json with 200 apps, this build and the base one, alternately, on the same store
	const ctx = openContext(env);
	const apps = Array.from({length: 200}, (_, i) => ({app: `s${i}`, network: 'blue'}));
	try {
		await bindAll(ctx, apps);
		for (let i = 0; i < RUNS; i++) {
			push('status --json (200 apps)', nsdeck(CLI, ['status', '--json'], env).wall);
			push('status --json (200 apps, base)', nsdeck(BASE_CLI, ['status', '--json'], env).wall);
		}
		await unbindAll(ctx, apps.map(a => a.app));
	} finally {
		ctx.close();
	}

	const m = Object.fromEntries(Object.entries(t).map(([k, v]) => [k, median(v)])) as Record<string, number>;
	const floor = m['node -e 0']!;
	console.log(`medians of ${RUNS} runs, one run, this machine (${process.version})`);
	console.log(`node -e 0                          ${ms(floor)}`);
	console.log(`nsdeck --version                   ${ms(m['--version']!)} = ${ratio(m['--version']!, floor)} node -e 0; before this branch ${ms(m['--version (base)']!)} (${((m['--version']! / m['--version (base)']! - 1) * 100).toFixed(0)}%, limit +10%)`);
	console.log(`nsdeck status --json, 200 apps     ${ms(m['status --json (200 apps)']!)}; before this branch ${ms(m['status --json (200 apps, base)']!)} (${((m['status --json (200 apps)']! / m['status --json (200 apps, base)']! - 1) * 100).toFixed(0)}%, limit +10%)`);
	console.log(`nsdeck bind (one app)              ${ms(m.bind!)} = ${ratio(m.bind!, floor)} node -e 0 (target <= 1.5x); before this branch ${ms(m['bind (base)']!)} = ${ratio(m['bind (base)']!, floor)}; the seed's way ${ms(m['seed bind']!)}`);
	console.log(`nsdeck unbind                      ${ms(m.unbind!)}; before this branch ${ms(m['unbind (base)']!)}; the seed's way ${ms(m['seed unbind']!)}`);
	console.log(`bind + unbind                      ${ms(m.bind! + m.unbind!)} = ${ratio(m.bind! + m.unbind!, m['seed bind']! + m['seed unbind']!)} the seed's way (${ms(m['seed bind']! + m['seed unbind']!)})`);
	console.log(`nsdeck net list (a read command)   ${ms(m['net list']!)} = ${ratio(m['net list']!, floor)} node -e 0`);
	console.log(`node -r bench/trace.cjs -e 0       ${ms(m['node -r trace -e 0']!)} (the traced runs' floor)`);
	show('a CLI start (nsdeck net list)', medians(traces.start!), processes.start);
	show('nsdeck bind one --network blue', medians(traces.bind!), processes.bind);
	show('nsdeck unbind one', medians(traces.unbind!), processes.unbind);
} finally {
	wipe(PREFIX);
	wipe(NAIVE);
	rmSync(state, {recursive: true, force: true});
	if (base !== ROOT) rmSync(base, {recursive: true, force: true});
}
