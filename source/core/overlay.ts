import {createHash} from 'node:crypto';
import {fail} from './errors.js';
import {formatPrefix, parseIpv4, parsePrefix, parseSubnet, type Prefix, prefixContains} from './ipv4.js';
import type {RemoteRoute, Speaker} from './model.js';
import {IFNAME_MAX} from './names.js';

/**
 * VNIs nsdeck hands out travel as the BGP VPNv4 label, an MPLS label of 20 bits (gobgpd truncates a larger value):
 * so 1 to 2^20-2, and 2^20-1 is the gateway's. VXLAN itself would allow 24 bits.
 */
export const VNI_MAX = 0xf_ff_ff;
export const VXLAN_PORT = 4789;
/** The overlay MTU; the underlay needs 50 bytes more (VXLAN over IPv4). */
export const OVERLAY_MTU = 1500;
export const UNDERLAY_MTU = 1550;

/**
 * A network's default VNI, derived from its name alone, so the same network name gets the same VNI on every host:
 * 10000-99999, which keeps the device name short.
 */
export function deriveVni(name: string): number {
	return 10_000 + (createHash('sha256').update(name).digest().readUInt32BE(0) % 90_000);
}

/** The VNI of a host's gateway: external routes a host originates carry it, and traffic arriving on it goes out. */
export const GATEWAY_VNI = VNI_MAX;

export function parseVni(text: string): number {
	if (!/^\d{1,8}$/.test(text) || Number(text) < 1 || Number(text) >= VNI_MAX) fail(`invalid VNI '${text}': expected a number from 1 to ${VNI_MAX - 1}`);
	return Number(text);
}

/** The VXLAN device of one VNI in the vrouter. */
export function vxlanIf(prefix: string, vni: number): string {
	// decimal when it fits (what `ip link` readers expect), else base 36 after '~': distinct VNIs, distinct names
	const decimal = `${prefix}vx${vni}`;
	return Buffer.byteLength(decimal) <= IFNAME_MAX ? decimal : `${prefix}vx~${vni.toString(36)}`;
}

/** Is this interface a VXLAN device of this prefix (named by vxlanIf)? No other nsdeck interface starts so. */
export function isVxlanIf(prefix: string, name: string): boolean {
	return name.startsWith(`${prefix}vx`) && /^(\d+|~[0-9a-z]+)$/.test(name.slice(prefix.length + 2));
}

/** The MAC every host uses on its VXLAN devices: 02:00 and the four bytes of its VTEP address. */
export function vtepMac(vtep: string): string {
	const ip = parseIpv4(vtep);
	return ['02', '00', ...[ip >>> 24, (ip >>> 16) & 255, (ip >>> 8) & 255, ip & 255].map(b => b.toString(16).padStart(2, '0'))].join(':');
}

/** A unicast VTEP address: not 0/8, loopback, multicast or broadcast. */
export function parseVtep(text: string): string {
	const ip = parseIpv4(text, 'VTEP address');
	const first = ip >>> 24;
	if (first === 0 || first === 127 || first >= 224) fail(`invalid VTEP address '${text}': use a unicast address the other hosts reach`);
	return [ip >>> 24, (ip >>> 16) & 255, (ip >>> 8) & 255, ip & 255].join('.');
}

/** An address block inside a subnet: where one host hands out the network's addresses. */
export function parseBlock(text: string, subnet: Prefix): Prefix {
	const block = parsePrefix(text, 'address block');
	if (block.length < subnet.length || !prefixContains(subnet, block.address)) fail(`address block ${formatPrefix(block)} is not inside subnet ${formatPrefix(subnet)}`);
	if (block.length > 30) fail(`invalid address block '${text}': length must be at most /30`);
	return block;
}

/** The i-th (0-based) block of a given length inside a subnet. */
export function nthBlock(subnet: string, length: number, i: number): string {
	const s = parseSubnet(subnet);
	if (length < s.length) fail(`block /${length} is larger than subnet ${subnet}`);
	const count = 2 ** (length - s.length);
	if (i >= count) fail(`subnet ${subnet} has only ${count} blocks of /${length}`);
	return formatPrefix({address: (s.address + i * 2 ** (32 - length)) >>> 0, length});
}

