import {describe, expect, it} from 'vitest';
import {diffModels} from '../../source/core/diff.js';
import {Reach} from '../../source/core/legs.js';
import {explainRoute} from '../../source/core/explain.js';
import type {NetworkRouting, RoutingModel, TargetEntry} from '../../source/core/model.js';
import {resolve} from '../../source/core/resolver.js';
import {parseRouteTarget} from '../../source/core/rt.js';

const t = (rt: string, dir: 'both' | 'import' | 'export' = 'both'): TargetEntry =>
	({rt: parseRouteTarget(rt), auto: false, import: dir !== 'export', export: dir !== 'import'}) as TargetEntry;
const net = (name: string, ...targets: TargetEntry[]): NetworkRouting => ({name, targets});

const base: RoutingModel = {
	networks: [net('blue', t('64512:1')), net('red', t('64512:2')), net('green', t('64512:3'))],
	locals: [
		{prefix: '10.1.0.2/32', network: 'blue', app: 'a', role: 'in'},
		{prefix: '10.1.0.10/32', network: 'blue', app: 'c', role: 'in'},
		{prefix: '10.2.0.2/32', network: 'red', app: 'b', role: 'in'},
		{prefix: '10.3.0.2/32', network: 'green', app: 's', role: 'out'},
	],
	externals: [{prefix: '0.0.0.0/0', via: '192.0.2.1', targets: [parseRouteTarget('64512:900')]}],
};

const prefixes = (m: RoutingModel, vrf: string) => (resolve(m).get(vrf) ?? []).map(r => r.prefix);
const withTargets = (m: RoutingModel, name: string, ...targets: TargetEntry[]): RoutingModel => ({
	...m,
	networks: m.networks.map(n => (n.name === name ? {...n, targets: [...n.targets, ...targets]} : n)),
});

