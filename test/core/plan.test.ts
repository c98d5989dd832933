// The plan, pure: from intent (desired state) and a kernel read, the exact lines to run and the changes (drift) and
// foreign state to report. A kernel that matches intent plans nothing; each hand edit plans exactly its repair.
import {beforeAll, describe, expect, it} from 'vitest';
import {change} from '../../source/dataplane/change.js';
import type {Desired} from '../../source/dataplane/desired.js';
import type {InsideState} from '../../source/dataplane/inside.js';
import type {VrouterState} from '../../source/dataplane/kernel.js';
import {planChanges} from '../../source/dataplane/plan.js';
import type {Intent} from '../../source/store/intent.js';
import {desiredOf, fullPlan, insideOf, intent, kernelOf, linesOf, n, STAMP, vrouterInsideOf, vrouterOf} from './plan-fixture.js';

// computed in a hook, not at load: a mutant that throws here must fail tests, not the loading of the file
let d: Desired;
beforeAll(() => {
	d = desiredOf();
});
const endpoint = (key: string) => d.endpoints.find(e => e.key === key)!;
const changes = (p: ReturnType<typeof fullPlan>) => p.changes.map(c => `${c.op} ${c.what} ${c.detail}`);
const vrWith = (edit: (vr: VrouterState) => Partial<VrouterState>) => {
	const vr = vrouterOf(d);
	return kernelOf(d, {...vr, ...edit(vr)});
};
const insideWith = (key: string, edit: (s: InsideState) => Partial<InsideState>) => {
	const m = new Map(d.endpoints.map(e => [e.namespace, insideOf(e)] as [string, InsideState | undefined]));
	const e = endpoint(key);
	m.set(e.namespace, {...insideOf(e), ...edit(insideOf(e))});
	return m;
};
const link = (s: InsideState, name: string, edit: Record<string, unknown>) => new Map([...s.links].map(([k, l]) => [k, k === name ? {...l, ...edit} : l]));

describe('a host that matches intent', () => {
	it('a fresh plan is computed without throwing (in a test: a hook that throws hides its tests from a mutation run)', () => {
		expect(planChanges(desiredOf(), {namespaces: new Set()}, {names: n, owned: [], alive: () => true}).changes.length).toBe(24);
	});

	it('plans nothing, reports no drift and no foreign state', () => {
		const p = fullPlan(d);
		expect(linesOf(p)).toEqual([]);
		expect(p.changes).toEqual([]);
		expect(p.foreign).toEqual([]);
		expect(p.released).toEqual([]);
	});

	it('a plan without reads of the insides (an operation) touches no inside and starts nothing', () => {
		const p = planChanges(d, kernelOf(d), {names: n, owned: intent.owned, alive: () => true});
		expect(linesOf(p)).toEqual([]);
		expect(p.changes).toEqual([]);
	});
});

