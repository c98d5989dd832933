import type {RouteTarget} from './rt.js';

/** A network's membership of one target. At least one direction is always set: `{import: false, export: false}` is no membership. */
export type Membership = {readonly import: true; readonly export: true} | {readonly import: true; readonly export: false} | {readonly import: false; readonly export: true};

export type Direction = 'both' | 'import' | 'export';

export function membership(direction: Direction): Membership {
	if (direction === 'import') return {import: true, export: false};
	if (direction === 'export') return {import: false, export: true};
	return {import: true, export: true};
}

export function directionOf(m: Membership): Direction {
	return m.import && m.export ? 'both' : m.import ? 'import' : 'export';
}

/** I, E or IE: how the targets matrix marks a cell. */
export function markOf(m: Membership): 'I' | 'E' | 'IE' {
	return m.import && m.export ? 'IE' : m.import ? 'I' : 'E';
}

export type TargetEntry = {readonly rt: RouteTarget; readonly auto: boolean} & Membership;

export type NetworkRouting = {
	readonly name: string;
	readonly targets: readonly TargetEntry[];
	/** its subnet, when it has one: an app with an outbound network still sends to it by its inbound interface */
	readonly subnet?: string;
};

export type Role = 'in' | 'out';

/** An app's /32 in the network its interface is on. */
export type LocalRoute = {readonly prefix: string; readonly network: string; readonly app: string; readonly role: Role};

/** A prefix learned from outside (a gateway), carrying targets. */
export type ExternalRoute = {readonly prefix: string; readonly via: string; readonly targets: readonly RouteTarget[]};

/**
 * A route another BGP speaker originates (another nsdeck host, or a router that is not one), as learned: its RD, VPN
 * label, tunnel next hop and targets; the nsdeck host it came from (by next hop, from `host set --peer`); whether it
 * carried the VXLAN encapsulation community (then its label is a VNI); the router that originated it.
 */
export type RemoteRoute = {
	readonly prefix: string;
	readonly rd: string;
	readonly nexthop: string;
	readonly label: number;
	readonly targets: readonly RouteTarget[];
	readonly host?: string;
	readonly encap?: 'vxlan';
	readonly originator?: string;
};

/** A remote route with its translation: who announced it, the VNI its label stands for, or why there is none. */
export type ResolvedRemote = RemoteRoute & {readonly by?: Speaker; readonly vni?: number; readonly unusable?: string};

/** Who announced a remote route, as the faces name it: an nsdeck host, a declared gateway, or an unknown router. */
export type Speaker = {readonly kind: 'host' | 'gateway' | 'router'; readonly name: string};

export type RoutingModel = {
	readonly networks: readonly NetworkRouting[];
	readonly locals: readonly LocalRoute[];
	readonly externals: readonly ExternalRoute[];
	/** routes of other hosts and routers (control gobgp), with who announced each and its VNI; absent on a single host */
	readonly remotes?: readonly ResolvedRemote[];
};

export type Origin =
	| {readonly kind: 'local'; readonly app: string; readonly role: Role}
	| {readonly kind: 'imported'; readonly from: string; readonly app: string; readonly role: Role; readonly targets: readonly RouteTarget[]}
	| {readonly kind: 'external'; readonly via: string; readonly targets: readonly RouteTarget[]}
	| {
			readonly kind: 'remote';
			readonly host?: string;
			readonly rd: string;
			readonly nexthop: string;
			readonly label: number;
			readonly targets: readonly RouteTarget[];
			/** who announced it (absent in stores written before gateways were named) */
			readonly by?: Speaker;
			/** the VXLAN VNI its label stands for; absent when none is known: the route is held, never installed */
			readonly vni?: number;
			/** why it is not installed (no VNI for its label) */
			readonly unusable?: string;
	  };

export type VrfRoute = {readonly prefix: string; readonly origin: Origin};

/** Each VRF (by network name) with the routes it holds, sorted by prefix. */
export type Resolution = ReadonlyMap<string, readonly VrfRoute[]>;
