import {describe, expect, it} from 'vitest';
import {hostDiff} from '../host-guard.js';

describe('the host guard\'s comparison (test/host-guard.ts)', () => {
	const before = {'ip -4 route show table all': 'default via 192.0.2.1 dev eth0\n192.0.2.0/24 dev eth0\n', 'ip -o addr show': '1: lo inet 127.0.0.1/8\n'};

	it('is empty when nothing changed', () => {
		expect(hostDiff(before, {...before})).toEqual([]);
	});

	it('names the command and each line lost or gained', () => {
		const after = {...before, 'ip -4 route show table all': 'default via 169.254.1.1 dev veth0\n192.0.2.0/24 dev eth0\n'};
		expect(hostDiff(before, after)).toEqual(['ip -4 route show table all:', '  - default via 192.0.2.1 dev eth0', '  + default via 169.254.1.1 dev veth0']);
	});

	it('notices a read that disappeared, and lines that only moved', () => {
		expect(hostDiff(before, {'ip -4 route show table all': before['ip -4 route show table all']})).toEqual(['ip -o addr show:', '  - 1: lo inet 127.0.0.1/8']);
		const moved = {...before, 'ip -4 route show table all': '192.0.2.0/24 dev eth0\ndefault via 192.0.2.1 dev eth0\n'};
		expect(hostDiff(before, moved)).toEqual(['ip -4 route show table all:', '  (same lines, different order)']);
	});
});