describe('route-target resolver', () => {
	it('keeps networks apart when no target is shared, numerically sorted', () => {
		expect(prefixes(base, 'blue')).toEqual(['10.1.0.2/32', '10.1.0.10/32']);
		expect(prefixes(base, 'red')).toEqual(['10.2.0.2/32']);
	});

	it('leaks a route only into a VRF that imports one of its exporter\'s targets, with the reason', () => {
		const m = withTargets(base, 'red', t('64512:1', 'import'));
		expect(prefixes(m, 'red')).toEqual(['10.1.0.2/32', '10.1.0.10/32', '10.2.0.2/32']);
		expect(prefixes(m, 'blue')).toEqual(['10.1.0.2/32', '10.1.0.10/32']);
		const r = resolve(m).get('red')!.find(x => x.prefix === '10.1.0.2/32')!;
		expect(r.origin).toEqual({kind: 'imported', from: 'blue', app: 'a', role: 'in', targets: ['target:64512:1']});
	});

	it('does not re-export imported routes', () => {
		// green imports red's target; red imports blue's: blue's routes must not reach green through red
		let m = withTargets(base, 'red', t('64512:1', 'import'));
		m = withTargets(m, 'green', t('64512:2', 'import'));
		expect(prefixes(m, 'green')).toEqual(['10.2.0.2/32', '10.3.0.2/32']);
	});

	it('an export-only target sends routes out without pulling any in', () => {
		const m = withTargets(withTargets(base, 'blue', t('64512:50', 'export')), 'red', t('64512:50', 'import'));
		expect(prefixes(m, 'red')).toContain('10.1.0.2/32');
		expect(prefixes(m, 'blue')).not.toContain('10.2.0.2/32');
	});

	it('brings in an external route only with an import-only target', () => {
		expect(prefixes(base, 'green')).not.toContain('0.0.0.0/0');
		const m = withTargets(base, 'green', t('64512:900', 'import'));
		expect(resolve(m).get('green')![0]).toEqual({prefix: '0.0.0.0/0', origin: {kind: 'external', via: '192.0.2.1', targets: ['target:64512:900']}});
	});

	it('diffs an edit: routes gained per VRF and the apps whose reachability changes', () => {
		const after = withTargets(base, 'red', t('64512:1', 'import'));
		const d = diffModels(base, after);
		expect(d.vrfs).toHaveLength(1);
		expect(d.vrfs[0]!.network).toBe('red');
		expect(d.vrfs[0]!.gained.map(r => r.prefix)).toEqual(['10.1.0.2/32', '10.1.0.10/32']);
		expect(d.vrfs[0]!.lost).toEqual([]);
		// red holds blue's routes now, but blue still cannot answer red: a one-way leak makes nobody reachable
		expect(d.apps).toEqual([]);
		const back = diffModels(after, base);
		expect(back.vrfs[0]!.lost.map(r => r.prefix)).toEqual(['10.1.0.2/32', '10.1.0.10/32']);
		// the way back: blue imports red too, and now both sides reach each other (both legs)
		const both = diffModels(after, withTargets(after, 'blue', t('64512:2', 'import')));
		expect(both.apps).toEqual([
			{app: 'a', network: 'blue', role: 'in', gained: ['10.2.0.2/32'], lost: []},
			{app: 'b', network: 'red', role: 'in', gained: ['10.1.0.2/32', '10.1.0.10/32'], lost: []},
			{app: 'c', network: 'blue', role: 'in', gained: ['10.2.0.2/32'], lost: []},
		]);
	});

	it('counts both legs for an app with an outbound network: its inbound subnet answers by veth0, leaked peers by the outbound VRF', () => {
		const m: RoutingModel = {
			networks: [{...net('blue', t('64512:1')), subnet: '10.1.0.0/24'}, {...net('red', t('64512:2')), subnet: '10.2.0.0/24'}, {...net('green', t('64512:3')), subnet: '10.3.0.0/24'}],
			locals: [
				{prefix: '10.1.0.2/32', network: 'blue', app: 'client', role: 'in'},
				{prefix: '10.1.0.3/32', network: 'blue', app: 'web', role: 'in'},
				{prefix: '10.3.0.2/32', network: 'green', app: 'web', role: 'out'},
				{prefix: '10.2.0.2/32', network: 'red', app: 'far', role: 'in'},
			],
			externals: [],
		};
		const r = new Reach(m);
		expect(r.legs('client', '10.1.0.3')).toMatchObject({reachable: true, legs: [{direction: 'request', vrf: 'blue', ok: true}, {direction: 'reply', vrf: 'blue', ok: true}]});
		// far and blue leak both ways, but web's reply to far leaves by its default route into green
		const leaked = withTargets(withTargets(m, 'blue', t('64512:2', 'import')), 'red', t('64512:1', 'import'));
		const far = new Reach(leaked).legs('far', '10.1.0.3');
		expect(far.reachable).toBe(false);
		expect(far.legs[1]).toMatchObject({direction: 'reply', from: {app: 'web', address: '10.1.0.3', role: 'out'}, vrf: 'green', ok: false, fix: 'nsdeck rt add green target:64512:2 --import-only'});
		const fixed = diffModels(leaked, withTargets(leaked, 'green', t('64512:2', 'import')));
		// clearing web's outbound network: it sends from blue now, which holds no uplink: the uplink is lost
		const uplink: RoutingModel = {...withTargets(m, 'green', t('64512:900', 'import')), externals: [{prefix: '0.0.0.0/0', via: '192.0.2.1', targets: [parseRouteTarget('64512:900')]}]};
		const cleared = {...uplink, locals: uplink.locals.filter(l => !(l.app === 'web' && l.role === 'out'))};
		expect(diffModels(uplink, cleared).apps).toEqual([{app: 'web', network: 'green', role: 'out', gained: [], lost: ['0.0.0.0/0']}]);
		// far now reaches web; web does not reach far (its request leaves from 10.3.0.2, which red does not hold)
		expect(fixed.apps.map(a => [a.app, a.gained])).toEqual([['far', ['10.1.0.3/32']]]);
	});

	it('diffs an export change into every importer, and a new app into its importers', () => {
		const m = withTargets(base, 'red', t('64512:1', 'import'));
		const moved = {...m, networks: m.networks.map(n => (n.name === 'blue' ? net('blue', t('64512:7')) : n))};
		expect(diffModels(m, moved).vrfs.map(v => [v.network, v.lost.length])).toEqual([['red', 2]]);
		const more = {...m, locals: [...m.locals, {prefix: '10.1.0.3/32', network: 'blue', app: 'd', role: 'in' as const}]};
		expect(diffModels(m, more).vrfs.map(v => v.network).sort()).toEqual(['blue', 'red']);
	});

	it('explains a missing route and names the target that would bring it in', () => {
		const e = explainRoute(base, 'red', '10.1.0.2');
		expect(e.held).toBe(false);
		expect(e.lines.join('\n')).toContain('nsdeck rt add red target:64512:1 --import-only');
		expect(e.lines.join('\n')).toContain("unreachable default");
		const held = explainRoute(withTargets(base, 'red', t('64512:1', 'import')), 'red', '10.1.0.2/32');
		expect(held.held).toBe(true);
		expect(held.lines[0]).toContain('blue exports target:64512:1, which red imports');
	});
});
