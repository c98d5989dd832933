// Reachability counts both directions. A conversation between an app and a peer has two legs, and they can take
// different VRFs: the request leaves the app by the interface its own routing picks (the inbound subnet by veth0 when
// there is an outbound network, everything else by the default route), enters that interface's VRF, and must find
// the peer there; the reply leaves the peer the same way and must find the app's source address in the VRF of the
// peer's sending interface. Routes of the gateway and of other hosts are answered by them (their reply side is not
// decided here). Everything here is pure: the resolver's view; provision/ asks the kernel the same questions.
import {formatPrefix, parseIpv4, parsePrefix, prefixContains, type Prefix} from './ipv4.js';
import type {LocalRoute, Role, RoutingModel, VrfRoute} from './model.js';
import {indexModel, resolveVrf, type RoutingIndex} from './resolver.js';
import type {RouteTarget} from './rt.js';

export type Leg = {
	readonly direction: 'request' | 'reply';
	/** who sends this leg: an app's interface (address) or a peer outside any VRF here */
	readonly from: {readonly app?: string; readonly address: string; readonly role?: Role};
	readonly to: {readonly app?: string; readonly address: string};
	/** the VRF the packet is looked up in (the network of the sending interface); null when not decided here */
	readonly vrf: string | null;
	/** the route it follows there, when one matches */
	readonly route: VrfRoute | null;
	readonly ok: boolean;
	/** the target that would bring the missing route in */
	readonly fix?: string;
	readonly text: string;
};

/** Lookups over one model, resolved lazily and kept: many questions about one model cost one resolution per VRF. */
export class Reach {
	readonly index: RoutingIndex;
	/** per VRF: its host routes by prefix, and its wider routes longest first */
	private readonly vrfs = new Map<string, {exact: Map<string, VrfRoute>; wide: Array<{route: VrfRoute; p: Prefix}>}>();
	private readonly subnets: Map<string, Prefix>;
	private readonly byPrefix: Map<string, LocalRoute>;
	private readonly byApp = new Map<string, LocalRoute[]>();

	constructor(readonly model: RoutingModel) {
		this.index = indexModel(model);
		this.subnets = new Map(model.networks.filter(n => n.subnet).map(n => [n.name, parsePrefix(n.subnet!)]));
		this.byPrefix = new Map(model.locals.map(l => [l.prefix, l]));
		for (const l of model.locals) this.byApp.set(l.app, [...(this.byApp.get(l.app) ?? []), l]);
	}

	/** The longest route of a VRF that covers an address. */
	lookup(network: string, ip: number): VrfRoute | undefined {
		let v = this.vrfs.get(network);
		if (!v) {
			const routes = resolveVrf(this.index, network);
			v = {
				exact: new Map(routes.filter(r => r.prefix.endsWith('/32')).map(r => [r.prefix, r])),
				wide: routes.filter(r => !r.prefix.endsWith('/32')).map(route => ({route, p: parsePrefix(route.prefix)})).sort((a, b) => b.p.length - a.p.length),
			};
			this.vrfs.set(network, v);
		}
		return v.exact.get(formatPrefix({address: ip, length: 32})) ?? v.wide.find(r => prefixContains(r.p, ip))?.route;
	}

	/** Every route a VRF holds. */
	routesOf(network: string): readonly VrfRoute[] {
		this.lookup(network, 0);
		const v = this.vrfs.get(network)!;
		return [...v.exact.values(), ...v.wide.map(w => w.route)];
	}

	ifacesOf(app: string): readonly LocalRoute[] {
		return this.byApp.get(app) ?? [];
	}

	/** The local interface an address belongs to, if an app here holds it. */
	owner(ip: number): LocalRoute | undefined {
		return this.byPrefix.get(formatPrefix({address: ip, length: 32}));
	}

	/** The interface an app's own routing sends to an address by (see the header). */
	sendingIface(app: string, ip: number): LocalRoute | undefined {
		const ifaces = this.ifacesOf(app);
		const inbound = ifaces.find(i => i.role === 'in');
		const outbound = ifaces.find(i => i.role === 'out');
		if (!outbound) return inbound;
		const sub = inbound ? this.subnets.get(inbound.network) : undefined;
		return sub && prefixContains(sub, ip) ? inbound : outbound;
	}

