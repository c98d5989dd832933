// Issue 8, "the suite must catch what it claims to guard": the five classes of planted bugs that survived.
// Boundaries checked from the accepted side too; the kernel safety state that keeps VRFs apart when the vrouter's
// main table is not empty; lifecycle and reuse; idempotence (attached apps included); and the accuracy of what is
// reported when a route is deleted by hand.
import {spawnSync} from 'node:child_process';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {ip, ipJson, ok, ping, sandbox} from '../helpers.js';
import {headerDrift, statusJson, Tracked, waitFor} from '../trust-helpers.js';

const sb = sandbox();
const procs = new Tracked();
afterAll(() => {
	procs.killAll();
	sb.cleanup();
});

const addressOf = async (app: string, role: 'in' | 'out' = 'in') => (await statusJson(sb)).apps.find(a => a.name === app)?.ifaces.find(i => i.role === role)?.address;
const tableOf = async (net: string) => (await statusJson(sb)).networks.find(n => n.name === net)!.table;
const hostIfOf = async (app: string) => (await statusJson(sb)).apps.find(a => a.name === app)!.ifaces[0]!.hostIf;
const inSync = async () => (await ok(sb.nsdeck(['reconcile']))).stdout.trim();

beforeAll(async () => {
	await ok(sb.nsdeck(['net', 'create', 'blue', '--subnet', '10.194.0.0/24']));
	await ok(sb.nsdeck(['net', 'create', 'green', '--subnet', '10.195.0.0/24']));
	await ok(sb.nsdeck(['bind', 'a', '--network', 'blue']));
	await ok(sb.nsdeck(['bind', 'g', '--network', 'green']));
});

describe('boundaries, from the accepted side', () => {
	it.each([
		['the largest value with a 2-byte ASN', '65535:4294967295', 'target:65535:4294967295'],
		['the smallest 4-byte ASN with the largest value', '65536:65535', 'target:65536:65535'],
		['the largest ASN', '4294967295:65535', 'target:4294967295:65535'],
		['a 4-byte ASN written with L', '64512L:65535', 'target:64512:65535'],
		['an IPv4 administrator with the largest value', '192.0.2.1:65535', 'target:192.0.2.1:65535'],
		['the smallest ASN and value', '1:0', 'target:1:0'],
		['the long form', 'target:64512:4294967295', 'target:64512:4294967295'],
	])('%s (%s) is accepted, shown in the long form, and removed again', async (_what, raw, long) => {
		await ok(sb.nsdeck(['rt', 'add', 'blue', raw, '--import-only']));
		const blue = JSON.parse((await ok(sb.nsdeck(['net', 'show', 'blue', '--json']))).stdout);
		expect(blue.targets.map((t: {rt: string}) => t.rt)).toContain(long);
		await ok(sb.nsdeck(['rt', 'del', 'blue', raw]));
		expect(JSON.parse((await ok(sb.nsdeck(['net', 'show', 'blue', '--json']))).stdout).targets.map((t: {rt: string}) => t.rt)).not.toContain(long);
	});

	it('names of exactly 32 characters: a network and an app in it, which answers a ping', async () => {
		const net = 'N'.repeat(32);
		const app = 'A'.repeat(32);
		await ok(sb.nsdeck(['net', 'create', net, '--subnet', '10.196.0.0/24']));
		await ok(sb.nsdeck(['bind', app, '--network', net]));
		await ok(sb.nsdeck(['bind', 'p32', '--network', net]));
		expect(ping(sb.ns('p32'), (await addressOf(app))!)).toBe(true);
		await ok(sb.nsdeck(['unbind', app]));
		await ok(sb.nsdeck(['unbind', 'p32']));
		await ok(sb.nsdeck(['net', 'delete', net]));
	});

	it('a /30 hands out exactly one address; a /29 its last pool address but not the broadcast', async () => {
		await ok(sb.nsdeck(['net', 'create', 'tiny', '--subnet', '10.197.0.0/30']));
		await ok(sb.nsdeck(['bind', 't1', '--network', 'tiny']));
		expect(await addressOf('t1')).toBe('10.197.0.2');
		const full = await sb.nsdeck(['bind', 't2', '--network', 'tiny']);
		expect(full.code).toBe(2);
		expect(full.stderr).toMatch(/no free address/);
		await ok(sb.nsdeck(['net', 'create', 'small', '--subnet', '10.198.0.0/29']));
		await ok(sb.nsdeck(['bind', 's6', '--network', 'small', '--ip', '10.198.0.6']));
		expect((await sb.nsdeck(['bind', 's7', '--network', 'small', '--ip', '10.198.0.7'])).code).toBe(2);
		expect((await sb.nsdeck(['bind', 's1', '--network', 'small', '--ip', '10.198.0.1'])).code).toBe(2);
		await ok(sb.nsdeck(['bind', 's2', '--network', 'small', '--ip', '10.198.0.2']));
		for (const x of ['t1', 's6', 's2']) await ok(sb.nsdeck(['unbind', x]));
	});

	it('a /8 and a /30 subnet are accepted; VNI 1 and 1048574; agent port 65535', async () => {
		await ok(sb.nsdeck(['net', 'create', 'wide', '--subnet', '11.0.0.0/8', '--vni', '1']));
		await ok(sb.nsdeck(['net', 'create', 'thin', '--subnet', '10.199.0.0/30', '--vni', '1048574']));
		await ok(sb.nsdeck(['host', 'set', '--name', 'h1', '--vtep', '192.168.100.9', '--agent-port', '65535']));
		await ok(sb.nsdeck(['net', 'delete', 'wide']));
		await ok(sb.nsdeck(['net', 'delete', 'thin']));
		await ok(sb.nsdeck(['net', 'delete', 'tiny']));
		await ok(sb.nsdeck(['net', 'delete', 'small']));
	});
});

