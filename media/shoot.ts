// Produces the console's screenshots (PNG) and a recording (asciinema v2 .cast) from a real run: the built
// `nsdeck` in tmux against real namespaces (prefix `med-`, removed afterwards). Needs tmux and ImageMagick.
// Run: node scripts/build.mjs && npx tsx media/shoot.ts
import {execFileSync, spawnSync} from 'node:child_process';
import {mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const OUT = join(ROOT, 'media');
const CLI = join(ROOT, 'dist', 'cli.js');
const prefix = 'med-';
const W = 150;
const H = 34;
const state = mkdtempSync(join(tmpdir(), 'nsdeck-media-'));
const xdg = mkdtempSync(join(tmpdir(), 'nsdeck-media-xdg-'));
const socket = `nsdeck-media-${process.pid}`;
const setRemain = () => tmux('set-option', '-t', 'm', 'remain-on-exit', 'on');
const env = {...process.env, NSDECK_NS_PREFIX: prefix, NSDECK_STATE_DIR: state, XDG_CONFIG_HOME: xdg};
const cli = (...args: string[]) => execFileSync(process.execPath, [CLI, ...args], {env, encoding: 'utf8'});
const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socket, ...args], {encoding: 'utf8'});
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

// ---- ANSI (as tmux capture-pane -e gives it) → SVG → PNG ----
const PALETTE = ['#1d1f21', '#cc6666', '#b5bd68', '#f0c674', '#81a2be', '#b294bb', '#8abeb7', '#c5c8c6', '#666666', '#d54e53', '#b9ca4a', '#e7c547', '#7aa6da', '#c397d8', '#70c0b1', '#eaeaea'];
const FG = '#c5c8c6';
const BG = '#1d1f21';
function color256(n: number): string {
	if (n < 16) return PALETTE[n]!;
	if (n >= 232) {
		const v = 8 + (n - 232) * 10;
		return `rgb(${v},${v},${v})`;
	}
	const i = n - 16;
	const c = (x: number) => (x === 0 ? 0 : 55 + x * 40);
	return `rgb(${c(Math.floor(i / 36))},${c(Math.floor(i / 6) % 6)},${c(i % 6)})`;
}
type Style = {fg?: string; bg?: string; bold: boolean; dim: boolean; inverse: boolean};
const FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf';
const BOLD = '/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf';
const CW = 9;
const CH = 18;

