// The agent's direct path (provision/remote-routes.ts: routes, VXLAN devices and tunnel entries as lines, without
// reading the kernel) against the full converge it replaces, on two hosts made alike: the same intent, the same
// sequence of learned routes, one host through applyRemoteRoutes, the other through setRemotes + converge (what the
// agent did before). After every step the two kernels hold the same routes, rules, neighbours, forwarding entries and
// devices, and `reconcile --dry-run` has nothing to do. No gobgpd here: the routes are what an agent would have learned.
import {spawnSync} from 'node:child_process';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {RemoteRoute} from '../../source/core/model.js';
import type {RouteTarget} from '../../source/core/rt.js';
import {openContext} from '../../source/provision/context.js';
import {converge} from '../../source/provision/converge.js';
import {applyRemoteRoutes, type Applied, type RemoteApply} from '../../source/provision/remote-routes.js';
import {ip, ipJson, ok, sandbox, type Sandbox, tableRoutes} from '../helpers.js';

const fast = sandbox();
const full = sandbox();
afterAll(() => {
	fast.cleanup();
	full.cleanup();
});

const underlay = (sb: Sandbox) => `${sb.prefix}ul`;
/** Everything nsdeck owns in a vrouter, with the sandbox's prefix taken out so two hosts compare. */
function kernel(sb: Sandbox): string {
	const vr = sb.vrouter;
	const dump = {
		routes: ipJson<Array<Record<string, unknown>>>(vr, 'route', 'show', 'table', 'all', 'proto', '77').map(r => [r.table, r.type, r.dst, r.gateway, r.dev, r.metric].join(' ')).sort(),
		rules: ipJson<Array<Record<string, unknown>>>(vr, 'rule', 'show').map(r => `${r.priority} ${r.iif ?? ''} ${r.table}`).sort(),
		neighs: ipJson<Array<Record<string, unknown>>>(vr, 'neigh', 'show', 'nud', 'permanent').map(n => `${n.dev} ${n.dst} ${n.lladdr}`).sort(),
		fdb: (JSON.parse(spawnSync('bridge', ['-n', vr, '-j', 'fdb', 'show'], {encoding: 'utf8'}).stdout || '[]') as Array<Record<string, unknown>>).filter(f => f.dst).map(f => `${f.ifname} ${f.mac} ${f.dst}`).sort(),
		links: ipJson<Array<Record<string, unknown>>>(vr, 'link', 'show').map(l => `${l.ifname} ${l.operstate}`).sort(),
	};
	return JSON.stringify(dump, null, 1).replaceAll(sb.prefix, 'P-');
}

async function drift(sb: Sandbox): Promise<unknown[]> {
	return (JSON.parse((await ok(sb.nsdeck(['reconcile', '--dry-run', '--json']))).stdout) as {changes: unknown[]}).changes;
}

let blueRt = '';
let redRt = '';
let blueVni = 0;
let redVni = 0;
const route = (prefix: string, host: 2 | 3, rt: string, label: number): RemoteRoute => ({prefix, rd: `192.168.100.${host}:1`, nexthop: `192.168.100.${host}`, label, targets: [rt as RouteTarget], host: `h${host}`, encap: 'vxlan'});

