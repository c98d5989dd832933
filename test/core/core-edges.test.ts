// Pure tests of source/core at its edges: each boundary from both sides, each branch of the resolver's precedence,
// what a diff reports when only one kind of thing changed, and every sentence explain can say. Written against the
// surviving mutants of `npm run mutation` (bench/mutation.ts).
import {describe, expect, it} from 'vitest';
import {affectedVrfs, diffModels} from '../../source/core/diff.js';
import {fail, OperationError, UsageError} from '../../source/core/errors.js';
import {explainRoute} from '../../source/core/explain.js';
import {formatIpv4, formatPrefix, hostRoute, inPool, nextFree, parseIpv4, parsePrefix, parseSubnet, prefixContains, prefixesOverlap} from '../../source/core/ipv4.js';
import {directionOf, markOf, membership, type NetworkRouting, type RemoteRoute, type RoutingModel, type TargetEntry} from '../../source/core/model.js';
import {APP_GATEWAY, checkName, checkPrefix, names, NAME_MAX} from '../../source/core/names.js';
import {gatewayDistinguisher, nthBlock, parseBlock, parseVni, parseVtep, routeDistinguisher, VNI_MAX, vrfDistinguisher, vtepMac, vxlanIf} from '../../source/core/overlay.js';
import {indexModel, resolve, resolveVrf} from '../../source/core/resolver.js';
import {parseRouteTarget} from '../../source/core/rt.js';

const t = (rt: string, dir: 'both' | 'import' | 'export' = 'both'): TargetEntry =>
	({rt: parseRouteTarget(rt), auto: false, import: dir !== 'export', export: dir !== 'import'}) as TargetEntry;
const net = (name: string, ...targets: TargetEntry[]): NetworkRouting => ({name, targets});
const rts = (...xs: string[]) => xs.map(parseRouteTarget);

describe('errors', () => {
	it('name their kind, which the CLI maps to exit 2 (usage) or 1 (operation)', () => {
		expect(new UsageError('x').name).toBe('UsageError');
		expect(new OperationError('x').name).toBe('OperationError');
		expect(() => fail('bad')).toThrow(UsageError);
		expect(String(new UsageError('bad'))).toBe('UsageError: bad');
	});
});

describe('IPv4 at its boundaries', () => {
	it('says what it was parsing', () => {
		expect(() => parseIpv4('1.2.3')).toThrow("invalid address: '1.2.3' is not an IPv4 address");
		expect(() => parsePrefix('x/8')).toThrow("invalid prefix: 'x' is not an IPv4 address");
		expect(() => parseSubnet('10.0.0.0/7')).toThrow("invalid subnet '10.0.0.0/7'");
		expect(() => parseSubnet('x/24')).toThrow("invalid subnet: 'x' is not an IPv4 address");
	});

	it('takes a prefix only whole: nothing before, after or around it but blanks', () => {
		expect(parsePrefix(' 10.1.0.0/24 ')).toEqual(parsePrefix('10.1.0.0/24'));
		expect(() => parsePrefix('x10.1.0.0/24')).toThrow();
		expect(() => parsePrefix('10.1.0.0/24x')).toThrow('is not A.B.C.D/N');
		expect(() => parsePrefix('10.1.0.0/240')).toThrow('is not A.B.C.D/N');
		expect(() => parsePrefix('10.1.0.0/2/4')).toThrow('is not A.B.C.D/N');
	});

	it('/0 and /32 masks: every address is in 0.0.0.0/0, only itself in a /32', () => {
		const all = parsePrefix('0.0.0.0/0');
		expect(prefixContains(all, parseIpv4('255.255.255.255'))).toBe(true);
		expect(prefixContains(all, 0)).toBe(true);
		const one = parsePrefix('10.0.0.1/32');
		expect(prefixContains(one, parseIpv4('10.0.0.1'))).toBe(true);
		expect(prefixContains(one, parseIpv4('10.0.0.0'))).toBe(false);
		expect(() => parsePrefix('10.0.0.1/31')).toThrow('did you mean 10.0.0.0/31?');
	});

	it('subnets /8 and /30 are the accepted ends', () => {
		expect(parseSubnet('10.0.0.0/8').length).toBe(8);
		expect(parseSubnet('10.0.0.0/30').length).toBe(30);
		expect(() => parseSubnet('10.0.0.0/31')).toThrow('between /8 and /30');
	});

	it('overlap of equal lengths, and of a longer prefix given first', () => {
		expect(prefixesOverlap(parsePrefix('10.1.0.0/24'), parsePrefix('10.1.0.0/24'))).toBe(true);
		expect(prefixesOverlap(parsePrefix('10.1.0.0/24'), parsePrefix('10.1.1.0/24'))).toBe(false);
		expect(prefixesOverlap(parsePrefix('10.1.1.0/24'), parsePrefix('10.1.0.0/16'))).toBe(true);
		expect(prefixesOverlap(parsePrefix('10.2.1.0/24'), parsePrefix('10.1.0.0/16'))).toBe(false);
	});

	it('the pool\'s first and last addresses are in it, one either side is not', () => {
		const s = parseSubnet('10.1.0.0/24');
		expect(inPool(s, parseIpv4('10.1.0.2'))).toBe(true);
		expect(inPool(s, parseIpv4('10.1.0.254'))).toBe(true);
		expect(inPool(s, parseIpv4('10.1.0.1'))).toBe(false);
		expect(inPool(s, parseIpv4('10.1.0.255'))).toBe(false);
		expect(hostRoute(parseIpv4('10.1.0.7'))).toBe('10.1.0.7/32');
	});

	it('a host\'s block narrows the pool from both ends', () => {
		const s = parseSubnet('10.50.0.0/16');
		const block = parsePrefix('10.50.1.0/30');
		const leased = new Set<number>();
		const got: string[] = [];
		for (let ip = nextFree(s, leased, block); ip !== undefined; ip = nextFree(s, leased, block)) {
			leased.add(ip);
			got.push(formatIpv4(ip));
		}
		expect(got).toEqual(['10.50.1.0', '10.50.1.1', '10.50.1.2', '10.50.1.3']);
		// the block's start is below the pool's first address: the pool wins
		expect(formatIpv4(nextFree(s, new Set(), parsePrefix('10.50.0.0/24'))!)).toBe('10.50.0.2');
		// the block's end is past the pool's last address: the pool wins
		const tail = new Set<number>();
		for (let i = 0; i < 253; i++) tail.add(parseIpv4('10.50.255.0') + i);
		expect(formatIpv4(nextFree(s, tail, parsePrefix('10.50.255.0/24'))!)).toBe('10.50.255.253');
		tail.add(parseIpv4('10.50.255.253'));
		tail.add(parseIpv4('10.50.255.254'));
		expect(nextFree(s, tail, parsePrefix('10.50.255.0/24'))).toBeUndefined();
	});
});