describe('kernel safety state that a clean machine does not exercise', () => {
	it('every VRF table ends in an unreachable default, before the vrouter\'s main table', async () => {
		for (const net of ['blue', 'green']) {
			const t = await tableOf(net);
			expect(ipJson<Array<{type?: string; dst: string}>>(sb.vrouter, 'route', 'show', 'table', t).some(r => r.type === 'unreachable' && r.dst === 'default'), net).toBe(true);
			const rules = ipJson<Array<{priority: number; table: string}>>(sb.vrouter, 'rule', 'show');
			const main = rules.find(r => r.table === 'main')!.priority;
			for (const r of rules.filter(x => x.table === t)) expect(r.priority).toBeLessThan(main);
		}
	});

	it('with routes to both apps in the vrouter\'s main table, blue and green stay apart (a miss stops in the VRF)', async () => {
		const [a, g] = [(await addressOf('a'))!, (await addressOf('g'))!];
		const [ha, hg] = [await hostIfOf('a'), await hostIfOf('g')];
		ip(sb.vrouter, 'route', 'add', `${a}/32`, 'dev', ha);
		ip(sb.vrouter, 'route', 'add', `${g}/32`, 'dev', hg);
		try {
			expect(ip(sb.vrouter, 'route', 'show', 'table', 'main')).toContain(g);
			expect(ping(sb.ns('a'), g)).toBe(false);
			expect(ping(sb.ns('g'), a)).toBe(false);
		} finally {
			ip(sb.vrouter, 'route', 'del', `${a}/32`, 'dev', ha);
			ip(sb.vrouter, 'route', 'del', `${g}/32`, 'dev', hg);
		}
	});
});

describe('lifecycle and reuse', () => {
	it('an address freed by unbind is handed out again, and reaches the new app', async () => {
		await ok(sb.nsdeck(['bind', 'b', '--network', 'blue']));
		const freed = await addressOf('b');
		await ok(sb.nsdeck(['unbind', 'b']));
		await ok(sb.nsdeck(['bind', 'c', '--network', 'blue']));
		expect(await addressOf('c')).toBe(freed);
		expect(ping(sb.ns('a'), freed!)).toBe(true);
		await ok(sb.nsdeck(['unbind', 'c']));
	});

	it('an outbound address freed by --clear is handed out again', async () => {
		await ok(sb.nsdeck(['bind', 'o', '--network', 'blue', '--outbound', 'green']));
		const out = await addressOf('o', 'out');
		await ok(sb.nsdeck(['outbound', 'o', '--clear']));
		await ok(sb.nsdeck(['bind', 'g2', '--network', 'green']));
		expect(await addressOf('g2')).toBe(out);
		expect(ping(sb.ns('g'), out!)).toBe(true);
		for (const x of ['o', 'g2']) await ok(sb.nsdeck(['unbind', x]));
	});

	it('a network empties and can be deleted: its table and rules are gone; the same name can be made again', async () => {
		await ok(sb.nsdeck(['net', 'create', 'temp', '--subnet', '10.200.0.0/24']));
		const t = await tableOf('temp');
		await ok(sb.nsdeck(['bind', 'x', '--network', 'temp']));
		expect((await sb.nsdeck(['net', 'delete', 'temp'])).code).toBe(2);
		await ok(sb.nsdeck(['unbind', 'x']));
		await ok(sb.nsdeck(['net', 'delete', 'temp']));
		expect(ip(sb.vrouter, 'route', 'show', 'table', t).trim()).toBe('');
		expect(ipJson<Array<{table: string}>>(sb.vrouter, 'rule', 'show').filter(r => r.table === t)).toEqual([]);
		await ok(sb.nsdeck(['net', 'create', 'temp', '--subnet', '10.200.0.0/24']));
		await ok(sb.nsdeck(['bind', 'x', '--network', 'temp']));
		await ok(sb.nsdeck(['bind', 'y', '--network', 'temp']));
		expect(ping(sb.ns('y'), (await addressOf('x'))!)).toBe(true);
		for (const z of ['x', 'y']) await ok(sb.nsdeck(['unbind', z]));
		await ok(sb.nsdeck(['net', 'delete', 'temp']));
	});
});

