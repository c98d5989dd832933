// The difference between intent and kernel, as batches (one per namespace, in the order they must run), as the list
// of changes (drift: exactly what applying would change), and the foreign state found on the way (shown, never
// removed). Pure: the caller reads the kernel and applies.
import {APP_GATEWAY, type Names} from '../core/names.js';
import {isVxlanIf} from '../core/overlay.js';
import type {Owned} from '../store/intent.js';
import {change, type Change, type ChangeInput, type Foreign} from './change.js';
import {type DRoute, type Desired, type Endpoint, routeKey} from './desired.js';
import type {InsideState} from './inside.js';
import {type KernelState, type KRoute, RULE_PREF, TAG} from './kernel.js';
import {diffInside, freshInside} from './plan-inside.js';
import {routeLine, ruleLine, sameRoute} from './routes.js';
import {planOverlayEntries, planVxlans} from './plan-overlay.js';

export type {Change, Foreign};

/** A command to start inside an app's namespace once the kernel is in place (bind -- COMMAND, or reconcile). */
export type Start = {readonly app: string; readonly namespace: string; readonly command: readonly string[]};

export type Plan = {
	readonly vrouter: string;
	/** root namespace: netns add, vrouter sysctls */
	readonly rootPre: string[];
	/** attached apps: /run/netns/NAME -> /proc/PID/ns/net */
	readonly symlinks: Array<{name: string; pid: number}>;
	/** vrouter deletions: run with -force, since a link may already be gone with its namespace */
	readonly vrouterDel: string[];
	readonly vrouterAdd: string[];
	/** VXLAN devices: made in the vrouter from where their socket lives (the underlay namespace, or root) */
	readonly underlay: Array<{namespace: string | undefined; lines: string[]}>;
	/** vrouter: `bridge` lines for VXLAN forwarding entries, deletions first */
	readonly bridge: string[];
	readonly apps: Array<{namespace: string; lines: string[]}>;
	/** root namespace: netns del */
	readonly rootPost: string[];
	readonly unlinks: string[];
	/** owned namespaces removed by this plan (forgotten once applied) */
	readonly released: string[];
	readonly starts: Start[];
	readonly changes: Change[];
	readonly foreign: Foreign[];
};

export type PlanOptions = {
	readonly names: Names;
	readonly owned: readonly Owned[];
	/** endpoints (by key) whose inside is compared with intent even without a full read */
	readonly touched?: ReadonlySet<string>;
	/** the inside of endpoints (by namespace) read beforehand; a full plan reads every live one */
	readonly inside?: ReadonlyMap<string, InsideState | undefined>;
	/** the vrouter's own inside (sysctls), when read: a full plan */
	readonly vrouterInside?: InsideState;
	readonly full?: boolean;
	readonly alive: (pid: number) => boolean;
};

/** A route as the operator reads it; a device-less route that is not `unreachable` (a blackhole, say) says so. */
const routeText = (r: DRoute | KRoute) => (r.type === 'unreachable' ? 'unreachable' : r.dev ? `${r.via ? `via ${r.via} ` : ''}dev ${r.dev}` : `${r.via ? `via ${r.via} ` : ''}without a device`);

/** The vrouter's forwarding and reverse-path settings: forwarding on, rp_filter off everywhere (host veths have no address). */
function vrouterSysctls(desired: Desired, s: InsideState, hostIfs: Iterable<string>, push: (c: ChangeInput) => void): string[] {
	const fixes: string[] = [];
	if (s.forward !== 1) {
		fixes.push('net.ipv4.ip_forward=1');
		push({op: '~', what: 'sysctl', object: `${desired.vrouter}/ip_forward`, expected: '1', seen: String(s.forward), detail: `vrouter ip_forward ${s.forward} -> 1`});
	}
	for (const dev of ['all', 'default', ...hostIfs]) {
		const rp = s.rpFilter.get(dev);
		if (rp === undefined || rp === 0) continue;
		fixes.push(`net.ipv4.conf.${dev}.rp_filter=0`);
		push({op: '~', what: 'sysctl', object: `${desired.vrouter}/${dev} rp_filter`, expected: '0', seen: String(rp), detail: `vrouter ${dev} rp_filter ${rp} -> 0`});
	}
	return fixes;
}

