import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {ip, ipJson, ok, ping, sandbox, type Sandbox} from '../helpers.js';

/** Everything of ours in the kernel, in a form two states can be compared by. */
function kernelView(sb: Sandbox) {
	return {
		namespaces: sb.namespaces(),
		rules: ipJson<Array<{iif?: string; table: string; protocol?: string}>>(sb.vrouter, 'rule', 'show').filter(r => r.protocol === '77').map(r => `${r.iif} ${r.table}`).sort(),
		routes: ipJson<Array<{dst: string; table: string; dev?: string; gateway?: string}>>(sb.vrouter, 'route', 'show', 'table', 'all', 'proto', '77').map(r => `${r.table} ${r.dst} ${r.dev ?? ''} ${r.gateway ?? ''}`).sort(),
		links: ipJson<Array<{ifname: string; group: string}>>(sb.vrouter, 'link', 'show').filter(l => l.group === '77').map(l => l.ifname).sort(),
	};
}

describe('reconcile repairs hand edits (real namespaces)', () => {
	const sb = sandbox();
	afterAll(() => sb.cleanup());
	beforeAll(async () => {
		await ok(sb.nsdeck(['net', 'create', 'blue', '--subnet', '10.91.0.0/24']));
		await ok(sb.nsdeck(['bind', 'a', '--network', 'blue']));
		await ok(sb.nsdeck(['bind', 'b', '--network', 'blue']));
	});

	it('reports "in sync" when nothing drifted', async () => {
		expect((await ok(sb.nsdeck(['reconcile']))).stdout.trim()).toBe('in sync: nothing to do');
	});

	it('recreates a namespace deleted by hand, with its addresses and routes', async () => {
		const before = kernelView(sb);
		ip(undefined, 'netns', 'del', sb.ns('b'));
		await new Promise(r => setTimeout(r, 200));
		expect(ping(sb.ns('a'), '10.91.0.3')).toBe(false);
		const status = JSON.parse((await ok(sb.nsdeck(['status', '--json']))).stdout);
		expect(status.apps.find((x: {name: string}) => x.name === 'b').drift[0]).toBe(`namespace ${sb.ns('b')} missing`);
		const dry = await ok(sb.nsdeck(['reconcile', '--dry-run']));
		expect(dry.stdout).toContain(`+ netns   ${sb.ns('b')}`);
		expect(sb.namespaces()).not.toContain(sb.ns('b'));
		await ok(sb.nsdeck(['reconcile']));
		expect(ping(sb.ns('a'), '10.91.0.3')).toBe(true);
		expect(kernelView(sb)).toEqual(before);
	});

	it('puts back a VRF route and an app default route deleted by hand', async () => {
		ip(sb.vrouter, 'route', 'del', '10.91.0.2/32', 'table', '1001');
		ip(sb.ns('b'), 'route', 'del', 'default');
		expect(ping(sb.ns('b'), '10.91.0.2')).toBe(false);
		const r = await ok(sb.nsdeck(['reconcile']));
		expect(r.stdout).toContain('+ route   10.91.0.2/32 table 1001');
		expect(r.stdout).toContain('+ route   b: default route missing');
		expect(ping(sb.ns('b'), '10.91.0.2')).toBe(true);
		expect((await ok(sb.nsdeck(['reconcile']))).stdout.trim()).toBe('in sync: nothing to do');
	});

	it('removes what intent does not name: a stray route in our table and a leftover rule', async () => {
		ip(sb.vrouter, 'route', 'add', '10.91.0.99/32', 'dev', 'lo', 'table', '1001', 'proto', '77');
		ip(sb.vrouter, 'rule', 'add', 'iif', 'ghost0', 'lookup', '1001', 'pref', '100', 'protocol', '77');
		await ok(sb.nsdeck(['reconcile']));
		expect(kernelView(sb).routes.some(r => r.includes('10.91.0.99'))).toBe(false);
		expect(kernelView(sb).rules).not.toContain('ghost0 1001');
	});
});

const STEPS = ['intent', 'netns', 'vrouter', 'apps', 'post'] as const;

describe('a bind killed with SIGKILL at each step is finished by reconcile (fault injection)', () => {
	const sb = sandbox();
	afterAll(() => sb.cleanup());
	beforeAll(async () => {
		await ok(sb.nsdeck(['net', 'create', 'blue', '--subnet', '10.92.0.0/24']));
		await ok(sb.nsdeck(['bind', 'peer', '--network', 'blue']));
	});

	it.each(STEPS)('killed after step "%s": reconcile makes the app work and converges', async step => {
		const app = `k-${step}`;
		const r = await sb.nsdeck(['bind', app, '--network', 'blue'], {NSDECK_FAULT: step});
		expect(r.signal).toBe('SIGKILL');
		const fixed = await ok(sb.nsdeck(['reconcile']));
		expect(fixed.stdout).not.toContain('failed');
		const status = JSON.parse((await ok(sb.nsdeck(['status', '--json']))).stdout);
		const entry = status.apps.find((x: {name: string}) => x.name === app);
		expect(entry.drift).toEqual([]);
		expect(ping(sb.ns(app), '10.92.0.2')).toBe(true);
		expect((await ok(sb.nsdeck(['reconcile']))).stdout.trim()).toBe('in sync: nothing to do');
	});

	it.each(STEPS.slice(1))('an unbind killed after step "%s" leaves nothing behind once reconciled', async step => {
		const app = `k-${step}`;
		const r = await sb.nsdeck(['unbind', app], {NSDECK_FAULT: step});
		expect(r.signal).toBe('SIGKILL');
		await ok(sb.nsdeck(['reconcile']));
		expect(sb.namespaces()).not.toContain(sb.ns(app));
		expect(kernelView(sb).links.filter(l => l.includes(app))).toEqual([]);
		expect(kernelView(sb).rules.filter(l => l.includes(app))).toEqual([]);
		expect((await ok(sb.nsdeck(['reconcile']))).stdout.trim()).toBe('in sync: nothing to do');
	});

	it('a bind killed before its intent was written leaves nothing at all', async () => {
		const before = kernelView(sb);
		const r = await sb.nsdeck(['bind', 'never', '--network', 'blue'], {NSDECK_FAULT: 'validated'});
		expect(r.signal).toBe('SIGKILL');
		expect(kernelView(sb)).toEqual(before);
		const status = JSON.parse((await ok(sb.nsdeck(['status', '--json']))).stdout);
		expect(status.apps.map((x: {name: string}) => x.name)).not.toContain('never');
		expect((await ok(sb.nsdeck(['reconcile']))).stdout.trim()).toBe('in sync: nothing to do');
	});
});
