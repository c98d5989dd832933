// Both legs of a conversation, pure (core/legs.ts): which interface an app sends by, the VRF each leg is looked up
// in, the route it follows, and the target that would fix a missing one.
import {describe, expect, it} from 'vitest';
import {Reach} from '../../source/core/legs.js';
import {parseIpv4} from '../../source/core/ipv4.js';
import type {RoutingModel, TargetEntry} from '../../source/core/model.js';
import {parseRouteTarget} from '../../source/core/rt.js';

const t = (rt: string, dir: 'both' | 'import' | 'export' = 'both'): TargetEntry =>
	({rt: parseRouteTarget(rt), auto: false, import: dir !== 'export', export: dir !== 'import'}) as TargetEntry;

// r in red reaches web's inbound address (red imports blue); web replies by its outbound network green
const model = (greenImportsRed: boolean): RoutingModel => ({
	networks: [
		{name: 'blue', subnet: '10.1.0.0/24', targets: [t('64512:1'), t('64512:3', 'import')]},
		{name: 'green', subnet: '10.2.0.0/24', targets: [t('64512:2'), t('64512:9', 'import'), ...(greenImportsRed ? [t('64512:3', 'import')] : [])]},
		{name: 'red', subnet: '10.3.0.0/24', targets: [t('64512:3'), t('64512:1', 'import')]},
		{name: 'far', subnet: '10.4.0.0/24', targets: [t('64512:4'), t('64512:8', 'import')]},
	],
	locals: [
		{prefix: '10.1.0.2/32', network: 'blue', app: 'web', role: 'in'},
		{prefix: '10.2.0.2/32', network: 'green', app: 'web', role: 'out'},
		{prefix: '10.1.0.3/32', network: 'blue', app: 'client', role: 'in'},
		{prefix: '10.3.0.2/32', network: 'red', app: 'r', role: 'in'},
		{prefix: '10.4.0.2/32', network: 'far', app: 'f', role: 'in'},
	],
	externals: [{prefix: '0.0.0.0/0', via: '192.0.2.1', targets: [parseRouteTarget('64512:9')]}],
	remotes: [{prefix: '10.8.0.0/16', rd: '9.9.9.9:1', nexthop: '192.168.100.9', label: 8, targets: [parseRouteTarget('64512:8')]}],
} as RoutingModel);

