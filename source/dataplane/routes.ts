// The vrouter's routes as `ip` lines, in one place: a plan (plan.ts) writes them from intent and a kernel read, and
// the agent's fast path (provision/remote-routes.ts) from two desired states when nothing but routes changed.
import type {DRoute, Desired} from './desired.js';
import {type KRoute, TAG} from './kernel.js';

export function routeLine(verb: 'replace' | 'del', r: DRoute | KRoute): string {
	const head = r.type === 'unreachable' ? `unreachable ${r.dst}` : r.dst;
	const via = r.via ? ` via ${r.via}` : '';
	const dev = r.type === 'unicast' && r.dev ? ` dev ${r.dev}` : '';
	const onlink = r.via && verb === 'replace' ? ' onlink' : '';
	const metric = r.metric ? ` metric ${r.metric}` : '';
	return `route ${verb} ${head}${via}${dev}${onlink} table ${r.table}${metric}${verb === 'replace' ? ` proto ${TAG}` : ''}`;
}

/** The same route (the key, table dst metric, being equal): what a `route replace` would not change. */
export function sameRoute(d: DRoute, k: DRoute | KRoute): boolean {
	return d.type === k.type && (d.dev ?? '') === (k.dev ?? '') && (d.via ?? '') === (k.via ?? '');
}

const sameSet = (a: ReadonlySet<string>, b: ReadonlySet<string>) => a.size === b.size && [...a].every(x => b.has(x));
const sameMap = <V>(a: ReadonlyMap<string, V>, b: ReadonlyMap<string, V>, same = (x: V, y: V) => x === y) =>
	a.size === b.size && [...a].every(([k, v]) => b.has(k) && same(v, b.get(k)!));
const sameJson = (x: unknown, y: unknown) => JSON.stringify(x) === JSON.stringify(y);

/** Everything but the routes is the same (both made by desiredState: objects are built alike, key for key). */
function sameButRoutes(a: Desired, b: Desired): boolean {
	return a.vrouter === b.vrouter && a.stamp === b.stamp && sameSet(a.fdb, b.fdb) && sameSet(a.neighs, b.neighs) && sameMap(a.rules, b.rules)
		&& sameMap(a.tableNetworks, b.tableNetworks) && sameMap(a.vxlans, b.vxlans, sameJson) && sameJson(a.endpoints, b.endpoints);
}

/**
 * The `ip` lines (deletions first, as a plan orders them) that take a vrouter holding `before` to `after`: exactly the
 * route lines planChanges would write against a kernel equal to `before`. Undefined when anything else differs
 * (devices, forwarding entries, neighbours, rules, endpoints, the stamp) or a route that differs is not a unicast
 * route over a VXLAN device (a remote route): those need a full converge. `[]` when the two are the same.
 */
export function routeDelta(before: Desired, after: Desired): string[] | undefined {
	if (!sameButRoutes(before, after)) return undefined;
	const overVxlan = (r: DRoute) => r.type === 'unicast' && r.dev !== undefined && after.vxlans.has(r.dev);
	const del: string[] = [];
	const replace: string[] = [];
	for (const [key, b] of before.routes) {
		if (after.routes.has(key)) continue;
		if (!overVxlan(b)) return undefined;
		del.push(routeLine('del', b));
	}
	for (const [key, a] of after.routes) {
		const b = before.routes.get(key);
		if (b && sameRoute(a, b)) continue;
		if (!overVxlan(a) || (b && !overVxlan(b))) return undefined;
		replace.push(routeLine('replace', a));
	}
	return [...del, ...replace];
}
