// Console benchmarks, medians, each against its baseline measured in the same run:
//  1. start to first full frame: the real `node dist/cli.js` in a terminal (tmux), against real namespaces
//     (a few apps), until the header shows data; where the time goes (NSDECK_TRACE_START marks); `node -e 0` in the
//     same terminal as the floor.
//  2. key press to next frame with 5000 apps: the whole console (windowed) against the same console rendering every
//     row (a full render), against 50 apps, and the table alone against a naive Ink table; 150×40, production React.
// Run: node scripts/build.mjs && npx tsx bench/render.tsx
process.env.NODE_ENV = 'production';
import {execFileSync, spawnSync} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs';
import {hostname, tmpdir} from 'node:os';
import {join, resolve} from 'node:path';
import * as esbuild from 'esbuild';
import {median, ms, ratio} from './stats.js';

const ROOT = resolve(import.meta.dirname, '..');
const CLI = join(ROOT, 'dist', 'cli.js');

// ---------- 1. cold start in a real terminal ----------
async function coldStart(runs: number, clis: readonly string[]) {
	const prefix = `b${randomBytes(2).toString('hex')}-`;
	const state = mkdtempSync(join(tmpdir(), 'nsdeck-bench-'));
	const xdg = mkdtempSync(join(tmpdir(), 'nsdeck-bench-xdg-'));
	const socket = `nsdeck-bench-${randomBytes(3).toString('hex')}`;
	const env = {...process.env, NSDECK_NS_PREFIX: prefix, NSDECK_STATE_DIR: state, XDG_CONFIG_HOME: xdg};
	const cli = (...args: string[]) => execFileSync(process.execPath, [CLI, ...args], {env, stdio: 'pipe'});
	const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socket, ...args], {encoding: 'utf8'});
	try {
		cli('net', 'create', 'blue', '--subnet', '10.201.0.0/24');
		cli('net', 'create', 'green', '--subnet', '10.202.0.0/24');
		for (const app of ['a1', 'a2', 'a3']) cli('bind', app, '--network', 'blue', '--outbound', 'green');
		const trace = join(state, 'trace.json');
		tmux('new-session', '-d', '-s', 'b', '-x', '150', '-y', '40', '-e', `NSDECK_NS_PREFIX=${prefix}`, '-e', `NSDECK_STATE_DIR=${state}`, '-e', `XDG_CONFIG_HOME=${xdg}`, '-e', `NSDECK_TRACE_START=${trace}`, 'sleep', '600');
		tmux('set-option', '-t', 'b', 'remain-on-exit', 'on'); // the pane (and the server) outlive each run
		const startUntil = async (argv: string[], done: (screen: string) => boolean): Promise<number> => {
			const t = performance.now();
			tmux('respawn-pane', '-k', '-t', 'b', ...argv);
			for (;;) {
				const s = tmux('capture-pane', '-p', '-t', 'b');
				if (done(s)) return performance.now() - t;
				if (performance.now() - t > 10_000) throw new Error(`no frame:\n${s}`);
				await new Promise(r => setTimeout(r, 3)); // leave the CPU to the console
			}
		};
		const first: number[][] = clis.map(() => []);
		const floor: number[] = [];
		const marks = new Map<string, number[]>();
		for (let i = 0; i < runs; i++) {
			floor.push(await startUntil(['sh', '-c', `${process.execPath} -e 0; echo NODE-DONE; sleep 600`], s => s.includes('NODE-DONE')));
			for (const [j, cli] of clis.entries()) {
				// a full frame: the header with the counts read from the host, and the rows of the apps
				rmSync(trace, {force: true});
				first[j]!.push(await startUntil([process.execPath, cli], s => /3 apps │ \d+ routes │ drift \d+ │ refreshed/.test(s) && /a3\s+\S+ns-a3/.test(s)));
				tmux('send-keys', '-t', 'b', 'q');
				await new Promise(r => setTimeout(r, 200));
				if (j === 0 && existsSync(trace)) for (const [k, v] of Object.entries(JSON.parse(readFileSync(trace, 'utf8')) as Record<string, number>)) marks.set(k, [...(marks.get(k) ?? []), v]);
			}
		}
		return {first: first.map(median), floor: median(floor), firstAll: first, marks: [...marks].map(([k, v]) => [k, median(v)] as const).sort((a, b) => a[1] - b[1])};
	} finally {
		spawnSync('tmux', ['-L', socket, 'kill-server']);
		rmSync(join(process.env.TMUX_TMPDIR ?? '/tmp', `tmux-${process.getuid?.() ?? 0}`, socket), {force: true}); // the socket file outlives the server
		for (const n of readdirSync('/run/netns').filter(x => x.startsWith(prefix))) spawnSync('ip', ['netns', 'del', n]);
		rmSync(state, {recursive: true, force: true});
		rmSync(xdg, {recursive: true, force: true});
	}
}

