// Every key of every view, and every mode's keys, on hosts in memory (no root): what each key shows on the screen.
// The keys come from the registry, so a key added there without an expectation here fails this test.
import {afterEach, describe, expect, it} from 'vitest';
import {BINDINGS} from '../../source/tui/bindings.js';
import {appliesIn} from '../../source/tui/binding.js';
import {VIEWS, type ViewRef} from '../../source/tui/views.js';
import {KEY, type MemoryHarness, openMemoryConsole} from './harness.js';
import {world} from './memory.js';

function host() {
	const w = world({blue: '10.1.0.0/24', green: '10.2.0.0/24', red: '10.3.0.0/24'}, {web: ['blue', 'green'], db: 'blue', cache: 'red'});
	w.log = ['net create', 'net create', 'bind'].map((op, i) => ({id: i + 1, at: '2025-01-01T00:00:00.000Z', user: 'root', op, args: '{}', result: 'ok' as const, detail: null})).reverse();
	return w;
}

let h: MemoryHarness | undefined;
afterEach(() => {
	h?.close();
	h = undefined;
});

const RAW: Record<string, string> = {enter: KEY.enter, esc: KEY.esc, down: KEY.down, up: KEY.up, left: KEY.left, right: KEY.right, pagedown: KEY.pgdn, pageup: KEY.pgup, home: '\x1b[H', end: '\x1b[F'};
const raw = (k: {ch: string} | {name: string}) => ('ch' in k ? k.ch : RAW[k.name]!);

/** What each key must show, per view (a string or pattern on the frame). */
const EXPECT: Record<string, (view: ViewRef, key: string) => string | RegExp> = {
	'view-apps': () => 'apps [3]',
	'view-nets': () => 'nets [3]',
	'view-routes': () => /routes\((blue|green|red)\)/,
	'view-targets': () => 'targets [3]',
	'view-ifaces': () => /ifaces \[\d+\]/,
	'view-log': () => 'log [',
	'view-hosts': () => 'hosts [1]',
	move: () => /▸/,
	ends: () => /▸/,
	page: () => /▸/,
	// each view starts on its last row (G): web, red, 10.1.0.3 (db), red, web's veth1, the oldest audit row, h1
	drill: v => ({apps: 'app(web) ‹ apps', nets: 'routes(red) ‹ nets', routes: 'why 10.1.0.3/32 is in blue', targets: 'routes(red) ‹ targets', ifaces: 'app(web) ‹ ifaces', log: 'audit #1: net create', hosts: 'already on h1', app: /why 10\.\d\.0\.\d\/32 is in/})[v.id]!,
	back: v => (v.id === 'app' ? 'apps [3]' : /▸/),
	filter: () => / \/█?|filter/,
	command: () => / :/,
	refresh: () => 'refreshed: 3 apps, 3 networks',
	help: () => ' keys',
	quit: () => /./,
	columns: () => /▸ 2 = target:/,
	marked: () => 'marked only',
	bind: () => 'bind an app',
	unbind: () => 'unbind web?',
	outbound: () => 'outbound network of web',
	import: () => /import-only targets of (blue|green|red)/,
	export: () => /export targets of (blue|green|red)/,
	'net-create': () => 'create a network',
	'net-delete': () => /cannot delete (blue|green|red): network '\w+' is used by/,
	explain: v => (v.id === 'apps' ? 'explain web and a peer' : /why 10\.\d\.0\.\d\/32 is in/),
	ping: () => 'ping from web',
};

const refOf = (id: string): ViewRef => (id === 'routes' ? {id: 'routes', arg: 'blue'} : id === 'app' ? {id: 'app', arg: 'web'} : {id: id as ViewRef['id']});

