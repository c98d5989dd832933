// The footer, per view and mode, on a host in memory (no root): the keys that work where the operator is, actions
// first, Enter named for what it does in that view, and nothing that changes the host on a read-only console.
import {afterEach, describe, expect, it} from 'vitest';
import {VIEWS, type ViewRef} from '../../source/tui/views.js';
import {KEY, type MemoryHarness, openMemoryConsole} from './harness.js';
import {world} from './memory.js';

let h: MemoryHarness | undefined;
afterEach(() => {
	h?.close();
	h = undefined;
});

const refOf = (id: string): ViewRef => (id === 'routes' ? {id: 'routes', arg: 'blue'} : id === 'app' ? {id: 'app', arg: 'web'} : {id: id as ViewRef['id']});
const footer = (frame: string) => frame.trimEnd().split('\n').at(-1)!.trim();

async function footers(readonly: boolean): Promise<Record<string, string>> {
	const out: Record<string, string> = {};
	for (const v of VIEWS) {
		h = await openMemoryConsole({h1: world({blue: '10.1.0.0/24', green: '10.2.0.0/24'}, {web: ['blue', 'green'], db: 'blue'})}, {initial: refOf(v.id), readonly, size: {columns: 220, rows: 30}});
		out[v.id] = footer(await h.waitFor(f => f.includes('refreshed') && f.includes('q quit')));
		h.close();
		h = undefined;
	}
	return out;
}

describe('the footer', () => {
	it('lists, per view, the keys that work there: actions first, then the matrix keys, then moving; Enter named', async () => {
		expect(await footers(false)).toEqual(FOOTERS);
	});

	it('on a read-only console lists no key that changes the host', async () => {
		const ro = await footers(true);
		for (const v of VIEWS) expect(ro[v.id]).not.toMatch(/\b(b bind|u unbind|o outbound|i import|e export|n new net|D delete net)\b/);
		expect(ro.apps).toBe(`x explain  ${moving('drill')}`);
		expect(ro.log).toBe(moving('show'));
	});

	it('shows the keys of the mode instead while a form, a prompt or a confirmation is open', async () => {
		h = await openMemoryConsole({h1: world({blue: '10.1.0.0/24'}, {web: 'blue'})}, {initial: {id: 'apps'}});
		await h.waitFor('▸');
		await h.press('b');
		const form = footer(await h.waitFor('bind an app'));
		expect(form).not.toBe(FOOTERS.apps);
		expect(form).toMatch(/Esc/);
		await h.press(KEY.esc);
		expect(footer(await h.waitFor(f => footer(f) === FOOTERS.apps))).toBe(FOOTERS.apps);
	});
});

const MOVING = 'j/k move  g/G  Enter {enter}  / filter  : cmd  r refresh  ? help  q quit';
const moving = (enter: string) => MOVING.replace('{enter}', enter);
const FOOTERS: Record<string, string> = {
	apps: `b bind  u unbind  o outbound  x explain  p ping  ${moving('drill')}`,
	nets: `b bind  i import  e export  n new net  D delete net  ${moving('drill')}`,
	routes: `b bind  i import  e export  D delete net  x explain  ${moving('explain')}`,
	targets: `b bind  i import  e export  n new net  D delete net  h/l columns  m marked only  ${moving('drill')}`,
	ifaces: `b bind  p ping  ${moving('drill')}`,
	log: `b bind  ${moving('show')}`,
	hosts: `b bind  ${moving('switch host')}`,
	app: `b bind  u unbind  o outbound  i import  e export  x explain  p ping  ${moving('explain')}`,
};
