import type {LocalRoute, Role, RoutingModel, VrfRoute} from './model.js';
import type {RouteTarget} from './rt.js';
import {indexModel, resolveVrf, type RoutingIndex} from './resolver.js';
import {Reach} from './legs.js';
import {parseIpv4, parsePrefix} from './ipv4.js';

export type VrfDiff = {readonly network: string; readonly gained: readonly VrfRoute[]; readonly lost: readonly VrfRoute[]};

/**
 * An app whose reachability changes: the peers (an app's /32, or a prefix of the gateway or another host) it reaches
 * now and did not, or no longer reaches. Both legs count: a peer is reachable when the request finds it and its reply
 * finds the way back (core/legs.ts). `network` and `role` name the interface the app sends to the first of them by.
 */
export type AppImpact = {
	readonly app: string;
	readonly network: string;
	readonly role: Role;
	readonly gained: readonly string[];
	readonly lost: readonly string[];
};

export type RoutingDiff = {readonly vrfs: readonly VrfDiff[]; readonly apps: readonly AppImpact[]};

function sameSet<T>(a: ReadonlySet<T> | undefined, b: ReadonlySet<T> | undefined): boolean {
	if (!a || !b) return a === b || (a?.size ?? 0) + (b?.size ?? 0) === 0;
	if (a.size !== b.size) return false;
	for (const x of a) if (!b.has(x)) return false;
	return true;
}

function localsKey(list: readonly LocalRoute[] | undefined): string {
	return (list ?? []).map(l => `${l.prefix} ${l.app} ${l.role}`).sort().join(',');
}

/**
 * The VRFs an edit can change, found without resolving everything: a network whose imports changed; and, for a
 * network whose exports or apps changed (or an external route that changed), every importer of its targets.
 */
export function affectedVrfs(a: RoutingIndex, b: RoutingIndex): Set<string> {
	const dirty = new Set<string>();
	const importersOf = (rts: Iterable<RouteTarget>) => {
		for (const rt of rts) {
			for (const n of a.importers.get(rt) ?? []) dirty.add(n);
			for (const n of b.importers.get(rt) ?? []) dirty.add(n);
		}
	};
	const names = new Set([...a.networks.keys(), ...b.networks.keys()]);
	// an edit of targets leaves the apps alone: when both models share one list of locals, skip comparing them
	const sameLocals = a.model.locals === b.model.locals;
	for (const n of names) {
		if (!sameSet(a.imports.get(n), b.imports.get(n))) dirty.add(n);
		const exportsSame = sameSet(a.exports.get(n), b.exports.get(n));
		const localsSame = sameLocals || a.locals.get(n) === b.locals.get(n) || localsKey(a.locals.get(n)) === localsKey(b.locals.get(n));
		if (!localsSame) dirty.add(n);
		if (!exportsSame || !localsSame) importersOf([...(a.exports.get(n) ?? []), ...(b.exports.get(n) ?? [])]);
	}
	if (a.model.remotes !== b.model.remotes) {
		const rem = (m: RoutingModel) => new Map((m.remotes ?? []).map(r => [`${r.rd} ${r.prefix}`, `${r.nexthop} ${r.label} ${[...r.targets].sort().join(' ')}`]));
		const ra = rem(a.model);
		const rb = rem(b.model);
		for (const r of [...(a.model.remotes ?? []), ...(b.model.remotes ?? [])]) {
			const key = `${r.rd} ${r.prefix}`;
			if (ra.get(key) !== rb.get(key)) importersOf(r.targets);
		}
	}
	if (a.model.externals === b.model.externals) return dirty;
	const ext = (m: RoutingModel) => new Map(m.externals.map(e => [e.prefix, `${e.via} ${[...e.targets].sort().join(' ')}`]));
	const ea = ext(a.model);
	const eb = ext(b.model);
	for (const prefix of new Set([...ea.keys(), ...eb.keys()])) {
		if (ea.get(prefix) === eb.get(prefix)) continue;
		for (const e of [...a.model.externals, ...b.model.externals]) if (e.prefix === prefix) importersOf(e.targets);
	}
	return dirty;
}

function byPrefix(routes: readonly VrfRoute[]): Map<string, VrfRoute> {
	return new Map(routes.map(r => [r.prefix, r]));
}

function sameOrigin(x: VrfRoute, y: VrfRoute): boolean {
	return JSON.stringify(x.origin) === JSON.stringify(y.origin);
}

