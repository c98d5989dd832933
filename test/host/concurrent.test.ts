import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {ok, ping, sandbox} from '../helpers.js';

const sb = sandbox();
afterAll(() => sb.cleanup());

describe('concurrent CLI calls (real processes, real namespaces)', () => {
	beforeAll(async () => {
		await ok(sb.nsdeck(['net', 'create', 'blue', '--subnet', '10.101.0.0/24']));
	});

	it('eight binds from eight processes at once get eight distinct addresses, and all eight work', async () => {
		const apps = Array.from({length: 8}, (_, i) => `p${i}`);
		const runs = await Promise.all(apps.map(app => sb.nsdeck(['bind', app, '--network', 'blue', '--json'])));
		expect(runs.map(r => `${r.code ?? r.signal} ${r.stderr}`)).toEqual(apps.map(() => '0 '));
		const addresses = runs.map(r => JSON.parse(r.stdout).ifaces[0].address as string);
		expect(new Set(addresses).size).toBe(8);
		const status = JSON.parse((await ok(sb.nsdeck(['status', '--json']))).stdout);
		expect(status.apps.map((a: {drift: string[]}) => a.drift)).toEqual(apps.map(() => []));
		for (const [i, app] of apps.entries()) expect(ping(sb.ns(app), addresses[(i + 1) % 8]!)).toBe(true);
	});

	it('eight unbinds at once leave no namespace behind and free every address', async () => {
		const runs = await Promise.all(Array.from({length: 8}, (_, i) => sb.nsdeck(['unbind', `p${i}`])));
		expect(runs.map(r => `${r.code ?? r.signal} ${r.stderr}`)).toEqual(runs.map(() => '0 '));
		expect(sb.namespaces()).toEqual([sb.vrouter]);
		const net = JSON.parse((await ok(sb.nsdeck(['net', 'show', 'blue', '--json']))).stdout);
		expect(net.used).toBe(0);
	});
});
