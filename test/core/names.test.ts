import {describe, expect, it} from 'vitest';
import {checkName, checkPrefix, IFNAME_MAX, names} from '../../source/core/names.js';

describe('naming rules', () => {
	it.each(['a', 'web-1', 'db_2.prod', 'A1'])('accepts %s', name => expect(checkName('app', name)).toBe(name));

	it.each([
		['', 'empty'],
		['a b', 'use letters'],
		['a/b', 'use letters'],
		['a;rm -rf', 'use letters'],
		['$(id)', 'use letters'],
		['-x', 'use letters'],
		['x'.repeat(33), 'longer than 32'],
	])('refuses %j', (name, message) => expect(() => checkName('app', name)).toThrow(message));

	it('keeps every host interface name within 15 bytes, distinct and stable', () => {
		const n = names('t1ab-');
		expect(n.hostIf('web', 'in')).toBe('t1ab-vi-web');
		const long = n.hostIf('a-very-long-application', 'in');
		const other = n.hostIf('a-very-long-applicatioX', 'in');
		expect(Buffer.byteLength(long)).toBeLessThanOrEqual(IFNAME_MAX);
		expect(long).not.toBe(other);
		expect(n.hostIf('a-very-long-application', 'in')).toBe(long);
		expect(n.hostIf('a-very-long-application', 'out')).not.toBe(long);
		const longest = names('abcdefgh').hostIf('x'.repeat(32), 'out');
		expect(Buffer.byteLength(longest)).toBeLessThanOrEqual(IFNAME_MAX);
	});

	it('maps namespaces back to apps only under its own prefix', () => {
		const n = names('t1ab-');
		expect(n.appNamespace('web')).toBe('t1ab-ns-web');
		expect(n.appOf('t1ab-ns-web')).toBe('web');
		expect(n.appOf('ns-web')).toBeUndefined();
		expect(() => checkPrefix('UPPER')).toThrow('NSDECK_NS_PREFIX');
		expect(() => checkPrefix('toolongprefix')).toThrow('at most 8');
	});
});
