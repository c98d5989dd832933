// The targets matrix and the hosts at the sizes a real site reaches, on hosts in memory: 30 networks × 31 targets
// in a 100 × 100 terminal, and 30 hosts.
import {afterEach, describe, expect, it} from 'vitest';
import {parseRouteTarget} from '../../source/core/rt.js';
import {KEY, type MemoryHarness, openMemoryConsole, rowsOf} from './harness.js';
import {world, type World} from './memory.js';

let h: MemoryHarness | undefined;
afterEach(() => {
	h?.close();
	h = undefined;
});

/** 30 networks, each importing the next one's automatic target; net4 also imports an uplink's target. */
function thirty(): World {
	const nets: Record<string, string> = {};
	for (let i = 1; i <= 30; i++) nets[`net${i}`] = `10.${i}.0.0/24`;
	const w = world(nets, {a1: 'net1', a2: ['net2', 'net10']});
	for (let i = 0; i < 30; i++) w.networks[i]!.targets.push({rt: w.networks[(i + 1) % 30]!.targets[0]!.rt, auto: false, import: true, export: false});
	w.networks[3]!.targets.push({rt: parseRouteTarget('64512:900'), auto: false, import: true, export: false});
	return w;
}

const header = (f: string) => f.split('\n')[2]!;
const names = (f: string) => rowsOf(f).filter(r => /^[▸ ]net/.test(r)).map(r => r.slice(1).trim().split(/\s+/)[0]);

describe('the targets matrix at 100 × 100', () => {
	it('narrow numbered columns behind the pinned network column, a legend, every row and most columns on screen', async () => {
		h = await openMemoryConsole({h1: thirty()}, {initial: {id: 'targets'}, size: {columns: 100, rows: 100}});
		const f = await h.waitFor('targets [30]');
		expect(header(f)).toMatch(/^ NETWORK\s+1\s+2\s+3 .* 28\s+29\s+›$/);
		expect(f.split('\n').every(l => l.length <= 100)).toBe(true);
		expect(names(f)).toEqual(Array.from({length: 30}, (_, i) => `net${i + 1}`)); // natural order: net2 before net10
		expect(f).toMatch(/▸net1\s+IE I {2}· /);
		expect(f).toContain('columns 1–29 of 31; h/l scroll, m marked only   ▸ 1 = target:64512:8000001');
		expect(f).toMatch(/1=64512:8000001 {2}2=64512:8000002/);
	});

	it('h/l and ←/→ move the column cursor; the columns scroll to keep it shown, the network column stays', async () => {
		h = await openMemoryConsole({h1: thirty()}, {initial: {id: 'targets'}, size: {columns: 100, rows: 100}});
		await h.waitFor('targets [30]');
		for (let i = 0; i < 30; i++) await h.press(i % 2 ? 'l' : KEY.right);
		let f = await h.waitFor('▸ 31 = target:64512:900');
		expect(header(f)).toMatch(/^ NETWORK\s+‹\d+ .* 30\s+31\s*$/);
		expect(f).toContain('columns 3–31 of 31');
		expect(f).toMatch(/net4\s+.*I\s*$/m); // net4 imports the uplink, in the last column
		await h.press('h', KEY.left);
		f = await h.waitFor('▸ 29 = ');
		for (let i = 0; i < 30; i++) await h.press('h');
		f = await h.waitFor('▸ 1 = target:64512:8000001');
		expect(header(f)).toMatch(/^ NETWORK\s+1\s+2/);
	});

	it('the filter narrows the columns too, and m keeps only the rows and columns that hold a mark', async () => {
		h = await openMemoryConsole({h1: thirty()}, {initial: {id: 'targets'}, size: {columns: 100, rows: 100}});
		await h.waitFor('targets [30]');
		h.type('/8000012\r');
		let f = await h.waitFor('columns 1–1 of 1 (31 in all)');
		expect(header(f)).toMatch(/^ NETWORK\s+12\s*$/);
		await h.press('m');
		f = await h.waitFor('marked only');
		expect(names(f)).toEqual(['net11', 'net12']); // net12 exports it, net11 imports it
		await h.press(KEY.esc, 'm');
		h.type('/net1\r');
		f = await h.waitFor('targets [11/30]');
		expect(names(f)).toEqual(['net1', 'net10', 'net11', 'net12', 'net13', 'net14', 'net15', 'net16', 'net17', 'net18', 'net19']);
		await h.press('m');
		f = await h.waitFor('marked only');
		// only the targets those networks hold: their own and the next one's
		expect(header(f)).toMatch(/^ NETWORK\s+1\s+2\s+10\s+11\s+12\s+13\s+14\s+15\s+16\s+17\s+18\s+19\s+20\s*$/);
		h.type('/zzz\r');
		f = await h.waitFor('no column matches');
	});
});

describe('30 hosts', () => {
	function hosts(n: number): Record<string, World> {
		const out: Record<string, World> = {};
		for (let i = 1; i <= n; i++) {
			const w = world({blue: '10.1.0.0/16', red: '10.2.0.0/16'}, {[`b${i}`]: 'blue'});
			if (i % 7 === 0) w.networks[1]!.targets.push({rt: parseRouteTarget('64512:77'), auto: false, import: true, export: false});
			out[`h${i}`] = w;
		}
		return out;
	}

	it('the hosts view lists them in natural order, this one first, a page at a time', async () => {
		h = await openMemoryConsole(hosts(30), {initial: {id: 'hosts'}, size: {columns: 120, rows: 20}});
		let f = await h.waitFor(x => x.includes('hosts [30]') && !x.includes(' …  '));
		const shown = () => rowsOf(h!.frame()).map(r => /\b(h\d+)\b/.exec(r)?.[1]);
		expect(shown().slice(0, 4)).toEqual(['h1', 'h2', 'h3', 'h4']);
		expect(rowsOf(f)[0]).toMatch(/\*\s+h1\s+\(in process\)\s+this host/);
		await h.press(KEY.pgdn);
		expect(h.selected()).toMatch(/^h\d+/);
		await h.press('G');
		expect(h.selected()).toMatch(/^h30\s/);
		f = h.frame();
		expect(shown().at(-1)).toBe('h30');
	});

	it('the targets view per host: a column per host behind the pinned columns, the rows where hosts differ first, hosts filtered', async () => {
		h = await openMemoryConsole(hosts(30), {initial: {id: 'targets'}, size: {columns: 100, rows: 40}});
		let f = await h.waitFor(x => /targets \[\d+\]/.test(x) && x.includes('≠ differ') && !/\s…\s/.test(x)).catch(e => {
			console.log(h!.frame());
			throw e;
		});
		expect(header(f)).toMatch(/^ NETWORK\s+TARGET\s+HOSTS\s+\*h1\s+h2\s+h3/);
		expect(rowsOf(f)[0]).toMatch(/red\s+target:64512:77\s+≠ differ\s+·\s+·\s+·\s+·\s+·\s+·\s+I/);
		expect(f).toMatch(/columns 1–\d+ of 30/);
		h.type('/h1\r');
		f = await h.waitFor('of 11 (30 in all)');
		expect(header(f)).toMatch(/HOSTS\s+\*h1\s+h10\s+h11\s+h12/);
	});
});
