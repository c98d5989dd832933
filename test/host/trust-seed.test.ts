// Issue 8, seen 8 (the seed's scripts do not behave as they did): an --outbound app answers its own inbound subnet
// directly (the original's connected route on veth0), while clients leaked in from other networks still need the
// import (the blog's point); netns-daemon-start is idempotent, defaults to default-network and takes argparse's
// forms; network-manage create works without --subnet.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {ip, ok, ping, sandbox} from '../helpers.js';
import {expectOneLine, statusJson} from '../trust-helpers.js';

const sb = sandbox();
afterAll(() => sb.cleanup());

let rt: Record<string, string> = {};
const addressOf = async (app: string) => (await statusJson(sb)).apps.find(a => a.name === app)!.ifaces.find(i => i.role === 'in')!.address;

beforeAll(async () => {
	await ok(sb.nsdeck(['net', 'create', 'blue', '--subnet', '10.182.0.0/24']));
	await ok(sb.nsdeck(['net', 'create', 'green', '--subnet', '10.183.0.0/24']));
	await ok(sb.nsdeck(['net', 'create', 'red', '--subnet', '10.184.0.0/24']));
	const s = await statusJson(sb);
	rt = Object.fromEntries(s.networks.map(n => [n.name, n.targets.find(t => t.auto)!.rt]));
	await ok(sb.nsdeck(['bind', 'client', '--network', 'blue']));
});

describe('an app with --outbound (seen 8; spec 8)', () => {
	it('answers a client on its own inbound subnet with no import: the subnet is routed via veth0', async () => {
		await ok(sb.nsdeck(['bind', 'web', '--network', 'blue', '--outbound', 'green']));
		const client = await addressOf('client');
		expect(ip(sb.ns('web'), 'route', 'get', client)).toMatch(/dev veth0/);
		expect(ip(sb.ns('web'), 'route', 'show')).toMatch(/10\.182\.0\.0\/24 .*dev veth0/);
		expect(ip(sb.ns('web'), 'route', 'show', 'default')).toMatch(/dev veth1/);
		expect(ping(sb.ns('client'), await addressOf('web'))).toBe(true);
		expect((await ok(sb.nsdeck(['reconcile']))).stdout.trim()).toBe('in sync: nothing to do');
	});

	it('a client leaked in from another network still needs the outbound network to import its routes', async () => {
		await ok(sb.nsdeck(['rt', 'add', 'blue', rt.red!, '--import-only']));
		await ok(sb.nsdeck(['rt', 'add', 'red', rt.blue!, '--import-only']));
		await ok(sb.nsdeck(['bind', 'far', '--network', 'red']));
		const web = await addressOf('web');
		expect(ping(sb.ns('far'), web)).toBe(false);
		await ok(sb.nsdeck(['rt', 'add', 'green', rt.red!, '--import-only']));
		expect(ping(sb.ns('far'), web)).toBe(true);
	});
});

describe('netns-daemon-start as init scripts use it (seen 8; spec 8)', () => {
	it('is idempotent: the same arguments again exit 0 and repair; other networks exit 2 saying what differs', async () => {
		expect((await sb.script('netns-daemon-start', ['-n', 'blue', 'd1'])).code).toBe(0);
		const again = await sb.script('netns-daemon-start', ['-n', 'blue', 'd1']);
		expect(again.code, again.stderr).toBe(0);
		expect(again.stdout.trim()).toBe(sb.ns('d1'));
		ip(sb.ns('d1'), 'link', 'del', 'veth0'); // a crash, a reboot: the namespace is half there
		expect((await sb.script('netns-daemon-start', ['-n', 'blue', 'd1'])).code).toBe(0);
		expect(ping(sb.ns('client'), await addressOf('d1'))).toBe(true);
		expect((await statusJson(sb)).apps.filter(a => a.name === 'd1')).toHaveLength(1);
		const other = await sb.script('netns-daemon-start', ['-n', 'green', 'd1']);
		expect(other.code).toBe(2);
		expect(expectOneLine(other)).toMatch(/blue.*green|green.*blue/);
	});

	it('without --network uses default-network: exit 2 saying how to create it, then works once it exists', async () => {
		const missing = await sb.script('netns-daemon-start', ['d2']);
		expect(missing.code).toBe(2);
		const line = expectOneLine(missing);
		expect(line).toMatch(/default-network/);
		expect(line).toMatch(/network-manage create|net create/);
		expect((await sb.script('network-manage', ['create', 'default-network', '--subnet', '10.185.0.0/24'])).code).toBe(0);
		expect((await sb.script('netns-daemon-start', ['d2'])).code).toBe(0);
		expect((await statusJson(sb)).apps.find(a => a.name === 'd2')!.ifaces[0]!.network).toBe('default-network');
	});

	it.each([
		['-nblue', ['-nblue', 'f1'], 'blue', undefined],
		['--network=blue', ['--network=blue', 'f2'], 'blue', undefined],
		['--net blue (an unambiguous prefix)', ['--net', 'blue', 'f3'], 'blue', undefined],
		['-nblue -ogreen', ['-nblue', '-ogreen', 'f4'], 'blue', 'green'],
		['--outbound=green', ['--network', 'blue', '--outbound=green', 'f5'], 'blue', 'green'],
		['--out green (an unambiguous prefix)', ['-n', 'blue', '--out', 'green', 'f6'], 'blue', 'green'],
	] as const)('argparse form %s works', async (_form, args, inbound, outbound) => {
		const r = await sb.script('netns-daemon-start', args);
		expect(r.code, r.stderr).toBe(0);
		const app = (await statusJson(sb)).apps.find(a => a.name === args.at(-1))!;
		expect(app.ifaces.find(i => i.role === 'in')!.network).toBe(inbound);
		expect(app.ifaces.find(i => i.role === 'out')?.network).toBe(outbound);
	});

	it('an ambiguous prefix (--api: --api-server or --api-port) is exit 2, "ambiguous option"', async () => {
		const r = await sb.script('netns-daemon-start', ['--api', 'x', '-n', 'blue', 'f9']);
		expect(r.code).toBe(2);
		expect(expectOneLine(r)).toMatch(/ambiguous option/);
		expect(sb.namespaces()).not.toContain(sb.ns('f9'));
	});
});

describe('network-manage create without --subnet (seen 8; spec 8)', () => {
	it('works; binds into it exit 2 ("has no subnet") until `nsdeck net set NAME --subnet`', async () => {
		const r = await sb.script('network-manage', ['create', 'nosub']);
		expect(r.code, r.stderr).toBe(0);
		const bind = await sb.nsdeck(['bind', 'n1', '--network', 'nosub']);
		expect(bind.code).toBe(2);
		expect(expectOneLine(bind)).toMatch(/has no subnet/);
		expect(sb.namespaces()).not.toContain(sb.ns('n1'));
		await ok(sb.nsdeck(['net', 'set', 'nosub', '--subnet', '10.186.0.0/24']));
		await ok(sb.nsdeck(['bind', 'n1', '--network', 'nosub']));
		expect(ping(sb.ns('n1'), '10.186.0.2')).toBe(true);
	});

	it('an unambiguous prefix of a long option (--sub) works as argparse took it', async () => {
		const r = await sb.script('network-manage', ['create', 'prefixed', '--sub', '10.187.0.0/24']);
		expect(r.code, r.stderr).toBe(0);
		expect((await statusJson(sb)).networks.find(n => n.name === 'prefixed')?.subnet).toBe('10.187.0.0/24');
	});
});
