// The first frame written as text before Ink loads must be the frame Ink then draws over it, line for line: in every
// case the text frame draws (a table, the welcome panel, a drill-down's detail, READONLY, a flash, a narrow screen).
import {afterEach, describe, expect, it} from 'vitest';
import {firstFrame} from '../../source/tui/screen/frame.js';
import {type MemoryHarness, openMemoryConsole} from './harness.js';
import {emptyWorld, world} from './memory.js';

let h: MemoryHarness | undefined;
afterEach(() => {
	h?.close();
	h = undefined;
});

const lines = (s: string) => s.split('\n').map(l => l.trimEnd());

async function same(worlds: Parameters<typeof openMemoryConsole>[0], opts: Parameters<typeof openMemoryConsole>[1], ready: string) {
	h = await openMemoryConsole(worlds, {...opts, now: () => 0});
	const ink = await h.waitFor(ready);
	const text = firstFrame(h.controller, opts?.size ?? {columns: 150, rows: 30});
	expect(text).toBeDefined();
	expect(lines(text!)).toEqual(lines(ink));
}

const many = () => {
	const apps: Record<string, string | [string, string]> = {};
	for (let i = 1; i <= 60; i++) apps[`app${i}`] = i % 3 ? 'blue' : ['blue', 'green'];
	return world({blue: '10.1.0.0/22', green: '10.2.0.0/22'}, apps);
};

describe('the text first frame is the frame Ink draws', () => {
	it('the apps view, more rows than fit', () => same({h1: many()}, {}, 'apps [60]'));
	it('the welcome panel on an empty store', () => same({h1: emptyWorld()}, {}, 'Welcome to nsdeck'));
	it('a VRF with its detail lines, read-only, a notice flashed', () => same({h1: many()}, {initial: {id: 'routes', arg: 'blue'}, readonly: true, notice: 'settings: not valid JSON; using defaults'}, 'routes(blue)'));
	it('the networks at 100 columns (list cells shortened) with several hosts', () => same({h1: many(), h2: many()}, {initial: {id: 'nets'}, size: {columns: 100, rows: 24}}, 'nets [2]'));
	it('not for a matrix: Ink draws that one', async () => {
		h = await openMemoryConsole({h1: many()}, {initial: {id: 'targets'}});
		await h.waitFor('targets [2]');
		expect(firstFrame(h.controller, {columns: 150, rows: 30})).toBeUndefined();
	});
});
