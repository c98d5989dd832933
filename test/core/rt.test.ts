import {describe, expect, it} from 'vitest';
import {UsageError} from '../../source/core/errors.js';
import {autoRouteTarget, parseRouteTarget, shortRouteTarget} from '../../source/core/rt.js';

describe('route targets', () => {
	it.each([
		['64512:100', 'target:64512:100'],
		['target:64512:100', 'target:64512:100'],
		['1:4294967295', 'target:1:4294967295'],
		['4200000000:65535', 'target:4200000000:65535'],
		['65536:7', 'target:65536:7'],
		['64512L:7', 'target:64512:7'],
		['192.0.2.1:65535', 'target:192.0.2.1:65535'],
		['target:10.0.0.1:1', 'target:10.0.0.1:1'],
	])('accepts %s and prints the long form %s', (input, long) => {
		expect(parseRouteTarget(input)).toBe(long);
	});

	it.each([
		['64512', 'expected ASN:N'],
		['64512:', 'expected ASN:N'],
		['abc:1', "ASN 'abc' is not a number"],
		['0:5', 'ASN 0 is reserved'],
		['4294967296:1', 'ASN must be at most 4294967295'],
		['64512:4294967296', 'with a 2-byte ASN the value must be 0-4294967295'],
		['70000:65536', 'with a 4-byte ASN the value must be 0-65535'],
		['64512L:70000', 'with a 4-byte ASN the value must be 0-65535'],
		['10.0.0.1:65536', 'with an IPv4 administrator the value must be 0-65535'],
		['300.0.0.1:1', 'is not an IPv4 address'],
		['64512:-1', "value '-1' is not a number"],
		['64512:1;rm', "value '1;rm' is not a number"],
	])('refuses %s with a clear message', (input, message) => {
		expect(() => parseRouteTarget(input)).toThrow(UsageError);
		expect(() => parseRouteTarget(input)).toThrow(message);
	});

	it('gives every network a Contrail-style automatic target above 8000000', () => {
		expect(autoRouteTarget(3)).toBe('target:64512:8000003');
		expect(shortRouteTarget(autoRouteTarget(3))).toBe('64512:8000003');
	});
});
