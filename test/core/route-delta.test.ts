import {describe, expect, it} from 'vitest';
import {routingModel} from '../../source/control/local.js';
import {names} from '../../source/core/names.js';
import type {RemoteRoute} from '../../source/core/model.js';
import {resolve} from '../../source/core/resolver.js';
import type {RouteTarget} from '../../source/core/rt.js';
import {desiredState} from '../../source/dataplane/desired.js';
import {planChanges} from '../../source/dataplane/plan.js';
import {routeDelta} from '../../source/dataplane/routes.js';
import type {Intent} from '../../source/store/intent.js';

const rt = (x: string) => x as RouteTarget;
const remote = (prefix: string, host: number): RemoteRoute => ({prefix, rd: `192.168.100.${host}:1`, nexthop: `192.168.100.${host}`, label: 4242, targets: [rt('target:64512:1')], host: `h${host}`});
const intent: Intent = {
	networks: [{id: 1, name: 'blue', subnet: '10.50.0.0/16', block: '10.50.0.0/24', vni: 4242, createdAt: '', targets: [{rt: rt('target:64512:1'), auto: true, import: true, export: true}]}],
	apps: [{name: 'a1', ifid: 1, kind: 'netns', ifaces: [{role: 'in', network: 'blue', address: '10.50.0.2'}], createdAt: ''}],
	externals: [],
	owned: [],
	host: {name: 'h1', vtep: '192.168.100.1', control: 'gobgp', gobgp: '127.0.0.1:50101', underlayNs: 'lab-u1'},
	remotes: [remote('10.50.1.2/32', 2)],
};
const n = names('t1-');
const desired = (i: Intent) => desiredState(i, resolve(routingModel(i)), n);

describe('route lines between two desired states (pure)', () => {
	it('none when nothing changed', () => {
		expect(routeDelta(desired(intent), desired(intent))).toEqual([]);
	});

	it('a route added and one withdrawn: the lines a plan writes for them, deletions first', () => {
		const after = {...intent, remotes: [remote('10.50.1.3/32', 2)]};
		const lines = routeDelta(desired(intent), desired(after));
		const plan = planChanges(desired(after), {namespaces: new Set()}, {names: n, owned: [], alive: () => true});
		expect(lines).toEqual(['route del 10.50.1.2/32 via 192.168.100.2 dev t1-vx4242 table 1001', 'route replace 10.50.1.3/32 via 192.168.100.2 dev t1-vx4242 onlink table 1001 proto 77']);
		expect(plan.vrouterAdd).toContain(lines![1]);
	});

	it('undefined when more than routes changes: a new tunnel endpoint, a new label, a local app', () => {
		expect(routeDelta(desired(intent), desired({...intent, remotes: [...intent.remotes, remote('10.50.3.2/32', 3)]}))).toBeUndefined();
		expect(routeDelta(desired(intent), desired({...intent, remotes: [...intent.remotes, {...remote('10.50.1.9/32', 2), label: 777}]}))).toBeUndefined();
		const bound = {...intent, apps: [...intent.apps, {...intent.apps[0]!, name: 'a2', ifid: 2, ifaces: [{role: 'in' as const, network: 'blue', address: '10.50.0.3'}]}]};
		expect(routeDelta(desired(intent), desired(bound))).toBeUndefined();
	});
});
