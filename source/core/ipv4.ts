import {fail} from './errors.js';

/** An IPv4 prefix with its address as an unsigned 32-bit number, network bits only. */
export type Prefix = {readonly address: number; readonly length: number};

export function parseIpv4(text: string, what = 'address'): number {
	const parts = text.split('.');
	if (parts.length !== 4 || !parts.every(p => /^(0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255)) {
		fail(`invalid ${what}: '${text}' is not an IPv4 address`);
	}
	return parts.reduce((acc, p) => acc * 256 + Number(p), 0);
}

export function formatIpv4(ip: number): string {
	return [ip >>> 24, (ip >>> 16) & 255, (ip >>> 8) & 255, ip & 255].join('.');
}

/** Orders addresses as numbers (10.0.0.9 before 10.0.0.10); anything not IPv4 after them, as text. */
export function compareAddresses(a: string, b: string): number {
	const n = (x: string) => {
		try {
			return parseIpv4(x);
		} catch {
			return Infinity;
		}
	};
	return n(a) - n(b) || (a < b ? -1 : a > b ? 1 : 0);
}

function mask(length: number): number {
	return length === 0 ? 0 : (0xff_ff_ff_ff << (32 - length)) >>> 0;
}

/** Parses A.B.C.D/N. Host bits must be zero: `10.1.0.5/24` is refused rather than silently widened. */
export function parsePrefix(text: string, what = 'prefix'): Prefix {
	const m = /^([^/]+)\/(\d{1,2})$/.exec(text.trim());
	if (!m) fail(`invalid ${what}: '${text}' is not A.B.C.D/N`);
	const length = Number(m[2]);
	if (length > 32) fail(`invalid ${what}: '${text}' has a length over 32`);
	const address = parseIpv4(m[1]!, what);
	if ((address & ~mask(length)) >>> 0 !== 0) {
		fail(`invalid ${what}: '${text}' has host bits set (did you mean ${formatPrefix(networkOf(address, length))}?)`);
	}
	return {address, length};
}

function networkOf(address: number, length: number): Prefix {
	return {address: (address & mask(length)) >>> 0, length};
}

export function formatPrefix(p: Prefix): string {
	return `${formatIpv4(p.address)}/${p.length}`;
}

export function prefixContains(p: Prefix, ip: number): boolean {
	return ((ip & mask(p.length)) >>> 0) === p.address;
}

export function prefixesOverlap(a: Prefix, b: Prefix): boolean {
	const shorter = a.length <= b.length ? a : b;
	const longer = shorter === a ? b : a;
	return prefixContains(shorter, longer.address);
}

export function hostRoute(ip: number): string {
	return `${formatIpv4(ip)}/32`;
}

/** Subnets nsdeck hands addresses from: /8 to /30 (a /30 still leaves one address after the gateway). */
export function parseSubnet(text: string): Prefix {
	const p = parsePrefix(text, 'subnet');
	if (p.length < 8 || p.length > 30) fail(`invalid subnet '${text}': length must be between /8 and /30`);
	return p;
}

/**
 * The address pool of a subnet: the network address, the first host (the gateway, as OpenContrail reserves it)
 * and the broadcast address are never handed out.
 */
export function poolRange(subnet: Prefix): {first: number; last: number; size: number} {
	const size = 2 ** (32 - subnet.length);
	const first = subnet.address + 2;
	const last = subnet.address + size - 2;
	return {first, last, size: Math.max(0, last - first + 1)};
}

export function inPool(subnet: Prefix, ip: number): boolean {
	const {first, last} = poolRange(subnet);
	return ip >= first && ip <= last;
}

/** The lowest free address of the pool, or undefined when every address is leased. */
export function nextFree(subnet: Prefix, leased: ReadonlySet<number>, block?: Prefix): number | undefined {
	let {first, last} = poolRange(subnet);
	if (block) {
		first = Math.max(first, block.address);
		last = Math.min(last, block.address + 2 ** (32 - block.length) - 1);
	}
	for (let ip = first; ip <= last; ip++) if (!leased.has(ip)) return ip;
	return undefined;
}
