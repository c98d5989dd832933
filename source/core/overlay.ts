import {createHash} from 'node:crypto';
import {fail} from './errors.js';
import {formatPrefix, parseIpv4, parsePrefix, parseSubnet, type Prefix, prefixContains} from './ipv4.js';
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