describe('a fresh host: everything, in order', () => {
	let p: ReturnType<typeof planChanges>;
	beforeAll(() => {
		p = planChanges(d, {namespaces: new Set()}, {names: n, owned: [], alive: () => true});
	});

	it('makes the vrouter, the namespaces, the veths, rules, routes and insides, then starts the command', () => {
		expect(linesOf(p)).toEqual([
			'root: netns add t1-nsdeck-vr',
			'root: netns exec t1-nsdeck-vr sysctl -qw net.ipv4.ip_forward=1 net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0',
			'root: netns add t1-ns-a',
			'root: netns add t1-ns-w',
			'root: netns add t1-nsdeck-gw',
			'vr+: link set dev lo up',
			`vr+: link set dev lo alias "${STAMP}"`,
			'vr+: addr replace 169.254.1.1/32 dev lo',
			'vr+: link add t1-vi-a group 77 type veth peer name veth0 netns t1-ns-a',
			'vr+: link set dev t1-vi-a up',
			'vr+: link add t1-vi-w group 77 type veth peer name veth0 netns t1-ns-w',
			'vr+: link set dev t1-vi-w up',
			'vr+: link add t1-vo-w group 77 type veth peer name veth1 netns t1-ns-w',
			'vr+: link set dev t1-vo-w up',
			'vr+: link add t1-gw0 group 77 type veth peer name eth0 netns t1-nsdeck-gw',
			'vr+: link set dev t1-gw0 up',
			'vr+: rule add iif t1-vi-a lookup 1001 pref 100 protocol 77',
			'vr+: rule add iif t1-vi-w lookup 1001 pref 100 protocol 77',
			'vr+: rule add iif t1-vo-w lookup 1002 pref 100 protocol 77',
			'vr+: rule add iif t1-gw0 lookup 999 pref 100 protocol 77',
			'vr+: route replace unreachable 0.0.0.0/0 table 1001 metric 4278198272 proto 77',
			'vr+: route replace 10.1.0.2/32 dev t1-vi-a table 1001 proto 77',
			'vr+: route replace 10.1.0.3/32 dev t1-vi-w table 1001 proto 77',
			'vr+: route replace unreachable 0.0.0.0/0 table 1002 metric 4278198272 proto 77',
			'vr+: route replace 0.0.0.0/0 via 192.0.2.1 dev t1-gw0 onlink table 1002 proto 77',
			'vr+: route replace 10.2.0.2/32 dev t1-vo-w table 1002 proto 77',
			'vr+: route replace unreachable 0.0.0.0/0 table 999 metric 4278198272 proto 77',
			'vr+: route replace 10.2.0.2/32 dev t1-vo-w table 999 proto 77',
			't1-ns-a: link set dev lo up',
			't1-ns-a: addr replace 10.1.0.2/32 dev veth0',
			't1-ns-a: link set dev veth0 up',
			't1-ns-a: route replace 0.0.0.0/0 via 169.254.1.1 dev veth0 onlink proto 77',
			't1-ns-a: netns exec t1-ns-a sysctl -qw net.ipv4.conf.veth0.rp_filter=2',
			't1-ns-w: link set dev lo up',
			't1-ns-w: addr replace 10.1.0.3/32 dev veth0',
			't1-ns-w: link set dev veth0 up',
			't1-ns-w: addr replace 10.2.0.2/32 dev veth1',
			't1-ns-w: link set dev veth1 up',
			't1-ns-w: route replace 0.0.0.0/0 via 169.254.1.1 dev veth1 onlink proto 77',
			't1-ns-w: route replace 10.1.0.0/24 via 169.254.1.1 dev veth0 onlink proto 77',
			't1-ns-w: netns exec t1-ns-w sysctl -qw net.ipv4.conf.veth0.rp_filter=2',
			't1-nsdeck-gw: link set dev lo up',
			't1-nsdeck-gw: addr replace 192.0.2.1/32 dev lo',
			't1-nsdeck-gw: link set dev eth0 up',
			't1-nsdeck-gw: route replace 0.0.0.0/0 via 169.254.1.1 dev eth0 onlink proto 77',
			'start t1-ns-w: sleep 1',
		]);
	});

	it('says each change once, with its object, what is expected and seen, and the app or network it concerns', () => {
		expect(p.changes).toEqual([
			{op: '+', what: 'netns', object: 't1-nsdeck-vr', expected: 'vrouter', seen: '', detail: 't1-nsdeck-vr'},
			{op: '+', what: 'netns', object: 't1-ns-a', expected: 'namespace', seen: '', app: 'a', detail: 't1-ns-a'},
			{op: '+', what: 'netns', object: 't1-ns-w', expected: 'namespace', seen: '', app: 'w', detail: 't1-ns-w'},
			{op: '+', what: 'netns', object: 't1-nsdeck-gw', expected: 'namespace', seen: '', detail: 't1-nsdeck-gw'},
			{op: '+', what: 'link', object: 't1-nsdeck-vr/t1-vi-a', expected: 'veth to t1-ns-a:veth0', seen: '', app: 'a', detail: 't1-vi-a <-> t1-ns-a:veth0'},
			{op: '+', what: 'link', object: 't1-nsdeck-vr/t1-vi-w', expected: 'veth to t1-ns-w:veth0', seen: '', app: 'w', detail: 't1-vi-w <-> t1-ns-w:veth0'},
			{op: '+', what: 'link', object: 't1-nsdeck-vr/t1-vo-w', expected: 'veth to t1-ns-w:veth1', seen: '', app: 'w', detail: 't1-vo-w <-> t1-ns-w:veth1'},
			{op: '+', what: 'link', object: 't1-nsdeck-vr/t1-gw0', expected: 'veth to t1-nsdeck-gw:eth0', seen: '', detail: 't1-gw0 <-> t1-nsdeck-gw:eth0'},
			{op: '+', what: 'rule', object: 't1-nsdeck-vr iif t1-vi-a', expected: 'lookup 1001', seen: '', app: 'a', network: 'blue', detail: 'iif t1-vi-a lookup 1001'},
			{op: '+', what: 'rule', object: 't1-nsdeck-vr iif t1-vi-w', expected: 'lookup 1001', seen: '', app: 'w', network: 'blue', detail: 'iif t1-vi-w lookup 1001'},
			{op: '+', what: 'rule', object: 't1-nsdeck-vr iif t1-vo-w', expected: 'lookup 1002', seen: '', app: 'w', network: 'green', detail: 'iif t1-vo-w lookup 1002'},
			{op: '+', what: 'rule', object: 't1-nsdeck-vr iif t1-gw0', expected: 'lookup 999', seen: '', detail: 'iif t1-gw0 lookup 999'},
			{op: '+', what: 'route', object: 'table 1001 0.0.0.0/0', expected: 'unreachable', seen: '', network: 'blue', detail: '0.0.0.0/0 table 1001 unreachable'},
			{op: '+', what: 'route', object: 'table 1001 10.1.0.2/32', expected: 'dev t1-vi-a', seen: '', app: 'a', network: 'blue', detail: '10.1.0.2/32 table 1001 dev t1-vi-a'},
			{op: '+', what: 'route', object: 'table 1001 10.1.0.3/32', expected: 'dev t1-vi-w', seen: '', app: 'w', network: 'blue', detail: '10.1.0.3/32 table 1001 dev t1-vi-w'},
			{op: '+', what: 'route', object: 'table 1002 0.0.0.0/0', expected: 'unreachable', seen: '', network: 'green', detail: '0.0.0.0/0 table 1002 unreachable'},
			{op: '+', what: 'route', object: 'table 1002 0.0.0.0/0', expected: 'via 192.0.2.1 dev t1-gw0', seen: '', network: 'green', detail: '0.0.0.0/0 table 1002 via 192.0.2.1 dev t1-gw0'},
			{op: '+', what: 'route', object: 'table 1002 10.2.0.2/32', expected: 'dev t1-vo-w', seen: '', app: 'w', network: 'green', detail: '10.2.0.2/32 table 1002 dev t1-vo-w'},
			{op: '+', what: 'route', object: 'table 999 0.0.0.0/0', expected: 'unreachable', seen: '', detail: '0.0.0.0/0 table 999 unreachable'},
			{op: '+', what: 'route', object: 'table 999 10.2.0.2/32', expected: 'dev t1-vo-w', seen: '', app: 'w', detail: '10.2.0.2/32 table 999 dev t1-vo-w'},
			{op: '+', what: 'app', object: 'a', expected: 'veth0 10.1.0.2/32', seen: '', app: 'a', detail: 'a: veth0 10.1.0.2/32'},
			{op: '+', what: 'app', object: 'w', expected: 'veth0 10.1.0.3/32, veth1 10.2.0.2/32', seen: '', app: 'w', detail: 'w: veth0 10.1.0.3/32, veth1 10.2.0.2/32'},
			{op: '+', what: 'process', object: 't1-ns-w', expected: 'sleep 1', seen: '', app: 'w', detail: 'w: sleep 1'},
			{op: '+', what: 'app', object: '(gateway)', expected: 'eth0 ', seen: '', detail: '(gateway): eth0 '},
		]);
		expect(p.foreign).toEqual([]);
		expect(p.released).toEqual([]);
	});

	it('an empty intent on a host without a vrouter makes nothing (not even the vrouter)', () => {
		const empty: Intent = {networks: [], apps: [], externals: [], owned: [], remotes: []};
		const q = planChanges(desiredOf(empty), {namespaces: new Set()}, {names: n, owned: [], alive: () => true});
		expect(linesOf(q)).toEqual([]);
		expect(q.changes).toEqual([]);
		// one that exists stays (teardown removes it): nothing to do either
		const e = desiredOf(empty);
		expect(linesOf(planChanges(e, {namespaces: new Set([e.vrouter]), vrouter: {...vrouterOf(e)}}, {names: n, owned: [], alive: () => true}))).toEqual([]);
	});
});

describe('the vrouter itself', () => {
	it('lo down (full plan only), the gateway address gone, another store\'s stamp', () => {
		const p = fullPlan(d, {kernel: vrWith(vr => ({links: vr.links.map(l => (l.name === 'lo' ? {...l, up: false} : l)), loAddresses: ['127.0.0.1/8'], stamp: 'nsdeck old /x'}))});
		expect(linesOf(p)).toEqual(['vr+: link set dev lo up', `vr+: link set dev lo alias "${STAMP}"`, 'vr+: addr replace 169.254.1.1/32 dev lo']);
		expect(p.changes).toEqual([
			change({op: '~', what: 'link', object: 't1-nsdeck-vr/lo', expected: 'up', seen: 'down', detail: 'vrouter lo down'}),
			change({op: '~', what: 'vrouter', object: 't1-nsdeck-vr/lo alias', expected: STAMP, seen: 'nsdeck old /x', detail: `lo alias "nsdeck old /x" -> "${STAMP}" (the store that made it)`}),
			change({op: '+', what: 'address', object: 't1-nsdeck-vr/lo', expected: '169.254.1.1/32', seen: '', detail: 'gateway 169.254.1.1 restored on lo'}),
		]);
		// an operation (no full read) leaves lo's state to the next reconcile
		const op = planChanges(d, vrWith(vr => ({links: vr.links.map(l => (l.name === 'lo' ? {...l, up: false} : l))})), {names: n, owned: intent.owned, alive: () => true});
		expect(linesOf(op)).toEqual([]);
		// no stamp wanted: whatever is there stays
		const unstamped = desiredOf(intent, null);
		expect(linesOf(fullPlan(unstamped, {kernel: kernelOf(unstamped, {...vrouterOf(unstamped), stamp: 'nsdeck other /y'})}))).toEqual([]);
		// no stamp yet on the vrouter
		const vr = vrouterOf(d);
		const {stamp: _, ...bare} = vr;
		expect(fullPlan(d, {kernel: kernelOf(d, bare)}).changes).toStrictEqual([change({op: '~', what: 'vrouter', object: 't1-nsdeck-vr/lo alias', expected: STAMP, seen: '', detail: `lo alias "" -> "${STAMP}" (the store that made it)`})]);
	});

	it('forwarding off and rp_filter on: each fixed in one sysctl line, host interfaces included', () => {
		const inside = vrouterInsideOf(d);
		const p = fullPlan(d, {vrouterInside: {...inside, forward: 0, rpFilter: new Map([['all', 1], ['default', 0], ['t1-vi-a', 2], ['t1-vo-w', 0]])}});
		expect(linesOf(p)).toEqual(['root: netns exec t1-nsdeck-vr sysctl -qw net.ipv4.ip_forward=1 net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.t1-vi-a.rp_filter=0']);
		expect(p.changes).toEqual([
			change({op: '~', what: 'sysctl', object: 't1-nsdeck-vr/ip_forward', expected: '1', seen: '0', detail: 'vrouter ip_forward 0 -> 1'}),
			change({op: '~', what: 'sysctl', object: 't1-nsdeck-vr/all rp_filter', expected: '0', seen: '1', detail: 'vrouter all rp_filter 1 -> 0'}),
			change({op: '~', what: 'sysctl', object: 't1-nsdeck-vr/t1-vi-a rp_filter', expected: '0', seen: '2', detail: 'vrouter t1-vi-a rp_filter 2 -> 0'}),
		]);
		// a host interface that does not exist yet is not asked about
		const noLink = vrWith(vr => ({links: vr.links.filter(l => l.name !== 't1-vi-a')}));
		expect(fullPlan(d, {kernel: noLink, vrouterInside: {...inside, rpFilter: new Map([['t1-vi-a', 1]])}}).changes.some(c => c.what === 'sysctl')).toBe(false);
	});
});

