import {APP_GATEWAY} from '../core/names.js';
import type {Names} from '../core/names.js';
import type {Owned} from '../store/intent.js';
import {type DRoute, type Desired, type Endpoint, routeKey} from './desired.js';
import {type AppNsState, type KernelState, type KRoute, RULE_PREF, TAG} from './kernel.js';
import {VXLAN_PORT} from '../core/overlay.js';

export type Change = {readonly op: '+' | '-' | '~'; readonly what: string; readonly detail: string};

/** The difference between intent and kernel as batches, one per namespace, in the order they must run. */
export type Plan = {
	readonly vrouter: string;
	/** root namespace: netns add, vrouter sysctls */
	readonly rootPre: string[];
	/** attached apps: /run/netns/NAME -> /proc/PID/ns/net */
	readonly symlinks: Array<{name: string; pid: number}>;
	/** vrouter deletions: run with -force, since a link may already be gone with its namespace */
	readonly vrouterDel: string[];
	readonly vrouterAdd: string[];
	/** VXLAN devices: created where their socket lives (the underlay namespace, or root), then moved to the vrouter */
	readonly underlay: Array<{namespace: string | undefined; lines: string[]}>;
	/** vrouter: `bridge` lines for VXLAN forwarding entries, deletions first */
	readonly bridge: string[];
	readonly apps: Array<{namespace: string; lines: string[]}>;
	/** root namespace: rp_filter sysctls inside apps, netns del */
	readonly rootPost: string[];
	readonly unlinks: string[];
	/** owned namespaces removed by this plan (forgotten once applied) */
	readonly released: string[];
	readonly changes: Change[];
};

export type PlanOptions = {
	readonly names: Names;
	readonly owned: readonly Owned[];
	/** endpoints whose inside must be (re)written even if nothing looks wrong from the vrouter */
	readonly touched?: ReadonlySet<string>;
	/** full repair: inside state of each endpoint, read beforehand */
	readonly inside?: ReadonlyMap<string, AppNsState | undefined>;
	readonly alive: (pid: number) => boolean;
};

function routeLine(verb: 'replace' | 'del', r: DRoute | KRoute): string {
	const head = r.type === 'unreachable' ? `unreachable ${r.dst}` : r.dst;
	const via = r.via ? ` via ${r.via}` : '';
	const dev = r.type === 'unicast' && r.dev ? ` dev ${r.dev}` : '';
	const onlink = r.via && verb === 'replace' ? ' onlink' : '';
	const metric = r.metric ? ` metric ${r.metric}` : '';
	return `route ${verb} ${head}${via}${dev}${onlink} table ${r.table}${metric}${verb === 'replace' ? ` proto ${TAG}` : ''}`;
}

function sameRoute(d: DRoute, k: KRoute): boolean {
	return d.type === k.type && (d.dev ?? '') === (k.dev ?? '') && (d.via ?? '') === (k.via ?? '');
}

/** Why an endpoint's inside differs from what it should be, or undefined when it matches. */
function insideDrift(e: Endpoint, s: AppNsState | undefined): string | undefined {
	if (!s) return 'namespace unreadable';
	if (!s.links.get('lo')?.up) return 'lo down';
	for (const i of e.ifaces) {
		const link = s.links.get(i.inner);
		if (!link) return `${i.inner} missing`;
		if (!link.up) return `${i.inner} down`;
		if ([...link.addresses].sort().join() !== [...i.addresses].sort().join()) return `${i.inner} addresses ${link.addresses.join(' ') || 'none'}`;
	}
	const lo = s.links.get('lo')?.addresses ?? [];
	for (const a of e.loAddresses) if (!lo.includes(a)) return `lo lacks ${a}`;
	if (s.defaultRoute?.via !== APP_GATEWAY || s.defaultRoute.dev !== e.defaultDev) {
		return `default route ${s.defaultRoute ? `via ${s.defaultRoute.via ?? '-'} dev ${s.defaultRoute.dev ?? '-'}` : 'missing'}`;
	}
	for (const dev of e.loose) if (s.rpFilter.get(dev) !== 'loose') return `${dev} rp_filter ${s.rpFilter.get(dev) ?? '?'}`;
	return undefined;
}

