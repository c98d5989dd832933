import {describe, expect, it} from 'vitest';
import {diffModels} from '../../source/core/diff.js';
import {explainRoute} from '../../source/core/explain.js';
import type {RemoteRoute, RoutingModel, TargetEntry} from '../../source/core/model.js';
import {deriveVni, nthBlock, parseBlock, vtepMac, vxlanIf} from '../../source/core/overlay.js';
import {parsePrefix} from '../../source/core/ipv4.js';
import {resolve} from '../../source/core/resolver.js';
import {parseRouteTarget} from '../../source/core/rt.js';

const t = (rt: string, dir: 'both' | 'import' | 'export' = 'both'): TargetEntry =>
	({rt: parseRouteTarget(rt), auto: false, import: dir !== 'export', export: dir !== 'import'}) as TargetEntry;
const remote = (prefix: string, rt: string, rd = '192.168.100.2:1'): RemoteRoute => ({prefix, rd, nexthop: '192.168.100.2', label: 4242, targets: [parseRouteTarget(rt)], host: 'h2'});

const base: RoutingModel = {
	networks: [{name: 'blue', targets: [t('64512:1')]}, {name: 'red', targets: [t('64512:2')]}],
	locals: [{prefix: '10.1.0.2/32', network: 'blue', app: 'a', role: 'in'}],
	externals: [],
	remotes: [remote('10.1.1.5/32', '64512:1'), remote('10.2.1.5/32', '64512:2', '192.168.100.2:2')],
};

describe('remote routes (other hosts, over BGP) in the resolver', () => {
	it('a VRF holds a remote route when one of its targets is imported, with host, RD, next hop and label', () => {
		const blue = resolve(base).get('blue')!;
		expect(blue.map(r => r.prefix)).toEqual(['10.1.0.2/32', '10.1.1.5/32']);
		expect(blue[1]!.origin).toEqual({kind: 'remote', host: 'h2', rd: '192.168.100.2:1', nexthop: '192.168.100.2', label: 4242, targets: ['target:64512:1']});
		expect(resolve(base).get('red')!.map(r => r.prefix)).toEqual(['10.2.1.5/32']);
	});

	it('a local route wins over a remote one for the same prefix', () => {
		const m = {...base, remotes: [...base.remotes!, remote('10.1.0.2/32', '64512:1', '192.168.100.2:9')]};
		expect(resolve(m).get('blue')!.find(r => r.prefix === '10.1.0.2/32')!.origin.kind).toBe('local');
	});

	it('an import-only target edit shows the remote routes gained; a changed remote route marks its importers', () => {
		const after = {...base, networks: base.networks.map(n => (n.name === 'red' ? {...n, targets: [...n.targets, t('64512:1', 'import')]} : n))};
		const d = diffModels(base, after);
		expect(d.vrfs.find(v => v.network === 'red')!.gained.map(r => [r.prefix, r.origin.kind])).toEqual([['10.1.0.2/32', 'imported'], ['10.1.1.5/32', 'remote']]);
		const moved = {...base, remotes: [remote('10.1.1.5/32', '64512:2'), base.remotes![1]!]};
		const d2 = diffModels(base, moved);
		expect(d2.vrfs.map(v => v.network).sort()).toEqual(['blue', 'red']);
	});

	it('explains where a remote route comes from, and which target would bring it in', () => {
		expect(explainRoute(base, 'blue', '10.1.1.5').lines[0]).toContain('comes from host h2 (RD 192.168.100.2:1, next hop 192.168.100.2');
		const e = explainRoute(base, 'red', '10.1.1.5');
		expect(e.held).toBe(false);
		expect(e.lines.join('\n')).toContain('nsdeck rt add red target:64512:1 --import-only');
	});
});

describe('overlay naming', () => {
	it('derives the same VNI from the same name, a MAC from the VTEP, interface names within 15 bytes', () => {
		expect(deriveVni('blue')).toBe(deriveVni('blue'));
		expect(deriveVni('blue')).toBeGreaterThanOrEqual(10_000);
		expect(deriveVni('blue')).toBeLessThan(100_000);
		expect(vtepMac('192.168.100.2')).toBe('02:00:c0:a8:64:02');
		expect(vxlanIf('abcdefgh', 1_048_575)).toBe('abcdefghvx~mh33');
		expect(vxlanIf('abcdefgh', 1_048_574)).not.toBe(vxlanIf('abcdefgh', 1_048_575));
		expect(vxlanIf('abcdefg', 99_999)).toBe('abcdefgvx99999');
		expect(vxlanIf('t1-', 12345)).toBe('t1-vx12345');
	});

	it('carves blocks from a subnet and refuses one outside it', () => {
		expect(nthBlock('10.50.0.0/16', 24, 2)).toBe('10.50.2.0/24');
		expect(() => parseBlock('10.51.0.0/24', parsePrefix('10.50.0.0/16'))).toThrow('is not inside subnet');
	});
});