describe('namespaces', () => {
	it('an app namespace deleted by hand: made again, with its veths, routes and inside, and its command started', () => {
		const kernel = {...kernelOf(d), namespaces: new Set([...kernelOf(d).namespaces].filter(x => x !== 't1-ns-w'))};
		const vr = vrouterOf(d);
		const k = {...kernel, vrouter: {...vr, links: vr.links.map(l => (l.peerNamespace === 't1-ns-w' ? {...l, peerNamespace: undefined} : l))}};
		// a namespace that is not there is not read
		const p = fullPlan(d, {kernel: k, inside: new Map(d.endpoints.filter(e => e.key !== 'w').map(e => [e.namespace, insideOf(e)]))});
		expect(linesOf(p)).toEqual([
			'root: netns add t1-ns-w',
			'vr-: link del dev t1-vi-w',
			'vr-: link del dev t1-vo-w',
			'vr+: link add t1-vi-w group 77 type veth peer name veth0 netns t1-ns-w',
			'vr+: link set dev t1-vi-w up',
			'vr+: link add t1-vo-w group 77 type veth peer name veth1 netns t1-ns-w',
			'vr+: link set dev t1-vo-w up',
			'vr+: route replace 10.1.0.3/32 dev t1-vi-w table 1001 proto 77',
			'vr+: route replace 10.2.0.2/32 dev t1-vo-w table 1002 proto 77',
			'vr+: route replace 10.2.0.2/32 dev t1-vo-w table 999 proto 77',
			't1-ns-w: link set dev lo up',
			't1-ns-w: addr replace 10.1.0.3/32 dev veth0',
			't1-ns-w: link set dev veth0 up',
			't1-ns-w: addr replace 10.2.0.2/32 dev veth1',
			't1-ns-w: link set dev veth1 up',
			't1-ns-w: route replace 0.0.0.0/0 via 169.254.1.1 dev veth1 onlink proto 77',
			't1-ns-w: route replace 10.1.0.0/24 via 169.254.1.1 dev veth0 onlink proto 77',
			't1-ns-w: netns exec t1-ns-w sysctl -qw net.ipv4.conf.veth0.rp_filter=2',
			'start t1-ns-w: sleep 1',
		]);
		expect(p.changes.every(c => c.app === 'w' || c.what === 'route')).toBe(true);
	});

	it('an owned namespace intent no longer names is deleted with its veths (not one by one), and released', () => {
		const owned = [...intent.owned, {name: 't1-ns-old', kind: 'netns' as const}, {name: 't1-ns-gone', kind: 'netns' as const}, {name: 't1-ns-box', kind: 'link' as const}];
		const vr = vrouterOf(d);
		const kernel = {namespaces: new Set([...kernelOf(d).namespaces, 't1-ns-old', 't1-ns-box']), vrouter: {...vr, links: [...vr.links, {name: 't1-vi-old', ifindex: 90, group: '77', up: true, operUp: true, peerNamespace: 't1-ns-old'}], rules: [...vr.rules, {pref: 100, iif: 't1-vi-old', table: '1001', protocol: '77'}], routes: [...vr.routes, {table: '1001', dst: '10.1.0.9/32', type: 'unicast' as const, dev: 't1-vi-old', metric: 0}]}};
		const p = fullPlan(d, {kernel, owned});
		expect(linesOf(p)).toEqual(['vr-: rule del pref 100 iif t1-vi-old table 1001', 'post: netns del t1-ns-old', 'unlink: t1-ns-box']);
		expect(p.released.sort()).toEqual(['t1-ns-box', 't1-ns-gone', 't1-ns-old', 't1-nsdeck-gw'].filter(x => x !== 't1-nsdeck-gw'));
		expect(changes(p)).toEqual(['- netns t1-ns-old', '- netns t1-ns-box', '- rule iif t1-vi-old lookup 1001', '- route 10.1.0.9/32 table 1001 dev t1-vi-old']);
		expect(p.changes.find(c => c.detail === 't1-ns-old')).toMatchObject({app: 'old', expected: '', seen: 'namespace'});
	});

	it('the gateway namespace goes with the last external route; a namespace the store does not name never goes', () => {
		const noExt = {...intent, externals: [], networks: intent.networks.map(x => ({...x, targets: x.targets.filter(t => t.rt !== 'target:64512:900')}))};
		const dn = desiredOf(noExt);
		const vr = vrouterOf(d);
		const kernel = {namespaces: new Set([...kernelOf(d).namespaces, 't1-ns-stranger']), vrouter: {...vr, links: [...vr.links, {name: 't1-vi-str', ifindex: 91, group: '77', up: true, operUp: true, peerNamespace: 't1-ns-stranger'}], rules: [...vr.rules, {pref: 100, iif: 't1-vi-str', table: '1001', protocol: '77'}]}};
		const p = fullPlan(dn, {kernel, inside: new Map(dn.endpoints.map(e => [e.namespace, insideOf(e)]))});
		expect(p.rootPost).toEqual(['netns del t1-nsdeck-gw']);
		expect(p.released).toEqual(['t1-nsdeck-gw']);
		expect(p.vrouterDel).not.toContain('link del dev t1-vi-str');
		expect(p.vrouterDel.some(l => l.includes('t1-vi-str'))).toBe(false);
		expect(p.vrouterDel).not.toContain('link del dev t1-gw0'); // dies with the gateway namespace
		expect(p.foreign).toEqual([
			{kind: 'netns', namespace: 't1-ns-stranger', object: 't1-ns-stranger', detail: 'namespace t1-ns-stranger has nsdeck\'s prefix but the store does not name it'},
			{kind: 'link', namespace: 't1-nsdeck-vr', object: 't1-vi-str', detail: 'veth t1-vi-str leads into t1-ns-stranger, which the store does not name'},
		]);
		expect(changes(p)).toContain('- netns t1-nsdeck-gw');
		expect(changes(p)).toContain('- route 0.0.0.0/0 table 999 unreachable');
	});

	it('an attached app: its namespace linked to the process, or reported when the process is gone', () => {
		const att: Intent = {...intent, apps: [...intent.apps, {name: 'box', ifid: 3, kind: 'attached', pid: 777, ifaces: [{role: 'in', network: 'blue', address: '10.1.0.4'}], createdAt: ''}], owned: [...intent.owned, {name: 't1-ns-box', kind: 'link'}]};
		const da = desiredOf(att);
		const p = planChanges(da, kernelOf(d), {names: n, owned: att.owned, alive: () => true});
		expect(p.symlinks).toEqual([{name: 't1-ns-box', pid: 777}]);
		expect(p.changes[0]).toMatchObject({op: '+', what: 'netns', expected: '/proc/777/ns/net', app: 'box', detail: 't1-ns-box -> /proc/777/ns/net'});
		expect(p.starts).toEqual([]);
		const gone = planChanges(da, kernelOf(d), {names: n, owned: att.owned, alive: () => false});
		expect(gone.symlinks).toEqual([]);
		expect(gone.vrouterAdd.some(l => l.includes('vi-box'))).toBe(false);
		expect(gone.changes).toEqual([change({op: '~', what: 'process', object: 't1-ns-box', expected: 'pid 777', seen: 'gone', app: 'box', detail: 'box: process 777 is gone; its namespace cannot be configured'})]);
		expect(gone.released).toEqual([]);
		const noPid = desiredOf({...att, apps: att.apps.map(a => (a.name === 'box' ? {...a, pid: undefined} : a))});
		expect(planChanges(noPid, kernelOf(d), {names: n, owned: att.owned, alive: () => true}).changes[0]).toStrictEqual(change({op: '~', what: 'process', object: 't1-ns-box', expected: 'pid ?', seen: 'gone', app: 'box', detail: 'box: process ? is gone; its namespace cannot be configured'}));
		expect(p.changes[0]).toStrictEqual(change({op: '+', what: 'netns', object: 't1-ns-box', expected: '/proc/777/ns/net', seen: '', app: 'box', detail: 't1-ns-box -> /proc/777/ns/net'}));
	});
});