describe('memberships', () => {
	it('maps directions to memberships and back, and to the matrix marks', () => {
		expect(membership('import')).toEqual({import: true, export: false});
		expect(membership('export')).toEqual({import: false, export: true});
		expect(membership('both')).toEqual({import: true, export: true});
		for (const d of ['import', 'export', 'both'] as const) expect(directionOf(membership(d))).toBe(d);
		expect(markOf(membership('import'))).toBe('I');
		expect(markOf(membership('export'))).toBe('E');
		expect(markOf(membership('both'))).toBe('IE');
	});
});

describe('names at their limits', () => {
	it('32 characters is a name, 33 is not; a trailing dot is refused, a leading letter with dots inside is not', () => {
		expect(checkName('app', 'a'.repeat(NAME_MAX))).toBe('a'.repeat(32));
		expect(() => checkName('network', 'a'.repeat(33))).toThrow("invalid network name 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa': longer than 32");
		expect(() => checkName('app', 'a.')).toThrow("invalid app name 'a.'");
		expect(checkName('app', 'a.b')).toBe('a.b');
		expect(checkName('app', 'a..b')).toBe('a..b');
		expect(() => checkName('app', '')).toThrow('invalid app name: empty');
		expect(checkPrefix('')).toBe('');
		expect(checkPrefix('abcdefg-')).toBe('abcdefg-');
	});

	it('names the host\'s own namespaces and links, and maps only real app namespaces back', () => {
		const n = names('t1-');
		expect(n.vrouter).toBe('t1-nsdeck-vr');
		expect(n.gateway).toBe('t1-nsdeck-gw');
		expect(n.gatewayIf).toBe('t1-gw0');
		expect(n.appOf('t1-ns-')).toBeUndefined();
		expect(n.appOf('t1-ns-x')).toBe('x');
		expect(n.appOf('t1-nsdeck-vr')).toBeUndefined();
		expect(n.appOf('t2-ns-x')).toBeUndefined();
		expect(APP_GATEWAY).toBe('169.254.1.1');
	});
});

describe('route targets at their limits', () => {
	it('trims blanks, and takes the smallest and largest of each encoding', () => {
		expect(parseRouteTarget(' 64512:1 ')).toBe('target:64512:1');
		expect(parseRouteTarget('1:0')).toBe('target:1:0');
		expect(parseRouteTarget('65535:4294967295')).toBe('target:65535:4294967295');
		expect(parseRouteTarget('65536:65535')).toBe('target:65536:65535');
		expect(parseRouteTarget('4294967295:65535')).toBe('target:4294967295:65535');
		expect(() => parseRouteTarget('65536:65536')).toThrow('with a 4-byte ASN the value must be 0-65535');
		expect(() => parseRouteTarget('65535:4294967296')).toThrow('with a 2-byte ASN');
		expect(() => parseRouteTarget('4294967296:0')).toThrow('ASN must be at most 4294967295');
	});

	it('needs something on both sides of the last colon', () => {
		expect(() => parseRouteTarget(':5')).toThrow('expected ASN:N');
		expect(() => parseRouteTarget('target::5')).toThrow('expected ASN:N');
		expect(() => parseRouteTarget('999.0.0.1:5')).toThrow("invalid route target '999.0.0.1:5': '999.0.0.1' is not an IPv4 address");
	});
});