// ---------- 2. key press to next frame ----------
type Kind = 'console' | 'console-all-rows' | 'table' | 'table-all-rows' | 'naive';

async function keyToFrame(count: number, kind: Kind, presses: number) {
	const {render} = await import('ink');
	const {EventEmitter} = await import('node:events');
	const {Console} = await import('../source/tui/app.js');
	const {ConsoleController} = await import('../source/tui/controller.js');
	const {openContext} = await import('../source/provision/context.js');
	const {theme} = await import('../source/tui/theme.js');
	const {createElement, useMemo, useState} = await import('react');
	const {Box, Text, useInput} = await import('ink');
	const {Table} = await import('../source/tui/table.js');
	const {tableFor} = await import('../source/tui/views.js');

	const state = mkdtempSync(join(tmpdir(), 'nsdeck-bench-'));
	const ctx = openContext({NSDECK_STATE_DIR: state, NSDECK_NS_PREFIX: 'bench-'});
	// the data a host with `count` apps would give: built in memory (this measures rendering, not the kernel)
	const apps = Array.from({length: count}, (_, i) => ({
		name: `app${String(i).padStart(5, '0')}`,
		namespace: `ns-app${i}`,
		kind: 'netns' as const,
		ifaces: [{role: 'in' as const, network: `net${i % 20}`, address: `10.${(i >> 8) & 255}.${i & 255}.2`, inner: 'veth0', hostIf: `vi-app${i}`, hostUp: true}],
		defaultVia: `net${i % 20}`,
		process: i % 3 === 0 ? {pid: 1000 + i, running: true} : null,
		drift: i % 97 === 0 ? ['route missing'] : [],
	}));
	const snap = {host: hostname(), controller: 'local', prefix: '', vrouter: 'nsdeck-vr', takenAt: new Date().toISOString(), kernelRead: true, networks: [], apps, routes: [], stray: [], drift: [], foreign: [], store: {path: '', state: 'ok' as const}, externals: [], overlay: null};
	const data = {snap, log: [], loadedAt: Date.now()};

	class Out extends EventEmitter {
		columns = 150;
		rows = 40;
		isTTY = true;
		frames = 0;
		onFrame: (() => void) | undefined;
		write = (_s: string) => {
			this.frames++;
			this.onFrame?.();
			return true;
		};
	}
	class In extends EventEmitter {
		isTTY = true;
		data: string | null = null;
		setEncoding() {}
		setRawMode() {}
		resume() {}
		pause() {}
		ref() {}
		unref() {}
		read = () => {
			const d = this.data;
			this.data = null;
			return d;
		};
		write(d: string) {
			this.data = d;
			this.emit('readable');
		}
	}
	const stdout = new Out();
	const stdin = new In();
	const controller = new ConsoleController({ctx, loader: async () => data, refreshMs: 0});
	await controller.start();
	const t = tableFor({id: 'apps'}, data);
	// the straightforward Ink table: a Box per row, a Box and a Text per cell, every row, re-rendered on each key
	const Naive = ({selected}: {selected: number}) =>
		createElement(Box, {flexDirection: 'column', height: 36, overflowY: 'hidden'},
			createElement(Box, {marginTop: -Math.max(0, selected - 35), flexDirection: 'column', flexShrink: 0},
				...t.rows.map((r, i) => createElement(Box, {key: r.key}, ...r.cells.map((c, j) => createElement(Box, {key: j, width: t.widths[j]! + 2}, createElement(Text, {wrap: 'truncate', inverse: i === selected}, c)))))));
	// the console's own table alone, windowed or given every row
	const Bench = () => {
		const [sel, setSel] = useState(0);
		useInput(input => setSel(s => Math.max(0, s + (input === 'j' ? 1 : -1))));
		useMemo(() => t.widths, []);
		return kind === 'naive' ? createElement(Naive, {selected: sel}) : createElement(Table, {columns: t.columns, widths: t.widths, rows: t.rows, selected: sel, height: 36, width: 150, theme: theme(true), windowed: kind === 'table'});
	};
	const t0 = performance.now();
	const tree = kind === 'console' || kind === 'console-all-rows' ? createElement(Console, {controller, theme: theme(true), windowed: kind === 'console'}) : createElement(Bench);
	const inst = render(tree, {stdout: stdout as never, stdin: stdin as never, debug: true, exitOnCtrlC: false, patchConsole: false});
	const firstRender = performance.now() - t0;
	const times: number[] = [];
	for (let i = 0; i < presses; i++) {
		const key = i % 10 < 5 ? 'j' : 'k';
		const frame = new Promise<void>(res => (stdout.onFrame = res));
		const start = performance.now();
		stdin.write(key);
		await frame;
		times.push(performance.now() - start);
	}
	inst.unmount();
	controller.stop();
	ctx.close();
	rmSync(state, {recursive: true, force: true});
	return {median: median(times), firstRender};
}

