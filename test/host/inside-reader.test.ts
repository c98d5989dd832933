import {spawnSync} from 'node:child_process';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {readInside, type InsideState} from '../../source/dataplane/inside.js';
import {ip, ok, sandbox} from '../helpers.js';

const sb = sandbox();
afterAll(() => sb.cleanup());

const plain = (m: Map<string, InsideState | undefined>) =>
	Object.fromEntries([...m].map(([k, s]) => [k, s && {...s, links: Object.fromEntries(s.links), rpFilter: Object.fromEntries(s.rpFilter), routes: [...s.routes].sort((a, b) => a.dst.localeCompare(b.dst))}]));

describe('the inside reader: one Python process, and the iproute2 fallback, read the same (real namespaces)', () => {
	beforeAll(async () => {
		await ok(sb.nsdeck(['net', 'create', 'blue', '--subnet', '10.113.0.0/24']));
		await ok(sb.nsdeck(['net', 'create', 'green', '--subnet', '10.114.0.0/24']));
		await ok(sb.nsdeck(['bind', 'a', '--network', 'blue', '--outbound', 'green']));
		await ok(sb.nsdeck(['bind', 'b', '--network', 'blue']));
		// state nsdeck did not put there: another address, a route in another table, a down interface, a sysctl
		ip(sb.ns('a'), 'addr', 'add', '198.51.100.9/24', 'dev', 'lo');
		ip(sb.ns('a'), 'route', 'add', '203.0.113.0/24', 'via', '169.254.1.1', 'dev', 'veth0', 'onlink', 'table', '7');
		ip(sb.ns('b'), 'link', 'add', 'extra0', 'type', 'veth', 'peer', 'name', 'extra1');
		spawnSync('ip', ['netns', 'exec', sb.ns('b'), 'sysctl', '-qw', 'net.ipv4.conf.all.rp_filter=1']);
	});

	it('links, addresses, routes of every table but local, rp_filter, forwarding, the processes inside', async () => {
		const sleeper = spawnSync('ip', ['netns', 'exec', sb.ns('b'), 'sh', '-c', 'sleep 30 >/dev/null 2>&1 & echo $!'], {encoding: 'utf8'}).stdout.trim();
		try {
			const paths = [sb.ns('a'), sb.ns('b'), sb.vrouter, `${sb.prefix}nope`].map(n => `/run/netns/${n}`);
			const python = await readInside(paths, {procs: true, reader: 'python'});
			const iproute = await readInside(paths, {procs: true, reader: 'ip'});
			expect(plain(python)).toEqual(plain(iproute));
			const a = python.get(`/run/netns/${sb.ns('a')}`)!;
			expect(a.links.get('lo')!.addresses).toContain('198.51.100.9/24');
			expect(a.routes).toContainEqual({dst: '203.0.113.0/24', table: 7, proto: 3, type: 1, dev: 'veth0', via: '169.254.1.1', onlink: true});
			expect(a.routes).toContainEqual({dst: '0.0.0.0/0', table: 254, proto: 77, type: 1, dev: 'veth1', via: '169.254.1.1', onlink: true});
			expect(a.rpFilter.get('veth0')).toBe(2);
			const b = python.get(`/run/netns/${sb.ns('b')}`)!;
			expect(b.rpFilter.get('all')).toBe(1);
			expect(b.links.get('extra0')).toMatchObject({up: false, carrier: false});
			expect(b.pids).toEqual([Number(sleeper)]);
			expect(python.get(`/run/netns/${sb.vrouter}`)!.forward).toBe(1);
			expect(python.get(`/run/netns/${sb.prefix}nope`)).toBeUndefined();
		} finally {
			spawnSync('kill', [sleeper]);
		}
	});

	it('64 namespaces and more are read by two processes at once: the same answer, the processes of both halves', async () => {
		const sleeper = spawnSync('ip', ['netns', 'exec', sb.ns('b'), 'sh', '-c', 'sleep 30 >/dev/null 2>&1 & echo $!'], {encoding: 'utf8'}).stdout.trim();
		try {
			const real = [sb.ns('a'), sb.ns('b'), sb.vrouter].map(n => `/run/netns/${n}`);
			const absent = Array.from({length: 67}, (_, i) => `/run/netns/${sb.prefix}nope${i}`);
			// a in the first half, b (with the sleeper) and the vrouter in the second
			const many = [real[0]!, ...absent.slice(0, 40), real[1]!, real[2]!, ...absent.slice(40)];
			const forked = await readInside(many, {procs: true, reader: 'python'});
			const alone = await readInside(real, {procs: true, reader: 'python'});
			expect(forked.size).toBe(70);
			expect(plain(new Map(real.map(p => [p, forked.get(p)])))).toEqual(plain(alone));
			expect(forked.get(real[1]!)!.pids).toEqual([Number(sleeper)]);
			expect(absent.every(p => forked.has(p) && forked.get(p) === undefined)).toBe(true);
		} finally {
			spawnSync('kill', [sleeper]);
		}
	});
});
