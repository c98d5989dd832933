import type {Resolution} from '../core/model.js';
import {APP_GATEWAY, APP_IF, type Names} from '../core/names.js';
import type {Intent} from '../store/intent.js';
import {UNREACHABLE_METRIC} from './kernel.js';
import {GATEWAY_VNI, OVERLAY_MTU, translateRemote, vtepMac, vxlanIf} from '../core/overlay.js';

export type EndpointIface = {
	readonly inner: string;
	readonly hostIf: string;
	readonly addresses: readonly string[];
	readonly table: string;
	/** the network's subnet: an address on this interface inside it is nsdeck's (a stale one is removed), others foreign */
	readonly subnet?: string;
};

/** A route inside an endpoint, always via the vrouter's gateway address on an interface (onlink). */
export type InnerRoute = {readonly dst: string; readonly via: string; readonly dev: string};

/** A namespace at the far end of host veths: an app, or the emulated uplink gateway. */
export type Endpoint = {
	readonly key: string;
	readonly namespace: string;
	readonly kind: 'netns' | 'link';
	readonly ifaces: readonly EndpointIface[];
	readonly loAddresses: readonly string[];
	/** the default route (via the outbound interface when there is one) and, with an outbound network, the inbound subnet */
	readonly routes: readonly InnerRoute[];
	/** Inner interfaces with loose rp_filter (asymmetric paths arrive on them). */
	readonly loose: readonly string[];
	/** For an attached app: the process whose namespace is linked. */
	readonly pid?: number;
	/** A command nsdeck keeps running inside (bind -- COMMAND). */
	readonly command?: readonly string[];
	/** everything inside is nsdeck's (the gateway): nothing in it is foreign */
	readonly whole: boolean;
};

export type DRoute = {readonly table: string; readonly dst: string; readonly type: 'unicast' | 'unreachable'; readonly dev?: string; readonly via?: string; readonly metric: number};

/** A VXLAN device: in the vrouter, made from the underlay namespace (its socket lives there). */
export type Vxlan = {readonly name: string; readonly vni: number; readonly mac: string; readonly local: string; readonly underlayNs?: string; readonly mtu: number};

export type Desired = {
	readonly vrouter: string;
	/** lo's alias in the vrouter: the store that makes it (provision/ownership.ts); undefined leaves it as it is */
	readonly stamp?: string;
	readonly vxlans: ReadonlyMap<string, Vxlan>;
	/** `dev mac dst`: one forwarding entry per remote VTEP on each VXLAN device */
	readonly fdb: ReadonlySet<string>;
	/** `dev address mac`: the remote VTEP as a permanent neighbour, the next hop of remote routes */
	readonly neighs: ReadonlySet<string>;
	readonly endpoints: readonly Endpoint[];
	/** host interface -> table of its `ip rule iif` */
	readonly rules: ReadonlyMap<string, string>;
	readonly routes: ReadonlyMap<string, DRoute>;
	/** kernel table -> the network it is the VRF of (for telling the operator) */
	readonly tableNetworks: ReadonlyMap<string, string>;
};

/** The endpoint key of the host's emulated uplink gateway. */
export const GATEWAY_KEY = '(gateway)';

/** Table numbers: one per network (1000 + id) and one for traffic coming back from the gateway. */
export const tableOf = (networkId: number) => String(1000 + networkId);
export const GATEWAY_TABLE = '999';
/** Traffic from other hosts to this host's gateway (arriving on the gateway VNI): the external routes. */
export const GATEWAY_IN_TABLE = '998';

export function routeKey(r: {table: string; dst: string; metric: number}): string {
	return `${r.table} ${r.dst} ${r.metric}`;
}

