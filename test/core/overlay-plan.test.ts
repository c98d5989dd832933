import {describe, expect, it} from 'vitest';
import {routingModel} from '../../source/control/local.js';
import {gobgpState} from '../../source/control/export.js';
import type {RemoteRoute} from '../../source/core/model.js';
import {names} from '../../source/core/names.js';
import {resolve} from '../../source/core/resolver.js';
import type {RouteTarget} from '../../source/core/rt.js';
import {type Desired, desiredState} from '../../source/dataplane/desired.js';
import {planChanges} from '../../source/dataplane/plan.js';
import {directDelta} from '../../source/dataplane/delta.js';
import type {Intent} from '../../source/store/intent.js';
import {kernelOf, vrouterOf} from './plan-fixture.js';

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

	it('makes the VXLAN device in the vrouter from the underlay namespace (which keeps its socket)', () => {
		expect(plan.underlay).toEqual([{namespace: 'lab-u1', lines: [
			'link add t1-vx4242 netns t1-nsdeck-vr address 02:00:c0:a8:64:01 mtu 1500 group 77 type vxlan id 4242 local 192.168.100.1 dstport 4789 nolearning',
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

	it('deletes a device no longer wanted, though its link-netns is the underlay (not a foreign veth peer); its route goes with it', () => {
		const more: Intent = {...intent, remotes: [...intent.remotes, {...intent.remotes[0]!, prefix: '10.50.1.7/32', label: 4711}]};
		const vr = vrouterOf(desiredState(more, resolve(routingModel(more)), n));
		// a VXLAN device made in the underlay and moved keeps it as its link-netns: `ip link` names it as a veth's peer
		const links = vr.links.map(l => (l.name.includes('vx') ? {...l, peerNamespace: 'lab-u1'} : l));
		const p = planChanges(desired, {namespaces: new Set([desired.vrouter, 'lab-u1', 't1-ns-a']), vrouter: {...vr, links}}, {names: n, owned: [{name: 't1-ns-a', kind: 'netns'}], alive: () => true});
		expect(p.vrouterDel).toEqual(['link del dev t1-vx4711']);
		expect(p.foreign).toEqual([]);
		expect(p.changes.filter(c => c.what === 'link')).toMatchObject([{op: '-', object: 't1-nsdeck-vr/t1-vx4711', seen: 'VXLAN device'}]);
	});

	it('a single host (no host settings) plans no overlay at all', () => {
		const single = {...intent, host: undefined, remotes: []} as Intent;
		const d = desiredState(single, resolve(routingModel(single)), n);
		expect(d.vxlans.size).toBe(0);
		expect(planChanges(d, {namespaces: new Set()}, {names: n, owned: [], alive: () => true}).underlay).toEqual([]);
	});
});

describe('the direct path between two desired states (pure): what the agent applies when only the overlay changes', () => {
	const desired = (i: Intent) => desiredState(i, resolve(routingModel(i)), n);
	const remote = (prefix: string, host: number, label = 4242): RemoteRoute => ({...intent.remotes[0]!, prefix, rd: `192.168.100.${host}:1`, nexthop: `192.168.100.${host}`, host: `h${host}`, label});
	const withRemotes = (...remotes: RemoteRoute[]): Intent => ({...intent, remotes});
	/** the vrouter's batches a plan writes for `after` against a kernel exactly as a converge left `before` */
	const planned = (before: Desired, after: Desired) => {
		const p = planChanges(after, kernelOf(before), {names: n, owned: [], alive: () => true});
		return {vrouter: p.vrouter, vrouterDel: p.vrouterDel, underlay: p.underlay, bridge: p.bridge, vrouterAdd: p.vrouterAdd};
	};
	const b2 = remote('10.50.1.0/32', 2);
	const steps: Array<[string, Intent, Intent]> = [
		['nothing changed', intent, intent],
		['a route added and one withdrawn', intent, withRemotes(remote('10.50.1.3/32', 2))],
		['a route whose label has no device yet', intent, withRemotes(b2, remote('10.50.1.7/32', 2, 4711))],
		['a second route of that label', withRemotes(b2, remote('10.50.1.7/32', 2, 4711)), withRemotes(b2, remote('10.50.1.7/32', 2, 4711), remote('10.50.1.8/32', 2, 4711))],
		['the last route of a label withdrawn: its device goes', withRemotes(b2, remote('10.50.1.8/32', 2, 4711)), intent],
		['a new tunnel endpoint', intent, withRemotes(b2, remote('10.50.3.2/32', 3))],
		['a tunnel endpoint leaving', withRemotes(b2, remote('10.50.3.2/32', 3)), intent],
		['a new endpoint with a new label', intent, withRemotes(b2, remote('10.50.3.2/32', 3, 4711))],
		['both leaving', withRemotes(b2, remote('10.50.3.2/32', 3, 4711)), intent],
		['every route withdrawn', intent, withRemotes()],
	];
	it.each(steps)('%s: exactly the lines a plan writes against the kernel the agent applied', (_what, before, after) => {
		const [b, a] = [desired(before), desired(after)];
		expect(directDelta(b, a, n.prefix)).toEqual(planned(b, a));
	});

	it('a new device in the underlay, its entries (bridge) and neighbours, then the route; a device gone takes its routes', () => {
		const [b, a] = [desired(intent), desired(withRemotes(b2, remote('10.50.1.7/32', 2, 4711)))];
		expect(directDelta(b, a, n.prefix)).toEqual({
			vrouter: 't1-nsdeck-vr',
			vrouterDel: [],
			underlay: [{namespace: 'lab-u1', lines: ['link add t1-vx4711 netns t1-nsdeck-vr address 02:00:c0:a8:64:01 mtu 1500 group 77 type vxlan id 4711 local 192.168.100.1 dstport 4789 nolearning']}],
			bridge: ['fdb append 02:00:c0:a8:64:02 dev t1-vx4711 dst 192.168.100.2 self permanent'],
			vrouterAdd: ['link set dev t1-vx4711 up', 'neigh replace 192.168.100.2 lladdr 02:00:c0:a8:64:02 dev t1-vx4711 nud permanent', 'route replace 10.50.1.7/32 via 192.168.100.2 dev t1-vx4711 onlink table 1001 proto 77'],
		});
		expect(directDelta(a, b, n.prefix)).toEqual({vrouter: 't1-nsdeck-vr', vrouterDel: ['link del dev t1-vx4711'], underlay: [], bridge: [], vrouterAdd: []});
	});

	it('a new device\'s `ip rule iif` comes with it and goes with it', () => {
		const [b, a] = [desired(intent), desired(withRemotes(b2, remote('10.50.1.7/32', 2, 4711)))];
		const ruled = {...a, rules: new Map([...a.rules, ['t1-vx4711', '1001']])};
		expect(directDelta(b, ruled, n.prefix)?.vrouterAdd).toContain('rule add iif t1-vx4711 lookup 1001 pref 100 protocol 77');
		expect(directDelta(b, ruled, n.prefix)).toEqual(planned(b, ruled));
		expect(directDelta(ruled, b, n.prefix)?.vrouterDel).toEqual(['link del dev t1-vx4711', 'rule del pref 100 iif t1-vx4711 table 1001']);
		expect(directDelta(ruled, b, n.prefix)).toEqual(planned(ruled, b));
	});

	it('undefined when more than the overlay changes: a local app, a rule of a kept device, the stamp', () => {
		const bound = {...intent, apps: [...intent.apps, {...intent.apps[0]!, name: 'a2', ifid: 2, ifaces: [{role: 'in' as const, network: 'blue', address: '10.50.0.3'}]}]};
		const d = desired(intent);
		expect(directDelta(d, desired(bound), n.prefix)).toBeUndefined();
		expect(directDelta(d, {...d, rules: new Map([...d.rules, ['t1-vx4242', '1002']])}, n.prefix)).toBeUndefined();
		expect(directDelta(d, {...d, stamp: 'nsdeck s2'}, n.prefix)).toBeUndefined();
		expect(directDelta(d, {...d, vxlans: new Map([...d.vxlans].map(([k, x]) => [k, {...x, mtu: 1400}]))}, n.prefix)).toBeUndefined();
	});
});