describe('overlay values', () => {
	it('VNIs 1 to 2^20-2; 0, 2^20-1 and garbage are refused', () => {
		expect(parseVni('1')).toBe(1);
		expect(parseVni(String(VNI_MAX - 1))).toBe(VNI_MAX - 1);
		for (const bad of ['0', String(VNI_MAX), '123456789', 'x1', '1x', '', '-1']) expect(() => parseVni(bad), bad).toThrow(`invalid VNI '${bad}': expected a number from 1 to ${VNI_MAX - 1}`);
	});

	it('VXLAN device names: decimal up to 15 bytes, base 36 beyond', () => {
		expect(vxlanIf('abcdefg-', 12345)).toBe('abcdefg-vx12345');
		expect(vxlanIf('abcdefgh', 12345)).toBe('abcdefghvx12345');
		expect(vxlanIf('abcdefgh', 123456)).toBe('abcdefghvx~2n9c');
	});

	it('VTEP addresses: unicast only, returned normalised', () => {
		expect(parseVtep('192.168.100.1')).toBe('192.168.100.1');
		expect(parseVtep('1.0.0.1')).toBe('1.0.0.1');
		expect(parseVtep('223.255.255.255')).toBe('223.255.255.255');
		expect(parseVtep('126.0.0.1')).toBe('126.0.0.1');
		for (const bad of ['0.1.2.3', '127.0.0.1', '224.0.0.1', '255.255.255.255']) expect(() => parseVtep(bad), bad).toThrow(`invalid VTEP address '${bad}'`);
		expect(() => parseVtep('1.2.3')).toThrow("invalid VTEP address: '1.2.3' is not an IPv4 address");
		expect(vtepMac('192.168.100.10')).toBe('02:00:c0:a8:64:0a');
	});

	it('an address block lies inside its subnet, no longer than /30', () => {
		const s = parseSubnet('10.50.0.0/16');
		expect(formatPrefix(parseBlock('10.50.0.0/16', s))).toBe('10.50.0.0/16');
		expect(formatPrefix(parseBlock('10.50.3.0/30', s))).toBe('10.50.3.0/30');
		expect(() => parseBlock('10.0.0.0/8', s)).toThrow('address block 10.0.0.0/8 is not inside subnet 10.50.0.0/16');
		expect(() => parseBlock('10.51.0.0/24', s)).toThrow('is not inside subnet');
		expect(() => parseBlock('10.50.0.0/31', s)).toThrow("invalid address block '10.50.0.0/31': length must be at most /30");
		expect(() => parseBlock('x', s)).toThrow("invalid address block: 'x' is not A.B.C.D/N");
	});

	it('nthBlock counts blocks from 0 and refuses one too many or a block larger than the subnet', () => {
		expect(nthBlock('10.50.0.0/16', 16, 0)).toBe('10.50.0.0/16');
		expect(nthBlock('10.50.0.0/16', 18, 3)).toBe('10.50.192.0/18');
		expect(() => nthBlock('10.50.0.0/16', 18, 4)).toThrow('subnet 10.50.0.0/16 has only 4 blocks of /18');
		expect(() => nthBlock('10.50.0.0/16', 15, 0)).toThrow('block /15 is larger than subnet 10.50.0.0/16');
	});

	it('distinguishers: the gateway\'s ends in :0, a network\'s paths VTEP:id, its VRF VTEP:32768+id', () => {
		expect(gatewayDistinguisher('192.168.100.1')).toBe('192.168.100.1:0');
		expect(routeDistinguisher('192.168.100.1', 7)).toBe('192.168.100.1:7');
		expect(vrfDistinguisher('192.168.100.1', 7)).toBe('192.168.100.1:32775');
		expect(vrfDistinguisher('192.168.100.1', 32_768)).toBe('192.168.100.1:32768');
	});
});