beforeAll(async () => {
	for (const sb of [fast, full]) {
		const ul = underlay(sb);
		spawnSync('ip', ['netns', 'add', ul]);
		ip(ul, 'link', 'add', 'ul0', 'type', 'dummy');
		ip(ul, 'addr', 'add', '192.168.100.1/24', 'dev', 'ul0');
		ip(ul, 'link', 'set', 'ul0', 'up');
		await ok(sb.nsdeck(['host', 'set', '--name', 'h1', '--vtep', '192.168.100.1', '--control', 'gobgp', '--gobgp', '127.0.0.1:1', '--underlay-ns', ul, '--peer', 'h2=192.168.100.2', '--peer', 'h3=192.168.100.3']));
		await ok(sb.nsdeck(['net', 'create', 'blue', '--subnet', '10.50.0.0/16', '--block', '10.50.0.0/24']));
		await ok(sb.nsdeck(['net', 'create', 'red', '--subnet', '10.60.0.0/16', '--block', '10.60.0.0/24']));
		// an external route makes the gateway's tables: other hosts' routes go into its table 999 too
		await ok(sb.nsdeck(['route', 'add', '198.51.100.0/24', '--rt', '64512:999', '--via', '192.0.2.1']));
		await ok(sb.nsdeck(['rt', 'add', 'red', '64512:999', '--import-only']));
		await ok(sb.nsdeck(['bind', 'a1', '--network', 'blue']));
		await ok(sb.nsdeck(['bind', 'r1', '--network', 'red']));
	}
	const net = async (name: string) => JSON.parse((await ok(fast.nsdeck(['net', 'show', name, '--json']))).stdout) as {vni: number; targets: Array<{rt: string; auto: boolean}>};
	const [blue, red] = [await net('blue'), await net('red')];
	[blueRt, blueVni, redRt, redVni] = [blue.targets.find(t => t.auto)!.rt, blue.vni, red.targets.find(t => t.auto)!.rt, red.vni];
}, 60_000);

