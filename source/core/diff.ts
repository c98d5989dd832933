import type {LocalRoute, Role, RoutingModel, VrfRoute} from './model.js';
import type {RouteTarget} from './rt.js';
import {indexModel, resolveVrf, type RoutingIndex} from './resolver.js';

export type VrfDiff = {readonly network: string; readonly gained: readonly VrfRoute[]; readonly lost: readonly VrfRoute[]};

/** An app whose reachability changes: it sits in a VRF that gains or loses routes. */
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
	const apps: AppImpact[] = [];
	for (const v of vrfs) {
		const gainedSet = new Set(v.gained.map(r => r.prefix));
		const lostSet = new Set(v.lost.map(r => r.prefix));
		const gained = [...gainedSet].filter(p => !lostSet.has(p));
		const lost = [...lostSet].filter(p => !gainedSet.has(p));
		if (gained.length === 0 && lost.length === 0) continue;
		const members = new Map<string, LocalRoute>();
		for (const l of [...(a.locals.get(v.network) ?? []), ...(b.locals.get(v.network) ?? [])]) members.set(`${l.app} ${l.role}`, l);
		for (const l of members.values()) {
			apps.push({app: l.app, network: v.network, role: l.role, gained: gained.filter(p => p !== l.prefix), lost: lost.filter(p => p !== l.prefix)});
		}
	}
	return {vrfs, apps};
}