describe('the resolver\'s precedence and targets', () => {
	const remote = (prefix: string, rd: string, ...targets: string[]): RemoteRoute => ({prefix, rd, nexthop: '192.168.100.2', label: 7, targets: rts(...targets)});

	it('lists every target that brings an imported route in, and only once per exporter', () => {
		const m: RoutingModel = {
			networks: [net('blue', t('64512:1'), t('64512:2', 'export')), net('red', t('64512:1', 'import'), t('64512:2', 'import'))],
			locals: [{prefix: '10.1.0.2/32', network: 'blue', app: 'a', role: 'in'}],
			externals: [],
		};
		expect(resolve(m).get('red')).toEqual([{prefix: '10.1.0.2/32', origin: {kind: 'imported', from: 'blue', app: 'a', role: 'in', targets: rts('64512:1', '64512:2')}}]);
	});

	it('a prefix local to a VRF stays local even when another network exports the same prefix into it', () => {
		const m: RoutingModel = {
			networks: [net('blue', t('64512:1')), net('red', t('64512:2'), t('64512:1', 'import'))],
			locals: [{prefix: '10.9.0.2/32', network: 'blue', app: 'a', role: 'in'}, {prefix: '10.9.0.2/32', network: 'red', app: 'b', role: 'out'}],
			externals: [{prefix: '10.9.0.2/32', via: '192.0.2.1', targets: rts('64512:1')}],
			remotes: [remote('10.9.0.2/32', '1.1.1.1:1', '64512:1')],
		};
		expect(resolve(m).get('red')).toEqual([{prefix: '10.9.0.2/32', origin: {kind: 'local', app: 'b', role: 'out'}}]);
	});

	it('imported beats remote beats external for one prefix', () => {
		const base: RoutingModel = {
			networks: [net('blue', t('64512:1')), net('red', t('64512:1', 'import'), t('64512:5', 'import'))],
			locals: [{prefix: '10.9.0.2/32', network: 'blue', app: 'a', role: 'in'}],
			externals: [{prefix: '10.9.0.2/32', via: '192.0.2.1', targets: rts('64512:5')}],
			remotes: [remote('10.9.0.2/32', '1.1.1.1:1', '64512:5')],
		};
		expect(resolve(base).get('red')![0]!.origin.kind).toBe('imported');
		const noLocal = {...base, locals: []};
		expect(resolve(noLocal).get('red')![0]!.origin.kind).toBe('remote');
		const onlyExternal = {...noLocal, remotes: []};
		expect(resolve(onlyExternal).get('red')).toEqual([{prefix: '10.9.0.2/32', origin: {kind: 'external', via: '192.0.2.1', targets: rts('64512:5')}}]);
	});

	it('one path per remote prefix: the lowest RD, with every imported target of that path', () => {
		const m: RoutingModel = {
			networks: [net('red', t('64512:5', 'import'), t('64512:6', 'import'))],
			locals: [],
			externals: [],
			remotes: [remote('10.9.0.0/24', '2.2.2.2:1', '64512:5'), remote('10.9.0.0/24', '1.1.1.1:1', '64512:5', '64512:6'), remote('10.9.0.0/24', '3.3.3.3:1', '64512:6')],
		};
		const [r] = resolve(m).get('red')!;
		expect(r!.origin).toMatchObject({kind: 'remote', rd: '1.1.1.1:1', targets: rts('64512:5', '64512:6')});
		expect(r!.origin).not.toHaveProperty('host');
	});

	it('an external route carried by two imported targets lists both', () => {
		const m: RoutingModel = {networks: [net('red', t('64512:5', 'import'), t('64512:6', 'import'))], locals: [], externals: [{prefix: '0.0.0.0/0', via: '192.0.2.1', targets: rts('64512:5', '64512:6', '64512:5')}]};
		expect(resolve(m).get('red')![0]!.origin).toEqual({kind: 'external', via: '192.0.2.1', targets: rts('64512:5', '64512:6')});
	});

	it('a network that exports a target it also imports does not import from itself', () => {
		const m: RoutingModel = {networks: [net('blue', t('64512:1'))], locals: [{prefix: '10.1.0.2/32', network: 'blue', app: 'a', role: 'in'}], externals: []};
		expect(resolveVrf(indexModel(m), 'blue')).toEqual([{prefix: '10.1.0.2/32', origin: {kind: 'local', app: 'a', role: 'in'}}]);
		expect(resolveVrf(indexModel(m), 'nosuch')).toEqual([]);
	});

	it('sorts by address, then shorter prefix first, whatever the order they came in', () => {
		const m: RoutingModel = {
			networks: [net('red', t('64512:5', 'import'))],
			locals: [],
			externals: ['10.1.0.0/24', '10.1.0.0/16', '10.1.0.10/32', '10.1.0.9/32', '0.0.0.0/0', '10.1.0.0/32'].map(prefix => ({prefix, via: '192.0.2.1', targets: rts('64512:5')})),
		};
		expect(resolve(m).get('red')!.map(r => r.prefix)).toEqual(['0.0.0.0/0', '10.1.0.0/16', '10.1.0.0/24', '10.1.0.0/32', '10.1.0.9/32', '10.1.0.10/32']);
	});
});