/**
 * What an edit does: per VRF the routes gained and lost (a route whose reason changed counts as lost and gained),
 * and the apps in those VRFs. Only the affected VRFs are resolved, so one edit in a large model stays cheap.
 */
export function diffModels(before: RoutingModel, after: RoutingModel): RoutingDiff {
	const a = indexModel(before);
	const b = indexModel(after);
	const vrfs: VrfDiff[] = [];
	for (const network of [...affectedVrfs(a, b)].sort()) {
		const old = a.networks.has(network) ? byPrefix(resolveVrf(a, network)) : new Map<string, VrfRoute>();
		const now = b.networks.has(network) ? byPrefix(resolveVrf(b, network)) : new Map<string, VrfRoute>();
		const gained = [...now.values()].filter(r => !old.has(r.prefix) || !sameOrigin(old.get(r.prefix)!, r));
		const lost = [...old.values()].filter(r => !now.has(r.prefix) || !sameOrigin(now.get(r.prefix)!, r));
		if (gained.length > 0 || lost.length > 0) vrfs.push({network, gained, lost});
	}
	return {vrfs, apps: reachabilityChanges(before, after, a, b, vrfs)};
}

/** A peer's address to ask about: an app's own, or the first address of a wider prefix. */
const addressOf = (prefix: string) => prefix.slice(0, prefix.indexOf('/'));

/**
 * The apps whose reachability an edit changes, both legs counted. Candidates: the apps sitting in a VRF that changed,
 * and those whose routes moved; peers: every prefix that moved, and those apps' own addresses (a reply may be what an
 * edit fixes).
 */
function reachabilityChanges(before: RoutingModel, after: RoutingModel, a: RoutingIndex, b: RoutingIndex, vrfs: readonly VrfDiff[]): AppImpact[] {
	if (vrfs.length === 0) return [];
	const apps = new Set<string>();
	const peers = new Set<string>();
	for (const v of vrfs) {
		for (const l of [...(a.locals.get(v.network) ?? []), ...(b.locals.get(v.network) ?? [])]) apps.add(l.app);
		for (const r of [...v.gained, ...v.lost]) {
			peers.add(r.prefix);
			if (r.origin.kind === 'local' || r.origin.kind === 'imported') apps.add(r.origin.app);
		}
	}
	const locals = [...before.locals, ...after.locals];
	for (const l of locals) if (apps.has(l.app)) peers.add(l.prefix);
	const ra = new Reach(before);
	const rb = new Reach(after);
	// an app whose interfaces moved (outbound set or cleared) sends from other VRFs: all they hold is in question
	const ifacesOf = (r: Reach, app: string) => r.ifacesOf(app).map(l => `${l.prefix} ${l.network} ${l.role}`).sort().join();
	for (const app of apps) {
		if (ifacesOf(ra, app) === ifacesOf(rb, app)) continue;
		for (const [r, m] of [[ra, before], [rb, after]] as const) {
			for (const l of r.ifacesOf(app)) if (m.networks.some(n => n.name === l.network)) for (const route of r.routesOf(l.network)) peers.add(route.prefix);
		}
	}
	const out: AppImpact[] = [];
	for (const app of [...apps].sort()) {
		const own = new Set(locals.filter(l => l.app === app).map(l => l.prefix));
		const inA = ra.ifacesOf(app).length > 0;
		const inB = rb.ifacesOf(app).length > 0;
		const gained: string[] = [];
		const lost: string[] = [];
		for (const p of peers) {
			if (own.has(p)) continue;
			const was = inA && ra.reachable(app, addressOf(p));
			const is = inB && rb.reachable(app, addressOf(p));
			if (is && !was) gained.push(p);
			if (was && !is) lost.push(p);
		}
		if (gained.length === 0 && lost.length === 0) continue;
		// the interface it reaches the gained peers by now, or the one it reached the lost ones by
		const r = gained.length > 0 ? (inB ? rb : ra) : inA ? ra : rb;
		const by = r.sendingIface(app, parseIpv4(addressOf((gained[0] ?? lost[0])!)))!;
		out.push({app, network: by.network, role: by.role, gained: sortPrefixes(gained), lost: sortPrefixes(lost)});
	}
	return out;
}

function sortPrefixes(list: string[]): string[] {
	const key = (p: string) => {
		const x = parsePrefix(p);
		return x.address * 64 + x.length;
	};
	return list.sort((x, y) => key(x) - key(y));
}

