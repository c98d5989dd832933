// What the agent applies when learned routes change nothing but the overlay (provision/remote-routes.ts): the lines a
// plan would write, from two desired states, the earlier one standing for the kernel (the agent applied it last).
// Routes over VXLAN devices, the devices themselves with their `ip rule iif`, forwarding entries and neighbours come
// from the plan's own code (routes.ts, plan-overlay.ts), in the plan's order; anything else is for a full converge.
import type {VrouterBatches} from './apply.js';
import type {DRoute, Desired} from './desired.js';
import {TAG, type VrouterState} from './kernel.js';
import {planOverlayEntries, planVxlans} from './plan-overlay.js';
import {routeLine, ruleLine, sameRoute} from './routes.js';

const sameSet = (a: ReadonlySet<string>, b: ReadonlySet<string>) => a.size === b.size && [...a].every(x => b.has(x));
const sameMap = <V>(a: ReadonlyMap<string, V>, b: ReadonlyMap<string, V>, same = (x: V, y: V) => x === y) =>
	a.size === b.size && [...a].every(([k, v]) => b.has(k) && same(v, b.get(k)!));
const sameJson = (x: unknown, y: unknown) => JSON.stringify(x) === JSON.stringify(y);

/** The same vrouter, store and apps (both made by desiredState: objects are built alike, key for key). */
const sameHost = (a: Desired, b: Desired) =>
	a.vrouter === b.vrouter && a.stamp === b.stamp && sameMap(a.tableNetworks, b.tableNetworks) && sameJson(a.endpoints, b.endpoints);

/** Two desired states that ask the kernel for the same things. */
export function sameDesired(a: Desired, b: Desired): boolean {
	return sameHost(a, b) && sameMap(a.vxlans, b.vxlans, sameJson) && sameMap(a.rules, b.rules) && sameSet(a.fdb, b.fdb) && sameSet(a.neighs, b.neighs)
		&& sameMap(a.routes, b.routes, sameRoute);
}

/** The overlay's own plan for `after`, against the vrouter a converge leaves for `before` (devices, neighbours, entries). */
function overlayPlan(before: Desired, after: Desired, prefix: string) {
	const links = [...before.vxlans.keys()].map((name, i) => ({name, ifindex: i + 2, group: String(TAG), up: true, operUp: true}));
	const vr: VrouterState = {links, rules: [], routes: [], foreignRules: [], foreignRoutes: [], loAddresses: [], neighs: [...before.neighs], fdb: [...before.fdb]};
	const devices = planVxlans(after, vr, prefix);
	return {devices, entries: planOverlayEntries(after, vr, prefix, devices.gone, devices.fresh)};
}
const NO_OVERLAY: ReturnType<typeof overlayPlan> = {
	devices: {vrouterDel: [], vrouterAdd: [], underlay: [], bridge: [], changes: [], gone: new Set(), fresh: new Set()},
	entries: {vrouterDel: [], vrouterAdd: [], bridge: [], changes: []},
};

/**
 * The batches that take a vrouter holding `before` to `after`: exactly what planChanges would write against a kernel
 * equal to `before`. Undefined when more than the overlay differs: an app, a rule of anything but a VXLAN device made
 * or deleted, a route not over a VXLAN device, a device kept but changed, the stamp. Every batch empty when the two
 * ask for the same.
 */
export function directDelta(before: Desired, after: Desired, prefix: string): VrouterBatches | undefined {
	if (!sameHost(before, after)) return undefined;
	const added = (dev: string) => after.vxlans.has(dev) && !before.vxlans.has(dev);
	const removed = (dev: string) => before.vxlans.has(dev) && !after.vxlans.has(dev);
	for (const [name, x] of after.vxlans) if (before.vxlans.has(name) && !sameJson(x, before.vxlans.get(name))) return undefined;
	// a rule may only come with its device or go with it
	const rules = [...new Set([...before.rules.keys(), ...after.rules.keys()])].filter(iif => before.rules.get(iif) !== after.rules.get(iif));
	if (rules.some(iif => !(added(iif) && !before.rules.has(iif)) && !(removed(iif) && !after.rules.has(iif)))) return undefined;

	// most changes move routes alone: the overlay is planned only when it changes
	const sameDevices = before.vxlans.size === after.vxlans.size && [...after.vxlans.keys()].every(name => before.vxlans.has(name));
	const same = sameDevices && rules.length === 0 && sameSet(before.fdb, after.fdb) && sameSet(before.neighs, after.neighs);
	const {devices, entries} = same ? NO_OVERLAY : overlayPlan(before, after, prefix);
	const overVxlan = (d: Desired, r: DRoute) => r.type === 'unicast' && r.dev !== undefined && d.vxlans.has(r.dev);
	const routeDel: string[] = [];
	const routeAdd: string[] = [];
	for (const [key, b] of before.routes) {
		if (after.routes.has(key)) continue;
		if (!overVxlan(before, b)) return undefined;
		if (!devices.gone.has(b.dev!)) routeDel.push(routeLine('del', b)); // else it goes with its device
	}
	for (const [key, a] of after.routes) {
		const b = before.routes.get(key);
		if (b && sameRoute(a, b)) continue;
		if (!overVxlan(after, a) || (b && !overVxlan(before, b))) return undefined;
		routeAdd.push(routeLine('replace', a));
	}
	return {
		vrouter: after.vrouter,
		vrouterDel: [...devices.vrouterDel, ...rules.filter(removed).map(iif => ruleLine('del', iif, before.rules.get(iif)!)), ...entries.vrouterDel, ...routeDel],
		underlay: devices.underlay,
		bridge: entries.bridge,
		vrouterAdd: [...devices.vrouterAdd, ...rules.filter(added).map(iif => ruleLine('add', iif, after.rules.get(iif)!)), ...entries.vrouterAdd, ...routeAdd],
	};
}
