// The desired state, pure: what intent asks of the kernel, for a single host and for one among many (the overlay).
import {beforeAll, describe, expect, it} from 'vitest';
import {type Desired, GATEWAY_KEY, GATEWAY_IN_TABLE, GATEWAY_TABLE, routeKey, tableOf} from '../../source/dataplane/desired.js';
import {planChanges} from '../../source/dataplane/plan.js';
import type {Intent} from '../../source/store/intent.js';
import {desiredOf, intent, n, rt, STAMP} from './plan-fixture.js';

// computed in hooks, not at load: a mutant that throws here must fail tests, not the loading of the file
let d: Desired;
beforeAll(() => {
	d = desiredOf();
});
const routes = (x: Desired = d) => [...x.routes.values()].map(r => `${r.table} ${r.type === 'unreachable' ? 'unreachable ' : ''}${r.dst}${r.via ? ` via ${r.via}` : ''}${r.dev ? ` dev ${r.dev}` : ''}${r.metric ? ` metric ${r.metric}` : ''}`);

describe('a single host', () => {
	it('is computed without throwing (in a test: a hook that throws hides its tests from a mutation run)', () => {
		expect(desiredOf().endpoints.map(e => e.key)).toEqual(['a', 'w', GATEWAY_KEY]);
	});

	it('one table per network (1000 + id) ending in an unreachable default, the gateway\'s 999, and each app\'s /32', () => {
		expect(tableOf(7)).toBe('1007');
		expect(routeKey({table: '1001', dst: '10.1.0.2/32', metric: 0})).toBe('1001 10.1.0.2/32 0');
		expect(routes()).toEqual([
			'1001 unreachable 0.0.0.0/0 metric 4278198272',
			'1001 10.1.0.2/32 dev t1-vi-a',
			'1001 10.1.0.3/32 dev t1-vi-w',
			'1002 unreachable 0.0.0.0/0 metric 4278198272',
			'1002 0.0.0.0/0 via 192.0.2.1 dev t1-gw0',
			'1002 10.2.0.2/32 dev t1-vo-w',
			'999 unreachable 0.0.0.0/0 metric 4278198272',
			'999 10.2.0.2/32 dev t1-vo-w',
		]);
		expect([...d.rules]).toEqual([['t1-vi-a', '1001'], ['t1-vi-w', '1001'], ['t1-vo-w', '1002'], ['t1-gw0', GATEWAY_TABLE]]);
		expect([...d.tableNetworks]).toEqual([['1001', 'blue'], ['1002', 'green']]);
		expect(d.stamp).toBe(STAMP);
		expect(d.vrouter).toBe('t1-nsdeck-vr');
		expect(d.vxlans.size + d.fdb.size + d.neighs.size).toBe(0);
		expect('stamp' in desiredOf(intent, null)).toBe(false);
	});

	it('an app: its namespace, veths with /32s and the subnet they belong to, loose rp_filter on veth0, its command', () => {
		expect(d.endpoints.find(e => e.key === 'a')).toEqual({
			key: 'a', namespace: 't1-ns-a', kind: 'netns', whole: false, loAddresses: [], loose: ['veth0'],
			ifaces: [{inner: 'veth0', hostIf: 't1-vi-a', addresses: ['10.1.0.2/32'], table: '1001', subnet: '10.1.0.0/24'}],
			routes: [{dst: '0.0.0.0/0', via: '169.254.1.1', dev: 'veth0'}],
		});
		expect(d.endpoints.find(e => e.key === 'w')).toMatchObject({
			command: ['sleep', '1'],
			routes: [{dst: '0.0.0.0/0', via: '169.254.1.1', dev: 'veth1'}, {dst: '10.1.0.0/24', via: '169.254.1.1', dev: 'veth0'}],
		});
	});

	it('the gateway: its next hops on lo (each once, sorted), everything inside it nsdeck\'s', () => {
		const two: Intent = {...intent, externals: [...intent.externals, {prefix: '10.9.0.0/16', via: '192.0.2.1', targets: [rt('target:64512:901')]}, {prefix: '10.8.0.0/16', via: '192.0.2.0', targets: [rt('target:64512:900')]}]};
		expect(desiredOf(two).endpoints.find(e => e.key === GATEWAY_KEY)).toEqual({
			key: GATEWAY_KEY, namespace: 't1-nsdeck-gw', kind: 'netns', whole: true, loose: [],
			ifaces: [{inner: 'eth0', hostIf: 't1-gw0', addresses: [], table: '999'}],
			loAddresses: ['192.0.2.0/32', '192.0.2.1/32'],
			routes: [{dst: '0.0.0.0/0', via: '169.254.1.1', dev: 'eth0'}],
		});
		// without external routes: no gateway, no table 999
		const none = desiredOf({...intent, externals: []});
		expect(none.endpoints.some(e => e.key === GATEWAY_KEY)).toBe(false);
		expect(routes(none).some(r => r.startsWith('999'))).toBe(false);
		expect(none.rules.has('t1-gw0')).toBe(false);
	});

	it('an attached app keeps its pid, never a command; a network without a subnet gives no subnet and no inbound route', () => {
		const i: Intent = {
			...intent,
			networks: [...intent.networks, {id: 3, name: 'bare', subnet: null, block: null, vni: 13, createdAt: '', targets: []}],
			apps: [
				{name: 'box', ifid: 4, kind: 'attached', pid: 99, command: ['x'], ifaces: [{role: 'in', network: 'blue', address: '10.1.0.9'}], createdAt: ''},
				{name: 'b', ifid: 5, kind: 'netns', ifaces: [{role: 'in', network: 'bare', address: '10.3.0.2'}, {role: 'out', network: 'green', address: '10.2.0.3'}], createdAt: ''},
			],
		};
		const x = desiredOf(i);
		const box = x.endpoints.find(e => e.key === 'box')!;
		expect(box).toMatchObject({kind: 'link', pid: 99});
		expect(box).not.toHaveProperty('command');
		const b = x.endpoints.find(e => e.key === 'b')!;
		expect(b.ifaces[0]).not.toHaveProperty('subnet');
		expect(b.routes).toEqual([{dst: '0.0.0.0/0', via: '169.254.1.1', dev: 'veth1'}]);
		expect(b).not.toHaveProperty('pid');
	});
});