/** The RD of the external routes a host originates (network ids start at 1). */
export const gatewayDistinguisher = (vtep: string) => `${vtep}:0`;

/** A route distinguisher for a host's copy of a network: VTEP:network id (type 1, IPv4 administrator). */
export function routeDistinguisher(vtep: string, networkId: number): string {
	return `${vtep}:${networkId}`;
}

/**
 * The RD of the gobgpd VRF that shows a network's targets: never the RD of the network's paths, since gobgpd's
 * DeleteVrf withdraws every local path with the VRF's RD (and a target edit deletes and re-adds the VRF).
 */
export function vrfDistinguisher(vtep: string, networkId: number): string {
	return `${vtep}:${32_768 + (networkId % 32_768)}`;
}

/** What the translation needs to know of this host: the nsdeck hosts by VTEP, and the declared gateways. */
export type OverlayPeers = {
	readonly peers?: Readonly<Record<string, string>>;
	readonly gateways?: Readonly<Record<string, {readonly address: string; readonly vnis: Readonly<Record<string, number>>}>>;
};

export type Translation = {readonly by: Speaker; readonly vni?: number; readonly unusable?: string};

/**
 * The VPN label <-> VNI translation. An nsdeck host announces label = VNI and says so with the VXLAN encapsulation
 * community (RFC 9012); a peer named by `host set --peer` is an nsdeck host too. A router that is not an nsdeck host
 * (a site's gateway) picks its labels itself: the operator declares it (`host set --gateway NAME=NEXTHOP`) and maps
 * each label it announces to the VNI of its VXLAN leg (`--gateway-vni NAME=LABEL:VNI`). Anything else (an unknown
 * router, an unmapped label, a label that cannot be a VNI) is held in the VRFs that import it, shown with the reason,
 * and never installed: no VXLAN device is made for a guess, and no traffic is sent into a tunnel nobody terminates.
 */
export function translateRemote(r: RemoteRoute, host: OverlayPeers | undefined): Translation {
	const router = r.originator && r.originator !== '0.0.0.0' ? r.originator : r.nexthop;
	const gateway = Object.entries(host?.gateways ?? {}).find(([, g]) => g.address === r.nexthop);
	if (gateway) {
		const [name, g] = gateway;
		const vni = g.vnis[String(r.label)];
		const by = {kind: 'gateway', name} as const;
		return vni === undefined ? {by, unusable: `label ${r.label} of gateway ${name} has no VNI (nsdeck host set --gateway-vni ${name}=${r.label}:VNI)`} : {by, vni};
	}
	const name = r.host ?? host?.peers?.[r.nexthop];
	const by: Speaker = name ? {kind: 'host', name} : {kind: 'router', name: router};
	if (!name && r.encap !== 'vxlan') {
		return {by, unusable: `label ${r.label} from router ${router} (next hop ${r.nexthop}) is not a VNI: the route does not say VXLAN and no gateway is declared at ${r.nexthop} (nsdeck host set --gateway NAME=${r.nexthop} --gateway-vni NAME=${r.label}:VNI)`};
	}
	if (r.label < 1 || r.label > VXLAN_VNI_MAX) return {by, unusable: `label ${r.label} from ${by.kind} ${by.name} is not a VNI (1-${VXLAN_VNI_MAX})`};
	return {by, vni: r.label};
}

/** VXLAN's own VNI range (24 bits); nsdeck hands out at most 20 bits (VNI_MAX), a gateway's leg may use any. */
export const VXLAN_VNI_MAX = 0xff_ff_ff;

/** Parses `--gateway-vni NAME=LABEL[:VNI]`'s `LABEL[:VNI]`: an MPLS label (20 bits) and a VXLAN VNI (24 bits). */
export function parseLabelVni(text: string): {label: number; vni: number} {
	const m = /^(\d{1,7})(?::(\d{1,8}))?$/.exec(text);
	const label = Number(m?.[1]);
	const vni = Number(m?.[2] ?? m?.[1]);
	if (!m || label < 16 || label > VNI_MAX || vni < 1 || vni > VXLAN_VNI_MAX) fail(`invalid label mapping '${text}': expected LABEL[:VNI], a label of 16-${VNI_MAX} and a VNI of 1-${VXLAN_VNI_MAX}`);
	return {label, vni};
}