describe('every key of every view (registry × views)', () => {
	it('every binding has an expectation here', () => {
		expect(BINDINGS.map(b => b.id).filter(id => !EXPECT[id])).toEqual([]);
	});

	for (const v of VIEWS) {
		it(`in ${v.id}: each key does what the registry says, and keys of other views say where they work`, async () => {
			const ref = refOf(v.id);
			h = await openMemoryConsole({h1: host()}, {initial: ref});
			const reset = async () => {
				h!.controller.mode({kind: 'normal'});
				if (ref.id === 'app') h!.controller.open({id: 'apps'});
				h!.controller.open(ref, ref.id === 'app');
				await h!.waitFor(f => f.includes('▸') || f.includes('['));
			};
			for (const b of BINDINGS) {
				if (b.id === 'quit') continue;
				await reset();
				// start on the last row, so moving up, paging and first/last all show
				await h.press('G');
				const key = raw(b.keys[0]!);
				await h.press(key);
				if (appliesIn(b, v.id)) {
					const want = EXPECT[b.id]!(ref, key);
					await h.waitFor(want, 3000).catch(e => {
						throw new Error(`${v.id}: ${b.show} (${b.id}): ${(e as Error).message}`);
					});
				} else {
					await h.waitFor(`'${key}' (${b.label}) works in`, 3000).catch(e => {
						throw new Error(`${v.id}: ${b.show} (${b.id}) should say where it works: ${(e as Error).message}`);
					});
				}
			}
			await reset();
			await h.press('q');
			expect(h.quitCalls()).toBe(1);
		});
	}
});