describe('veths and rules', () => {
	it('a host veth down: set up; a veth into the wrong namespace: made again', () => {
		const p = fullPlan(d, {kernel: vrWith(vr => ({links: vr.links.map(l => (l.name === 't1-vi-a' ? {...l, up: false} : l.name === 't1-vo-w' ? {...l, peerNamespace: 't1-ns-a'} : l))}))});
		expect(linesOf(p)).toEqual([
			'vr-: link del dev t1-vo-w',
			'vr+: link set dev t1-vi-a up',
			'vr+: link add t1-vo-w group 77 type veth peer name veth1 netns t1-ns-w',
			'vr+: link set dev t1-vo-w up',
			'vr+: route replace 10.2.0.2/32 dev t1-vo-w table 1002 proto 77',
			'vr+: route replace 10.2.0.2/32 dev t1-vo-w table 999 proto 77',
			't1-ns-w: link set dev lo up',
			't1-ns-w: addr replace 10.1.0.3/32 dev veth0',
			't1-ns-w: link set dev veth0 up',
			't1-ns-w: addr replace 10.2.0.2/32 dev veth1',
			't1-ns-w: link set dev veth1 up',
			't1-ns-w: route replace 0.0.0.0/0 via 169.254.1.1 dev veth1 onlink proto 77',
			't1-ns-w: route replace 10.1.0.0/24 via 169.254.1.1 dev veth0 onlink proto 77',
			't1-ns-w: netns exec t1-ns-w sysctl -qw net.ipv4.conf.veth0.rp_filter=2',
		]);
		expect(p.changes.find(c => c.detail === 't1-vi-a up')).toMatchObject({op: '~', what: 'link', app: 'a', expected: 'up', seen: 'down'});
		expect(p.changes.find(c => c.detail === 't1-vo-w')).toMatchObject({op: '-', expected: 'veth to t1-ns-w', seen: 'veth to t1-ns-a', app: 'w'});
	});

	it('an inner interface gone (deleted inside): the veth is made again, said once', () => {
		const inside = insideWith('a', s => ({links: new Map([...s.links].filter(([k]) => k !== 'veth0'))}));
		const p = fullPlan(d, {inside});
		expect(p.vrouterDel).toEqual(['link del dev t1-vi-a']);
		expect(p.vrouterAdd.slice(0, 2)).toEqual(['link add t1-vi-a group 77 type veth peer name veth0 netns t1-ns-a', 'link set dev t1-vi-a up']);
		expect(p.changes.filter(c => c.what === 'link')).toEqual([change({op: '+', what: 'link', object: 't1-nsdeck-vr/t1-vi-a', expected: 'veth to t1-ns-a:veth0', seen: 'veth0 missing in t1-ns-a', app: 'a', detail: 't1-vi-a <-> t1-ns-a:veth0'})]);
	});

	it('a veth whose peer the kernel did not name is kept when its app is not new', () => {
		expect(linesOf(fullPlan(d, {kernel: vrWith(vr => ({links: vr.links.map(l => (l.name === 't1-vi-a' ? {...l, peerNamespace: undefined} : l))}))}))).toEqual([]);
	});

	it('an untagged interface in the vrouter is foreign and stays', () => {
		const p = fullPlan(d, {kernel: vrWith(vr => ({links: [...vr.links, {name: 'dummy0', ifindex: 99, group: 'default', up: true, operUp: true}]}))});
		expect(linesOf(p)).toEqual([]);
		expect(p.foreign).toEqual([{kind: 'link', namespace: 't1-nsdeck-vr', object: 'dummy0', detail: 'interface dummy0 without nsdeck\'s tag'}]);
	});

	it('rules: missing, wrong table, wrong preference, twice, or for a device nobody wants', () => {
		const p = fullPlan(d, {kernel: vrWith(vr => ({rules: [
			{pref: 100, iif: 't1-vi-w', table: '1002', protocol: '77'},
			{pref: 200, iif: 't1-vo-w', table: '1002', protocol: '77'},
			{pref: 100, iif: 't1-gw0', table: '999', protocol: '77'},
			{pref: 100, iif: 't1-gw0', table: '999', protocol: '77'},
			{pref: 100, iif: 't1-old', table: '1001', protocol: '77'},
			{pref: 100, table: '1001', protocol: '77'},
		]}))});
		expect(p.vrouterDel).toEqual([
			'rule del pref 100 iif t1-vi-w table 1002',
			'rule del pref 200 iif t1-vo-w table 1002',
			'rule del pref 100 iif t1-gw0 table 999',
			'rule del pref 100 iif t1-gw0 table 999',
			'rule del pref 100 iif t1-old table 1001',
		]);
		expect(p.vrouterAdd).toEqual([
			'rule add iif t1-vi-a lookup 1001 pref 100 protocol 77',
			'rule add iif t1-vi-w lookup 1001 pref 100 protocol 77',
			'rule add iif t1-vo-w lookup 1002 pref 100 protocol 77',
			'rule add iif t1-gw0 lookup 999 pref 100 protocol 77',
		]);
		expect(p.changes.find(c => c.detail === 'iif t1-vi-w lookup 1002')).toMatchObject({op: '-', expected: 'lookup 1001', seen: 'lookup 1002', app: 'w', network: 'green'});
		expect(p.changes.find(c => c.detail === 'iif t1-old lookup 1001')).toMatchObject({op: '-', expected: '', network: 'blue'});
		expect(p.changes.find(c => c.detail === 'iif t1-old lookup 1001')).not.toHaveProperty('app');
	});

	it('an untagged rule is foreign, shown with what it matches, and stays', () => {
		const p = fullPlan(d, {kernel: vrWith(() => ({foreignRules: [{pref: 200, iif: 't1-vi-a', table: '1002'}, {pref: 300, table: '5'}]}))});
		expect(linesOf(p)).toEqual([]);
		expect(p.foreign).toEqual([
			{kind: 'rule', namespace: 't1-nsdeck-vr', object: 'pref 200 iif t1-vi-a lookup 1002', detail: 'rule 200: iif t1-vi-a lookup 1002 without nsdeck\'s tag', app: 'a', network: 'green'},
			{kind: 'rule', namespace: 't1-nsdeck-vr', object: 'pref 300 from all lookup 5', detail: 'rule 300: from all lookup 5 without nsdeck\'s tag'},
		]);
	});
});