describe('diffs when one kind of thing changes', () => {
	const base: RoutingModel = {
		networks: [net('blue', t('64512:1')), net('red', t('64512:2'), t('64512:1', 'import')), net('green', t('64512:3'))],
		locals: [{prefix: '10.1.0.2/32', network: 'blue', app: 'a', role: 'in'}, {prefix: '10.2.0.2/32', network: 'red', app: 'r', role: 'in'}],
		externals: [],
		remotes: [],
	};

	it('nothing changed: no VRF, no app', () => {
		expect(diffModels(base, {...base, networks: [...base.networks], locals: [...base.locals], externals: [], remotes: []})).toEqual({vrfs: [], apps: []});
		expect(affectedVrfs(indexModel(base), indexModel({...base, locals: [...base.locals]})).size).toBe(0);
	});

	// blue and red leak both ways here, so both legs of a conversation between them work
	const both = (): RoutingModel => ({...base, networks: [net('blue', t('64512:1'), t('64512:2', 'import')), base.networks[1]!, base.networks[2]!]});

	it('an app bound: its VRF and every importer gain it; every app that now reaches it both ways says so, and it says what it reaches', () => {
		const m = both();
		const after = {...m, locals: [...m.locals, {prefix: '10.1.0.3/32', network: 'blue', app: 'b', role: 'in' as const}]};
		const d = diffModels(m, after);
		expect(d.vrfs.map(v => [v.network, v.gained.map(r => r.prefix), v.lost.length])).toEqual([['blue', ['10.1.0.3/32'], 0], ['red', ['10.1.0.3/32'], 0]]);
		expect(d.apps).toEqual([
			{app: 'a', network: 'blue', role: 'in', gained: ['10.1.0.3/32'], lost: []},
			{app: 'b', network: 'blue', role: 'in', gained: ['10.1.0.2/32', '10.2.0.2/32'], lost: []},
			{app: 'r', network: 'red', role: 'in', gained: ['10.1.0.3/32'], lost: []},
		]);
		// and unbinding it is the mirror image
		const back = diffModels(after, m);
		expect(back.vrfs.map(v => [v.network, v.gained.length, v.lost.map(r => r.prefix)])).toEqual([['blue', 0, ['10.1.0.3/32']], ['red', 0, ['10.1.0.3/32']]]);
		expect(back.apps.find(a => a.app === 'r')!.lost).toEqual(['10.1.0.3/32']);
	});

	it('one way only (red imports blue, blue not red): the route leaks, but nobody in red is said to reach the new app', () => {
		const after = {...base, locals: [...base.locals, {prefix: '10.1.0.3/32', network: 'blue', app: 'b', role: 'in' as const}]};
		const d = diffModels(base, after);
		expect(d.vrfs.map(v => v.network)).toEqual(['blue', 'red']);
		expect(d.apps.map(a => a.app)).toEqual(['a', 'b']);
	});

	it('an app moved to another address: its peers lose the old one and gain the new, it does not gain itself', () => {
		const m = both();
		const after = {...m, locals: [{prefix: '10.1.0.9/32', network: 'blue', app: 'a', role: 'in' as const}, m.locals[1]!]};
		const d = diffModels(m, after);
		expect(d.vrfs.find(v => v.network === 'blue')).toMatchObject({gained: [{prefix: '10.1.0.9/32'}], lost: [{prefix: '10.1.0.2/32'}]});
		expect(d.apps.find(a => a.app === 'r')).toEqual({app: 'r', network: 'red', role: 'in', gained: ['10.1.0.9/32'], lost: ['10.1.0.2/32']});
		expect(d.apps.find(a => a.app === 'a')?.gained ?? []).not.toContain('10.1.0.9/32');
	});

	it('an export removed: only the importers lose; an import added: only that VRF gains', () => {
		const noExport = {...base, networks: [net('blue', t('64512:1', 'import')), base.networks[1]!, base.networks[2]!]};
		const d = diffModels(base, noExport);
		expect(d.vrfs).toEqual([{network: 'red', gained: [], lost: [{prefix: '10.1.0.2/32', origin: {kind: 'imported', from: 'blue', app: 'a', role: 'in', targets: rts('64512:1')}}]}]);
		const greenImports = {...base, networks: [base.networks[0]!, base.networks[1]!, net('green', t('64512:3'), t('64512:2', 'import'))]};
		expect(diffModels(base, greenImports).vrfs.map(v => v.network)).toEqual(['green']);
	});

	it('a route whose reason changed (another target now brings it) is lost and gained in its VRF, and no app changes', () => {
		const two = {...base, networks: [net('blue', t('64512:1'), t('64512:7')), net('red', t('64512:2'), t('64512:1', 'import'), t('64512:7', 'import')), base.networks[2]!]};
		const d = diffModels(base, two);
		expect(d.vrfs).toHaveLength(1);
		expect(d.vrfs[0]!.network).toBe('red');
		expect(d.vrfs[0]!.gained[0]!.origin).toMatchObject({targets: rts('64512:1', '64512:7')});
		expect(d.vrfs[0]!.lost[0]!.origin).toMatchObject({targets: rts('64512:1')});
		expect(d.apps).toEqual([]);
	});

	it('a network added or removed with its own routes', () => {
		const added = {...base, networks: [...base.networks, net('pink', t('64512:1', 'import'))]};
		expect(diffModels(base, added).vrfs).toEqual([{network: 'pink', gained: [expect.objectContaining({prefix: '10.1.0.2/32'})], lost: []}]);
		expect(diffModels(added, base).vrfs).toEqual([{network: 'pink', gained: [], lost: [expect.objectContaining({prefix: '10.1.0.2/32'})]}]);
		expect(diffModels(base, {...base, networks: [...base.networks, net('bare')]}).vrfs).toEqual([]);
	});

	it('an external route added, moved to another next hop, retargeted or removed: only its importers change', () => {
		const m = {...base, networks: [...base.networks, net('out', t('64512:9', 'import'))]};
		const ext = (via: string, ...targets: string[]) => ({...m, externals: [{prefix: '0.0.0.0/0', via, targets: rts(...targets)}]});
		expect(diffModels(m, ext('192.0.2.1', '64512:9')).vrfs.map(v => v.network)).toEqual(['out']);
		expect(diffModels(ext('192.0.2.1', '64512:9'), ext('192.0.2.2', '64512:9')).vrfs).toEqual([{network: 'out', gained: [expect.objectContaining({origin: expect.objectContaining({via: '192.0.2.2'})})], lost: [expect.objectContaining({origin: expect.objectContaining({via: '192.0.2.1'})})]}]);
		expect(diffModels(ext('192.0.2.1', '64512:9'), ext('192.0.2.1', '64512:8')).vrfs.map(v => [v.network, v.lost.length])).toEqual([['out', 1]]);
		expect(diffModels(ext('192.0.2.1', '64512:9'), m).vrfs.map(v => [v.network, v.lost.length])).toEqual([['out', 1]]);
		// the same external routes in a new list: nothing
		expect(diffModels(ext('192.0.2.1', '64512:9', '64512:8'), ext('192.0.2.1', '64512:8', '64512:9')).vrfs).toEqual([]);
	});

	it('a remote route added, with a new next hop, or withdrawn: only its importers change', () => {
		const r = (nexthop: string): RemoteRoute => ({prefix: '10.7.0.5/32', rd: '9.9.9.9:1', nexthop, label: 7, targets: rts('64512:2')});
		const with1 = {...base, remotes: [r('192.168.100.2')]};
		expect(diffModels(base, with1).vrfs.map(v => v.network)).toEqual(['red']);
		expect(diffModels(with1, {...base, remotes: [r('192.168.100.3')]}).vrfs.map(v => [v.network, v.gained.length, v.lost.length])).toEqual([['red', 1, 1]]);
		expect(diffModels(with1, base).vrfs.map(v => [v.network, v.lost.length])).toEqual([['red', 1]]);
		expect(diffModels(with1, {...base, remotes: [r('192.168.100.2')]}).vrfs).toEqual([]);
		expect(diffModels({...base, remotes: undefined}, {...base, remotes: []}).vrfs).toEqual([]);
	});

	it('lists VRFs in name order', () => {
		const after = {...base, networks: base.networks.map(n => ({...n, targets: [...n.targets, t('64512:99', 'import')]})), externals: [{prefix: '0.0.0.0/0', via: '192.0.2.1', targets: rts('64512:99')}]};
		expect(diffModels(base, after).vrfs.map(v => v.network)).toEqual(['blue', 'green', 'red']);
	});
});