describe('one host among many (the overlay)', () => {
	const many: Intent = {
		...intent,
		host: {name: 'h1', vtep: '192.168.100.1', control: 'gobgp', gobgp: '127.0.0.1:1', underlayNs: 'u1'},
		remotes: [
			{prefix: '10.1.1.5/32', rd: '192.168.100.2:1', nexthop: '192.168.100.2', label: 11, targets: [rt('target:64512:1')], host: 'h2'},
			{prefix: '10.77.0.0/24', rd: '192.168.100.3:1', nexthop: '192.168.100.3', label: 77, targets: [rt('target:64512:1')], host: 'h3'},
			{prefix: '0.0.0.0/0', rd: '192.168.100.3:0', nexthop: '192.168.100.3', label: 0xf_ff_ff, targets: [rt('target:64512:900')], host: 'h3'},
			{prefix: '10.1.0.2/32', rd: '192.168.100.1:1', nexthop: '192.168.100.1', label: 11, targets: [rt('target:64512:1')], host: 'h1'},
		],
	};
	let x: Desired;
	beforeAll(() => {
		x = desiredOf(many);
	});

	it('a VXLAN device per network VNI, per remote label and for the gateway, each made in the underlay namespace', () => {
		expect([...x.vxlans.values()]).toEqual([
			{name: 't1-vx11', vni: 11, mac: '02:00:c0:a8:64:01', local: '192.168.100.1', mtu: 1500, underlayNs: 'u1'},
			{name: 't1-vx12', vni: 12, mac: '02:00:c0:a8:64:01', local: '192.168.100.1', mtu: 1500, underlayNs: 'u1'},
			{name: 't1-vx77', vni: 77, mac: '02:00:c0:a8:64:01', local: '192.168.100.1', mtu: 1500, underlayNs: 'u1'},
			{name: 't1-vx1048575', vni: 1048575, mac: '02:00:c0:a8:64:01', local: '192.168.100.1', mtu: 1500, underlayNs: 'u1'},
		]);
		// traffic arriving on a network's device is looked up in its table, the gateway's in 998; a label alone has no rule
		expect(x.rules.get('t1-vx11')).toBe('1001');
		expect(x.rules.get('t1-vx12')).toBe('1002');
		expect(x.rules.get('t1-vx1048575')).toBe(GATEWAY_IN_TABLE);
		expect(x.rules.has('t1-vx77')).toBe(false);
	});

	it('a forwarding entry and a neighbour per other host on every device, never this host\'s own VTEP', () => {
		expect([...x.fdb].filter(f => f.startsWith('t1-vx11 '))).toEqual(['t1-vx11 02:00:c0:a8:64:02 192.168.100.2', 't1-vx11 02:00:c0:a8:64:03 192.168.100.3']);
		expect([...x.neighs].filter(f => f.startsWith('t1-vx77 '))).toEqual(['t1-vx77 192.168.100.2 02:00:c0:a8:64:02', 't1-vx77 192.168.100.3 02:00:c0:a8:64:03']);
		expect([...x.fdb].some(f => f.endsWith('192.168.100.1'))).toBe(false);
		expect(x.fdb.size).toBe(8);
	});

	it('remote routes through the tunnel; the gateway\'s table 998 holds the external routes, 999 the other hosts\' apps', () => {
		const r = routes(x);
		// another host's gateway default is held in green by the same target, and wins over this host's own external one
		expect(r).toContain('1002 0.0.0.0/0 via 192.168.100.3 dev t1-vx1048575');
		expect(r).toContain('1001 10.1.1.5/32 via 192.168.100.2 dev t1-vx11');
		expect(r).toContain('1001 10.77.0.0/24 via 192.168.100.3 dev t1-vx77');
		expect(r).toContain('998 unreachable 0.0.0.0/0 metric 4278198272');
		expect(r).toContain('998 0.0.0.0/0 via 192.0.2.1 dev t1-gw0');
		expect(r).toContain('999 10.1.1.5/32 via 192.168.100.2 dev t1-vx11');
		expect(r).toContain('999 10.77.0.0/24 via 192.168.100.3 dev t1-vx77');
		// another host's gateway route (the gateway VNI) and this host's own paths are not sent back into the tunnel
		expect(r.filter(l => l.startsWith('999 ') && l.includes('0.0.0.0/0') && !l.includes('unreachable'))).toEqual([]);
		expect(r.filter(l => l.startsWith('999 10.1.0.2/32'))).toEqual([]);
		// local wins in the VRF: this host's own /32 stays on its veth
		expect(r).toContain('1001 10.1.0.2/32 dev t1-vi-a');
	});

	it('without external routes there is no gateway device; with control local a remote label still gets its device (no table)', () => {
		const noExt = desiredOf({...many, externals: [], remotes: many.remotes.filter(r => r.prefix !== '0.0.0.0/0')});
		expect([...noExt.vxlans.keys()]).toEqual(['t1-vx11', 't1-vx12', 't1-vx77']);
		expect(routes(noExt).some(l => l.startsWith('998'))).toBe(false);
		const local = desiredOf({...many, host: {...many.host!, control: 'local', underlayNs: undefined}});
		expect([...local.vxlans.values()].map(v => [v.name, 'underlayNs' in v])).toEqual([['t1-vx11', false], ['t1-vx77', false], ['t1-vx1048575', false]]);
		expect(local.rules.has('t1-vx11')).toBe(false);
		expect(routes(local).some(l => l.startsWith('998'))).toBe(false);
		// a single host without remote routes: no overlay at all, even with host settings
		expect(desiredOf({...many, host: {...many.host!, control: 'local'}, remotes: []}).vxlans.size).toBe(0);
	});

	it('plans the overlay: devices made from the underlay, entries before the routes that use them; stale entries go', () => {
		const p = planChanges(x, {namespaces: new Set()}, {names: n, owned: [], alive: () => true});
		expect(p.underlay).toEqual([{namespace: 'u1', lines: [
			'link add t1-vx11 netns t1-nsdeck-vr address 02:00:c0:a8:64:01 mtu 1500 group 77 type vxlan id 11 local 192.168.100.1 dstport 4789 nolearning',
			'link add t1-vx12 netns t1-nsdeck-vr address 02:00:c0:a8:64:01 mtu 1500 group 77 type vxlan id 12 local 192.168.100.1 dstport 4789 nolearning',
			'link add t1-vx77 netns t1-nsdeck-vr address 02:00:c0:a8:64:01 mtu 1500 group 77 type vxlan id 77 local 192.168.100.1 dstport 4789 nolearning',
			'link add t1-vx1048575 netns t1-nsdeck-vr address 02:00:c0:a8:64:01 mtu 1500 group 77 type vxlan id 1048575 local 192.168.100.1 dstport 4789 nolearning',
		]}]);
		expect(p.bridge).toHaveLength(8);
		const neigh = p.vrouterAdd.indexOf('neigh replace 192.168.100.3 lladdr 02:00:c0:a8:64:03 dev t1-vx77 nud permanent');
		expect(neigh).toBeGreaterThan(p.vrouterAdd.indexOf('link set dev t1-vx77 up'));
		expect(p.vrouterAdd.indexOf('route replace 10.77.0.0/24 via 192.168.100.3 dev t1-vx77 onlink table 1001 proto 77')).toBeGreaterThan(neigh);
		expect(p.changes.find(c => c.detail === 't1-vx11 vxlan 11 local 192.168.100.1 (socket in u1)')).toMatchObject({op: '+', what: 'link', expected: 'vxlan 11', seen: ''});
	});

	it('an existing overlay: a device down is set up, an untagged one of that name made again, stale neighbours and entries removed', () => {
		const vr = {
			links: [
				{name: 'lo', ifindex: 1, group: 'default', up: true, operUp: false},
				{name: 't1-vx11', ifindex: 5, group: '77', up: false, operUp: false},
				{name: 't1-vx12', ifindex: 6, group: 'default', up: true, operUp: true},
				{name: 't1-vx77', ifindex: 7, group: '77', up: true, operUp: true},
				{name: 't1-vx1048575', ifindex: 8, group: '77', up: true, operUp: true},
			],
			rules: [], routes: [], foreignRules: [], foreignRoutes: [], loAddresses: ['169.254.1.1/32'], stamp: STAMP,
			neighs: [...x.neighs, 't1-vx77 192.168.100.9 02:00:c0:a8:64:09', 't1-vx99 192.168.100.9 02:00:c0:a8:64:09', 'other 1.1.1.1 02:00:00:00:00:01'],
			fdb: [...x.fdb, 't1-vx77 02:00:c0:a8:64:09 192.168.100.9'],
		};
		const p = planChanges(x, {namespaces: new Set([x.vrouter]), vrouter: vr}, {names: n, owned: [], alive: () => true});
		expect(p.underlay).toEqual([{namespace: 'u1', lines: ['link add t1-vx12 netns t1-nsdeck-vr address 02:00:c0:a8:64:01 mtu 1500 group 77 type vxlan id 12 local 192.168.100.1 dstport 4789 nolearning']}]);
		expect(p.vrouterDel.slice(0, 2)).toEqual(['link del dev t1-vx12', 'neigh del 192.168.100.9 dev t1-vx77']);
		expect(p.vrouterAdd).toContain('link set dev t1-vx11 up');
		expect(p.bridge[0]).toBe('fdb del 02:00:c0:a8:64:09 dev t1-vx77 dst 192.168.100.9 self');
		// the re-made device gets its entries again; the others keep theirs
		expect(p.bridge.filter(b => b.startsWith('fdb append'))).toEqual(['fdb append 02:00:c0:a8:64:02 dev t1-vx12 dst 192.168.100.2 self permanent', 'fdb append 02:00:c0:a8:64:03 dev t1-vx12 dst 192.168.100.3 self permanent']);
		expect(p.vrouterAdd.filter(l => l.startsWith('neigh replace'))).toEqual(['neigh replace 192.168.100.2 lladdr 02:00:c0:a8:64:02 dev t1-vx12 nud permanent', 'neigh replace 192.168.100.3 lladdr 02:00:c0:a8:64:03 dev t1-vx12 nud permanent']);
		expect(p.changes.filter(c => c.what === 'neigh').map(c => `${c.op} ${c.detail}`)).toEqual(['- 192.168.100.2 dev t1-vx12', '- 192.168.100.3 dev t1-vx12', '- 192.168.100.9 dev t1-vx77', '- 192.168.100.9 dev t1-vx99', '+ 192.168.100.2 lladdr 02:00:c0:a8:64:02 dev t1-vx12', '+ 192.168.100.3 lladdr 02:00:c0:a8:64:03 dev t1-vx12']);
		expect(p.changes.find(c => c.detail === 't1-vx12 vxlan 12 local 192.168.100.1 (socket in u1)')).toMatchObject({seen: 'untagged device'});
		expect(p.changes.find(c => c.detail === 't1-vx11 up')).toMatchObject({op: '~', expected: 'up', seen: 'down'});
		expect(p.changes.find(c => c.what === 'fdb' && c.op === '-')).toMatchObject({object: 't1-nsdeck-vr/t1-vx77 192.168.100.9', seen: 't1-vx77 02:00:c0:a8:64:09 192.168.100.9'});
	});
});

