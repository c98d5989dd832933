import {existsSync} from 'node:fs';
import {join} from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import protobuf from 'protobufjs';
import {OperationError} from '../core/errors.js';
import type {RemoteRoute} from '../core/model.js';
import {parseRouteTarget, type RouteTarget} from '../core/rt.js';

/** Debian's golang-github-osrg-gobgp-dev ships gobgpd's API definitions here. */
export const PROTO_DIR = process.env.NSDECK_GOBGP_PROTO_DIR ?? '/usr/share/gocode/src/github.com/osrg/gobgp/api';
const FILES = ['gobgp.proto', 'attribute.proto', 'capability.proto'];
const TYPE_URL = 'type.googleapis.com/apipb.';

type Any = {type_url: string; value: Uint8Array};
type Msg = Record<string, unknown>;

let loaded: {root: protobuf.Root; service: grpc.ServiceClientConstructor} | undefined;

function load() {
	if (loaded) return loaded;
	if (!existsSync(join(PROTO_DIR, 'gobgp.proto'))) throw new OperationError(`gobgpd's API definitions are missing (${PROTO_DIR}): apt-get install golang-github-osrg-gobgp-dev`);
	const def = protoLoader.loadSync(FILES, {includeDirs: [PROTO_DIR], keepCase: true, enums: String, longs: Number, defaults: true, oneofs: true});
	const pkg = grpc.loadPackageDefinition(def) as unknown as {apipb: {GobgpApi: grpc.ServiceClientConstructor}};
	const root = new protobuf.Root();
	root.resolvePath = (_origin, target) => (target.startsWith('google/') || target.startsWith('/') ? target : join(PROTO_DIR, target));
	root.loadSync(FILES.map(f => join(PROTO_DIR, f)), {keepCase: true});
	loaded = {root, service: pkg.apipb.GobgpApi};
	return loaded;
}

/** Packs a message of apipb into a google.protobuf.Any, as every NLRI, attribute, RD and RT is in gobgpd's API. */
export function pack(type: string, value: Msg): Any {
	const t = load().root.lookupType(`apipb.${type}`);
	return {type_url: TYPE_URL + type, value: t.encode(t.fromObject(value)).finish()};
}

export function unpack(any: Any): {type: string; value: Msg} {
	const type = any.type_url.slice(any.type_url.lastIndexOf('/') + 1).replace(/^apipb\./, '');
	const t = load().root.lookupType(`apipb.${type}`);
	return {type, value: t.toObject(t.decode(any.value), {longs: Number, enums: Number, defaults: true}) as Msg};
}

function rtAny(rt: RouteTarget): Any {
	const body = rt.slice('target:'.length);
	const cut = body.lastIndexOf(':');
	const admin = body.slice(0, cut);
	const value = Number(body.slice(cut + 1));
	if (admin.includes('.')) return pack('IPv4AddressSpecificExtended', {is_transitive: true, sub_type: 2, address: admin, local_admin: value});
	const asn = Number(admin);
	if (asn > 0xffff) return pack('FourOctetAsSpecificExtended', {is_transitive: true, sub_type: 2, asn, local_admin: value});
	return pack('TwoOctetAsSpecificExtended', {is_transitive: true, sub_type: 2, asn, local_admin: value});
}

function rtOf(any: Any): RouteTarget | undefined {
	if (!/AsSpecificExtended$|IPv4AddressSpecificExtended$/.test(any.type_url)) return undefined;
	const {type, value} = unpack(any);
	if (value.sub_type !== 2) return undefined;
	if (type === 'TwoOctetAsSpecificExtended' || type === 'FourOctetAsSpecificExtended') return parseRouteTarget(`${value.asn}:${value.local_admin}`);
	if (type === 'IPv4AddressSpecificExtended') return parseRouteTarget(`${value.address}:${value.local_admin}`);
	return undefined;
}

/** RDs are written A.B.C.D:N (type 1) or ASN:N. */
function rdAny(rd: string): Any {
	const cut = rd.lastIndexOf(':');
	const admin = rd.slice(0, cut);
	const assigned = Number(rd.slice(cut + 1));
	if (admin.includes('.')) return pack('RouteDistinguisherIPAddress', {admin, assigned});
	if (Number(admin) > 0xffff) return pack('RouteDistinguisherFourOctetASN', {admin: Number(admin), assigned});
	return pack('RouteDistinguisherTwoOctetASN', {admin: Number(admin), assigned});
}

