// A small host in intent, and the kernel that matches it exactly (vrouter and every namespace's inside), so a pure
// test can break one thing and see what the plan does about it.
import {routingModel} from '../../source/control/local.js';
import {names} from '../../source/core/names.js';
import type {RouteTarget} from '../../source/core/rt.js';
import {type Desired, desiredState, type Endpoint} from '../../source/dataplane/desired.js';
import type {InsideState} from '../../source/dataplane/inside.js';
import type {KernelState, VrouterState} from '../../source/dataplane/kernel.js';
import {type PlanOptions, planChanges} from '../../source/dataplane/plan.js';
import {resolve} from '../../source/core/resolver.js';
import type {Intent} from '../../source/store/intent.js';

export const rt = (x: string) => x as RouteTarget;
export const n = names('t1-');
export const STAMP = 'nsdeck s1 /var/lib/nsdeck/nsdeck.db';

/** blue (a; w with outbound green and a command), green importing the gateway's default route; owned namespaces. */
export const intent: Intent = {
	networks: [
		{id: 1, name: 'blue', subnet: '10.1.0.0/24', block: '10.1.0.0/24', vni: 11, createdAt: '', targets: [{rt: rt('target:64512:1'), auto: true, import: true, export: true}]},
		{id: 2, name: 'green', subnet: '10.2.0.0/24', block: '10.2.0.0/24', vni: 12, createdAt: '', targets: [{rt: rt('target:64512:2'), auto: true, import: true, export: true}, {rt: rt('target:64512:900'), auto: false, import: true, export: false}]},
	],
	apps: [
		{name: 'a', ifid: 1, kind: 'netns', ifaces: [{role: 'in', network: 'blue', address: '10.1.0.2'}], createdAt: ''},
		{name: 'w', ifid: 2, kind: 'netns', command: ['sleep', '1'], ifaces: [{role: 'in', network: 'blue', address: '10.1.0.3'}, {role: 'out', network: 'green', address: '10.2.0.2'}], createdAt: ''},
	],
	externals: [{prefix: '0.0.0.0/0', via: '192.0.2.1', targets: [rt('target:64512:900')]}],
	owned: [{name: 't1-ns-a', kind: 'netns'}, {name: 't1-ns-w', kind: 'netns'}],
	remotes: [],
};

/** null: no stamp wanted (the vrouter's alias is left as it is). */
export function desiredOf(i: Intent = intent, stamp: string | null = STAMP): Desired {
	return desiredState(i, resolve(routingModel(i)), n, stamp ?? undefined);
}

/** The vrouter exactly as a converge leaves it. */
export function vrouterOf(d: Desired): VrouterState {
	let ifindex = 2;
	return {
		links: [
			{name: 'lo', ifindex: 1, group: 'default', up: true, operUp: false},
			...d.endpoints.flatMap(e => e.ifaces.map(i => ({name: i.hostIf, ifindex: ifindex++, group: '77', up: true, operUp: true, peerNamespace: e.namespace}))),
			...[...d.vxlans.values()].map(x => ({name: x.name, ifindex: ifindex++, group: '77', up: true, operUp: true})),
		],
		rules: [...d.rules].map(([iif, table]) => ({pref: 100, iif, table, protocol: '77'})),
		routes: [...d.routes.values()].map(r => ({table: r.table, dst: r.dst, type: r.type, metric: r.metric, ...(r.dev ? {dev: r.dev} : {}), ...(r.via ? {via: r.via} : {})})),
		foreignRules: [],
		foreignRoutes: [],
		loAddresses: ['127.0.0.1/8', '169.254.1.1/32'],
		neighs: [...d.neighs],
		fdb: [...d.fdb],
		...(d.stamp ? {stamp: d.stamp} : {}),
	};
}

export function kernelOf(d: Desired, vr: VrouterState = vrouterOf(d)): KernelState {
	return {namespaces: new Set([d.vrouter, ...d.endpoints.map(e => e.namespace)]), vrouter: vr};
}

/** An endpoint's inside exactly as a converge leaves it (a command running when it has one). */
export function insideOf(e: Endpoint): InsideState {
	return {
		links: new Map([
			['lo', {name: 'lo', up: true, carrier: true, addresses: ['127.0.0.1/8', ...e.loAddresses]}],
			...e.ifaces.map(i => [i.inner, {name: i.inner, up: true, carrier: true, addresses: [...i.addresses]}] as const),
		]),
		routes: e.routes.map(r => ({dst: r.dst, table: 254, proto: 77, type: 1, dev: r.dev, via: r.via, onlink: true})),
		rpFilter: new Map([['all', 0], ['default', 1], ...e.loose.map(d => [d, 2] as const)]),
		forward: 0,
		inode: 4026532000,
		pids: e.command ? [4242] : [],
	};
}

export function vrouterInsideOf(d: Desired): InsideState {
	return {links: new Map(), routes: [], rpFilter: new Map([['all', 0], ['default', 0], ...d.endpoints.flatMap(e => e.ifaces.map(i => [i.hostIf, 0] as const))]), forward: 1, inode: 1};
}

/** A full plan (reconcile) of desired against a kernel and insides, by default all matching. */
export function fullPlan(d: Desired, o: {kernel?: KernelState; inside?: Map<string, InsideState | undefined>; vrouterInside?: InsideState; owned?: Intent['owned']; alive?: (pid: number) => boolean} = {}) {
	const opts: PlanOptions = {
		names: n,
		owned: o.owned ?? intent.owned,
		full: true,
		inside: o.inside ?? new Map(d.endpoints.map(e => [e.namespace, insideOf(e)])),
		vrouterInside: o.vrouterInside ?? vrouterInsideOf(d),
		alive: o.alive ?? (() => true),
	};
	return planChanges(d, o.kernel ?? kernelOf(d), opts);
}

/** Every line a plan would run, in order, with the namespace it runs in. */
export function linesOf(p: ReturnType<typeof planChanges>): string[] {
	return [
		...p.rootPre.map(l => `root: ${l}`),
		...p.symlinks.map(s => `link: ${s.name} -> ${s.pid}`),
		...p.vrouterDel.map(l => `vr-: ${l}`),
		...p.underlay.flatMap(u => u.lines.map(l => `underlay ${u.namespace ?? 'root'}: ${l}`)),
		...p.bridge.map(l => `bridge: ${l}`),
		...p.vrouterAdd.map(l => `vr+: ${l}`),
		...p.apps.flatMap(a => a.lines.map(l => `${a.namespace}: ${l}`)),
		...p.rootPost.map(l => `post: ${l}`),
		...p.unlinks.map(l => `unlink: ${l}`),
		...p.starts.map(s => `start ${s.namespace}: ${s.command.join(' ')}`),
	];
}
