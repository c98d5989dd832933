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

	it('keeps every host interface name within 15 bytes, readable when it fits, stable', () => {
		const n = names('t1ab-');
		expect(n.hostIf({name: 'web', ifid: 1}, 'in')).toBe('t1ab-vi-web');
		expect(n.hostIf({name: 'web', ifid: 1}, 'out')).toBe('t1ab-vo-web');
		// the longest readable name: prefix + 'vi-' + app = 15 bytes exactly; one more byte takes the id form
		expect(n.hostIf({name: 'abcdefg', ifid: 9}, 'in')).toBe('t1ab-vi-abcdefg');
		expect(n.hostIf({name: 'abcdefgh', ifid: 9}, 'in')).toBe('t1ab-vi~9');
		expect(n.hostIf({name: 'a-very-long-application', ifid: 1295}, 'out')).toBe('t1ab-vo~zz');
		const longest = names('abcdefgh').hostIf({name: 'x'.repeat(32), ifid: 36 ** 4 - 1}, 'out');
		expect(longest).toBe('abcdefghvo~zzzz');
		expect(() => names('abcdefgh').hostIf({name: 'x'.repeat(32), ifid: 36 ** 4}, 'out')).toThrow('does not fit');
	});

	it('never gives two apps one interface name, whatever their names share (injective, not merely unlikely)', () => {
		const n = names('abcdefgh');
		// names equal under every truncation and under the old 16-bit hash of their tails
		const apps = ['collide-00108', 'collide-00245', 'collide-0010', 'collide-001', 'c', 'co', 'x'.repeat(32), 'x'.repeat(31)];
		const seen = new Map<string, string>();
		apps.forEach((name, i) => {
			for (const role of ['in', 'out'] as const) {
				const ifname = n.hostIf({name, ifid: i + 1}, role);
				expect(Buffer.byteLength(ifname)).toBeLessThanOrEqual(IFNAME_MAX);
				expect(seen.get(ifname), `${name} ${role} and ${seen.get(ifname)} share ${ifname}`).toBeUndefined();
				seen.set(ifname, `${name} ${role}`);
			}
		});
		// a readable name can never equal an id name: app names cannot hold '~'
		expect(() => checkName('app', 'a~1')).toThrow('use letters');
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
