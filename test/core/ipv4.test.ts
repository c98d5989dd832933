import {describe, expect, it} from 'vitest';
import {compareAddresses, formatIpv4, inPool, nextFree, parseIpv4, parsePrefix, parseSubnet, poolRange, prefixesOverlap} from '../../source/core/ipv4.js';

describe('IPv4 prefixes and address pools', () => {
	it('parses prefixes and refuses host bits, /33 and garbage', () => {
		expect(parsePrefix('10.1.0.0/24')).toEqual({address: parseIpv4('10.1.0.0'), length: 24});
		expect(parsePrefix('0.0.0.0/0').length).toBe(0);
		expect(() => parsePrefix('10.1.0.0/33')).toThrow("'10.1.0.0/33' has a length over 32");
		expect(() => parsePrefix('10.1.0.5/24')).toThrow('did you mean 10.1.0.0/24?');
		expect(() => parsePrefix('10.1.0/24')).toThrow('is not an IPv4 address');
		expect(() => parsePrefix('010.1.0.0/24')).toThrow('is not an IPv4 address');
		expect(() => parsePrefix('10.1.0.0')).toThrow('is not A.B.C.D/N');
	});

	it('limits subnets to /8../30', () => {
		expect(() => parseSubnet('10.0.0.0/31')).toThrow('between /8 and /30');
		expect(() => parseSubnet('0.0.0.0/0')).toThrow('between /8 and /30');
		expect(poolRange(parseSubnet('10.0.0.0/30')).size).toBe(1);
	});

	it('excludes the network, gateway and broadcast addresses from the pool', () => {
		const s = parseSubnet('10.1.0.0/24');
		expect(formatIpv4(poolRange(s).first)).toBe('10.1.0.2');
		expect(formatIpv4(poolRange(s).last)).toBe('10.1.0.254');
		expect(inPool(s, parseIpv4('10.1.0.1'))).toBe(false);
		expect(inPool(s, parseIpv4('10.1.0.255'))).toBe(false);
		expect(inPool(s, parseIpv4('10.2.0.9'))).toBe(false);
	});

	it('hands out the lowest free address and reports exhaustion', () => {
		const s = parseSubnet('10.9.0.0/29');
		const leased = new Set<number>();
		const got: string[] = [];
		for (let ip = nextFree(s, leased); ip !== undefined; ip = nextFree(s, leased)) {
			leased.add(ip);
			got.push(formatIpv4(ip));
		}
		expect(got).toEqual(['10.9.0.2', '10.9.0.3', '10.9.0.4', '10.9.0.5', '10.9.0.6']);
		leased.delete(parseIpv4('10.9.0.4'));
		expect(formatIpv4(nextFree(s, leased)!)).toBe('10.9.0.4');
	});

	it('detects overlapping prefixes either way round', () => {
		expect(prefixesOverlap(parsePrefix('10.0.0.0/8'), parsePrefix('10.1.0.0/24'))).toBe(true);
		expect(prefixesOverlap(parsePrefix('10.1.0.0/24'), parsePrefix('10.0.0.0/8'))).toBe(true);
		expect(prefixesOverlap(parsePrefix('10.1.0.0/24'), parsePrefix('10.2.0.0/24'))).toBe(false);
	});

	it('orders addresses as numbers, anything else after them as text (BGP sessions are listed so)', () => {
		expect(['192.168.100.254', '10.0.0.10', 'fe80::1', '192.168.100.253', '10.0.0.9'].sort(compareAddresses)).toEqual(['10.0.0.9', '10.0.0.10', '192.168.100.253', '192.168.100.254', 'fe80::1']);
	});
});