describe('routes in the VRF tables', () => {
	it('missing, stale (another device), extra, and extra on a device that goes: each planned and said', () => {
		const p = fullPlan(d, {kernel: vrWith(vr => ({routes: [
			...vr.routes.filter(r => !(r.table === '1001' && r.dst === '10.1.0.2/32') && !(r.table === '1002' && r.dst === '10.2.0.2/32')),
			{table: '1002', dst: '10.2.0.2/32', type: 'unicast', dev: 't1-vi-a', metric: 0},
			{table: '1001', dst: '10.1.0.77/32', type: 'unicast', dev: 't1-vi-a', metric: 0},
			{table: '1001', dst: '10.9.0.0/24', type: 'unicast', via: '192.0.2.9', dev: 't1-gw0', metric: 0},
			{table: '1003', dst: '0.0.0.0/0', type: 'unreachable', metric: 4278198272},
		]}))});
		expect(p.vrouterDel).toEqual([
			'route del 10.1.0.77/32 dev t1-vi-a table 1001',
			'route del 10.9.0.0/24 via 192.0.2.9 dev t1-gw0 table 1001',
			'route del unreachable 0.0.0.0/0 table 1003 metric 4278198272',
		]);
		expect(p.vrouterAdd).toEqual([
			'route replace 10.1.0.2/32 dev t1-vi-a table 1001 proto 77',
			'route replace 10.2.0.2/32 dev t1-vo-w table 1002 proto 77',
		]);
		expect(p.changes).toEqual([
			change({op: '-', what: 'route', object: 'table 1001 10.1.0.77/32', expected: '', seen: 'dev t1-vi-a', app: 'a', network: 'blue', detail: '10.1.0.77/32 table 1001 dev t1-vi-a'}),
			change({op: '-', what: 'route', object: 'table 1001 10.9.0.0/24', expected: '', seen: 'via 192.0.2.9 dev t1-gw0', network: 'blue', detail: '10.9.0.0/24 table 1001 dev t1-gw0'}),
			change({op: '-', what: 'route', object: 'table 1003 0.0.0.0/0', expected: '', seen: 'unreachable', detail: '0.0.0.0/0 table 1003 unreachable'}),
			change({op: '+', what: 'route', object: 'table 1001 10.1.0.2/32', expected: 'dev t1-vi-a', seen: '', app: 'a', network: 'blue', detail: '10.1.0.2/32 table 1001 dev t1-vi-a'}),
			change({op: '~', what: 'route', object: 'table 1002 10.2.0.2/32', expected: 'dev t1-vo-w', seen: 'dev t1-vi-a', app: 'w', network: 'green', detail: '10.2.0.2/32 table 1002 dev t1-vo-w'}),
		]);
	});

	it('a route whose next hop or type changed is replaced; one on a device made again is put back', () => {
		const p = fullPlan(d, {kernel: vrWith(vr => ({
			routes: vr.routes.map(r => (r.table === '1002' && r.dst === '0.0.0.0/0' && r.type === 'unicast' ? {...r, via: '192.0.2.2'} : r.table === '1001' && r.type === 'unreachable' ? {...r, type: 'unicast' as const, dev: 'lo'} : r)),
			links: vr.links.map(l => (l.name === 't1-vi-a' ? {...l, peerNamespace: 't1-ns-w'} : l)),
		}))});
		expect(p.vrouterAdd).toContain('route replace 0.0.0.0/0 via 192.0.2.1 dev t1-gw0 onlink table 1002 proto 77');
		expect(p.vrouterAdd).toContain('route replace unreachable 0.0.0.0/0 table 1001 metric 4278198272 proto 77');
		expect(p.vrouterAdd).toContain('route replace 10.1.0.2/32 dev t1-vi-a table 1001 proto 77');
		expect(p.changes.find(c => c.object === 'table 1002 0.0.0.0/0')).toMatchObject({op: '~', seen: 'via 192.0.2.2 dev t1-gw0', expected: 'via 192.0.2.1 dev t1-gw0'});
		expect(p.changes.find(c => c.object === 'table 1001 0.0.0.0/0')).toMatchObject({op: '~', seen: 'dev lo', expected: 'unreachable'});
	});

	it('an untagged route in a VRF table is foreign (it forwards), named with its table and protocol, and stays', () => {
		const p = fullPlan(d, {kernel: vrWith(() => ({foreignRoutes: [{table: '1001', dst: '10.1.0.200/32', type: 'unicast', dev: 't1-vi-a', metric: 0, proto: 'boot'}]}))});
		expect(linesOf(p)).toEqual([]);
		expect(p.changes).toEqual([]);
		expect(p.foreign).toEqual([{kind: 'route', namespace: 't1-nsdeck-vr', object: 'table 1001 10.1.0.200/32', detail: '10.1.0.200/32 dev t1-vi-a in table 1001 (proto boot)', app: 'a', network: 'blue'}]);
	});
});