describe('idempotence', () => {
	it('a second reconcile right after a first reports in sync, attached apps included, also after a repair', async () => {
		const pid = procs.start('unshare', ['--net', 'sleep', '300']);
		await waitFor(() => spawnSync('readlink', [`/proc/${pid}/exe`], {encoding: 'utf8'}).stdout.includes('sleep'));
		await ok(sb.nsdeck(['attach', 'box', '--pid', String(pid), '--network', 'blue']));
		expect(await inSync()).toBe('in sync: nothing to do');
		expect(await inSync()).toBe('in sync: nothing to do');
		ip(sb.vrouter, 'route', 'del', `${await addressOf('box')}/32`, 'table', await tableOf('blue'));
		ip(sb.ns('box'), 'route', 'del', 'default');
		expect(await inSync()).not.toBe('in sync: nothing to do');
		expect(await inSync()).toBe('in sync: nothing to do');
		expect(ping(sb.ns('box'), (await addressOf('a'))!)).toBe(true);
		await ok(sb.nsdeck(['unbind', 'box']));
	});

	it('the same outbound twice: the second is unchanged and changes nothing', async () => {
		await ok(sb.nsdeck(['bind', 'twice', '--network', 'blue']));
		await ok(sb.nsdeck(['outbound', 'twice', 'green']));
		expect((await ok(sb.nsdeck(['outbound', 'twice', 'green']))).stdout).toMatch(/unchanged/);
		expect(await inSync()).toBe('in sync: nothing to do');
		await ok(sb.nsdeck(['unbind', 'twice']));
	});
});

describe('accuracy: a route deleted by hand reads as not installed everywhere it is shown', () => {
	it.each([['its own VRF', 'blue'], ['a VRF that imports it', 'green']])('in %s (%s): routes, routes --json, net show --json, status --json, the app\'s drift, the header', async (_what, vrf) => {
		const blueRt = (await statusJson(sb)).networks.find(n => n.name === 'blue')!.targets[0]!.rt;
		if (vrf === 'green') await ok(sb.nsdeck(['rt', 'add', 'green', blueRt, '--import-only']));
		const a = (await addressOf('a'))!;
		const prefix = `${a}/32`;
		ip(sb.vrouter, 'route', 'del', prefix, 'table', await tableOf(vrf));
		try {
			expect((await ok(sb.nsdeck(['routes', vrf]))).stdout.split('\n').find(l => l.startsWith(prefix))).toMatch(/MISSING|not installed/);
			expect(JSON.parse((await ok(sb.nsdeck(['routes', vrf, '--json']))).stdout).routes.find((r: {prefix: string}) => r.prefix === prefix).installed).toBe(false);
			expect(JSON.parse((await ok(sb.nsdeck(['net', 'show', vrf, '--json']))).stdout).routes.find((r: {prefix: string}) => r.prefix === prefix).installed).toBe(false);
			const s = await statusJson(sb);
			expect(s.routes.find(r => r.network === vrf && r.prefix === prefix)!.installed).toBe(false);
			expect(s.apps.find(x => x.name === 'a')!.drift.join(' ')).toContain(a);
			expect(await headerDrift(sb)).toBeGreaterThan(0);
		} finally {
			await ok(sb.nsdeck(['reconcile']));
			if (vrf === 'green') await ok(sb.nsdeck(['rt', 'del', 'green', blueRt, '--import-only']));
		}
		expect(await headerDrift(sb)).toBe(0);
	});
});