function insideLines(e: Endpoint, flush: boolean): string[] {
	const lines = ['link set dev lo up'];
	if (flush && e.loAddresses.length > 0) lines.push('addr flush dev lo scope global');
	for (const a of e.loAddresses) lines.push(`addr replace ${a} dev lo`);
	for (const i of e.ifaces) {
		if (flush) lines.push(`addr flush dev ${i.inner}`);
		for (const a of i.addresses) lines.push(`addr replace ${a} dev ${i.inner}`);
		lines.push(`link set dev ${i.inner} up`);
	}
	lines.push(`route replace default via ${APP_GATEWAY} dev ${e.defaultDev} onlink`);
	return lines;
}

export function planChanges(desired: Desired, kernel: KernelState, opts: PlanOptions): Plan {
	const {names: n} = opts;
	const plan: Plan = {vrouter: desired.vrouter, rootPre: [], symlinks: [], vrouterDel: [], vrouterAdd: [], underlay: [], bridge: [], apps: [], rootPost: [], unlinks: [], released: [], changes: []};
	const change = (op: Change['op'], what: string, detail: string) => plan.changes.push({op, what, detail});
	const vr = kernel.vrouter;
	const full = opts.inside !== undefined;

	if (!kernel.namespaces.has(desired.vrouter)) {
		plan.rootPre.push(`netns add ${desired.vrouter}`);
		change('+', 'netns', desired.vrouter);
	}
	if (!vr || full) {
		// before any host veth exists, so new veths copy rp_filter 0 (the host ends have no address: any check drops)
		plan.rootPre.push(`netns exec ${desired.vrouter} sysctl -qw net.ipv4.ip_forward=1 net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0`);
		plan.vrouterAdd.push('link set dev lo up');
	}
	if (desired.stamp && vr?.stamp !== desired.stamp) {
		plan.vrouterAdd.push(`link set dev lo alias "${desired.stamp}"`);
		if (vr) change('~', 'vrouter', `lo alias "${vr.stamp ?? ''}" -> "${desired.stamp}" (the store that made it)`);
	}
	if (!vr?.loAddresses.includes(`${APP_GATEWAY}/32`)) {
		plan.vrouterAdd.push(`addr replace ${APP_GATEWAY}/32 dev lo`);
		if (vr) change('~', 'vrouter', `gateway ${APP_GATEWAY} restored on lo`);
	}

	// Endpoints whose process is gone (attached apps) cannot be configured: report, leave their intent alone.
	const live = desired.endpoints.filter(e => {
		if (e.kind === 'link' && (e.pid === undefined || !opts.alive(e.pid))) {
			change('~', 'app', `${e.key}: process ${e.pid ?? '?'} is gone; its namespace cannot be configured`);
			return false;
		}
		return true;
	});
	const wantedNs = new Set(desired.endpoints.map(e => e.namespace));
	const fresh = new Set<string>();
	for (const e of live) {
		if (kernel.namespaces.has(e.namespace)) continue;
		if (e.kind === 'netns') {
			plan.rootPre.push(`netns add ${e.namespace}`);
			change('+', 'netns', e.namespace);
		} else {
			plan.symlinks.push({name: e.namespace, pid: e.pid!});
			change('+', 'netns', `${e.namespace} -> /proc/${e.pid}/ns/net`);
		}
		fresh.add(e.key);
	}

	// Namespaces to remove: only those the store names (owned) that intent no longer wants. A namespace the store does
	// not name is never deleted, even at the far end of one of our veths: it is foreign, and so is that veth.
	const ours = new Map<string, 'netns' | 'link'>(opts.owned.map(o => [o.name, o.kind]));
	// the gateway, like the vrouter, is the host's: it belongs to the store that converges (see provision/ownership.ts)
	ours.set(n.gateway, 'netns');
	const doomedNs = new Set<string>();
	for (const [name, kind] of ours) {
		if (wantedNs.has(name)) continue;
		plan.released.push(name);
		if (!kernel.namespaces.has(name)) continue;
		if (kind === 'link') plan.unlinks.push(name); // an attached process's namespace lives on: only the link goes
		else {
			doomedNs.add(name);
			plan.rootPost.push(`netns del ${name}`);
		}
		change('-', 'netns', name);
	}

	const wantedLinks = new Map(live.flatMap(e => e.ifaces.map(i => [i.hostIf, {e, i}] as const)));
	const haveLinks = new Map((vr?.links ?? []).filter(l => l.group === String(TAG) && !desired.vxlans.has(l.name)).map(l => [l.name, l]));
	const goneDevs = new Set<string>();
	// VXLAN devices: made in the underlay namespace (its socket stays there), moved into the vrouter, then set up
	const haveAll = new Map((vr?.links ?? []).map(l => [l.name, l]));
	const underlay = new Map<string | undefined, string[]>();
	const freshVx = new Set<string>();
	for (const [name, x] of desired.vxlans) {
		const have = haveAll.get(name);
		if (have && have.group === String(TAG)) {
			if (!have.up) {
				plan.vrouterAdd.push(`link set dev ${name} up`);
				change('~', 'link', `${name} up`);
			}
			continue;
		}
		if (have) {
			plan.vrouterDel.push(`link del dev ${name}`);
			goneDevs.add(name);
		}
		const lines = underlay.get(x.underlayNs) ?? [];
		lines.push(`link add ${name} address ${x.mac} mtu ${x.mtu} group ${TAG} type vxlan id ${x.vni} local ${x.local} dstport ${VXLAN_PORT} nolearning`, `link set dev ${name} netns ${desired.vrouter}`);
		underlay.set(x.underlayNs, lines);
		plan.vrouterAdd.push(`link set dev ${name} up`);
		change('+', 'link', `${name} vxlan ${x.vni} local ${x.local}${x.underlayNs ? ` (socket in ${x.underlayNs})` : ''}`);
		freshVx.add(name);
	}
	for (const [namespace, lines] of underlay) plan.underlay.push({namespace, lines});
	const isDev = (name: string) => wantedLinks.has(name) || desired.vxlans.has(name);
	const keptForeign = new Set<string>();
	const foreignNs = (ns: string | undefined) => ns !== undefined && !ours.has(ns) && !wantedNs.has(ns) && kernel.namespaces.has(ns);
	for (const [name, l] of haveLinks) {
		const want = wantedLinks.get(name);
		if (want && (l.peerNamespace === want.e.namespace || (l.peerNamespace === undefined && !fresh.has(want.e.key)))) continue;
		if (!want && foreignNs(l.peerNamespace)) {
			keptForeign.add(name); // leads into a namespace the store does not name: left alone, with its rule
			continue;
		}
		goneDevs.add(name);
		if (l.peerNamespace && doomedNs.has(l.peerNamespace)) continue; // dies with its namespace
		plan.vrouterDel.push(`link del dev ${name}`);
		change('-', 'link', name);
	}
	for (const [name, {e, i}] of wantedLinks) {
		const have = haveLinks.get(name);
		if (!have || goneDevs.has(name)) {
			plan.vrouterAdd.push(`link add ${name} group ${TAG} type veth peer name ${i.inner} netns ${e.namespace}`, `link set dev ${name} up`);
			change('+', 'link', `${name} <-> ${e.namespace}:${i.inner}`);
			fresh.add(e.key);
		} else if (!have.up) {
			plan.vrouterAdd.push(`link set dev ${name} up`);
			change('~', 'link', `${name} up`);
		}
	}

	const haveRules = new Map<string, {pref: number; table: string}[]>();
	for (const r of vr?.rules ?? []) if (r.iif) haveRules.set(r.iif, [...(haveRules.get(r.iif) ?? []), r]);
	for (const [iif, rules] of haveRules) {
		if (keptForeign.has(iif)) continue;
		for (const r of rules) {
			if (desired.rules.get(iif) === r.table && r.pref === RULE_PREF && rules.length === 1) continue;
			// rules outlive their device ([detached]) and would capture a future interface of that name: always delete
			plan.vrouterDel.push(`rule del pref ${r.pref} iif ${iif} table ${r.table}`);
			change('-', 'rule', `iif ${iif} lookup ${r.table}`);
		}
	}
	for (const [iif, table] of desired.rules) {
		if (!isDev(iif)) continue;
		const have = haveRules.get(iif);
		if (have?.length === 1 && have[0]!.table === table && have[0]!.pref === RULE_PREF) continue;
		plan.vrouterAdd.push(`rule add iif ${iif} lookup ${table} pref ${RULE_PREF} protocol ${TAG}`);
		change('+', 'rule', `iif ${iif} lookup ${table}`);
	}

	// remote VTEPs on the VXLAN devices: a permanent neighbour and a forwarding entry each, in place before any route
	// uses them (a packet sent between the route and its forwarding entry would be dropped)
	const haveNeigh = new Set((vr?.neighs ?? []).filter(x => desired.vxlans.has(x.split(' ')[0]!) || x.split(' ')[0]!.startsWith(`${n.prefix}vx`)));
	for (const x of haveNeigh) {
		const [dev, addr] = x.split(' ');
		if (desired.neighs.has(x) && !goneDevs.has(dev!)) continue;
		if (desired.vxlans.has(dev!) && !goneDevs.has(dev!)) plan.vrouterDel.push(`neigh del ${addr} dev ${dev}`);
		change('-', 'neigh', `${addr} dev ${dev}`);
	}
	for (const x of desired.neighs) {
		const [dev, addr, mac] = x.split(' ');
		if (haveNeigh.has(x) && !goneDevs.has(dev!) && !freshVx.has(dev!)) continue;
		plan.vrouterAdd.push(`neigh replace ${addr} lladdr ${mac} dev ${dev} nud permanent`);
		change('+', 'neigh', `${addr} lladdr ${mac} dev ${dev}`);
	}
	const haveFdb = new Set((vr?.fdb ?? []).filter(x => desired.vxlans.has(x.split(' ')[0]!)));
	for (const x of haveFdb) {
		if (desired.fdb.has(x)) continue;
		const [dev, mac, dst] = x.split(' ');
		plan.bridge.unshift(`fdb del ${mac} dev ${dev} dst ${dst} self`);
		change('-', 'fdb', `${mac} dst ${dst} dev ${dev}`);
	}
	for (const x of desired.fdb) {
		const [dev, mac, dst] = x.split(' ');
		if (haveFdb.has(x) && !freshVx.has(dev!)) continue;
		plan.bridge.push(`fdb append ${mac} dev ${dev} dst ${dst} self permanent`);
		change('+', 'fdb', `${mac} dst ${dst} dev ${dev}`);
	}

	const haveRoutes = new Map((vr?.routes ?? []).map(r => [routeKey(r), r]));
	for (const [key, r] of haveRoutes) {
		if (desired.routes.has(key)) continue;
		change('-', 'route', `${r.dst} table ${r.table}${r.type === 'unreachable' ? ' unreachable' : ` dev ${r.dev}`}`);
		if (r.dev && goneDevs.has(r.dev)) continue; // goes with its device
		plan.vrouterDel.push(routeLine('del', r));
	}
	for (const [key, r] of desired.routes) {
		if (r.dev && !isDev(r.dev)) continue;
		const have = haveRoutes.get(key);
		if (have && sameRoute(r, have) && !(r.dev && goneDevs.has(r.dev))) continue;
		plan.vrouterAdd.push(routeLine('replace', r));
		change(have ? '~' : '+', 'route', `${r.dst} table ${r.table}${r.type === 'unreachable' ? ' unreachable' : `${r.via ? ` via ${r.via}` : ''} dev ${r.dev}`}`);
	}

	for (const e of live) {
		let flush = opts.touched?.has(e.key) ?? false;
		let write = fresh.has(e.key) || flush;
		if (!write && full) {
			const drift = insideDrift(e, opts.inside!.get(e.namespace));
			if (drift) {
				change('~', 'app', `${e.key}: ${drift}`);
				write = flush = true;
			}
		}
		if (!write) continue;
		plan.apps.push({namespace: e.namespace, lines: insideLines(e, flush)});
		for (const dev of e.loose) plan.rootPost.unshift(`netns exec ${e.namespace} sysctl -qw net.ipv4.conf.${dev}.rp_filter=2`);
		if (fresh.has(e.key)) change('+', 'app', `${e.key}: ${e.ifaces.map(i => `${i.inner} ${i.addresses.join(' ')}`).join(', ')}`);
	}
	return plan;
}
