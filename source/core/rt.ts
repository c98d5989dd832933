import {fail} from './errors.js';
import {parseIpv4} from './ipv4.js';

/**
 * A route target in its canonical long form. The three encodings of RFC 4360 extended communities:
 * 2-byte ASN : 32-bit value, 4-byte ASN : 16-bit value, IPv4 address : 16-bit value.
 */
export type RouteTarget = string & {readonly __brand: 'RouteTarget'};

const MAX_U16 = 0xff_ff;
const MAX_U32 = 0xff_ff_ff_ff;

function parseUint(text: string, what: string, raw: string): number {
	if (!/^\d{1,10}$/.test(text)) fail(`invalid route target '${raw}': ${what} '${text}' is not a number`);
	return Number(text);
}

/**
 * Accepts `target:X:N` or the short `X:N`; a 4-byte ASN may carry Contrail's `L` suffix.
 * Always returns the long form, so two spellings of one target compare equal.
 */
export function parseRouteTarget(raw: string): RouteTarget {
	const text = raw.trim();
	const body = text.startsWith('target:') ? text.slice('target:'.length) : text;
	const cut = body.lastIndexOf(':');
	if (cut <= 0 || cut === body.length - 1) fail(`invalid route target '${raw}': expected ASN:N, A.B.C.D:N or target:ASN:N`);
	const admin = body.slice(0, cut);
	const value = parseUint(body.slice(cut + 1), 'value', raw);
	if (admin.includes('.')) {
		const ip = parseIpv4(admin, `route target '${raw}'`);
		if (value > MAX_U16) fail(`invalid route target '${raw}': with an IPv4 administrator the value must be 0-65535`);
		return `target:${formatIp(ip)}:${value}` as RouteTarget;
	}
	const asText = admin.endsWith('L') ? admin.slice(0, -1) : admin;
	const asn = parseUint(asText, 'ASN', raw);
	if (asn === 0) fail(`invalid route target '${raw}': ASN 0 is reserved`);
	if (asn > MAX_U32) fail(`invalid route target '${raw}': ASN must be at most 4294967295`);
	const fourByte = asn > MAX_U16 || admin.endsWith('L');
	if (fourByte) {
		if (value > MAX_U16) fail(`invalid route target '${raw}': with a 4-byte ASN the value must be 0-65535`);
		return `target:${asn}:${value}` as RouteTarget;
	}
	if (value > MAX_U32) fail(`invalid route target '${raw}': with a 2-byte ASN the value must be 0-4294967295`);
	return `target:${asn}:${value}` as RouteTarget;
}

function formatIp(ip: number): string {
	return [ip >>> 24, (ip >>> 16) & 255, (ip >>> 8) & 255, ip & 255].join('.');
}

/** The short form (`64512:100`), as the original `network-manage --rtarget` took it. */
export function shortRouteTarget(rt: RouteTarget): string {
	return rt.slice('target:'.length);
}

/** Contrail allocates a network's automatic target as ASN:8000000+id. */
export const AUTO_RT_BASE = 8_000_000;
export const DEFAULT_ASN = 64_512;

export function autoRouteTarget(networkId: number, asn = DEFAULT_ASN): RouteTarget {
	return `target:${asn}:${AUTO_RT_BASE + networkId}` as RouteTarget;
}