describe('an app\'s inside, read (reconcile)', () => {
	it('unreadable: said, nothing written', () => {
		const inside = new Map(d.endpoints.map(e => [e.namespace, e.key === 'a' ? undefined : insideOf(e)]));
		const p = fullPlan(d, {inside});
		expect(linesOf(p)).toEqual([]);
		expect(p.changes).toEqual([change({op: '~', what: 'app', object: 't1-ns-a', expected: 'readable', seen: 'unreadable', app: 'a', detail: 'a: namespace t1-ns-a could not be read'})]);
	});

	it('lo down, veth0 down, its address gone: exactly those repaired', () => {
		const inside = insideWith('a', s => ({links: new Map([['lo', {...s.links.get('lo')!, up: false}], ['veth0', {...s.links.get('veth0')!, up: false, addresses: []}]])}));
		const p = fullPlan(d, {inside});
		expect(linesOf(p)).toEqual(['t1-ns-a: link set dev lo up', 't1-ns-a: link set dev veth0 up', 't1-ns-a: addr replace 10.1.0.2/32 dev veth0']);
		expect(p.changes).toEqual([
			change({op: '~', what: 'link', object: 't1-ns-a/lo', expected: 'up', seen: 'down', detail: 'a: lo down', app: 'a'}),
			change({op: '~', what: 'link', object: 't1-ns-a/veth0', expected: 'up', seen: 'down', detail: 'a: veth0 down', app: 'a'}),
			change({op: '+', what: 'address', object: 't1-ns-a/veth0', expected: '10.1.0.2/32', seen: '', detail: 'a: veth0 lacks 10.1.0.2/32', app: 'a'}),
		]);
	});

	it('an address that is not its lease: removed when inside the network\'s subnet, foreign (kept) outside it', () => {
		const inside = insideWith('a', s => ({links: link(s, 'veth0', {addresses: ['10.1.0.2/32', '10.1.0.250/32', '192.168.7.1/24']})}));
		const p = fullPlan(d, {inside});
		expect(linesOf(p)).toEqual(['t1-ns-a: addr del 10.1.0.250/32 dev veth0']);
		expect(p.changes).toEqual([change({op: '-', what: 'address', object: 't1-ns-a/veth0', expected: '', seen: '10.1.0.250/32', detail: 'a: veth0 has 10.1.0.250/32, not its lease', app: 'a'})]);
		expect(p.foreign).toEqual([{kind: 'address', namespace: 't1-ns-a', object: 'veth0 192.168.7.1/24', detail: 'address 192.168.7.1/24 on veth0', app: 'a'}]);
	});

	it('an extra address on lo is foreign in an app, removed in the gateway; the gateway\'s missing next hop is put back', () => {
		const inside = new Map(d.endpoints.map(e => [e.namespace, insideOf(e)] as [string, InsideState | undefined]));
		const a = insideOf(endpoint('a'));
		inside.set('t1-ns-a', {...a, links: link(a, 'lo', {addresses: ['127.0.0.1/8', '10.99.0.1/32']})});
		const g = insideOf(endpoint('(gateway)'));
		inside.set('t1-nsdeck-gw', {...g, links: link(g, 'lo', {addresses: ['127.0.0.1/8', '203.0.113.9/32']})});
		const p = fullPlan(d, {inside});
		expect(linesOf(p)).toEqual(['t1-nsdeck-gw: addr replace 192.0.2.1/32 dev lo', 't1-nsdeck-gw: addr del 203.0.113.9/32 dev lo']);
		expect(changes(p)).toEqual(['+ address (gateway): lo lacks 192.0.2.1/32', '- address (gateway): lo has 203.0.113.9/32']);
		expect(p.changes.some(c => 'app' in c)).toBe(false);
		expect(p.foreign).toEqual([{kind: 'address', namespace: 't1-ns-a', object: 'lo 10.99.0.1/32', detail: 'address 10.99.0.1/32 on lo', app: 'a'}]);
	});

	it('the gateway\'s eth0 holds only what nsdeck gives it: an extra address there is removed', () => {
		const inside = new Map(d.endpoints.map(e => [e.namespace, insideOf(e)] as [string, InsideState | undefined]));
		const g = insideOf(endpoint('(gateway)'));
		inside.set('t1-nsdeck-gw', {...g, links: link(g, 'eth0', {addresses: ['198.51.100.1/24']})});
		expect(linesOf(fullPlan(d, {inside}))).toEqual(['t1-nsdeck-gw: addr del 198.51.100.1/24 dev eth0']);
	});

	it('rp_filter not loose on veth0: set again (2)', () => {
		const p = fullPlan(d, {inside: insideWith('a', s => ({rpFilter: new Map([...s.rpFilter, ['veth0', 1]])}))});
		expect(linesOf(p)).toEqual(['t1-ns-a: netns exec t1-ns-a sysctl -qw net.ipv4.conf.veth0.rp_filter=2']);
		expect(p.changes).toEqual([change({op: '~', what: 'sysctl', object: 't1-ns-a/veth0 rp_filter', expected: '2', seen: '1', detail: 'a: veth0 rp_filter 1 (wants 2, loose)', app: 'a'})]);
		const unknown = fullPlan(d, {inside: insideWith('a', () => ({rpFilter: new Map()}))});
		expect(unknown.changes[0]!.detail).toBe('a: veth0 rp_filter ? (wants 2, loose)');
	});

	it('routes: the default missing, on the wrong device, untagged or not onlink; the inbound subnet route missing', () => {
		const w = endpoint('w');
		const base = insideOf(w);
		const cases: Array<[string, InsideState['routes'], string[]]> = [
			['default missing', base.routes.filter(r => r.dst !== '0.0.0.0/0'), ['+ route w: default route missing']],
			['default via veth0', base.routes.map(r => (r.dst === '0.0.0.0/0' ? {...r, dev: 'veth0'} : r)), ['~ route w: default route 0.0.0.0/0 via 169.254.1.1 dev veth0, wants 0.0.0.0/0 via 169.254.1.1 dev veth1']],
			['default untagged', base.routes.map(r => (r.dst === '0.0.0.0/0' ? {...r, proto: 4} : r)), ['~ route w: default route 0.0.0.0/0 via 169.254.1.1 dev veth1 (proto 4), wants 0.0.0.0/0 via 169.254.1.1 dev veth1']],
			['default not onlink', base.routes.map(r => (r.dst === '0.0.0.0/0' ? {...r, onlink: false} : r)), ['~ route w: default route 0.0.0.0/0 via 169.254.1.1 dev veth1, wants 0.0.0.0/0 via 169.254.1.1 dev veth1']],
			['default via another gateway', base.routes.map(r => (r.dst === '0.0.0.0/0' ? {...r, via: '10.2.0.1'} : r)), ['~ route w: default route 0.0.0.0/0 via 10.2.0.1 dev veth1, wants 0.0.0.0/0 via 169.254.1.1 dev veth1']],
			['inbound subnet missing', base.routes.filter(r => r.dst !== '10.1.0.0/24'), ['+ route w: route 10.1.0.0/24 missing']],
		];
		for (const [what, routes, want] of cases) {
			const inside = new Map(d.endpoints.map(e => [e.namespace, e.key === 'w' ? {...base, routes} : insideOf(e)]));
			const p = fullPlan(d, {inside});
			expect(changes(p), what).toEqual(want);
			expect(p.apps, what).toEqual([{namespace: 't1-ns-w', lines: [want[0]!.includes('10.1.0.0/24') ? 'route replace 10.1.0.0/24 via 169.254.1.1 dev veth0 onlink proto 77' : 'route replace 0.0.0.0/0 via 169.254.1.1 dev veth1 onlink proto 77']}]);
		}
	});

	it('routes nsdeck did not put there: foreign (another table, untagged); its own stale ones removed; the kernel\'s and metrics left alone', () => {
		const a = insideOf(endpoint('a'));
		const routes = [
			...a.routes,
			{dst: '198.51.100.0/24', table: 254, proto: 4, type: 1, dev: 'veth0'},
			{dst: '10.7.0.0/16', table: 254, proto: 77, type: 1, dev: 'veth0', via: '169.254.1.1'},
			{dst: '10.8.0.0/16', table: 100, proto: 77, type: 1, dev: 'veth0'},
			{dst: '169.254.0.0/16', table: 254, proto: 2, type: 1, dev: 'veth0'},
			{dst: '10.6.0.0/16', table: 254, proto: 4, type: 1, dev: 'veth0', metric: 100},
		];
		const p = fullPlan(d, {inside: insideWith('a', () => ({routes}))});
		expect(linesOf(p)).toEqual(['t1-ns-a: route del 10.7.0.0/16 via 169.254.1.1 dev veth0']);
		expect(changes(p)).toEqual(['- route a: route 10.7.0.0/16 via 169.254.1.1 dev veth0 not wanted']);
		expect(p.foreign).toEqual([
			{kind: 'route', namespace: 't1-ns-a', object: '198.51.100.0/24 dev veth0', detail: 'route 198.51.100.0/24 dev veth0', app: 'a'},
			{kind: 'route', namespace: 't1-ns-a', object: '10.8.0.0/16 dev veth0 table 100', detail: 'route 10.8.0.0/16 dev veth0 in table 100', app: 'a'},
		]);
		// in the gateway everything is nsdeck's: an untagged route there is removed
		const g = insideOf(endpoint('(gateway)'));
		const inside = new Map(d.endpoints.map(e => [e.namespace, insideOf(e)] as [string, InsideState | undefined]));
		inside.set('t1-nsdeck-gw', {...g, routes: [...g.routes, {dst: '10.5.0.0/16', table: 254, proto: 4, type: 1, dev: 'eth0'}]});
		const gp = fullPlan(d, {inside});
		expect(linesOf(gp)).toEqual(['t1-nsdeck-gw: route del 10.5.0.0/16 dev eth0']);
		expect(gp.changes).toStrictEqual([change({op: '-', what: 'route', object: 't1-nsdeck-gw/10.5.0.0/16', expected: '', seen: '10.5.0.0/16 dev eth0', detail: '(gateway): route 10.5.0.0/16 dev eth0 not wanted'})]);
		// a route without a device (a blackhole someone added) is foreign in an app, named by its destination alone
		const bh = fullPlan(d, {inside: insideWith('a', () => ({routes: [...a.routes, {dst: '10.66.0.0/16', table: 254, proto: 4, type: 6}]}))});
		expect(bh.foreign).toEqual([{kind: 'route', namespace: 't1-ns-a', object: '10.66.0.0/16', detail: 'route 10.66.0.0/16', app: 'a'}]);
	});

	it('an extra interface is foreign, with its addresses', () => {
		const p = fullPlan(d, {inside: insideWith('a', s => ({links: new Map([...s.links, ['tap0', {name: 'tap0', up: true, carrier: true, addresses: ['172.16.0.1/24', '172.16.1.1/24']}], ['tap1', {name: 'tap1', up: false, carrier: false, addresses: []}]])}))});
		expect(linesOf(p)).toEqual([]);
		expect(p.foreign).toEqual([
			{kind: 'link', namespace: 't1-ns-a', object: 'tap0', detail: 'interface tap0 (172.16.0.1/24 172.16.1.1/24)', app: 'a'},
			{kind: 'link', namespace: 't1-ns-a', object: 'tap1', detail: 'interface tap1', app: 'a'},
		]);
	});

	it('the recorded command: started again when nothing runs in the namespace, left alone when anything does or when not asked', () => {
		const none = fullPlan(d, {inside: insideWith('w', () => ({pids: []}))});
		expect(none.starts).toEqual([{app: 'w', namespace: 't1-ns-w', command: ['sleep', '1']}]);
		expect(none.changes).toEqual([change({op: '+', what: 'process', object: 't1-ns-w', expected: 'sleep 1', seen: 'no process', app: 'w', detail: 'w: sleep 1'})]);
		expect(none.apps).toEqual([]);
		expect(fullPlan(d, {inside: insideWith('w', () => ({pids: [1, 2]}))}).starts).toEqual([]);
		expect(fullPlan(d, {inside: insideWith('w', () => ({pids: undefined}))}).starts).toEqual([]);
		// an app without a command is never started
		expect(fullPlan(d, {inside: insideWith('a', () => ({pids: []}))}).starts).toEqual([]);
	});
});