describe('every sentence explain can say', () => {
	const m: RoutingModel = {
		networks: [net('blue', t('64512:1')), net('red', t('64512:2'), t('64512:1', 'import'), t('64512:9', 'import'), t('64512:8', 'import')), net('mute', t('64512:0', 'import')), net('zero', t('64512:0'), t('64512:4'))],
		locals: [
			{prefix: '10.1.0.2/32', network: 'blue', app: 'a', role: 'in'},
			{prefix: '10.2.0.2/32', network: 'red', app: 'r', role: 'out'},
			{prefix: '10.3.0.2/32', network: 'mute', app: 'm', role: 'in'},
			{prefix: '10.4.0.2/32', network: 'zero', app: 'z', role: 'in'},
		],
		externals: [{prefix: '0.0.0.0/0', via: '192.0.2.1', targets: rts('64512:9')}, {prefix: '10.8.0.0/16', via: '192.0.2.7', targets: rts('64512:7')}],
		remotes: [
			{prefix: '10.6.0.0/24', rd: '1.1.1.1:1', nexthop: '192.168.100.2', label: 7, targets: rts('64512:8'), host: 'h2'},
			{prefix: '10.6.1.0/24', rd: '1.1.1.1:2', nexthop: '192.168.100.3', label: 7, targets: rts('64512:6')},
			{prefix: '10.6.2.0/24', rd: '1.1.1.1:3', nexthop: '192.168.100.4', label: 7, targets: [], host: 'h4'},
		],
	};

	it('held: local (inbound and outbound), imported, remote (named or not), external', () => {
		expect(explainRoute(m, 'blue', '10.1.0.2').lines).toEqual(['10.1.0.2/32 is local to blue: inbound interface of app a']);
		expect(explainRoute(m, 'red', '10.2.0.2/32').lines).toEqual(['10.2.0.2/32 is local to red: outbound interface of app r']);
		expect(explainRoute(m, 'red', '10.1.0.2').lines).toEqual(['10.1.0.2/32 (app a in blue) is imported: blue exports target:64512:1, which red imports']);
		expect(explainRoute(m, 'red', '10.6.0.0/24').lines).toEqual(['10.6.0.0/24 comes from host h2 (RD 1.1.1.1:1, next hop 192.168.100.2, VNI 7), announced with target:64512:8, imported by target:64512:8']);
		expect(explainRoute(m, 'red', '0.0.0.0/0').lines).toEqual(['0.0.0.0/0 is an external route via 192.0.2.1, imported by target:64512:9']);
		const e = explainRoute(m, 'red', '0.0.0.0/0');
		expect(e).toMatchObject({network: 'red', prefix: '0.0.0.0/0', held: true, via: {prefix: '0.0.0.0/0'}});
	});

	it('not held, a local route elsewhere: the fix, preferring a target that is not :0', () => {
		expect(explainRoute(m, 'blue', '10.2.0.2').lines).toEqual([
			'10.2.0.2/32 (app r) lives in red, which exports target:64512:2',
			'blue imports target:64512:1: no target in common, so blue does not hold it',
			'to bring it in: nsdeck rt add blue target:64512:2 --import-only',
			'traffic to 10.2.0.2/32 in blue hits the table\'s unreachable default and is dropped',
		]);
		expect(explainRoute(m, 'blue', '10.4.0.2').lines[2]).toBe('to bring it in: nsdeck rt add blue target:64512:4 --import-only');
		expect(explainRoute(m, 'blue', '10.3.0.2').lines.slice(0, 3)).toEqual([
			'10.3.0.2/32 (app m) lives in mute, which exports none',
			'blue imports target:64512:1: no target in common, so blue does not hold it',
			'mute exports nothing: give it a target first (nsdeck rt add mute RT --export-only)',
		]);
		const held = explainRoute(m, 'blue', '10.2.0.2');
		expect(held.held).toBe(false);
		expect(held).not.toHaveProperty('via');
	});

	it('a VRF that imports nothing says none', () => {
		const bare: RoutingModel = {...m, networks: [...m.networks, net('bare')]};
		expect(explainRoute(bare, 'bare', '10.1.0.2').lines[1]).toBe('bare imports none: no target in common, so bare does not hold it');
		expect(explainRoute(bare, 'nosuch', '10.1.0.2').lines[1]).toBe('nosuch imports none: no target in common, so nosuch does not hold it');
	});

	it('not held, an external or remote route: where it comes from and the fix; traffic follows the longest match', () => {
		expect(explainRoute(m, 'blue', '10.8.0.0/16').lines).toEqual([
			'10.8.0.0/16 is an external route via 192.0.2.7 carrying target:64512:7',
			'blue imports target:64512:1: no target in common, so blue does not hold it',
			'to bring it in: nsdeck rt add blue target:64512:7 --import-only',
			'traffic to 10.8.0.0/16 in blue hits the table\'s unreachable default and is dropped',
		]);
		expect(explainRoute(m, 'red', '10.8.0.0/16').lines.at(-1)).toBe('traffic to 10.8.0.0/16 in red would follow 0.0.0.0/0 (external via 192.0.2.1)');
		expect(explainRoute(m, 'red', '10.6.1.0/24').lines).toEqual([
			'10.6.1.0/24 comes from another host (RD 1.1.1.1:2, next hop 192.168.100.3) carrying target:64512:6',
			'red imports target:64512:2, target:64512:1, target:64512:9, target:64512:8: no target in common, so red does not hold it',
			'to bring it in: nsdeck rt add red target:64512:6 --import-only',
			'traffic to 10.6.1.0/24 in red would follow 0.0.0.0/0 (external via 192.0.2.1)',
		]);
		expect(explainRoute(m, 'blue', '10.6.2.0/24').lines).toEqual([
			'10.6.2.0/24 comes from host h4 (RD 1.1.1.1:3, next hop 192.168.100.4) carrying none',
			'blue imports target:64512:1: no target in common, so blue does not hold it',
			'traffic to 10.6.2.0/24 in blue hits the table\'s unreachable default and is dropped',
		]);
	});

	it('nobody originates it: says so; the longest covering route is the one traffic follows, never a longer one', () => {
		expect(explainRoute(m, 'blue', '10.99.0.1').lines).toEqual(['no network, external route or other host originates 10.99.0.1/32', 'traffic to 10.99.0.1/32 in blue hits the table\'s unreachable default and is dropped']);
		const e = explainRoute(m, 'red', '10.6.0.7');
		expect(e.via?.prefix).toBe('10.6.0.0/24');
		expect(e.lines.at(-1)).toBe('traffic to 10.6.0.7/32 in red would follow 10.6.0.0/24 (remote via 192.168.100.2)');
		// a /8 asked about: the /24 inside it is longer and does not cover it
		expect(explainRoute(m, 'red', '10.0.0.0/8').lines.at(-1)).toBe('traffic to 10.0.0.0/8 in red would follow 0.0.0.0/0 (external via 192.0.2.1)');
		// a covering imported route
		const wide: RoutingModel = {...m, locals: [...m.locals, {prefix: '10.1.0.0/24', network: 'blue', app: 'w', role: 'in'}]};
		expect(explainRoute(wide, 'red', '10.1.0.77').lines.at(-1)).toBe('traffic to 10.1.0.77/32 in red would follow 10.1.0.0/24 (imported)');
	});
});