/** The kernel state intent asks for, computed without I/O. */
export function desiredState(intent: Intent, resolution: Resolution, n: Names, stamp?: string): Desired {
	const tables = new Map(intent.networks.map(net => [net.name, tableOf(net.id)]));
	const subnets = new Map(intent.networks.map(net => [net.name, net.subnet ?? undefined]));
	const endpoints: Endpoint[] = [];
	const rules = new Map<string, string>();
	const routes = new Map<string, DRoute>();
	const add = (r: DRoute) => routes.set(routeKey(r), r);
	const hostIfOf = new Map<string, string>();

	for (const app of intent.apps) {
		const ifaces = app.ifaces.map(i => {
			const hostIf = n.hostIf(app, i.role);
			hostIfOf.set(`${app.name} ${i.role}`, hostIf);
			rules.set(hostIf, tables.get(i.network)!);
			return {inner: APP_IF[i.role], hostIf, addresses: [`${i.address}/32`], table: tables.get(i.network)!, ...(subnets.get(i.network) ? {subnet: subnets.get(i.network)!} : {})};
		});
		const inbound = app.ifaces.find(i => i.role === 'in');
		const hasOut = app.ifaces.some(i => i.role === 'out');
		const routes: InnerRoute[] = [{dst: '0.0.0.0/0', via: APP_GATEWAY, dev: hasOut ? APP_IF.out : APP_IF.in}];
		// as the original scripts' connected route did: the inbound subnet's clients are answered on veth0, not by the
		// default route through the outbound network
		const inSubnet = inbound && subnets.get(inbound.network);
		if (hasOut && inSubnet) routes.push({dst: inSubnet, via: APP_GATEWAY, dev: APP_IF.in});
		endpoints.push({
			key: app.name,
			namespace: n.appNamespace(app.name),
			kind: app.kind === 'attached' ? 'link' : 'netns',
			ifaces,
			loAddresses: [],
			routes,
			loose: [APP_IF.in],
			...(app.pid === undefined ? {} : {pid: app.pid}),
			...(app.command && app.kind === 'netns' ? {command: app.command} : {}),
			whole: false,
		});
	}

	const gatewayFeeds = new Set<string>();
	const labels = new Set<number>();
	const usedVteps = new Set<string>();
	for (const net of intent.networks) {
		const table = tables.get(net.name)!;
		add({table, dst: '0.0.0.0/0', type: 'unreachable', metric: UNREACHABLE_METRIC});
		for (const r of resolution.get(net.name) ?? []) {
			if (r.origin.kind === 'external') {
				gatewayFeeds.add(net.name);
				add({table, dst: r.prefix, type: 'unicast', via: r.origin.via, dev: n.gatewayIf, metric: 0});
			} else if (r.origin.kind === 'remote') {
				// held but without a VNI (an unknown router or label): shown, never installed (core/overlay.ts)
				if (r.origin.unusable) continue;
				const vni = r.origin.vni ?? r.origin.label;
				labels.add(vni);
				usedVteps.add(r.origin.nexthop);
				add({table, dst: r.prefix, type: 'unicast', via: r.origin.nexthop, dev: vxlanIf(n.prefix, vni), metric: 0});
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
			routes: [{dst: '0.0.0.0/0', via: APP_GATEWAY, dev: 'eth0'}],
			loose: [],
			whole: true,
		});
		rules.set(n.gatewayIf, GATEWAY_TABLE);
		add({table: GATEWAY_TABLE, dst: '0.0.0.0/0', type: 'unreachable', metric: UNREACHABLE_METRIC});
		for (const net of gatewayFeeds) {
			for (const r of resolution.get(net) ?? []) {
				if (r.origin.kind === 'local') add({table: GATEWAY_TABLE, dst: r.prefix, type: 'unicast', dev: hostIfOf.get(`${r.origin.app} ${r.origin.role}`)!, metric: 0});
			}
		}
		if (intent.host?.control === 'gobgp') {
			// other hosts reach this gateway through the gateway VNI; its replies go back to any app of another host
			add({table: GATEWAY_IN_TABLE, dst: '0.0.0.0/0', type: 'unreachable', metric: UNREACHABLE_METRIC});
			for (const e of intent.externals) add({table: GATEWAY_IN_TABLE, dst: e.prefix, type: 'unicast', via: e.via, dev: n.gatewayIf, metric: 0});
			for (const r of intent.remotes) {
				const t = translateRemote(r, intent.host);
				if (t.vni === undefined || t.by.kind !== 'host' || r.label === GATEWAY_VNI || r.nexthop === intent.host.vtep) continue;
				labels.add(t.vni);
				usedVteps.add(r.nexthop);
				add({table: GATEWAY_TABLE, dst: r.prefix, type: 'unicast', via: r.nexthop, dev: vxlanIf(n.prefix, t.vni), metric: 0});
			}
		}
	}
	// Overlay (control gobgp): a VXLAN device per local network's VNI and per label of a remote route held here;
	// traffic arriving on a local network's device is looked up in that network's table.
	const vxlans = new Map<string, Vxlan>();
	const fdb = new Set<string>();
	const neighs = new Set<string>();
	const host = intent.host;
	if (host && (host.control === 'gobgp' || labels.size > 0)) {
		const mac = vtepMac(host.vtep);
		const vnis = new Map<number, string | undefined>();
		if (host.control === 'gobgp') for (const net of intent.networks) vnis.set(net.vni, tables.get(net.name));
		if (host.control === 'gobgp' && intent.externals.length > 0) vnis.set(GATEWAY_VNI, GATEWAY_IN_TABLE);
		for (const l of labels) if (!vnis.has(l)) vnis.set(l, undefined);
		// every tunnel endpoint of an nsdeck host, and of a router only once one of its routes is installed
		const vteps = [...new Set([...intent.remotes.filter(r => translateRemote(r, host).by.kind === 'host').map(r => r.nexthop), ...usedVteps])].filter(v => v !== host.vtep).sort();
		const macs = vteps.map(v => [v, vtepMac(v)] as const);
		for (const [vni, table] of [...vnis].sort((a, b) => a[0] - b[0])) {
			const name = vxlanIf(n.prefix, vni);
			vxlans.set(name, {name, vni, mac, local: host.vtep, mtu: OVERLAY_MTU, ...(host.underlayNs ? {underlayNs: host.underlayNs} : {})});
			if (table) rules.set(name, table);
			for (const [v, m] of macs) {
				fdb.add(`${name} ${m} ${v}`);
				neighs.add(`${name} ${v} ${m}`);
			}
		}
	}
	const tableNetworks = new Map(intent.networks.map(net => [tableOf(net.id), net.name]));
	return {vrouter: n.vrouter, ...(stamp ? {stamp} : {}), vxlans, fdb, neighs, endpoints, rules, routes, tableNetworks};
}