describe('changes as text', () => {
	it('by default: added object and what is expected, removed object and what was seen, changed seen -> expected', () => {
		expect(change({op: '+', what: 'x', object: 'o', expected: 'e', seen: ''}).detail).toBe('o e');
		expect(change({op: '+', what: 'x', object: 'o', expected: '', seen: ''}).detail).toBe('o');
		expect(change({op: '-', what: 'x', object: 'o', expected: '', seen: 's'}).detail).toBe('o s');
		expect(change({op: '-', what: 'x', object: 'o', expected: '', seen: ''}).detail).toBe('o');
		expect(change({op: '~', what: 'x', object: 'o', expected: 'e', seen: 's'}).detail).toBe('o: s -> e');
		expect(change({op: '~', what: 'x', object: 'o', expected: '', seen: ''}).detail).toBe('o: missing -> none');
		expect(change({op: '~', what: 'x', object: 'o', expected: 'e', seen: 's', detail: 'given'}).detail).toBe('given');
	});
});

describe('edges the common cases do not reach', () => {
	it('a network without apps still gets its table, so the vrouter is made for it', () => {
		const netOnly: Intent = {...intent, apps: [], externals: [], owned: []};
		const p = planChanges(desiredOf(netOnly), {namespaces: new Set()}, {names: n, owned: [], alive: () => true});
		expect(p.rootPre[0]).toBe('netns add t1-nsdeck-vr');
		expect(p.vrouterAdd).toContain('route replace unreachable 0.0.0.0/0 table 1001 metric 4278198272 proto 77');
	});

	it('the unreachable default replaced by a route of another kind (no device: a blackhole) is put back', () => {
		const p = fullPlan(d, {kernel: vrWith(vr => ({routes: vr.routes.map(r => (r.table === '1001' && r.type === 'unreachable' ? {table: r.table, dst: r.dst, type: 'unicast' as const, metric: r.metric} : r))}))});
		expect(p.vrouterAdd).toEqual(['route replace unreachable 0.0.0.0/0 table 1001 metric 4278198272 proto 77']);
		// (what it says was seen, `dev undefined`, is not asserted: a route without a device has no better words yet)
		expect(p.changes).toHaveLength(1);
		expect(p.changes[0]).toMatchObject({op: '~', what: 'route', object: 'table 1001 0.0.0.0/0', expected: 'unreachable', network: 'blue', detail: '0.0.0.0/0 table 1001 unreachable'});
	});

	it('vrouter lo found by name wherever the kernel lists it; the default rp_filter checked too', () => {
		const p = fullPlan(d, {
			kernel: vrWith(vr => ({links: [...vr.links.filter(l => l.name !== 'lo'), {...vr.links.find(l => l.name === 'lo')!, up: false}]})),
			vrouterInside: {...vrouterInsideOf(d), rpFilter: new Map([['all', 0], ['default', 1]])},
		});
		expect(p.vrouterAdd).toEqual(['link set dev lo up']);
		expect(p.rootPre).toEqual(['netns exec t1-nsdeck-vr sysctl -qw net.ipv4.conf.default.rp_filter=0']);
	});

	it('one inner interface gone of two: that app\'s veths are made again; no read of processes never throws', () => {
		const inside = insideWith('w', s => ({links: new Map([...s.links].filter(([k]) => k !== 'veth1')), pids: undefined}));
		const p = fullPlan(d, {inside});
		expect(p.vrouterDel).toEqual(['link del dev t1-vi-w', 'link del dev t1-vo-w']);
		expect(p.changes.filter(c => c.what === 'link')).toStrictEqual([
			change({op: '+', what: 'link', object: 't1-nsdeck-vr/t1-vi-w', expected: 'veth to t1-ns-w:veth0', seen: 'veth0 missing in t1-ns-w', app: 'w', detail: 't1-vi-w <-> t1-ns-w:veth0'}),
			change({op: '+', what: 'link', object: 't1-nsdeck-vr/t1-vo-w', expected: 'veth to t1-ns-w:veth1', seen: 'veth1 missing in t1-ns-w', app: 'w', detail: 't1-vo-w <-> t1-ns-w:veth1'}),
		]);
	});

	it('changes say exactly which app and network they concern, and nothing else', () => {
		const p = fullPlan(d, {kernel: vrWith(vr => ({
			links: vr.links.map(l => (l.name === 't1-vi-a' ? {...l, up: false} : l.name === 't1-vo-w' ? {...l, peerNamespace: 't1-ns-a'} : l)),
			rules: [...vr.rules, {pref: 100, iif: 't1-stale', table: '1009', protocol: '77'}],
		}))});
		expect(p.changes.find(c => c.detail === 't1-vi-a up')).toStrictEqual(change({op: '~', what: 'link', object: 't1-nsdeck-vr/t1-vi-a', expected: 'up', seen: 'down', app: 'a', detail: 't1-vi-a up'}));
		expect(p.changes.find(c => c.detail === 't1-vo-w')).toStrictEqual(change({op: '-', what: 'link', object: 't1-nsdeck-vr/t1-vo-w', expected: 'veth to t1-ns-w', seen: 'veth to t1-ns-a', app: 'w', detail: 't1-vo-w'}));
		expect(p.changes.find(c => c.what === 'rule')).toStrictEqual(change({op: '-', what: 'rule', object: 't1-nsdeck-vr iif t1-stale', expected: '', seen: 'lookup 1009', detail: 'iif t1-stale lookup 1009'}));
	});

	it('a stale veth whose far end the kernel does not name is removed, said as leading to ?', () => {
		const p = fullPlan(d, {kernel: vrWith(vr => ({links: [...vr.links, {name: 't1-vi-zz', ifindex: 50, group: '77', up: true, operUp: true}]}))});
		expect(p.changes).toStrictEqual([change({op: '-', what: 'link', object: 't1-nsdeck-vr/t1-vi-zz', expected: '', seen: 'veth to ?', detail: 't1-vi-zz'})]);
	});

	it('a stale veth to a namespace that no longer exists is removed and said', () => {
		const p = fullPlan(d, {kernel: vrWith(vr => ({links: [...vr.links, {name: 't1-vi-zz', ifindex: 50, group: '77', up: true, operUp: true, peerNamespace: 't1-ns-zz'}]}))});
		expect(p.vrouterDel).toEqual(['link del dev t1-vi-zz']);
		expect(p.changes).toStrictEqual([change({op: '-', what: 'link', object: 't1-nsdeck-vr/t1-vi-zz', expected: '', seen: 'veth to t1-ns-zz', detail: 't1-vi-zz'})]);
		expect(p.foreign).toEqual([]);
	});

	it('an app on a network without a subnet: an extra address on it is foreign', () => {
		const bare: Intent = {...intent, networks: [...intent.networks, {id: 3, name: 'bare', subnet: null, block: null, vni: 13, createdAt: '', targets: []}], apps: [{name: 'b', ifid: 9, kind: 'netns', ifaces: [{role: 'in', network: 'bare', address: '10.3.0.2'}], createdAt: ''}], owned: [{name: 't1-ns-b', kind: 'netns'}]};
		const db = desiredOf(bare);
		const e = db.endpoints.find(x => x.key === 'b')!;
		const s = insideOf(e);
		const inside = new Map(db.endpoints.map(x => [x.namespace, x.key === 'b' ? {...s, links: link(s, 'veth0', {addresses: ['10.3.0.2/32', '10.3.0.9/32']})} : insideOf(x)]));
		const p = fullPlan(db, {kernel: kernelOf(db), inside, owned: bare.owned});
		expect(linesOf(p)).toEqual([]);
		expect(p.foreign).toEqual([{kind: 'address', namespace: 't1-ns-b', object: 'veth0 10.3.0.9/32', detail: 'address 10.3.0.9/32 on veth0', app: 'b'}]);
	});

	it('an inside without lo at all: lo is brought up (nothing read is taken for granted)', () => {
		const p = fullPlan(d, {inside: insideWith('a', s => ({links: new Map([...s.links].filter(([k]) => k !== 'lo'))}))});
		expect(linesOf(p)).toEqual(['t1-ns-a: link set dev lo up']);
		expect(p.foreign).toEqual([]);
	});

	it('the gateway\'s lo: its next hop missing and a stray address, said precisely', () => {
		const inside = new Map(d.endpoints.map(e => [e.namespace, insideOf(e)] as [string, InsideState | undefined]));
		const g = insideOf(endpoint('(gateway)'));
		inside.set('t1-nsdeck-gw', {...g, links: link(g, 'lo', {addresses: ['127.0.0.1/8', '203.0.113.9/32']})});
		expect(fullPlan(d, {inside}).changes).toStrictEqual([
			change({op: '+', what: 'address', object: 't1-nsdeck-gw/lo', expected: '192.0.2.1/32', seen: '', detail: '(gateway): lo lacks 192.0.2.1/32'}),
			change({op: '-', what: 'address', object: 't1-nsdeck-gw/lo', expected: '', seen: '203.0.113.9/32', detail: '(gateway): lo has 203.0.113.9/32'}),
		]);
	});

	it('a lease missing beside other addresses: what is there is said', () => {
		const p = fullPlan(d, {inside: insideWith('a', s => ({links: link(s, 'veth0', {addresses: ['10.1.0.250/32', '192.168.7.1/24']})}))});
		expect(p.changes[0]).toStrictEqual(change({op: '+', what: 'address', object: 't1-ns-a/veth0', expected: '10.1.0.2/32', seen: '10.1.0.250/32 192.168.7.1/24', detail: 'a: veth0 lacks 10.1.0.2/32', app: 'a'}));
	});

	it('the default route compared only with the main table\'s unicast default of metric 0', () => {
		const a = insideOf(endpoint('a'));
		// the right default, but in another table and with a metric: neither counts, the main one is missing
		const routes = [{...a.routes[0]!, table: 100}, {...a.routes[0]!, metric: 5}];
		const p = fullPlan(d, {inside: insideWith('a', () => ({routes}))});
		expect(p.apps).toEqual([{namespace: 't1-ns-a', lines: ['route replace 0.0.0.0/0 via 169.254.1.1 dev veth0 onlink proto 77']}]);
		expect(p.changes[0]).toStrictEqual(change({op: '+', what: 'route', object: 't1-ns-a/0.0.0.0/0', expected: '0.0.0.0/0 via 169.254.1.1 dev veth0', seen: '', detail: 'a: default route missing', app: 'a'}));
		// the kernel's own route to the same destination is not the default nsdeck wants
		const kernelOnly = [{...a.routes[0]!, proto: 2}];
		expect(fullPlan(d, {inside: insideWith('a', () => ({routes: kernelOnly}))}).changes[0]!.detail).toBe('a: default route missing');
	});

	it('an extra interface\'s foreign entry names it; a route nsdeck put there but does not want is removed with its gateway', () => {
		const a = insideOf(endpoint('a'));
		const p = fullPlan(d, {inside: insideWith('a', () => ({routes: [...a.routes, {dst: '10.7.0.0/16', table: 254, proto: 77, type: 1, dev: 'veth0'}]}))});
		expect(p.changes).toStrictEqual([change({op: '-', what: 'route', object: 't1-ns-a/10.7.0.0/16', expected: '', seen: '10.7.0.0/16 dev veth0', detail: 'a: route 10.7.0.0/16 dev veth0 not wanted', app: 'a'})]);
	});
});