describe('edges the common cases do not reach (core)', () => {
	const base: RoutingModel = {
		networks: [net('blue', t('64512:1')), net('red', t('64512:2'), t('64512:1', 'import')), net('pub', t('64512:3', 'export'))],
		locals: [{prefix: '10.1.0.2/32', network: 'blue', app: 'a', role: 'in'}, {prefix: '10.2.0.2/32', network: 'red', app: 'r', role: 'in'}],
		externals: [],
		remotes: [],
	};

	it('an export-only network that gains an app: its own VRF gains it though it imports nothing', () => {
		const after = {...base, locals: [...base.locals, {prefix: '10.3.0.2/32', network: 'pub', app: 'p', role: 'in' as const}]};
		expect(diffModels(base, after).vrfs.map(v => [v.network, v.gained.map(r => r.prefix)])).toEqual([['pub', ['10.3.0.2/32']]]);
	});

	it('an export target switched: the importer of the new target gains, the importer of the old one loses', () => {
		const m = {...base, networks: [...base.networks, net('green', t('64512:7', 'import'))]};
		const after = {...m, networks: m.networks.map(x => (x.name === 'blue' ? net('blue', t('64512:1', 'import'), t('64512:7', 'export')) : x))};
		expect(diffModels(m, after).vrfs.map(v => [v.network, v.gained.length, v.lost.length])).toEqual([['green', 1, 0], ['red', 0, 1]]);
	});

	it('a network with no apps before or after lists no app in the diff; an unbound app is not said to lose itself', () => {
		const added = {...base, networks: [...base.networks, net('pink', t('64512:1', 'import'))]};
		expect(diffModels(base, added).apps).toEqual([]);
		const withB = {...base, locals: [...base.locals, {prefix: '10.1.0.3/32', network: 'blue', app: 'b', role: 'in' as const}]};
		expect(diffModels(withB, base).apps.find(a => a.app === 'b')).toEqual({app: 'b', network: 'blue', role: 'in', gained: [], lost: ['10.1.0.2/32']});
	});

	it('an export-only target is not imported', () => {
		const m: RoutingModel = {networks: [net('blue', t('64512:1')), net('red', t('64512:1', 'export'))], locals: [{prefix: '10.1.0.2/32', network: 'blue', app: 'a', role: 'in'}], externals: []};
		expect(resolve(m).get('red')).toEqual([]);
	});

	it('a remote path with a higher RD never lends its targets to the one kept', () => {
		const m: RoutingModel = {
			networks: [net('red', t('64512:5', 'import'), t('64512:7', 'import'))],
			locals: [],
			externals: [],
			remotes: [
				{prefix: '10.9.0.0/24', rd: '1.1.1.1:1', nexthop: '192.168.100.2', label: 7, targets: rts('64512:5')},
				{prefix: '10.9.0.0/24', rd: '3.3.3.3:1', nexthop: '192.168.100.3', label: 7, targets: rts('64512:7')},
			],
		};
		expect(resolve(m).get('red')![0]!.origin).toMatchObject({rd: '1.1.1.1:1', targets: rts('64512:5')});
	});

	it('explain: a held remote route without a host name; a prefix whose base address a longer route shares is not covered by it', () => {
		const m: RoutingModel = {
			networks: [net('red', t('64512:8', 'import'), t('64512:9', 'import')), net('zero', t('64512:0'))],
			locals: [{prefix: '10.4.0.2/32', network: 'zero', app: 'z', role: 'in'}],
			externals: [{prefix: '0.0.0.0/0', via: '192.0.2.1', targets: rts('64512:9')}],
			remotes: [{prefix: '10.6.0.0/24', rd: '1.1.1.1:1', nexthop: '192.168.100.2', label: 7, targets: rts('64512:8')}],
		};
		expect(explainRoute(m, 'red', '10.6.0.0/24').lines).toEqual(['10.6.0.0/24 comes from another host (RD 1.1.1.1:1, next hop 192.168.100.2, VNI 7), announced with target:64512:8, imported by target:64512:8']);
		expect(explainRoute(m, 'red', '10.6.0.0/16').via?.prefix).toBe('0.0.0.0/0');
		// the only export ends in :0: it is still the fix
		expect(explainRoute(m, 'red', '10.4.0.2').lines[2]).toBe('to bring it in: nsdeck rt add red target:64512:0 --import-only');
	});

	it('a block shorter than its subnet is refused even where its address lies inside', () => {
		expect(() => parseBlock('10.50.0.0/15', parseSubnet('10.50.0.0/16'))).toThrow('address block 10.50.0.0/15 is not inside subnet 10.50.0.0/16');
	});
});

