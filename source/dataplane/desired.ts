import type {Resolution} from '../core/model.js';
import {APP_IF, type Names} from '../core/names.js';
import type {Intent} from '../store/intent.js';
import {UNREACHABLE_METRIC} from './kernel.js';

/** A namespace at the far end of host veths: an app, or the emulated uplink gateway. */
export type Endpoint = {
	readonly key: string;
	readonly namespace: string;
	readonly kind: 'netns' | 'link';
	readonly ifaces: ReadonlyArray<{readonly inner: string; readonly hostIf: string; readonly addresses: readonly string[]; readonly table: string}>;
	readonly loAddresses: readonly string[];
	/** The inner interface carrying the default route (the outbound one when there is one). */
	readonly defaultDev: string;
	/** Inner interfaces with loose rp_filter (asymmetric paths arrive on them). */
	readonly loose: readonly string[];
	/** For an attached app: the process whose namespace is linked. */
	readonly pid?: number;
};

export type DRoute = {readonly table: string; readonly dst: string; readonly type: 'unicast' | 'unreachable'; readonly dev?: string; readonly via?: string; readonly metric: number};

export type Desired = {
	readonly vrouter: string;
	readonly endpoints: readonly Endpoint[];
	/** host interface -> table of its `ip rule iif` */
	readonly rules: ReadonlyMap<string, string>;
	readonly routes: ReadonlyMap<string, DRoute>;
};

/** The endpoint key of the host's emulated uplink gateway. */
export const GATEWAY_KEY = '(gateway)';

/** Table numbers: one per network (1000 + id) and one for traffic coming back from the gateway. */
export const tableOf = (networkId: number) => String(1000 + networkId);
export const GATEWAY_TABLE = '999';

export function routeKey(r: {table: string; dst: string; metric: number}): string {
	return `${r.table} ${r.dst} ${r.metric}`;
}

/** The kernel state intent asks for, computed without I/O. */
export function desiredState(intent: Intent, resolution: Resolution, n: Names): Desired {
	const tables = new Map(intent.networks.map(net => [net.name, tableOf(net.id)]));
	const endpoints: Endpoint[] = [];
	const rules = new Map<string, string>();
	const routes = new Map<string, DRoute>();
	const add = (r: DRoute) => routes.set(routeKey(r), r);
	const hostIfOf = new Map<string, string>();

	for (const app of intent.apps) {
		const ifaces = app.ifaces.map(i => {
			const hostIf = n.hostIf(app.name, i.role);
			hostIfOf.set(`${app.name} ${i.role}`, hostIf);
			rules.set(hostIf, tables.get(i.network)!);
			return {inner: APP_IF[i.role], hostIf, addresses: [`${i.address}/32`], table: tables.get(i.network)!};
		});
		const hasOut = app.ifaces.some(i => i.role === 'out');
		endpoints.push({
			key: app.name,
			namespace: n.appNamespace(app.name),
			kind: app.kind === 'attached' ? 'link' : 'netns',
			ifaces,
			loAddresses: [],
			defaultDev: hasOut ? APP_IF.out : APP_IF.in,
			loose: [APP_IF.in],
			...(app.pid === undefined ? {} : {pid: app.pid}),
		});
	}

	const gatewayFeeds = new Set<string>();
	for (const net of intent.networks) {
		const table = tables.get(net.name)!;
		add({table, dst: '0.0.0.0/0', type: 'unreachable', metric: UNREACHABLE_METRIC});
		for (const r of resolution.get(net.name) ?? []) {
			if (r.origin.kind === 'external') {
				gatewayFeeds.add(net.name);
				add({table, dst: r.prefix, type: 'unicast', via: r.origin.via, dev: n.gatewayIf, metric: 0});
			} else {
				add({table, dst: r.prefix, type: 'unicast', dev: hostIfOf.get(`${r.origin.app} ${r.origin.role}`)!, metric: 0});
			}
		}
	}

	if (intent.externals.length > 0) {
		// The gateway answers at its next-hop addresses and routes replies back to the apps of every network that
		// imports one of its routes; without an import the app cannot reach it, which is the point.
		endpoints.push({
			key: GATEWAY_KEY,
			namespace: n.gateway,
			kind: 'netns',
			ifaces: [{inner: 'eth0', hostIf: n.gatewayIf, addresses: [], table: GATEWAY_TABLE}],
			loAddresses: [...new Set(intent.externals.map(e => `${e.via}/32`))].sort(),
			defaultDev: 'eth0',
			loose: [],
		});
		rules.set(n.gatewayIf, GATEWAY_TABLE);
		add({table: GATEWAY_TABLE, dst: '0.0.0.0/0', type: 'unreachable', metric: UNREACHABLE_METRIC});
		for (const net of gatewayFeeds) {
			for (const r of resolution.get(net) ?? []) {
				if (r.origin.kind === 'local') add({table: GATEWAY_TABLE, dst: r.prefix, type: 'unicast', dev: hostIfOf.get(`${r.origin.app} ${r.origin.role}`)!, metric: 0});
			}
		}
	}
	return {vrouter: n.vrouter, endpoints, rules, routes};
}