/** The captured screen as ImageMagick draw primitives (MVG): a rectangle per background run, a text per word. */
function mvgOf(ansi: string): string {
	const out: string[] = [`viewbox 0 0 ${W * CW + 20} ${H * CH + 20}`, `fill "${BG}" rectangle 0,0 ${W * CW + 20},${H * CH + 20}`, `font-size 15`];
	const lines = ansi.replace(/\n$/, '').split('\n');
	let st: Style = {bold: false, dim: false, inverse: false};
	lines.forEach((line, row) => {
		let col = 0;
		const re = /\x1b\[([\d;]*)m|([^\x1b]+)/g;
		for (let m; (m = re.exec(line)); ) {
			if (m[1] !== undefined) {
				const codes = m[1] === '' ? [0] : m[1].split(';').map(Number);
				for (let i = 0; i < codes.length; i++) {
					const c = codes[i]!;
					if (c === 0) st = {bold: false, dim: false, inverse: false};
					else if (c === 1) st.bold = true;
					else if (c === 2) st.dim = true;
					else if (c === 22) (st.bold = false), (st.dim = false);
					else if (c === 7) st.inverse = true;
					else if (c === 27) st.inverse = false;
					else if (c >= 30 && c <= 37) st.fg = PALETTE[c - 30];
					else if (c >= 90 && c <= 97) st.fg = PALETTE[c - 90 + 8];
					else if (c === 39) delete st.fg;
					else if (c >= 40 && c <= 47) st.bg = PALETTE[c - 40];
					else if (c === 49) delete st.bg;
					else if ((c === 38 || c === 48) && codes[i + 1] === 5) {
						const v = color256(codes[i + 2]!);
						if (c === 38) st.fg = v;
						else st.bg = v;
						i += 2;
					} else if ((c === 38 || c === 48) && codes[i + 1] === 2) {
						const v = `rgb(${codes[i + 2]},${codes[i + 3]},${codes[i + 4]})`;
						if (c === 38) st.fg = v;
						else st.bg = v;
						i += 4;
					}
				}
				continue;
			}
			const chars = [...m[2]!];
			let fg = st.fg ?? (st.dim ? '#8a8d8b' : FG);
			let bg = st.bg;
			if (st.inverse) [fg, bg] = [bg ?? BG, st.fg ?? FG];
			const x0 = 10 + col * CW;
			const y0 = 10 + row * CH;
			if (bg) out.push(`fill "${bg}" rectangle ${x0},${y0} ${x0 + chars.length * CW - 1},${y0 + CH - 1}`);
			out.push(`font "${st.bold ? BOLD : FONT}"`);
			for (const w of m[2]!.matchAll(/\S+/g)) {
				const at = [...m[2]!.slice(0, w.index)].length;
				const text = w[0].replace(/\\/g, '\\\\').replace(/"/g, '\\"');
				out.push(`fill "${fg}" text ${x0 + at * CW},${y0 + 14} "${text}"`);
			}
			col += chars.length;
		}
	});
	return out.join('\n');
}

function png(name: string, ansi: string): void {
	const mvg = join(state, `${name}.mvg`);
	writeFileSync(mvg, mvgOf(ansi));
	execFileSync('/usr/bin/convert', [`mvg:${mvg}`, join(OUT, `${name}.png`)]);
	console.log(`media/${name}.png`);
}

const capture = (colors = true) => tmux('capture-pane', '-p', ...(colors ? ['-e'] : []), '-t', 'm');
async function waitFor(what: string | RegExp): Promise<void> {
	const end = Date.now() + 10_000;
	for (;;) {
		const s = capture(false);
		if (typeof what === 'string' ? s.includes(what) : what.test(s)) return;
		if (Date.now() > end) throw new Error(`timed out waiting for ${String(what)}:\n${s}`);
		await sleep(30);
	}
}

// ---- the recording: a screen per capture, as an asciinema v2 cast ----
const cast: Array<[number, string]> = [];
let castStart = 0;
function frame(): void {
	const t = (Date.now() - castStart) / 1000;
	const screen = capture().replace(/\n$/, '').split('\n').join('\r\n');
	const data = `\x1b[H\x1b[2J${screen}`;
	if (cast.at(-1)?.[1] !== data) cast.push([Number(t.toFixed(3)), data]);
}
async function record(ms: number): Promise<void> {
	const end = Date.now() + ms;
	while (Date.now() < end) {
		frame();
		await sleep(80);
	}
}
async function typeSlowly(text: string): Promise<void> {
	for (const ch of text) {
		tmux('send-keys', '-t', 'm', '-l', ch);
		await record(90);
	}
}

/** Writes a recording as an asciinema v2 cast. */
function writeCast(name: string, title: string): void {
	const header = {version: 2, width: W, height: H, timestamp: Math.floor(castStart / 1000), title, env: {TERM: 'xterm-256color', SHELL: '/bin/sh'}};
	writeFileSync(join(OUT, name), [JSON.stringify(header), ...cast.map(e => JSON.stringify([e[0], 'o', e[1]]))].join('\n') + '\n');
	console.log(`media/${name} (${cast.length} frames, ${cast.at(-1)?.[0]} s)`);
}

/** Waits for the screen while recording it. */
async function recordUntil(what: string | RegExp, timeout = 20_000): Promise<void> {
	const end = Date.now() + timeout;
	for (;;) {
		frame();
		const s = capture(false);
		if (typeof what === 'string' ? s.includes(what) : what.test(s)) return;
		if (Date.now() > end) throw new Error(`timed out waiting for ${String(what)}:\n${s}`);
		await sleep(80);
	}
}

const press = async (key: string, pause = 600) => {
	tmux('send-keys', '-t', 'm', key);
	await record(pause);
};

/** The whole demo by keys, as an operator would go through it, recorded from start to the last proof and quit. */
async function recordDemo(): Promise<void> {
	cast.length = 0;
	castStart = Date.now();
	tmux('respawn-pane', '-k', '-t', 'm', process.execPath, CLI, 'demo');
	await recordUntil('demo 1/5:');
	await record(2500);
	await press('Escape', 800);
	await press('G', 500);
	await press('Enter');
	await recordUntil('demo 1/5: proven');
	await record(3000);
	await press('Enter', 2500);
	await press('Escape', 500);
	await press('1', 300);
	await press('g', 500);
	await press('x', 700);
	await typeSlowly('web');
	await press('Enter');
	await recordUntil('explain client web');
	await record(3500);
	png('explain', capture());
	await press('Escape');
	await recordUntil('demo 2/5: proven');
	await record(3000);
	await press('Enter', 2500);
	const target = /type (64512:\d+) \(Tab completes\)/.exec(capture(false))![1]!;
	await press('Escape', 500);
	await press('2', 600);
	await press('G', 500);
	await press('i', 700);
	await typeSlowly(target);
	await press('Enter');
	await recordUntil('(y/n)');
	await record(3000);
	await press('y');
	await recordUntil('demo 3/5: proven');
	await record(3500);
	png('demo-proof', capture());
	await press('Enter', 2500);
	await press('Escape', 500);
	await press('i', 700);
	await typeSlowly('64512:900');
	await press('Enter');
	await recordUntil('(y/n)');
	await record(2000);
	await press('y');
	await recordUntil('demo 4/5: proven');
	await record(3000);
	await press('Enter', 2500);
	await press('Escape', 500);
	await press('4', 2000);
	await press('q', 200);
	// quitting removes the demo, then the console ends
	for (const end = Date.now() + 20_000; tmux('display', '-p', '-t', 'm', '#{pane_dead}').trim() !== '1' && Date.now() < end; ) await record(100);
	writeCast('demo.cast', 'nsdeck demo: an app with its own outbound network, each step proven on the kernel');
}

/** The hosts view: three lab hosts, the console on h1. */
async function hostsShot(): Promise<void> {
	const lab = {NSDECK_LAB_PREFIX: 'medl-', NSDECK_LAB_DIR: join(state, 'lab'), NSDECK_LAB_PORT: '53100'};
	execFileSync(process.execPath, [CLI, 'lab', 'up', '--hosts', '3'], {env: {...env, ...lab}, stdio: 'ignore'});
	try {
		const h1 = (JSON.parse(readFileSync(join(state, 'lab', 'lab.json'), 'utf8')) as {hosts: Array<{prefix: string; stateDir: string; underlayNs: string}>}).hosts[0]!;
		tmux('kill-session', '-t', 'm');
		// the console as on h1: inside its namespace, where the other hosts' agents answer (https, pinned)
		tmux('new-session', '-d', '-s', 'm', '-x', String(W), '-y', String(H), '-e', `NSDECK_NS_PREFIX=${h1.prefix}`, '-e', `NSDECK_STATE_DIR=${h1.stateDir}`, '-e', `XDG_CONFIG_HOME=${xdg}`, '-e', 'TERM=xterm-256color', 'ip', 'netns', 'exec', h1.underlayNs, process.execPath, CLI, '--view', 'hosts');
		await waitFor(/hosts \[3\]/);
		await waitFor(/h3\s+https\S+\s+reachable\s+gobgp\s+up/);
		await sleep(300);
		png('hosts', capture());
		tmux('send-keys', '-t', 'm', '4');
		await waitFor(/targets \[\d+\]/);
		await sleep(500);
		png('targets-hosts', capture());
		tmux('send-keys', '-t', 'm', 'q');
		await sleep(300);
	} finally {
		execFileSync(process.execPath, [CLI, 'lab', 'down'], {env: {...env, ...lab}, stdio: 'ignore'});
	}
}

try {
	cli('net', 'create', 'frontend', '--subnet', '10.10.0.0/24');
	cli('net', 'create', 'backend', '--subnet', '10.20.0.0/24');
	cli('net', 'create', 'egress', '--subnet', '10.30.0.0/24', '--rt', '64512:100');
	cli('bind', 'web', '--network', 'frontend', '--outbound', 'egress');
	cli('bind', 'api', '--network', 'backend', '--outbound', 'egress');
	cli('bind', 'db', '--network', 'backend');
	cli('bind', 'cache', '--network', 'backend');
	cli('route', 'add', '0.0.0.0/0', '--rt', '64512:100', '--via', '192.0.2.1');
	cli('rt', 'add', 'backend', '64512:100', '--import-only');
	const frontendRt = JSON.parse(cli('net', 'show', 'frontend', '--json')).targets[0].rt as string;

	tmux('new-session', '-d', '-s', 'm', '-x', String(W), '-y', String(H), '-e', `NSDECK_NS_PREFIX=${prefix}`, '-e', `NSDECK_STATE_DIR=${state}`, '-e', `XDG_CONFIG_HOME=${xdg}`, '-e', 'TERM=xterm-256color', process.execPath, CLI);
	setRemain(); // the pane outlives the console, so the demo and the welcome panel can be started in it again
	await waitFor('apps [4]');
	await sleep(300);
	png('apps', capture());
	for (const [key, name, until] of [['2', 'nets', 'nets [3]'], ['4', 'targets', 'targets [3]'], ['5', 'ifaces', /ifaces \[[1-9]/], ['6', 'log', /log \[\d+\]/]] as const) {
		tmux('send-keys', '-t', 'm', key);
		await waitFor(until);
		await sleep(300);
		png(name, capture());
	}
	tmux('send-keys', '-t', 'm', ':routes backend', 'Enter');
	await waitFor('routes(backend)');
	await sleep(200);
	png('routes', capture());
	tmux('send-keys', '-t', 'm', '1', 'G', 'Enter');
	await waitFor('app(web)');
	await sleep(400);
	png('app', capture());
	tmux('send-keys', '-t', 'm', 'Escape', '?');
	await waitFor(' keys');
	await sleep(200);
	png('help', capture());
	tmux('send-keys', '-t', 'm', 'Escape');

	// the recording: egress imports frontend's routes, import-only, after reading the preview
	tmux('send-keys', '-t', 'm', '2');
	await waitFor('nets [3]');
	castStart = Date.now();
	await record(800);
	tmux('send-keys', '-t', 'm', 'j');
	await record(500);
	tmux('send-keys', '-t', 'm', 'i');
	await record(700);
	await typeSlowly(frontendRt.replace('target:', ''));
	await record(700);
	tmux('send-keys', '-t', 'm', 'Enter');
	await waitFor('(y/n)');
	await record(300);
	png('preview', capture());
	await record(2500);
	tmux('send-keys', '-t', 'm', 'y');
	await waitFor('✓ egress: added import target');
	await record(1800);
	tmux('send-keys', '-t', 'm', '4');
	await record(1500);
	tmux('send-keys', '-t', 'm', ':routes egress', 'Enter');
	await record(2500);
	tmux('send-keys', '-t', 'm', 'q');
	writeCast('rt-edit.cast', 'nsdeck: an import-only route target, previewed then applied');
	await sleep(500);

	// the welcome panel and the whole guided demo, recorded: `nsdeck demo` on an empty store of its own
	cli('unbind', 'web');
	for (const app of ['api', 'db', 'cache']) cli('unbind', app);
	cli('route', 'del', '0.0.0.0/0');
	for (const net of ['frontend', 'backend', 'egress']) cli('net', 'delete', net);
	tmux('respawn-pane', '-k', '-t', 'm', process.execPath, CLI);
	await waitFor('Welcome to nsdeck');
	await sleep(300);
	png('welcome', capture());
	tmux('send-keys', '-t', 'm', 'q');
	await sleep(500);
	await recordDemo();

	// the hosts view over a lab of three hosts (gobgpd and an agent each)
	await hostsShot();
} finally {
	spawnSync('tmux', ['-L', socket, 'kill-server']);
	rmSync(join(process.env.TMUX_TMPDIR ?? '/tmp', `tmux-${process.getuid?.() ?? 0}`, socket), {force: true}); // the socket file outlives the server
	spawnSync(process.execPath, [CLI, 'demo', 'clean'], {env});
	for (const n of readdirSync('/run/netns').filter(x => x.startsWith(prefix) || x.startsWith('medl-'))) spawnSync('ip', ['netns', 'del', n]);
	rmSync(state, {recursive: true, force: true});
	rmSync(xdg, {recursive: true, force: true});
}