describe('explain: routes announced by gateways and routers', () => {
	const m: RoutingModel = {
		networks: [net('red', t('64512:8', 'import'))],
		locals: [],
		externals: [],
		remotes: [
			{prefix: '10.6.0.0/24', rd: '1.1.1.1:1', nexthop: '192.0.2.7', label: 5000, vni: 77000, targets: rts('64512:8', '64512:99'), by: {kind: 'gateway', name: 'gw1'}},
			{prefix: '10.6.1.0/24', rd: '1.1.1.1:2', nexthop: '192.0.2.7', label: 5001, unusable: 'label 5001 of gateway gw1 has no VNI', targets: rts('64512:8'), by: {kind: 'gateway', name: 'gw1'}},
			{prefix: '10.6.2.0/24', rd: '1.1.1.1:3', nexthop: '203.0.113.1', label: 9, vni: 9, targets: rts('64512:8'), by: {kind: 'router', name: '10.255.0.1'}},
		],
	};

	it('names who announced it, its label and VNI, every target it was announced with, and why one is not installed', () => {
		expect(explainRoute(m, 'red', '10.6.0.0/24').lines).toEqual(['10.6.0.0/24 comes from gateway gw1 (RD 1.1.1.1:1, next hop 192.0.2.7, label 5000 = VNI 77000), announced with target:64512:8, target:64512:99, imported by target:64512:8']);
		expect(explainRoute(m, 'red', '10.6.1.0/24').lines).toEqual([
			'10.6.1.0/24 comes from gateway gw1 (RD 1.1.1.1:2, next hop 192.0.2.7, label 5001, no VNI), announced with target:64512:8, imported by target:64512:8',
			'not installed: label 5001 of gateway gw1 has no VNI; traffic to it follows the next best route of red',
		]);
		expect(explainRoute(m, 'red', '10.6.2.0/24').lines).toEqual(['10.6.2.0/24 comes from router 10.255.0.1 (RD 1.1.1.1:3, next hop 203.0.113.1, VNI 9), announced with target:64512:8, imported by target:64512:8']);
	});
});