describe('edges the common cases do not reach (desired)', () => {
	it('the inbound interface is the one with role in, whatever order the store lists them', () => {
		const swapped: Intent = {...intent, apps: intent.apps.map(a => (a.name === 'w' ? {...a, ifaces: [...a.ifaces].reverse()} : a))};
		expect(desiredOf(swapped).endpoints.find(e => e.key === 'w')!.routes).toEqual([{dst: '0.0.0.0/0', via: '169.254.1.1', dev: 'veth1'}, {dst: '10.1.0.0/24', via: '169.254.1.1', dev: 'veth0'}]);
	});

	it('a host with control gobgp and no remote routes yet: a device per network already', () => {
		const x = desiredOf({...intent, externals: [], host: {name: 'h1', vtep: '192.168.100.1', control: 'gobgp'}, remotes: []});
		expect([...x.vxlans.keys()]).toEqual(['t1-vx11', 't1-vx12']);
		expect(x.fdb.size).toBe(0);
	});

	it('control local with another host\'s routes held and external routes of its own: no gateway device, no table 998', () => {
		const x = desiredOf({...intent, host: {name: 'h1', vtep: '192.168.100.1', control: 'local'}, remotes: [{prefix: '10.1.1.5/32', rd: '192.168.100.2:1', nexthop: '192.168.100.2', label: 11, targets: [rt('target:64512:1')], host: 'h2'}]});
		expect([...x.vxlans.keys()]).toEqual(['t1-vx11']);
		expect([...x.routes.values()].some(r => r.table === GATEWAY_IN_TABLE)).toBe(false);
	});

	it('the gateway\'s routes of the overlay are unicast, through the gateway or the tunnel', () => {
		const many: Intent = {...intent, host: {name: 'h1', vtep: '192.168.100.1', control: 'gobgp'}, remotes: [{prefix: '10.1.1.5/32', rd: '192.168.100.2:1', nexthop: '192.168.100.2', label: 11, targets: [rt('target:64512:1')], host: 'h2'}]};
		const x = desiredOf(many);
		expect(x.routes.get(`${GATEWAY_IN_TABLE} 0.0.0.0/0 0`)).toEqual({table: GATEWAY_IN_TABLE, dst: '0.0.0.0/0', type: 'unicast', via: '192.0.2.1', dev: 't1-gw0', metric: 0});
		expect(x.routes.get(`${GATEWAY_TABLE} 10.1.1.5/32 0`)).toEqual({table: GATEWAY_TABLE, dst: '10.1.1.5/32', type: 'unicast', via: '192.168.100.2', dev: 't1-vx11', metric: 0});
	});
});