export function planChanges(desired: Desired, kernel: KernelState, opts: PlanOptions): Plan {
	const {names: n} = opts;
	const plan: Plan = {vrouter: desired.vrouter, rootPre: [], symlinks: [], vrouterDel: [], vrouterAdd: [], underlay: [], bridge: [], apps: [], rootPost: [], unlinks: [], released: [], starts: [], changes: [], foreign: []};
	const push = (c: ChangeInput) => plan.changes.push(change(c));
	const vr = kernel.vrouter;
	const appOfDev = new Map(desired.endpoints.filter(e => !e.whole).flatMap(e => e.ifaces.map(i => [i.hostIf, e.key] as const)));
	const about = (dev: string | undefined, table?: string) => ({
		...(dev && appOfDev.has(dev) ? {app: appOfDev.get(dev)!} : {}),
		...(table && desired.tableNetworks.has(table) ? {network: desired.tableNetworks.get(table)!} : {}),
	});

	// a vrouter is made when there is something to put in it; an empty one that exists stays (nsdeck teardown)
	const empty = desired.endpoints.length === 0 && desired.routes.size === 0 && desired.vxlans.size === 0;
	if (!kernel.namespaces.has(desired.vrouter) && empty) return planNamespaces(desired, kernel, opts, plan, push).plan;
	if (!kernel.namespaces.has(desired.vrouter)) {
		plan.rootPre.push(`netns add ${desired.vrouter}`);
		push({op: '+', what: 'netns', object: desired.vrouter, expected: 'vrouter', seen: '', detail: desired.vrouter});
	}
	const hostIfs = desired.endpoints.flatMap(e => e.ifaces.map(i => i.hostIf)).filter(x => vr?.links.some(l => l.name === x));
	// before any host veth exists, new veths copy `default`; afterwards only a read says whether they are right
	const sysctls = !vr ? ['net.ipv4.ip_forward=1', 'net.ipv4.conf.all.rp_filter=0', 'net.ipv4.conf.default.rp_filter=0'] : opts.vrouterInside ? vrouterSysctls(desired, opts.vrouterInside, hostIfs, push) : [];
	if (sysctls.length > 0) plan.rootPre.push(`netns exec ${desired.vrouter} sysctl -qw ${sysctls.join(' ')}`);
	const lo = vr?.links.find(l => l.name === 'lo');
	if (!vr || (opts.full && lo && !lo.up)) {
		plan.vrouterAdd.push('link set dev lo up');
		if (vr) push({op: '~', what: 'link', object: `${desired.vrouter}/lo`, expected: 'up', seen: 'down', detail: 'vrouter lo down'});
	}
	if (desired.stamp && vr?.stamp !== desired.stamp) {
		plan.vrouterAdd.push(`link set dev lo alias "${desired.stamp}"`);
		if (vr) push({op: '~', what: 'vrouter', object: `${desired.vrouter}/lo alias`, expected: desired.stamp, seen: vr.stamp ?? '', detail: `lo alias "${vr.stamp ?? ''}" -> "${desired.stamp}" (the store that made it)`});
	}
	if (!vr?.loAddresses.includes(`${APP_GATEWAY}/32`)) {
		plan.vrouterAdd.push(`addr replace ${APP_GATEWAY}/32 dev lo`);
		if (vr) push({op: '+', what: 'address', object: `${desired.vrouter}/lo`, expected: `${APP_GATEWAY}/32`, seen: '', detail: `gateway ${APP_GATEWAY} restored on lo`});
	}

	// Endpoints whose process is gone (attached apps) cannot be configured: report, leave their intent alone.
	const live = desired.endpoints.filter(e => {
		if (e.kind === 'link' && (e.pid === undefined || !opts.alive(e.pid))) {
			push({op: '~', what: 'process', object: e.namespace, expected: `pid ${e.pid ?? '?'}`, seen: 'gone', app: e.key, detail: `${e.key}: process ${e.pid ?? '?'} is gone; its namespace cannot be configured`});
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
			push({op: '+', what: 'netns', object: e.namespace, expected: 'namespace', seen: '', ...(e.whole ? {} : {app: e.key}), detail: e.namespace});
		} else {
			plan.symlinks.push({name: e.namespace, pid: e.pid!});
			push({op: '+', what: 'netns', object: e.namespace, expected: `/proc/${e.pid}/ns/net`, seen: '', app: e.key, detail: `${e.namespace} -> /proc/${e.pid}/ns/net`});
		}
		fresh.add(e.key);
	}
	// an endpoint whose inner interface vanished (moved or deleted inside) gets its veth made again
	const relink = new Set(live.filter(e => !fresh.has(e.key) && opts.inside?.get(e.namespace) && e.ifaces.some(i => !opts.inside!.get(e.namespace)!.links.has(i.inner))).map(e => e.key));

	const {ours, doomedNs} = planNamespaces(desired, kernel, opts, plan, push);

	const wantedLinks = new Map(live.flatMap(e => e.ifaces.map(i => [i.hostIf, {e, i}] as const)));
	// VXLAN devices are the overlay's (plan-overlay.ts): made, kept or deleted there
	const haveLinks = new Map((vr?.links ?? []).filter(l => l.group === String(TAG) && !isVxlanIf(n.prefix, l.name)).map(l => [l.name, l]));
	const overlay = planVxlans(desired, vr, n.prefix);
	plan.vrouterDel.push(...overlay.vrouterDel);
	plan.vrouterAdd.push(...overlay.vrouterAdd);
	plan.underlay.push(...overlay.underlay);
	plan.changes.push(...overlay.changes);
	const goneDevs = new Set(overlay.gone);
	const isDev = (name: string) => wantedLinks.has(name) || desired.vxlans.has(name);
	const keptForeign = new Set<string>();
	const foreignNs = (ns: string | undefined) => ns !== undefined && !ours.has(ns) && !wantedNs.has(ns) && kernel.namespaces.has(ns);
	for (const [name, l] of haveLinks) {
		const want = wantedLinks.get(name);
		if (want && !relink.has(want.e.key) && (l.peerNamespace === want.e.namespace || (l.peerNamespace === undefined && !fresh.has(want.e.key)))) continue;
		if (!want && foreignNs(l.peerNamespace)) {
			keptForeign.add(name); // leads into a namespace the store does not name: left alone, with its rule
			plan.foreign.push({kind: 'link', namespace: desired.vrouter, object: name, detail: `veth ${name} leads into ${l.peerNamespace}, which the store does not name`});
			continue;
		}
		goneDevs.add(name);
		if (l.peerNamespace && doomedNs.has(l.peerNamespace)) continue; // dies with its namespace
		plan.vrouterDel.push(`link del dev ${name}`);
		if (!want || !relink.has(want.e.key)) push({op: '-', what: 'link', object: `${desired.vrouter}/${name}`, expected: want ? `veth to ${want.e.namespace}` : '', seen: `veth to ${l.peerNamespace ?? '?'}`, ...about(name), detail: name});
	}
	for (const l of vr?.links ?? []) {
		if (l.name !== 'lo' && l.group !== String(TAG) && !desired.vxlans.has(l.name)) plan.foreign.push({kind: 'link', namespace: desired.vrouter, object: l.name, detail: `interface ${l.name} without nsdeck's tag`});
	}
	for (const [name, {e, i}] of wantedLinks) {
		const have = haveLinks.get(name);
		if (!have || goneDevs.has(name)) {
			plan.vrouterAdd.push(`link add ${name} group ${TAG} type veth peer name ${i.inner} netns ${e.namespace}`, `link set dev ${name} up`);
			push({op: '+', what: 'link', object: `${desired.vrouter}/${name}`, expected: `veth to ${e.namespace}:${i.inner}`, seen: relink.has(e.key) ? `${i.inner} missing in ${e.namespace}` : '', ...(e.whole ? {} : {app: e.key}), detail: `${name} <-> ${e.namespace}:${i.inner}`});
			fresh.add(e.key);
		} else if (!have.up) {
			plan.vrouterAdd.push(`link set dev ${name} up`);
			push({op: '~', what: 'link', object: `${desired.vrouter}/${name}`, expected: 'up', seen: 'down', ...about(name), detail: `${name} up`});
		}
	}

	const haveRules = new Map<string, {pref: number; table: string}[]>();
	for (const r of vr?.rules ?? []) if (r.iif) haveRules.set(r.iif, [...(haveRules.get(r.iif) ?? []), r]);
	for (const [iif, rules] of haveRules) {
		if (keptForeign.has(iif)) continue;
		for (const r of rules) {
			if (desired.rules.get(iif) === r.table && r.pref === RULE_PREF && rules.length === 1) continue;
			// rules outlive their device ([detached]) and would capture a future interface of that name: always delete
			plan.vrouterDel.push(ruleLine('del', iif, r.table, r.pref));
			push({op: '-', what: 'rule', object: `${desired.vrouter} iif ${iif}`, expected: desired.rules.has(iif) ? `lookup ${desired.rules.get(iif)}` : '', seen: `lookup ${r.table}`, ...about(iif, r.table), detail: `iif ${iif} lookup ${r.table}`});
		}
	}
	for (const [iif, table] of desired.rules) {
		if (!isDev(iif)) continue;
		const have = haveRules.get(iif);
		if (have?.length === 1 && have[0]!.table === table && have[0]!.pref === RULE_PREF) continue;
		plan.vrouterAdd.push(ruleLine('add', iif, table));
		push({op: '+', what: 'rule', object: `${desired.vrouter} iif ${iif}`, expected: `lookup ${table}`, seen: '', ...about(iif, table), detail: `iif ${iif} lookup ${table}`});
	}
	for (const r of vr?.foreignRules ?? []) {
		const match = [r.selector, r.iif ? `iif ${r.iif}` : ''].filter(Boolean).join(' ') || 'from all';
		plan.foreign.push({kind: 'rule', namespace: desired.vrouter, object: `pref ${r.pref} ${match} lookup ${r.table}`, detail: `rule ${r.pref}: ${match} lookup ${r.table} without nsdeck's tag`, ...about(r.iif, r.table)});
	}

	const entries = planOverlayEntries(desired, vr, n.prefix, goneDevs, overlay.fresh);
	plan.vrouterDel.push(...entries.vrouterDel);
	plan.vrouterAdd.push(...entries.vrouterAdd);
	plan.bridge.push(...entries.bridge);
	plan.changes.push(...entries.changes);

	const haveRoutes = new Map((vr?.routes ?? []).map(r => [routeKey(r), r]));
	for (const [key, r] of haveRoutes) {
		if (desired.routes.has(key)) continue;
		push({op: '-', what: 'route', object: `table ${r.table} ${r.dst}`, expected: '', seen: routeText(r), ...about(r.dev, r.table), detail: `${r.dst} table ${r.table}${r.type === 'unreachable' ? ' unreachable' : ` dev ${r.dev}`}`});
		if (r.dev && goneDevs.has(r.dev)) continue; // goes with its device
		plan.vrouterDel.push(routeLine('del', r));
	}
	for (const [key, r] of desired.routes) {
		if (r.dev && !isDev(r.dev)) continue;
		const have = haveRoutes.get(key);
		if (have && sameRoute(r, have) && !(r.dev && goneDevs.has(r.dev))) continue;
		plan.vrouterAdd.push(routeLine('replace', r));
		const stale = have !== undefined && !sameRoute(r, have);
		push({op: stale ? '~' : '+', what: 'route', object: `table ${r.table} ${r.dst}`, expected: routeText(r), seen: have ? routeText(have) : '', ...about(r.dev, r.table), detail: `${r.dst} table ${r.table}${r.type === 'unreachable' ? ' unreachable' : `${r.via ? ` via ${r.via}` : ''} dev ${r.dev}`}`});
	}
	for (const r of vr?.foreignRoutes ?? []) {
		plan.foreign.push({kind: 'route', namespace: desired.vrouter, object: `table ${r.table} ${r.dst}`, detail: `${r.dst} ${routeText(r)} in table ${r.table} (proto ${r.proto})`, ...about(r.dev, r.table)});
	}

	for (const e of live) planEndpoint(e, fresh.has(e.key), opts, plan);
	return plan;
}

/**
 * Namespaces to remove: only those the store names (owned) that intent no longer wants. A namespace the store does
 * not name is never deleted, even at the far end of one of our veths: it is foreign, and so is that veth.
 */
function planNamespaces(desired: Desired, kernel: KernelState, opts: PlanOptions, plan: Plan, push: (c: ChangeInput) => void) {
	const n = opts.names;
	const wantedNs = new Set(desired.endpoints.map(e => e.namespace));
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
		push({op: '-', what: 'netns', object: name, expected: '', seen: 'namespace', ...(n.appOf(name) ? {app: n.appOf(name)!} : {}), detail: name});
	}
	for (const ns of kernel.namespaces) {
		if (n.appOf(ns) !== undefined && !ours.has(ns) && !wantedNs.has(ns)) {
			plan.foreign.push({kind: 'netns', namespace: ns, object: ns, detail: `namespace ${ns} has nsdeck's prefix but the store does not name it`});
		}
	}
	return {plan, ours, doomedNs};
}

