// Drift and foreign state as the core reports them (issue "Trust on a real host"), on the console's screens: the
// header counts drift, the apps and routes views show it, foreign routes and addresses are marked, and a failed ping
// shows the legs and the reason the core gives. On hosts in memory (no root).
import {afterEach, describe, expect, it} from 'vitest';
import {type MemoryHarness, openMemoryConsole, rowsOf} from './harness.js';
import {world} from './memory.js';

let h: MemoryHarness | undefined;
afterEach(() => {
	h?.close();
	h = undefined;
});

function drifted() {
	const w = world({blue: '10.1.0.0/24', green: '10.2.0.0/24'}, {web: ['blue', 'green'], db: 'blue'});
	w.drift = [
		{op: '+', kind: 'route', object: 'table 1001 10.1.0.3/32', expected: 'dev m-vi-db', seen: '', detail: 'route 10.1.0.3/32 missing in table 1001 (blue)', app: 'db', network: 'blue'},
		{op: '~', kind: 'sysctl', object: 'm-ns-web/veth0 rp_filter', expected: '2', seen: '1', detail: 'web: veth0 rp_filter 1 (wants 2, loose)', app: 'web'},
	];
	w.appDrift = {db: ['route 10.1.0.3/32 missing in blue'], web: ['veth0 rp_filter 1 (wants 2, loose)']};
	w.foreign = [
		{kind: 'route', namespace: 'm-nsdeck-vr', object: 'table 1001 192.168.50.0/24', detail: '192.168.50.0/24 via 10.1.0.9 in table 1001 (proto boot)', network: 'blue'},
		{kind: 'address', namespace: 'm-ns-db', object: 'veth0 10.1.0.77/24', detail: 'address 10.1.0.77/24 on veth0', app: 'db'},
		{kind: 'rule', namespace: 'm-nsdeck-vr', object: 'pref 50 lookup 77', detail: "rule 50: lookup 77 without nsdeck's tag"},
	];
	return w;
}

describe('drift and foreign state on screen', () => {
	it('the header counts every drift item; the apps view marks each app\'s own', async () => {
		h = await openMemoryConsole({h1: drifted()});
		const f = await h.waitFor('apps [2]');
		expect(f.split('\n')[0]).toContain('│ drift 2 │');
		expect(f).toMatch(/db\s+.*! route 10\.1\.0\.3\/32 missing in blue/);
		expect(f).toMatch(/web\s+.*! veth0 rp_filter 1 \(wants 2, loose\)/);
	});

	it('the routes view says what drifts in its VRF and lists foreign routes of its table, marked foreign', async () => {
		h = await openMemoryConsole({h1: drifted()}, {initial: {id: 'routes', arg: 'blue'}});
		const f = await h.waitFor('routes(blue)');
		expect(f).toMatch(/drift in this VRF \(1\): route 10\.1\.0\.3\/32 missing in table 1001 \(blue\)/);
		expect(rowsOf(f).join('\n')).toMatch(/192\.168\.50\.0\/24\s+foreign\s+via 10\.1\.0\.9 \(proto boot\)\s+-\s+yes \(not nsdeck\)/);
		await (async () => {
			h!.type(':routes green\r');
			const g = await h!.waitFor('routes(green)');
			expect(g).not.toContain('192.168.50.0/24');
			expect(g).not.toContain('drift in this VRF');
		})();
	});

	it('the interfaces view marks an address nsdeck did not put there, and lists other foreign state of a namespace', async () => {
		h = await openMemoryConsole({h1: drifted()}, {initial: {id: 'ifaces'}});
		const f = await h.waitFor(/ifaces \[\d+\]/);
		expect(f).toMatch(/m-ns-db\s+db\s+veth0\s+UP\s+10\.1\.0\.3\/32\s+\S+\s+loose\s+foreign 10\.1\.0\.77\/24/);
		expect(f).toMatch(/m-nsdeck-vr\s+rule\s+foreign\s+pref 50 lookup 77\s+-\s+-\s+rule 50: lookup 77 without nsdeck's tag/);
	});

	it('a failed ping shows the legs and the reason the core gives', async () => {
		const w = world({blue: '10.1.0.0/24', green: '10.2.0.0/24'}, {web: 'blue', db: 'green'});
		h = await openMemoryConsole({h1: w});
		await h.waitFor('apps [2]');
		const missing = (direction: 'request' | 'reply', from: string, to: string, vrf: string, fix: string) => ({
			direction, from: {app: from.split(' ')[0], address: from.split(' ')[1]!}, to: {address: to}, vrf, route: null, ok: false, fix, text: `${direction}: no route`,
			kernel: [{where: `m-ns-${from.split(' ')[0]}`, query: `ip route get ${to}`, answer: 'unreachable', expected: 'no route', agrees: true}],
		});
		h.backend().pingExtra = {
			reason: 'reply leg: green has no route to 10.1.0.2',
			legs: [missing('request', 'web 10.1.0.2', '10.2.0.2', 'blue', 'nsdeck rt add blue target:64512:8000002 --import-only'), missing('reply', 'db 10.2.0.2', '10.1.0.2', 'green', 'nsdeck rt add green target:64512:8000001 --import-only')],
		};
		await h.press('G'); // web
		h.type('pdb\r');
		const f = await h.waitFor('ping db from web');
		expect(f).toContain('✗ ping 10.2.0.2 from web: reply leg: green has no route to 10.1.0.2');
		expect(f).toContain('reason: reply leg: green has no route to 10.1.0.2');
		expect(f).toMatch(/request\s+web 10\.1\.0\.2 → 10\.2\.0\.2\s+VRF blue: MISSING/);
		expect(f).toMatch(/kernel\s+m-ns-web: ip route get 10\.2\.0\.2 → unreachable/);
		expect(f).toMatch(/fix\s+nsdeck rt add green target:64512:8000001 --import-only/);
	});
});