const runs = Number(process.argv[2] ?? 7);
console.log(`nsdeck console benchmarks (medians; ${runs} cold starts; node ${process.version}, NODE_ENV=production)`);
const console5000 = await keyToFrame(5000, 'console', 60);
const console50 = await keyToFrame(50, 'console', 60);
const full5000 = await keyToFrame(5000, 'console-all-rows', 12);
const table5000 = await keyToFrame(5000, 'table', 60);
const allRows5000 = await keyToFrame(5000, 'table-all-rows', 20);
const naive5000 = await keyToFrame(5000, 'naive', 8);
console.log(`key → next frame, whole console, 5000 apps:                    ${ms(console5000.median)}   (first render ${ms(console5000.firstRender)})`);
console.log(`key → next frame, whole console, 5000 apps, every row rendered: ${ms(full5000.median)}   → windowed ${ratio(full5000.median, console5000.median)} faster`);
console.log(`key → next frame, whole console,   50 apps:                    ${ms(console50.median)}   → 5000 apps cost ${ratio(console5000.median, console50.median)} of 50`);
console.log(`key → next frame, windowed table alone, 5000 rows:             ${ms(table5000.median)}`);
console.log(`key → next frame, same table given every row (memoized lines):  ${ms(allRows5000.median)}   → windowed ${ratio(allRows5000.median, table5000.median)} faster`);
console.log(`key → next frame, naive Ink table, every row (Box/Text cells):  ${ms(naive5000.median)}   (first render ${ms(naive5000.firstRender)}) → windowed ${ratio(naive5000.median, table5000.median)} faster`);

// The shipped build bundles Ink, React and conf in (scripts/build.mjs). For comparison, the same sources with every
// package left external (Node then loads Ink's ~300 modules one by one): built here into bench/.out, deleted after.
const external = join(ROOT, 'bench', '.out');
await esbuild.build({
	entryPoints: {cli: join(ROOT, 'source/cli.tsx')},
	outdir: external,
	bundle: true,
	splitting: true,
	format: 'esm',
	platform: 'node',
	target: 'node20',
	jsx: 'automatic',
	packages: 'external',
	chunkNames: 'chunks/[name]-[hash]',
	logLevel: 'error',
});
try {
	const cold = await coldStart(runs, [CLI, join(external, 'cli.js')]);
	const [shipped, unbundled] = cold.first as [number, number];
	console.log(`start → first full frame, node dist/cli.js in tmux (3 apps, real namespaces): ${ms(shipped)}  [${cold.firstAll[0]!.map(x => x.toFixed(0)).join(' ')}]`);
	console.log(`start → first full frame, same sources, every package external:          ${ms(unbundled)}  [${cold.firstAll[1]!.map(x => x.toFixed(0)).join(' ')}] → bundled ${ratio(unbundled, shipped)} faster`);
	console.log(`  floor: node -e 0 in the same terminal: ${ms(cold.floor)}`);
	console.log('  where the time of the shipped build goes (ms since the process started, medians):');
	for (const [name, at] of cold.marks) console.log(`    ${at.toFixed(0).padStart(5)}  ${name}`);
	// a full render: every row drawn as Ink elements, the way a plain Ink table does it (the naive table above)
	const okKey = console5000.median <= 15 && naive5000.median / console5000.median >= 10;
	console.log(`targets: key→frame ≤ 15 ms with 5000 apps and ≥ 10× faster than a full render (every row as Ink boxes): ${okKey ? 'met' : 'NOT met'}; start ≤ 400 ms: ${shipped <= 400 ? 'met' : 'NOT met'}`);
} finally {
	rmSync(external, {recursive: true, force: true});
}