function rdOf(any: Any): string {
	const {value} = unpack(any);
	return `${value.admin}:${value.assigned}`;
}

const VPNV4 = {afi: 'AFI_IP', safi: 'SAFI_MPLS_VPN'};

/** A route this host originates: one app /32 of one network, as a VPNv4 path in gobgpd's global table. */
export type LocalPath = {readonly rd: string; readonly prefix: string; readonly label: number; readonly nexthop: string; readonly targets: readonly RouteTarget[]};
export type VrfSpec = {readonly name: string; readonly rd: string; readonly importRts: readonly RouteTarget[]; readonly exportRts: readonly RouteTarget[]};

function nlri(p: {rd: string; prefix: string; label: number}): Any {
	const [address, length] = p.prefix.split('/');
	return pack('LabeledVPNIPAddressPrefix', {labels: [p.label], rd: rdAny(p.rd), prefix_len: Number(length), prefix: address});
}

function pathMessage(p: LocalPath): Msg {
	const n = nlri(p);
	return {
		nlri: n,
		family: VPNV4,
		pattrs: [
			pack('OriginAttribute', {origin: 2}),
			pack('MpReachNLRIAttribute', {family: {afi: 1, safi: 128}, next_hops: [p.nexthop], nlris: [n]}),
			// the VXLAN encapsulation community (RFC 9012, tunnel type 8): "this label is a VNI" to any receiver
			pack('ExtendedCommunitiesAttribute', {communities: [...p.targets.map(rtAny), pack('EncapExtended', {tunnel_type: VXLAN_TUNNEL})]}),
		],
	};
}

const VXLAN_TUNNEL = 8;

export type PathEvent = {readonly route: RemoteRoute; readonly withdraw: boolean};

/** Decodes a VPNv4 path: RD, prefix, label from the NLRI; next hop from MP_REACH; targets from the extended communities. */
export function decodePath(path: Msg): PathEvent | undefined {
	const fam = path.family as {afi?: string; safi?: string} | undefined;
	if (fam && (fam.afi !== 'AFI_IP' || fam.safi !== 'SAFI_MPLS_VPN')) return undefined;
	const n = unpack(path.nlri as Any);
	if (n.type !== 'LabeledVPNIPAddressPrefix') return undefined;
	const labels = n.value.labels as number[];
	let nexthop = '';
	let originator = '';
	let vxlan = false;
	const targets: RouteTarget[] = [];
	for (const a of (path.pattrs as Any[]) ?? []) {
		const attr = unpack(a);
		if (attr.type === 'MpReachNLRIAttribute') nexthop = (attr.value.next_hops as string[])[0] ?? '';
		else if (attr.type === 'NextHopAttribute' && !nexthop) nexthop = String(attr.value.next_hop);
		else if (attr.type === 'OriginatorIdAttribute') originator = String(attr.value.id);
		else if (attr.type === 'ExtendedCommunitiesAttribute') {
			for (const c of attr.value.communities as Any[]) {
				if (c.type_url.endsWith('.EncapExtended')) vxlan ||= unpack(c).value.tunnel_type === VXLAN_TUNNEL;
				const rt = rtOf(c);
				if (rt) targets.push(rt);
			}
		}
	}
	return {
		withdraw: Boolean(path.is_withdraw),
		route: {
			rd: rdOf(n.value.rd as Any), prefix: `${n.value.prefix}/${n.value.prefix_len}`, label: labels[0] ?? 0, nexthop, targets: targets.sort(),
			...(vxlan ? {encap: 'vxlan' as const} : {}), ...(originator && originator !== '0.0.0.0' ? {originator} : {}),
		},
	};
}

/** One BGP neighbor as gobgpd reports it. */
export type PeerInfo = {readonly address: string; readonly state: string; readonly since: string | null; readonly received: number; readonly accepted: number};

type Call = (req: Msg, opts: {deadline: number}, cb: (e: grpc.ServiceError | null, r: Msg) => void) => void;

/** gobgpd's gRPC API: the calls nsdeck uses. */
export class Gobgp {
	readonly client: grpc.Client & Record<string, unknown>;

	constructor(readonly address: string) {
		const {service} = load();
		this.client = new service(address, grpc.credentials.createInsecure(), {'grpc.initial_reconnect_backoff_ms': 100, 'grpc.max_reconnect_backoff_ms': 500}) as grpc.Client & Record<string, unknown>;
	}

