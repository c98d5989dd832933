import type {ExternalRoute, LocalRoute, NetworkRouting, Origin, ResolvedRemote, Resolution, RoutingModel, VrfRoute} from './model.js';
import type {RouteTarget} from './rt.js';
import {parsePrefix} from './ipv4.js';

/** Lookups over a model, built once so one VRF resolves without scanning every network. */
export type RoutingIndex = {
	readonly model: RoutingModel;
	readonly networks: ReadonlyMap<string, NetworkRouting>;
	readonly imports: ReadonlyMap<string, ReadonlySet<RouteTarget>>;
	readonly exports: ReadonlyMap<string, ReadonlySet<RouteTarget>>;
	readonly exporters: ReadonlyMap<RouteTarget, readonly string[]>;
	readonly importers: ReadonlyMap<RouteTarget, readonly string[]>;
	readonly locals: ReadonlyMap<string, readonly LocalRoute[]>;
	readonly externals: ReadonlyMap<RouteTarget, readonly ExternalRoute[]>;
	readonly remotes: ReadonlyMap<RouteTarget, readonly ResolvedRemote[]>;
};

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
	const list = map.get(key);
	if (list) list.push(value);
	else map.set(key, [value]);
}

export function indexModel(model: RoutingModel): RoutingIndex {
	const networks = new Map<string, NetworkRouting>();
	const imports = new Map<string, Set<RouteTarget>>();
	const exports = new Map<string, Set<RouteTarget>>();
	const exporters = new Map<RouteTarget, string[]>();
	const importers = new Map<RouteTarget, string[]>();
	for (const n of model.networks) {
		networks.set(n.name, n);
		const imp = new Set<RouteTarget>();
		const exp = new Set<RouteTarget>();
		for (const t of n.targets) {
			if (t.import) {
				imp.add(t.rt);
				push(importers, t.rt, n.name);
			}
			if (t.export) {
				exp.add(t.rt);
				push(exporters, t.rt, n.name);
			}
		}
		imports.set(n.name, imp);
		exports.set(n.name, exp);
	}
	const locals = new Map<string, LocalRoute[]>();
	for (const l of model.locals) push(locals, l.network, l);
	const externals = new Map<RouteTarget, ExternalRoute[]>();
	for (const e of model.externals) for (const rt of new Set(e.targets)) push(externals, rt, e);
	const remotes = new Map<RouteTarget, ResolvedRemote[]>();
	for (const r of model.remotes ?? []) for (const rt of new Set(r.targets)) push(remotes, rt, r);
	return {model, networks, imports, exports, exporters, importers, locals, externals, remotes};
}

/** Sort key that orders prefixes numerically (10.1.0.10 after 10.1.0.9). */
const keys = new Map<string, number>();
function prefixKey(prefix: string): number {
	let key = keys.get(prefix);
	if (key === undefined) {
		const p = parsePrefix(prefix);
		key = p.address * 64 + p.length;
		if (keys.size > 100_000) keys.clear();
		keys.set(prefix, key);
	}
	return key;
}

/**
 * The routes one VRF holds and why. A VRF holds its own apps' routes; another network's local route when one of
 * that network's export targets is in this VRF's import set; an external route when one of its targets is. Imported
 * routes are never re-exported, so only originating networks are consulted. A prefix held for several reasons keeps
 * the first by precedence (local, then imported, then remote, then external) with every matching target listed.
 */
export function resolveVrf(index: RoutingIndex, name: string): VrfRoute[] {
	const held = new Map<string, Origin>();
	for (const l of index.locals.get(name) ?? []) held.set(l.prefix, {kind: 'local', app: l.app, role: l.role});
	const imports = index.imports.get(name) ?? new Set<RouteTarget>();
	const matched = new Map<string, {from: string; rts: RouteTarget[]}>();
	for (const rt of imports) {
		for (const from of index.exporters.get(rt) ?? []) {
			if (from === name) continue;
			const m = matched.get(from);
			if (m) m.rts.push(rt);
			else matched.set(from, {from, rts: [rt]});
		}
	}
	for (const {from, rts} of matched.values()) {
		for (const l of index.locals.get(from) ?? []) {
			if (!held.has(l.prefix)) held.set(l.prefix, {kind: 'imported', from, app: l.app, role: l.role, targets: rts});
		}
	}
	// routes of other hosts and routers: held like externals, by a target in the import set; one path per prefix (a
	// usable one before one without a VNI, then the lowest RD)
	const remote = new Map<string, {route: ResolvedRemote; rts: RouteTarget[]}>();
	const better = (a: ResolvedRemote, b: ResolvedRemote) => (!a.unusable !== !b.unusable ? !a.unusable : a.rd < b.rd);
	for (const rt of imports) {
		for (const r of index.remotes.get(rt) ?? []) {
			const m = remote.get(r.prefix);
			if (!m || better(r, m.route)) remote.set(r.prefix, {route: r, rts: [rt]});
			else if (m.route === r) m.rts.push(rt);
		}
	}
	for (const {route, rts} of remote.values()) {
		if (!held.has(route.prefix)) {
			held.set(route.prefix, {
				kind: 'remote', ...(route.host ? {host: route.host} : {}), rd: route.rd, nexthop: route.nexthop, label: route.label, targets: rts,
				...(route.by ? {by: route.by} : {}), ...(route.vni !== undefined ? {vni: route.vni} : {}), ...(route.unusable ? {unusable: route.unusable} : {}),
			});
		}
	}
	const external = new Map<string, {route: ExternalRoute; rts: RouteTarget[]}>();
	for (const rt of imports) {
		for (const e of index.externals.get(rt) ?? []) {
			const m = external.get(e.prefix);
			if (m) m.rts.push(rt);
			else external.set(e.prefix, {route: e, rts: [rt]});
		}
	}
	for (const {route, rts} of external.values()) {
		if (!held.has(route.prefix)) held.set(route.prefix, {kind: 'external', via: route.via, targets: rts});
	}
	return [...held].map(([prefix, origin]) => ({prefix, origin, key: prefixKey(prefix)}))
		.sort((a, b) => a.key - b.key)
		.map(({prefix, origin}) => ({prefix, origin}));
}

export function resolve(model: RoutingModel, index = indexModel(model)): Resolution {
	const out = new Map<string, VrfRoute[]>();
	for (const n of model.networks) out.set(n.name, resolveVrf(index, n.name));
	return out;
}