describe('remote routes applied as lines alone, against a full converge', () => {
	let applied: Applied | undefined;
	/** one step of learned routes on both hosts: the fast one through the agent's path, the other converged */
	async function step(routes: RemoteRoute[]): Promise<RemoteApply> {
		const a = openContext(fast.env);
		const b = openContext(full.env);
		try {
			const r = await applyRemoteRoutes(a, routes, applied);
			if (r.how !== 'none') applied = r.applied;
			b.store.setRemotes(routes);
			await converge(b);
			return r;
		} finally {
			a.close();
			b.close();
		}
	}
	const same = async () => {
		expect(kernel(fast)).toBe(kernel(full));
		expect(await drift(fast)).toEqual([]);
	};

	const b2 = () => route('10.50.1.2/32', 2, blueRt, blueVni);
	const b3 = () => route('10.50.1.3/32', 2, blueRt, blueVni);
	const h3 = () => route('10.50.3.2/32', 3, blueRt, blueVni);
	const r2 = () => route('10.60.1.2/32', 2, redRt, redVni);

	it('the first apply is a full converge; then added, moved and withdrawn routes are lines alone, and both kernels match', async () => {
		let r = await step([b2(), h3(), r2()]);
		expect(r).toMatchObject({how: 'converge', why: 'no kernel applied yet'});
		expect(ipJson(fast.vrouter, 'route', 'show', 'table', 'all').some(x => x.dst === '10.50.1.2' && x.gateway === '192.168.100.2')).toBe(true);
		await same();

		r = await step([b2(), b3(), h3(), r2()]);
		expect(r).toMatchObject({how: 'direct'});
		await same();
		// an export-target edit on h2: the same RD and prefix, now with red's target only (out of blue, into red)
		r = await step([b2(), {...b3(), targets: [redRt as RouteTarget]}, h3(), r2()]);
		expect(r).toMatchObject({how: 'direct'});
		expect(ipJson(fast.vrouter, 'route', 'show', 'table', 'all').filter(x => x.dst === '10.50.1.3').map(x => x.table).sort()).toEqual(['1002', '999']);
		await same();
		// withdrawals
		r = await step([h3(), r2()]);
		expect(r).toMatchObject({how: 'direct'});
		expect(ipJson(fast.vrouter, 'route', 'show', 'table', 'all').some(x => x.dst === '10.50.1.2' || x.dst === '10.50.1.3')).toBe(false);
		await same();
		r = await step([h3(), r2()]);
		expect(r).toEqual({how: 'none'});
	});

	it('a host that leaves: its tunnel endpoint goes from every device, as lines', async () => {
		const r = await step([r2()]);
		expect(r).toMatchObject({how: 'direct'});
		expect(ipJson(fast.vrouter, 'neigh', 'show', 'nud', 'permanent').some(n => n.dst === '192.168.100.3')).toBe(false);
		await same();
	});

	/** a VXLAN device of the vrouter, by VNI, and the tunnel endpoints it knows (neighbours) */
	const device = (sb: Sandbox, vni: number) => ipJson(sb.vrouter, 'link', 'show').some(l => l.ifname === `${sb.prefix}vx${vni}`);
	const endpoints = (sb: Sandbox, vni: number) => ipJson(sb.vrouter, 'neigh', 'show', 'dev', `${sb.prefix}vx${vni}`, 'nud', 'permanent').map(x => x.dst).sort();

	it('a label with no device yet: the device, its entries and the route come as lines; its last route withdrawn takes the device', async () => {
		const x1 = () => route('10.50.1.7/32', 2, blueRt, 4711);
		const x2 = () => route('10.50.1.8/32', 2, blueRt, 4711);
		let r = await step([r2(), x1()]);
		expect(r).toMatchObject({how: 'direct'});
		expect(device(fast, 4711)).toBe(true);
		expect(endpoints(fast, 4711)).toEqual(['192.168.100.2']);
		expect(tableRoutes(fast.vrouter, '1001')).toContain(`10.50.1.7 via 192.168.100.2 dev ${fast.prefix}vx4711`);
		await same();
		r = await step([r2(), x1(), x2()]);
		expect(r).toMatchObject({how: 'direct'});
		await same();
		r = await step([r2(), x2()]);
		expect(r).toMatchObject({how: 'direct'});
		await same();
		r = await step([r2()]);
		expect(r).toMatchObject({how: 'direct'});
		expect([device(fast, 4711), device(full, 4711)]).toEqual([false, false]);
		await same();
	});

	it('a new tunnel endpoint appears on every device and leaves, alone and with a label of its own', async () => {
		const h3 = (label: number) => route('10.50.3.7/32', 3, blueRt, label);
		let r = await step([r2(), h3(blueVni)]);
		expect(r).toMatchObject({how: 'direct'});
		expect([endpoints(fast, blueVni), endpoints(fast, redVni)]).toEqual([['192.168.100.2', '192.168.100.3'], ['192.168.100.2', '192.168.100.3']]);
		await same();
		r = await step([r2()]);
		expect(r).toMatchObject({how: 'direct'});
		expect(endpoints(fast, blueVni)).toEqual(['192.168.100.2']);
		await same();
		r = await step([r2(), h3(4712)]);
		expect(r).toMatchObject({how: 'direct'});
		expect(endpoints(fast, 4712)).toEqual(['192.168.100.2', '192.168.100.3']);
		await same();
		r = await step([r2()]);
		expect(r).toMatchObject({how: 'direct'});
		expect([device(fast, 4712), device(full, 4712)]).toEqual([false, false]);
		await same();
	});

	it('a route line that fails (a route removed by hand) falls back to a full converge', async () => {
		ip(fast.vrouter, 'route', 'del', '10.60.1.2/32', 'table', '1002');
		const r = await step([b2()]);
		expect(r).toMatchObject({how: 'converge'});
		expect((r as {why: string}).why).toMatch(/^direct lines failed: .*'route del 10\.60\.1\.2\/32 via 192\.168\.100\.2 dev \S+vx\d+ table 1002'/);
		await same();
	});

	it('intent changed since the last apply (an import added): a full converge, then lines alone again', async () => {
		for (const sb of [fast, full]) await ok(sb.nsdeck(['rt', 'add', 'blue', redRt, '--import-only']));
		let r = await step([b2(), r2()]);
		expect(r).toMatchObject({how: 'converge', why: 'intent changed since'});
		await same();
		r = await step([b2(), r2(), b3()]);
		expect(r).toMatchObject({how: 'direct'});
		await same();
	});

	it('a vrouter made again meanwhile is not trusted: a full converge', async () => {
		spawnSync('ip', ['netns', 'del', fast.vrouter]);
		for (const sb of [fast, full]) await ok(sb.nsdeck(['reconcile']));
		const r = await step([b2(), r2()]);
		expect(r).toMatchObject({how: 'converge', why: 'the vrouter is not the one applied'});
		await same();
	});
});
