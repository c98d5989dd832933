// The VPN label <-> VNI translation of routes learned over BGP (core/overlay.ts): who announced a route, and whether
// it can be installed. Pure; written against the uncovered mutants of `npm run mutation`.
import {describe, expect, it} from 'vitest';
import type {RemoteRoute} from '../../source/core/model.js';
import {parseLabelVni, translateRemote, VNI_MAX, VXLAN_VNI_MAX} from '../../source/core/overlay.js';
import {parseRouteTarget} from '../../source/core/rt.js';

const route = (over: Partial<RemoteRoute> = {}): RemoteRoute => ({prefix: '10.9.0.0/24', rd: '1.1.1.1:1', nexthop: '192.0.2.7', label: 5000, targets: [parseRouteTarget('64512:1')], ...over});
const host = {peers: {'192.168.100.2': 'h2'}, gateways: {gw1: {address: '192.0.2.7', vnis: {'5000': 77000}}}};

describe('translating a remote route', () => {
	it('an nsdeck host (named in the route, or a known peer by its next hop): label = VNI', () => {
		expect(translateRemote(route({host: 'h9', nexthop: '192.168.100.9'}), host)).toEqual({by: {kind: 'host', name: 'h9'}, vni: 5000});
		expect(translateRemote(route({nexthop: '192.168.100.2'}), host)).toEqual({by: {kind: 'host', name: 'h2'}, vni: 5000});
		expect(translateRemote(route({nexthop: '192.168.100.2'}), undefined)).toMatchObject({by: {kind: 'router', name: '192.168.100.2'}});
	});

	it('a declared gateway: its label mapped to the VNI of its leg, or unusable with the command that maps it', () => {
		expect(translateRemote(route(), host)).toEqual({by: {kind: 'gateway', name: 'gw1'}, vni: 77000});
		expect(translateRemote(route({label: 5001}), host)).toEqual({by: {kind: 'gateway', name: 'gw1'}, unusable: 'label 5001 of gateway gw1 has no VNI (nsdeck host set --gateway-vni gw1=5001:VNI)'});
	});

	it('an unknown router: named by its originator (else its next hop); installed only when it says VXLAN', () => {
		expect(translateRemote(route({nexthop: '203.0.113.1', originator: '10.255.0.1'}), host)).toEqual({
			by: {kind: 'router', name: '10.255.0.1'},
			unusable: 'label 5000 from router 10.255.0.1 (next hop 203.0.113.1) is not a VNI: the route does not say VXLAN and no gateway is declared at 203.0.113.1 (nsdeck host set --gateway NAME=203.0.113.1 --gateway-vni NAME=5000:VNI)',
		});
		expect(translateRemote(route({nexthop: '203.0.113.1', originator: '0.0.0.0'}), host).by).toEqual({kind: 'router', name: '203.0.113.1'});
		expect(translateRemote(route({nexthop: '203.0.113.1', encap: 'vxlan'}), host)).toEqual({by: {kind: 'router', name: '203.0.113.1'}, vni: 5000});
	});

	it('a label that cannot be a VNI is never installed, whoever sent it', () => {
		expect(translateRemote(route({host: 'h9', nexthop: '192.168.100.9', label: 0}), host)).toEqual({by: {kind: 'host', name: 'h9'}, unusable: `label 0 from host h9 is not a VNI (1-${VXLAN_VNI_MAX})`});
		expect(translateRemote(route({host: 'h9', nexthop: '192.168.100.9', label: VXLAN_VNI_MAX + 1}), host).unusable).toContain('is not a VNI');
		expect(translateRemote(route({host: 'h9', nexthop: '192.168.100.9', label: 1}), host).vni).toBe(1);
		expect(translateRemote(route({host: 'h9', nexthop: '192.168.100.9', label: VXLAN_VNI_MAX}), host).vni).toBe(VXLAN_VNI_MAX);
	});
});

describe('--gateway-vni LABEL[:VNI]', () => {
	it('takes a label alone (VNI = label) or with its VNI, at both ends of each range', () => {
		expect(parseLabelVni('16')).toEqual({label: 16, vni: 16});
		expect(parseLabelVni(`${VNI_MAX}:1`)).toEqual({label: VNI_MAX, vni: 1});
		expect(parseLabelVni(`5000:${VXLAN_VNI_MAX}`)).toEqual({label: 5000, vni: VXLAN_VNI_MAX});
	});

	it.each(['15', String(VNI_MAX + 1), '5000:0', `5000:${VXLAN_VNI_MAX + 1}`, 'x', '5000:', ':5', '50 00', '12345678'])('refuses %j', text => {
		expect(() => parseLabelVni(text)).toThrow(`invalid label mapping '${text}': expected LABEL[:VNI], a label of 16-${VNI_MAX} and a VNI of 1-${VXLAN_VNI_MAX}`);
	});
});
