import {describe, expect, it} from 'vitest';
import {routingModel} from '../../source/control/local.js';
import {gobgpState} from '../../source/control/export.js';
import type {RemoteRoute} from '../../source/core/model.js';
import {names} from '../../source/core/names.js';
import {resolve} from '../../source/core/resolver.js';
import type {RouteTarget} from '../../source/core/rt.js';
import {desiredState} from '../../source/dataplane/desired.js';
import {planChanges} from '../../source/dataplane/plan.js';
import {routeDelta} from '../../source/dataplane/routes.js';
import type {Intent} from '../../source/store/intent.js';

const rt = (x: string) => x as RouteTarget;
const intent: Intent = {
	networks: [{id: 1, name: 'blue', subnet: '10.50.0.0/16', block: '10.50.0.0/24', vni: 4242, createdAt: '', targets: [{rt: rt('target:64512:1'), auto: true, import: true, export: true}]}],
	apps: [{name: 'a1', ifid: 1, kind: 'netns', ifaces: [{role: 'in', network: 'blue', address: '10.50.0.2'}], createdAt: ''}],
	externals: [],
	owned: [],
	host: {name: 'h1', vtep: '192.168.100.1', control: 'gobgp', gobgp: '127.0.0.1:50101', underlayNs: 'lab-u1'},
	remotes: [{prefix: '10.50.1.0/32', rd: '192.168.100.2:1', nexthop: '192.168.100.2', label: 4242, targets: [rt('target:64512:1')], host: 'h2'}],
};
const n = names('t1-');

describe('the overlay in the plan (pure)', () => {
	const desired = desiredState(intent, resolve(routingModel(intent)), n);
	const plan = planChanges(desired, {namespaces: new Set()}, {names: n, owned: [], alive: () => true});

	it('makes the VXLAN device in the underlay namespace and moves it into the vrouter', () => {
		expect(plan.underlay).toEqual([{namespace: 'lab-u1', lines: [
			'link add t1-vx4242 address 02:00:c0:a8:64:01 mtu 1500 group 77 type vxlan id 4242 local 192.168.100.1 dstport 4789 nolearning',
			'link set dev t1-vx4242 netns t1-nsdeck-vr',
		]}]);
	});

	it('adds the remote VTEP (forwarding entry, neighbour) and routes the remote app through the tunnel', () => {
		expect(plan.bridge).toEqual(['fdb append 02:00:c0:a8:64:02 dev t1-vx4242 dst 192.168.100.2 self permanent']);
		const neigh = plan.vrouterAdd.indexOf('neigh replace 192.168.100.2 lladdr 02:00:c0:a8:64:02 dev t1-vx4242 nud permanent');
		const route = plan.vrouterAdd.indexOf('route replace 10.50.1.0/32 via 192.168.100.2 dev t1-vx4242 onlink table 1001 proto 77');
		expect(neigh).toBeGreaterThan(-1);
		expect(route).toBeGreaterThan(neigh);
		expect(plan.vrouterAdd).toContain('rule add iif t1-vx4242 lookup 1001 pref 100 protocol 77');
	});

	it('originates the app into gobgpd with RD VTEP:id, label = VNI, the export targets; the VRF has an RD of its own', () => {
		const s = gobgpState(intent);
		expect([...s.paths.values()]).toEqual([{rd: '192.168.100.1:1', prefix: '10.50.0.2/32', label: 4242, nexthop: '192.168.100.1', targets: ['target:64512:1']}]);
		expect(s.vrfs.get('blue')!.rd).toBe('192.168.100.1:32769');
	});

	it('a single host (no host settings) plans no overlay at all', () => {
		const single = {...intent, host: undefined, remotes: []} as Intent;
		const d = desiredState(single, resolve(routingModel(single)), n);
		expect(d.vxlans.size).toBe(0);
		expect(planChanges(d, {namespaces: new Set()}, {names: n, owned: [], alive: () => true}).underlay).toEqual([]);
	});
});

describe('route lines between two desired states (pure): what the agent applies when only routes change', () => {
	const desired = (i: Intent) => desiredState(i, resolve(routingModel(i)), n);
	const remote = (prefix: string, host: number): RemoteRoute => ({...intent.remotes[0]!, prefix, rd: `192.168.100.${host}:1`, nexthop: `192.168.100.${host}`, host: `h${host}`});

	it('none when nothing changed', () => {
		expect(routeDelta(desired(intent), desired(intent))).toEqual([]);
	});

	it('a route added and one withdrawn: the lines a plan writes for them, deletions first', () => {
		const after = {...intent, remotes: [remote('10.50.1.3/32', 2)]};
		const lines = routeDelta(desired(intent), desired(after));
		expect(lines).toEqual(['route del 10.50.1.0/32 via 192.168.100.2 dev t1-vx4242 table 1001', 'route replace 10.50.1.3/32 via 192.168.100.2 dev t1-vx4242 onlink table 1001 proto 77']);
		expect(planChanges(desired(after), {namespaces: new Set()}, {names: n, owned: [], alive: () => true}).vrouterAdd).toContain(lines![1]);
	});

	it('undefined when more than routes changes: a new tunnel endpoint, a label without a device, a local app', () => {
		expect(routeDelta(desired(intent), desired({...intent, remotes: [...intent.remotes, remote('10.50.3.2/32', 3)]}))).toBeUndefined();
		expect(routeDelta(desired(intent), desired({...intent, remotes: [...intent.remotes, {...remote('10.50.1.9/32', 2), label: 777}]}))).toBeUndefined();
		const bound = {...intent, apps: [...intent.apps, {...intent.apps[0]!, name: 'a2', ifid: 2, ifaces: [{role: 'in' as const, network: 'blue', address: '10.50.0.3'}]}]};
		expect(routeDelta(desired(intent), desired(bound))).toBeUndefined();
	});
});