/** An endpoint's inside: everything when it is new, the precise difference when it was read, nothing otherwise. */
function planEndpoint(e: Endpoint, fresh: boolean, opts: PlanOptions, plan: Plan): void {
	const read = opts.inside?.has(e.namespace) ?? false;
	const s = opts.inside?.get(e.namespace);
	if (!fresh && read && !s) {
		plan.changes.push(change({op: '~', what: 'app', object: e.namespace, expected: 'readable', seen: 'unreadable', ...(e.whole ? {} : {app: e.key}), detail: `${e.key}: namespace ${e.namespace} could not be read`}));
		return;
	}
	const inside = fresh ? freshInside(e) : s ? diffInside(e, s) : undefined;
	if (!inside) return;
	// the rp_filter sysctls run from the namespace's own batch (`netns exec` works there too): one `ip` process less
	// than a root batch of their own after it, which is what one bind spent on them
	const lines = [...inside.lines, ...inside.sysctls];
	if (lines.length > 0) plan.apps.push({namespace: e.namespace, lines});
	plan.changes.push(...inside.changes);
	plan.foreign.push(...inside.foreign);
	// a command nsdeck keeps running: started once the namespace is in place, again when nothing runs in it
	if (e.command && (fresh ? !(s?.pids?.length) : s?.pids !== undefined && s.pids.length === 0)) {
		plan.starts.push({app: e.key, namespace: e.namespace, command: e.command});
		plan.changes.push(change({op: '+', what: 'process', object: e.namespace, expected: e.command.join(' '), seen: fresh ? '' : 'no process', app: e.key, detail: `${e.key}: ${e.command.join(' ')}`}));
	}
}