describe('the keys of each mode', () => {
	it('filter: typing narrows live, backspace widens, ↑/↓ move, Enter keeps, Esc clears', async () => {
		h = await openMemoryConsole({h1: host()});
		await h.waitFor('apps [3]');
		await h.press('/', 'w', 'e');
		await h.waitFor('apps [1/3]');
		await h.press(KEY.backspace, KEY.backspace, 'b');
		await h.waitFor('apps [2/3]'); // db, web (blue)... and cache? no: "b" is in db and web's network "blue"
		await h.press(KEY.down);
		expect(h.selected()).toMatch(/^web/);
		await h.press(KEY.up);
		expect(h.selected()).toMatch(/^db/);
		await h.press(KEY.enter);
		await h.waitFor(f => f.includes('apps [2/3]  /b') && f.includes('Esc back'));
		await h.press(KEY.esc);
		await h.waitFor(f => f.includes('apps [3]') && !f.includes('/b'));
		await h.press('/', 'z', 'z', KEY.esc);
		await h.waitFor('apps [3]');
	});

	it('command: Tab completes names and arguments, backspace edits, Enter runs, Esc cancels; unknown is refused', async () => {
		h = await openMemoryConsole({h1: host()});
		await h.waitFor('apps [3]');
		await h.press(':', 'n', 'e');
		await h.waitFor(/ :ne.ts/);
		await h.press(KEY.tab);
		await h.waitFor(' :nets ');
		await h.press(KEY.backspace, KEY.backspace, KEY.backspace, KEY.backspace, KEY.backspace, 'a', 'p', 'p', ' ', 'w', KEY.tab);
		await h.waitFor(' :app web');
		await h.press(KEY.enter);
		await h.waitFor('app(web) ‹ apps');
		await h.press(':', 'x', KEY.esc);
		await h.waitFor(f => !f.includes(' :x'));
		h.type(':nosuch\r');
		await h.waitFor("unknown command ':nosuch'");
		h.type(':help\r');
		await h.waitFor(' keys');
		await h.press(KEY.esc);
		h.type(':routes nope\r');
		await h.waitFor("unknown network 'nope'");
		h.type(':host\r');
		await h.waitFor('hosts [1]');
		h.type(':host h1\r');
		await h.waitFor('already on h1');
		h.type(':q\r');
		expect(h.quitCalls()).toBe(1);
	});

	it('form: Tab/↓ and ↑/Shift-Tab move, typing and backspace edit, ←/→/space/letters pick, Enter checks then submits, Esc cancels', async () => {
		h = await openMemoryConsole({h1: host()});
		await h.waitFor('apps [3]');
		await h.press('o'); // cache: outbound choice over blue, green, (none)
		let f = await h.waitFor('outbound network of cache');
		expect(f).toMatch(/outbound\s+‹ blue ›/);
		await h.press(KEY.right);
		await h.waitFor(/‹ green ›/);
		await h.press(' ');
		await h.waitFor(/‹ \(none\) ›/);
		await h.press(KEY.left);
		await h.waitFor(/‹ green ›/);
		await h.press('b');
		await h.waitFor(/‹ blue ›/);
		await h.press(KEY.esc);
		await h.waitFor('cancelled: nothing changed');
		await h.press('b');
		await h.waitFor('bind an app');
		await h.press('x', 'y', KEY.backspace);
		await h.waitFor(/▸ name\s+x\s/);
		await h.press(KEY.tab);
		await h.waitFor(/▸ inbound network/);
		await h.press('\x1b[Z'); // Shift-Tab
		await h.waitFor(/▸ name/);
		await h.press(KEY.down, KEY.down);
		await h.waitFor(/▸ outbound network/);
		await h.press(KEY.up);
		await h.press('g', KEY.tab); // completes "g" to green
		f = await h.waitFor(/inbound network\s+green\s+✓/);
		await h.press(KEY.up, KEY.backspace);
		await h.press(KEY.enter); // the name is empty: refused, focus on it
		await h.waitFor('✗ name: invalid app name: empty');
		h.type('api\r');
		f = await h.waitFor('bind api?  (y/n)');
		expect(f).toMatch(/veth0 10\.2\.0\.3 on green \(inbound\), default route/);
	});

	it('confirm: j/k scroll a long preview, n/N/q/Esc cancel and change nothing, y applies', async () => {
		const w = host();
		h = await openMemoryConsole({h1: w}, {size: {columns: 120, rows: 12}});
		await h.waitFor('apps [3]');
		for (const no of ['n', 'N', 'q', KEY.esc]) {
			h.type('bz\tblue\r');
			await h.waitFor('bind z?  (y/n)');
			await h.press(no);
			await h.waitFor('cancelled: nothing changed');
		}
		expect(h.backend().applied).toEqual([]);
		h.type('bz\tblue\r');
		await h.waitFor('more lines (j/k to scroll)');
		await h.press('j', 'j', 'k', KEY.down, KEY.pgdn, KEY.pgup, KEY.up);
		await h.press('y');
		await h.waitFor('✓ bound z: 10.1.0.4 in blue');
		expect(h.backend().applied).toEqual(['bind z']);
	});

	it('info: Enter and Esc close, j/k scroll; help: every group, Esc, q and ? close', async () => {
		h = await openMemoryConsole({h1: host()}, {initial: {id: 'routes', arg: 'blue'}, size: {columns: 150, rows: 60}});
		await h.waitFor('routes(blue)');
		await h.press('x');
		await h.waitFor('why 10.1.0.2/32 is in blue');
		await h.press('j', 'k', KEY.enter);
		await h.waitFor(f => !f.includes('why 10.1.0.2/32'));
		await h.press('x', KEY.esc);
		await h.waitFor(f => !f.includes('why 10.1.0.2/32'));
		for (const close of [KEY.esc, 'q', '?']) {
			await h.press('?');
			const f = await h.waitFor(' keys');
			for (const g of ['views', 'moving', 'targets matrix', 'actions (each previews and asks y/n)', 'in forms', ': commands']) expect(f).toContain(g);
			await h.press('j', 'k', close);
			await h.waitFor(x => !x.includes(' keys'));
		}
		expect(h.quitCalls()).toBe(0);
	});

	it('busy: keys wait while an action runs; Ctrl-C quits once it is done', async () => {
		h = await openMemoryConsole({h1: host()});
		await h.waitFor('apps [3]');
		const b = h.backend();
		let release: () => void = () => {};
		const slow = b.unbind.bind(b);
		b.unbind = (app: string) => new Promise<void>(r => (release = r)).then(() => slow(app));
		await h.press('u');
		await h.waitFor('unbind cache?');
		await h.press('y');
		await h.waitFor('unbind cache…');
		await h.press('j', 'b', KEY.ctrlC);
		await h.waitFor('quitting once the running action finishes');
		expect(h.quitCalls()).toBe(0);
		release();
		await h.waitFor(() => h!.quitCalls() === 1);
		expect(b.applied).toEqual(['unbind cache']);
	});
});