	private unary(method: string, req: Msg, timeout = 5000): Promise<Msg> {
		return new Promise((resolve, reject) => {
			(this.client[method] as Call).call(this.client, req, {deadline: Date.now() + timeout}, (e, r) => (e ? reject(e) : resolve(r)));
		});
	}

	private list<T>(method: string, req: Msg, pick: (r: Msg) => T, timeout = 30000): Promise<T[]> {
		return new Promise((resolve, reject) => {
			const out: T[] = [];
			const stream = (this.client[method] as (r: Msg, o: {deadline: number}) => grpc.ClientReadableStream<Msg>).call(this.client, req, {deadline: Date.now() + timeout});
			stream.on('data', (r: Msg) => out.push(pick(r)));
			stream.on('error', reject);
			stream.on('end', () => resolve(out));
		});
	}

	ready(timeout: number): Promise<void> {
		return new Promise((resolve, reject) => this.client.waitForReady(Date.now() + timeout, e => (e ? reject(e) : resolve())));
	}

	addPath(p: LocalPath): Promise<Msg> {
		return this.unary('AddPath', {table_type: 'GLOBAL', path: pathMessage(p)});
	}

	/**
	 * Withdraws a path. It carries the targets it was announced with: under the route-target constraint gobgpd sends a
	 * withdrawal only to peers that are members of one of its targets, so one without them would reach nobody.
	 */
	deletePath(p: LocalPath): Promise<Msg> {
		return this.unary('DeletePath', {table_type: 'GLOBAL', family: VPNV4, path: pathMessage(p)});
	}

	async addVrf(v: VrfSpec): Promise<void> {
		await this.unary('AddVrf', {vrf: {name: v.name, rd: rdAny(v.rd), import_rt: v.importRts.map(rtAny), export_rt: v.exportRts.map(rtAny)}});
	}

	async deleteVrf(name: string): Promise<void> {
		await this.unary('DeleteVrf', {name});
	}

	async listVrfs(): Promise<string[]> {
		return this.list('ListVrf', {}, r => String((r.vrf as Msg).name));
	}

	/** Every VPNv4 path in the global table (best ones). */
	async listPaths(): Promise<RemoteRoute[]> {
		const dests = await this.list('ListPath', {table_type: 'GLOBAL', family: VPNV4}, r => r.destination as Msg);
		const out: RemoteRoute[] = [];
		for (const d of dests) {
			const paths = d.paths as Msg[];
			const best = paths.find(p => p.best) ?? paths[0];
			if (!best) continue;
			const e = decodePath({...best, family: best.family ?? {afi: 'AFI_IP', safi: 'SAFI_MPLS_VPN'}});
			if (e) out.push(e.route);
		}
		return out;
	}

	async established(): Promise<number> {
		return (await this.peers()).filter(p => p.state === 'ESTABLISHED').length;
	}

	/** Each BGP neighbor: its session state, since when, and the VPNv4 paths it sent and gobgpd accepted. */
	async peers(): Promise<PeerInfo[]> {
		const peers = await this.list('ListPeer', {}, r => r.peer as Msg, 5000);
		return peers.map(p => {
			const state = (p.state ?? {}) as Msg;
			const uptime = ((p.timers as Msg | undefined)?.state as Msg | undefined)?.uptime as {seconds?: number} | undefined;
			const vpn = ((p.afi_safis ?? []) as Msg[]).map(a => a.state as Msg | undefined).find(a => (a?.family as Msg | undefined)?.safi === 'SAFI_MPLS_VPN');
			const established = state.session_state === 'ESTABLISHED';
			return {
				address: String(state.neighbor_address || (p.conf as Msg | undefined)?.neighbor_address || ''),
				state: String(state.session_state ?? 'UNKNOWN'),
				since: established && uptime?.seconds ? new Date(uptime.seconds * 1000).toISOString() : null,
				received: Number(vpn?.received ?? 0),
				accepted: Number(vpn?.accepted ?? 0),
			};
		});
	}

	/** Best-path changes and peer state changes, as they happen. */
	watch(): grpc.ClientReadableStream<Msg> {
		return (this.client.WatchEvent as (r: Msg) => grpc.ClientReadableStream<Msg>).call(this.client, {peer: {}, table: {filters: [{type: 'BEST', init: false}]}});
	}

	close(): void {
		this.client.close();
	}
}