describe('both legs', () => {
	it('each leg leaves by the interface the app\'s own routing picks: its inbound subnet by veth0, the rest by veth1', () => {
		const r = new Reach(model(false));
		const {legs} = r.legs('r', '10.1.0.2');
		expect(legs[0]).toEqual({direction: 'request', from: {app: 'r', address: '10.3.0.2', role: 'in'}, to: {app: 'web', address: '10.1.0.2'}, vrf: 'red', route: expect.objectContaining({prefix: '10.1.0.2/32'}), ok: true, text: 'request: r 10.3.0.2 -> web 10.1.0.2 leaves by veth0 into VRF red: follows 10.1.0.2/32 (imported)'});
		// the reply is sent from the address the request came to, by the outbound interface, into green
		expect(legs[1]).toMatchObject({direction: 'reply', from: {app: 'web', address: '10.1.0.2', role: 'out'}, to: {app: 'r', address: '10.3.0.2'}, vrf: 'green'});
		expect(r.reachable('client', '10.1.0.2')).toBe(true);
		expect(r.sendingIface('web', parseIpv4('10.1.0.3'))?.role).toBe('in');
		expect(r.sendingIface('web', parseIpv4('10.3.0.2'))?.role).toBe('out');
		expect(r.sendingIface('client', parseIpv4('10.3.0.2'))?.role).toBe('in');
	});

	it('a peer in a VRF without a default: the missing reply route is said, with the target that brings it in', () => {
		const m = model(false);
		const noDefault = {...m, networks: m.networks.map(n => (n.name === 'green' ? {...n, targets: n.targets.filter(x => x.rt !== 'target:64512:9')} : n))};
		const r = new Reach(noDefault);
		const {legs, reachable} = r.legs('r', '10.1.0.2');
		expect(reachable).toBe(false);
		expect(legs[1]).toEqual({direction: 'reply', from: {app: 'web', address: '10.1.0.2', role: 'out'}, to: {app: 'r', address: '10.3.0.2'}, vrf: 'green', route: null, ok: false, fix: 'nsdeck rt add green target:64512:3 --import-only', text: 'reply: web 10.1.0.2 -> r 10.3.0.2 leaves by veth1 into VRF green: no route, dropped by the table\'s unreachable default; fix: nsdeck rt add green target:64512:3 --import-only'});
		// with the import: reachable
		expect(new Reach({...model(true), networks: model(true).networks.map(n => (n.name === 'green' ? {...n, targets: n.targets.filter(x => x.rt !== 'target:64512:9')} : n))}).reachable('r', '10.1.0.2')).toBe(true);
	});

	it('a request with no route: one leg, the fix for an app\'s address, an external\'s or a remote\'s target', () => {
		const r = new Reach(model(false));
		const toF = r.legs('client', '10.4.0.2');
		expect(toF.reachable).toBe(false);
		expect(toF.legs).toHaveLength(1);
		expect(toF.legs[0]).toMatchObject({vrf: 'blue', route: null, ok: false, fix: 'nsdeck rt add blue target:64512:4 --import-only'});
		expect(r.fixFor('blue', parseIpv4('8.8.8.8'))).toBe('nsdeck rt add blue target:64512:9 --import-only');
		expect(new Reach({...model(false), externals: []}).fixFor('blue', parseIpv4('10.8.1.1'))).toBe('nsdeck rt add blue target:64512:8 --import-only');
		const bare = new Reach({...model(false), externals: []});
		expect(bare.fixFor('blue', parseIpv4('172.16.0.1'))).toBeUndefined();
		expect(bare.legs('client', '172.16.0.1').legs[0]!.text).toBe('request: client 10.1.0.3 -> 172.16.0.1 leaves by veth0 into VRF blue: no route, dropped by the table\'s unreachable default');
	});

	it('the gateway and other hosts answer for themselves: their reply is not decided here', () => {
		const r = new Reach(model(false));
		const gw = r.legs('web', '8.8.8.8');
		expect(gw.reachable).toBe(true);
		expect(gw.legs[1]).toEqual({direction: 'reply', from: {address: '8.8.8.8'}, to: {app: 'web', address: '10.2.0.2'}, vrf: null, route: null, ok: true, text: 'reply: answered by the gateway (192.0.2.1), which routes it back (not decided on this host)'});
		const far = r.legs('f', '10.8.3.4');
		expect(far.legs[1]!.text).toBe('reply: answered by host 192.168.100.9, which routes it back (not decided on this host)');
		expect(r.legs('ghost', '10.1.0.2')).toEqual({legs: [{direction: 'request', from: {app: 'ghost', address: '?'}, to: {app: 'web', address: '10.1.0.2'}, vrf: null, route: null, ok: false, text: 'ghost has no interface'}], reachable: false});
	});

	it('lookups: the exact /32 first, else the longest covering route; every route of a VRF listed', () => {
		const m = model(false);
		const r = new Reach({...m, externals: [...m.externals, {prefix: '10.1.0.0/16', via: '192.0.2.1', targets: [parseRouteTarget('64512:9')]}, {prefix: '10.1.0.0/24', via: '192.0.2.2', targets: [parseRouteTarget('64512:9')]}]});
		expect(r.lookup('green', parseIpv4('10.2.0.2'))?.prefix).toBe('10.2.0.2/32');
		expect(r.lookup('green', parseIpv4('10.1.0.77'))?.prefix).toBe('10.1.0.0/24');
		expect(r.lookup('green', parseIpv4('10.1.9.9'))?.prefix).toBe('10.1.0.0/16');
		expect(r.lookup('green', parseIpv4('11.0.0.1'))?.prefix).toBe('0.0.0.0/0');
		expect(r.routesOf('green').map(x => x.prefix).sort()).toEqual(['0.0.0.0/0', '10.1.0.0/16', '10.1.0.0/24', '10.2.0.2/32']);
		expect(r.ifacesOf('nobody')).toEqual([]);
		expect(r.owner(parseIpv4('10.3.0.2'))?.app).toBe('r');
	});
});