describe('the overlay, in sync and with strangers', () => {
	it('an overlay that matches plans nothing; entries on devices that are not nsdeck\'s are left alone', async () => {
		const {kernelOf, vrouterOf, fullPlan, insideOf} = await import('./plan-fixture.js');
		const many: Intent = {...intent, host: {name: 'h1', vtep: '192.168.100.1', control: 'gobgp'}, remotes: [{prefix: '10.1.1.5/32', rd: '192.168.100.2:1', nexthop: '192.168.100.2', label: 11, targets: [rt('target:64512:1')], host: 'h2'}]};
		const x = desiredOf(many);
		const vr = vrouterOf(x);
		const p = fullPlan(x, {kernel: kernelOf(x, {...vr, fdb: [...vr.fdb, 'eth9 02:00:00:00:00:09 192.168.100.9'], neighs: [...vr.neighs, 'eth9 192.168.100.9 02:00:00:00:00:09']}), inside: new Map(x.endpoints.map(e => [e.namespace, insideOf(e)]))});
		expect(p.changes).toEqual([]);
		expect(p.bridge).toEqual([]);
		expect(p.underlay).toEqual([]);
	});
});

describe('the overlay, device by device', () => {
	const many = (): Intent => ({...intent, host: {name: 'h1', vtep: '192.168.100.1', control: 'gobgp'}, remotes: [
		{prefix: '10.1.1.6/32', rd: '192.168.100.3:1', nexthop: '192.168.100.3', label: 11, targets: [rt('target:64512:1')], host: 'h3'},
		{prefix: '10.1.1.5/32', rd: '192.168.100.2:1', nexthop: '192.168.100.2', label: 11, targets: [rt('target:64512:1')], host: 'h2'},
	]});

	it('lists the other hosts in address order, whatever order their routes came in', () => {
		const x = desiredOf(many());
		expect([...x.fdb].filter(f => f.startsWith('t1-vx11 '))).toEqual(['t1-vx11 02:00:c0:a8:64:02 192.168.100.2', 't1-vx11 02:00:c0:a8:64:03 192.168.100.3']);
	});

	it('an existing device missing a neighbour and a forwarding entry gets exactly those back, said precisely', async () => {
		const {kernelOf, vrouterOf, fullPlan, insideOf} = await import('./plan-fixture.js');
		const {change} = await import('../../source/dataplane/change.js');
		const x = desiredOf(many());
		const vr = vrouterOf(x);
		const p = fullPlan(x, {
			kernel: kernelOf(x, {...vr, neighs: vr.neighs.filter(l => l !== 't1-vx11 192.168.100.3 02:00:c0:a8:64:03'), fdb: vr.fdb.filter(l => l !== 't1-vx12 02:00:c0:a8:64:02 192.168.100.2'), links: vr.links.map(l => (l.name === 't1-vx12' ? {...l, up: false} : l))}),
			inside: new Map(x.endpoints.map(e => [e.namespace, insideOf(e)])),
		});
		expect(p.vrouterDel).toEqual([]);
		expect(p.vrouterAdd).toEqual(['link set dev t1-vx12 up', 'neigh replace 192.168.100.3 lladdr 02:00:c0:a8:64:03 dev t1-vx11 nud permanent']);
		expect(p.bridge).toEqual(['fdb append 02:00:c0:a8:64:02 dev t1-vx12 dst 192.168.100.2 self permanent']);
		expect(p.changes).toStrictEqual([
			change({op: '~', what: 'link', object: 't1-nsdeck-vr/t1-vx12', expected: 'up', seen: 'down', detail: 't1-vx12 up'}),
			change({op: '+', what: 'neigh', object: 't1-nsdeck-vr/t1-vx11 192.168.100.3', expected: 'lladdr 02:00:c0:a8:64:03', seen: '', detail: '192.168.100.3 lladdr 02:00:c0:a8:64:03 dev t1-vx11'}),
			change({op: '+', what: 'fdb', object: 't1-nsdeck-vr/t1-vx12 192.168.100.2', expected: '02:00:c0:a8:64:02', seen: '', detail: '02:00:c0:a8:64:02 dst 192.168.100.2 dev t1-vx12'}),
		]);
	});

	it('a stale neighbour and entry on a device that stays are removed, said precisely; a fresh device is made without deleting anything', async () => {
		const {kernelOf, vrouterOf, fullPlan, insideOf} = await import('./plan-fixture.js');
		const {change} = await import('../../source/dataplane/change.js');
		const x = desiredOf(many());
		const vr = vrouterOf(x);
		const p = fullPlan(x, {
			kernel: kernelOf(x, {...vr, neighs: [...vr.neighs, 't1-vx11 192.168.100.9 02:00:c0:a8:64:09'], fdb: [...vr.fdb, 't1-vx11 02:00:c0:a8:64:09 192.168.100.9']}),
			inside: new Map(x.endpoints.map(e => [e.namespace, insideOf(e)])),
		});
		expect(p.changes).toStrictEqual([
			change({op: '-', what: 'neigh', object: 't1-nsdeck-vr/t1-vx11 192.168.100.9', expected: '', seen: 't1-vx11 192.168.100.9 02:00:c0:a8:64:09', detail: '192.168.100.9 dev t1-vx11'}),
			change({op: '-', what: 'fdb', object: 't1-nsdeck-vr/t1-vx11 192.168.100.9', expected: '', seen: 't1-vx11 02:00:c0:a8:64:09 192.168.100.9', detail: '02:00:c0:a8:64:09 dst 192.168.100.9 dev t1-vx11'}),
		]);
		const fresh = planChanges(x, {namespaces: new Set()}, {names: n, owned: [], alive: () => true});
		expect(fresh.vrouterDel).toEqual([]);
		expect(fresh.vrouterAdd).toContain('link set dev t1-vx11 up');
		expect(fresh.changes.find(c => c.what === 'link' && c.object === 't1-nsdeck-vr/t1-vx11')).toStrictEqual(change({op: '+', what: 'link', object: 't1-nsdeck-vr/t1-vx11', expected: 'vxlan 11', seen: '', detail: 't1-vx11 vxlan 11 local 192.168.100.1'}));
	});
});