	/** A target that would bring `ip` into a VRF: an export target of the network that originates it, or the route's own. */
	fixFor(network: string, ip: number): string | undefined {
		const owner = this.owner(ip);
		let rt: RouteTarget | undefined;
		if (owner) rt = [...(this.index.exports.get(owner.network) ?? [])][0];
		else {
			// the most specific route that covers it, as the lookup would pick it
			const covering = [...this.model.externals, ...(this.model.remotes ?? [])]
				.map(r => ({r, p: parsePrefix(r.prefix)}))
				.filter(({p}) => prefixContains(p, ip))
				.sort((a, b) => b.p.length - a.p.length);
			rt = covering[0]?.r.targets[0];
		}
		return rt ? `nsdeck rt add ${network} ${rt} --import-only` : undefined;
	}

	/** One leg from an app's interface (chosen by its routing) to an address. */
	leg(direction: Leg['direction'], app: string, ip: number, to: {app?: string}, source?: string): Leg {
		const dst = formatPrefix({address: ip, length: 32}).replace('/32', '');
		const iface = this.sendingIface(app, ip);
		if (!iface) return {direction, from: {app, address: '?'}, to: {...to, address: dst}, vrf: null, route: null, ok: false, text: `${app} has no interface`};
		// a reply is sent from the address the request came to, whichever interface it leaves by
		const from = {app, address: source ?? iface.prefix.replace('/32', ''), role: iface.role};
		const route = this.lookup(iface.network, ip) ?? null;
		const head = `${direction}: ${app} ${from.address} -> ${to.app ? `${to.app} ` : ''}${dst} leaves by ${iface.role === 'in' ? 'veth0' : 'veth1'} into VRF ${iface.network}`;
		// an app's address is reached only by that app's own route: a wider one (the gateway's default) leads elsewhere
		const owner = this.owner(ip);
		const astray = route && owner && !((route.origin.kind === 'local' || route.origin.kind === 'imported') && route.origin.app === owner.app);
		if (route && astray) {
			const fix = this.fixFor(iface.network, ip);
			return {direction, from, to: {...to, address: dst}, vrf: iface.network, route, ok: false, ...(fix ? {fix} : {}), text: `${head}: follows ${route.prefix} (${route.origin.kind}), which does not lead to ${owner.app}${fix ? `; fix: ${fix}` : ''}`};
		}
		if (route) return {direction, from, to: {...to, address: dst}, vrf: iface.network, route, ok: true, text: `${head}: follows ${route.prefix} (${route.origin.kind})`};
		const fix = this.fixFor(iface.network, ip);
		return {direction, from, to: {...to, address: dst}, vrf: iface.network, route: null, ok: false, ...(fix ? {fix} : {}), text: `${head}: no route, dropped by the table's unreachable default${fix ? `; fix: ${fix}` : ''}`};
	}

	/** Both legs between an app and an address (another app's, or outside). */
	legs(app: string, address: string): {legs: Leg[]; reachable: boolean} {
		const ip = parseIpv4(address);
		const peer = this.owner(ip);
		const request = this.leg('request', app, ip, peer ? {app: peer.app} : {});
		if (!request.ok || !request.route) return {legs: [request], reachable: false};
		const kind = request.route.origin.kind;
		if (!peer || (kind !== 'local' && kind !== 'imported')) {
			const who = kind === 'external' ? `the gateway (${request.route.origin.kind === 'external' ? request.route.origin.via : ''})` : kind === 'remote' ? `host ${request.route.origin.kind === 'remote' ? (request.route.origin.host ?? request.route.origin.nexthop) : ''}` : 'the peer';
			const reply: Leg = {direction: 'reply', from: {address}, to: {app, address: request.from.address}, vrf: null, route: null, ok: true, text: `reply: answered by ${who}, which routes it back (not decided on this host)`};
			return {legs: [request, reply], reachable: true};
		}
		const reply = this.leg('reply', peer.app, parseIpv4(request.from.address), {app}, address);
		return {legs: [request, reply], reachable: reply.ok};
	}

	reachable(app: string, address: string): boolean {
		return this.legs(app, address).reachable;
	}
}
