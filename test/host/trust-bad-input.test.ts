// Issue 8, "bad input": names at and past the limits, route targets just past the largest accepted value of each
// encoding, prefixes, addresses, flags, the environment, and agent API bodies. Each is refused before anything
// changes: exit 2 with one line (HTTP 400 with a one-line error), and the store and every namespace of the sandbox
// exactly as before, checked after each case. (test/host/bad-input.test.ts has the first 36; the accepted side of
// each boundary is in trust-classes.)
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {ok, sandbox, storeDump} from '../helpers.js';
import {type Api, kernelView, startApi, statusJson} from '../trust-helpers.js';

const sb = sandbox();
let api: Api;
afterAll(async () => {
	await api?.close();
	sb.cleanup();
});

beforeAll(async () => {
	await ok(sb.nsdeck(['net', 'create', 'blue', '--subnet', '10.111.0.0/24']));
	await ok(sb.nsdeck(['net', 'create', 'green', '--subnet', '10.112.0.0/24']));
	await ok(sb.nsdeck(['bind', 'a', '--network', 'blue']));
	await ok(sb.nsdeck(['route', 'add', '0.0.0.0/0', '--rt', '64512:900', '--via', '203.0.113.1']));
	api = await startApi(sb);
});

/** Runs one case and checks that the store and the kernel are as they were just before it. */
async function unchanged<T>(run: () => Promise<T>): Promise<T> {
	const store = storeDump(sb.stateDir);
	const kernel = kernelView(sb);
	const r = await run();
	expect(storeDump(sb.stateDir), 'the store').toBe(store);
	expect(kernelView(sb), 'the kernel').toBe(kernel);
	return r;
}

const n33 = 'n'.repeat(33);

/** [what, argv, words the one line must hold, extra environment] */
const CLI: Array<[string, string[], RegExp, Record<string, string>?]> = [
	// names
	['a network name of 33 characters', ['net', 'create', n33, '--subnet', '10.120.0.0/24'], /invalid network name .*longer than 32/],
	['an outbound name of 33 characters', ['bind', 'x', '--network', 'blue', '--outbound', n33], /invalid network name .*longer than 32/],
	['an empty app name', ['bind', '', '--network', 'blue'], /invalid app name/],
	['an app name ending with a dot', ['bind', 'a.', '--network', 'blue'], /invalid app name 'a\.'/],
	['an app name "."', ['bind', '.', '--network', 'blue'], /invalid app name/],
	['an app name ".."', ['bind', '..', '--network', 'blue'], /invalid app name/],
	['an app name starting with "_"', ['bind', '_x', '--network', 'blue'], /invalid app name/],
	['an app name with a non-ASCII letter', ['bind', 'blé', '--network', 'blue'], /invalid app name/],
	['an app name with a newline', ['bind', 'a\nb', '--network', 'blue'], /invalid app name/],
	['an app name with "~" (the short interface form)', ['bind', 'a~1', '--network', 'blue'], /invalid app name/],
	['a network name with a colon', ['net', 'create', 'x:y', '--subnet', '10.120.0.0/24'], /invalid network name/],
	// the environment
	['NSDECK_NS_PREFIX of 9 characters', ['status'], /invalid NSDECK_NS_PREFIX/, {NSDECK_NS_PREFIX: 'tabcdefg-'}],
	['NSDECK_NS_PREFIX in capitals', ['status'], /invalid NSDECK_NS_PREFIX/, {NSDECK_NS_PREFIX: 'T1-'}],
	['NSDECK_NS_PREFIX with a slash', ['status'], /invalid NSDECK_NS_PREFIX/, {NSDECK_NS_PREFIX: '../'}],
	// route targets: the smallest refused value of each encoding, and malformed ones
	['2-byte ASN, value 2^32', ['rt', 'add', 'blue', '65535:4294967296'], /value must be 0-4294967295/],
	['4-byte ASN (65536), value 65536', ['rt', 'add', 'blue', '65536:65536'], /value must be 0-65535/],
	['4-byte ASN written with L, value 65536', ['rt', 'add', 'blue', '64512L:65536'], /value must be 0-65535/],
	['IPv4 administrator, value 65536', ['rt', 'add', 'blue', '192.0.2.1:65536'], /value must be 0-65535/],
	['ASN 2^32', ['rt', 'add', 'blue', '4294967296:1'], /ASN must be at most 4294967295/],
	['ASN 0', ['rt', 'add', 'blue', '0:1'], /ASN 0 is reserved/],
	['an IPv4 administrator out of range', ['rt', 'add', 'blue', '256.0.0.1:1'], /invalid route target/],
	['a value of 11 digits', ['rt', 'add', 'blue', '64512:12345678901'], /invalid route target/],
	['a negative value', ['rt', 'add', 'blue', '64512:-1'], /invalid route target/],
	['target: twice', ['rt', 'add', 'blue', 'target:target:64512:1'], /invalid route target/],
	['no value', ['rt', 'add', 'blue', '64512:'], /invalid route target/],
	['a hexadecimal ASN', ['rt', 'add', 'blue', '0x10:1'], /invalid route target/],
	['a bad target on net create', ['net', 'create', 'n2', '--subnet', '10.121.0.0/24', '--rt', '64512'], /invalid route target/],
	// prefixes, subnets, blocks, VNIs
	['a /7 subnet (shortest refused)', ['net', 'create', 'n3', '--subnet', '10.0.0.0/7'], /between \/8 and \/30/],
	['a /31 subnet (longest refused)', ['net', 'create', 'n3', '--subnet', '10.122.0.0/31'], /between \/8 and \/30/],
	['a subnet with a leading zero', ['net', 'create', 'n3', '--subnet', '010.122.0.0/24'], /not an IPv4 address|invalid subnet/],
	['a subnet length of three digits', ['net', 'create', 'n3', '--subnet', '10.122.0.0/024'], /invalid subnet/],
	['a subnet without a length', ['net', 'create', 'n3', '--subnet', '10.122.0.0'], /invalid subnet/],
	['an external route prefix with host bits', ['route', 'add', '10.0.0.1/8', '--rt', '64512:9', '--via', '203.0.113.2'], /host bits set/],
	['a block outside its subnet', ['net', 'create', 'n3', '--subnet', '10.122.0.0/24', '--block', '10.123.0.0/28'], /not inside subnet/],
	['a /31 block', ['net', 'create', 'n3', '--subnet', '10.122.0.0/24', '--block', '10.122.0.0/31'], /at most \/30/],
	['VNI 0', ['net', 'create', 'n3', '--subnet', '10.122.0.0/24', '--vni', '0'], /invalid VNI/],
	['VNI 2^20-1 (smallest refused)', ['net', 'create', 'n3', '--subnet', '10.122.0.0/24', '--vni', '1048575'], /invalid VNI/],
	// addresses
	['the broadcast address', ['bind', 'x', '--network', 'blue', '--ip', '10.111.0.255'], /not in the pool/],
	['the network address', ['bind', 'x', '--network', 'blue', '--ip', '10.111.0.0'], /not in the pool/],
	['an address with a leading zero', ['bind', 'x', '--network', 'blue', '--ip', '10.111.0.09'], /not an IPv4 address/],
	['an address with a space', ['bind', 'x', '--network', 'blue', '--ip', ' 10.111.0.9'], /not an IPv4 address/],
	['a next hop out of range', ['route', 'add', '10.9.0.0/16', '--rt', '64512:9', '--via', '203.0.113.300'], /not an IPv4 address/],
	['a multicast next hop', ['route', 'add', '10.9.0.0/16', '--rt', '64512:9', '--via', '224.0.0.1'], /not a unicast host address/],
	['the apps\' gateway as next hop', ['route', 'add', '10.9.0.0/16', '--rt', '64512:9', '--via', '169.254.1.1'], /not a unicast host address/],
	// flags and arguments
	['a flag given twice', ['bind', 'x', '--network', 'blue', '--network', 'green'], /given twice/],
	['a value given to a switch', ['net', 'list', '--json=yes'], /takes no value/],
	['"--" where no command is taken', ['unbind', 'a', '--', 'x'], /unexpected '--'/],
	['a flag of another command', ['net', 'create', 'n4', '--subnet', '10.124.0.0/24', '--import-only'], /unknown flag '--import-only'/],
	['an unknown short flag', ['bind', 'x', '-x', 'blue'], /unknown flag '-x'/],
	['an empty command after --', ['bind', 'x', '--network', 'blue', '--'], /empty command|give the command/],
	['pid 1 (init)', ['attach', 'x', '--pid', '1', '--network', 'blue'], /invalid pid|refusing|host's own/],
	['pid 0', ['attach', 'x', '--pid', '0', '--network', 'blue'], /invalid pid/],
	['a pid of 10 digits', ['attach', 'x', '--pid', '9999999999', '--network', 'blue'], /invalid pid/],
	['--pid and --container together', ['attach', 'x', '--pid', '5', '--container', 'c', '--network', 'blue'], /exclude each other/],
	['an agent port of 65536', ['host', 'set', '--agent-port', '65536'], /expected 1-65535/],
	['an agent port of 0', ['host', 'set', '--agent-port', '0'], /expected 1-65535/],
	['an unknown outbound network', ['outbound', 'a', 'nosuch'], /unknown network 'nosuch'/],
	['deleting an external route that does not exist', ['route', 'del', '10.9.9.0/24'], /no external route/],
	['explain with a /33', ['explain', 'blue', '10.0.0.0/33'], /length over 32/],
	['a command group without its verb', ['net'], /needs one of/],
];

describe('bad input on the command line: exit 2, one line, nothing changed', () => {
	it.each(CLI)('%s', async (_what, args, words, env) => {
		const r = await unchanged(() => sb.nsdeck(args, env));
		expect(r.code, r.stderr).toBe(2);
		expect(r.stdout).toBe('');
		expect(r.stderr.trimEnd().split('\n'), r.stderr).toHaveLength(1);
		expect(r.stderr).toMatch(/^nsdeck: /);
		expect(r.stderr).toMatch(words);
	});
});

/** [what, method, path, body] */
const API: Array<[string, 'POST' | 'GET', string, unknown]> = [
	['bind: app as an array (it would stringify to a valid name)', 'POST', '/v1/bind', {app: ['x'], network: 'blue'}],
	['bind: app as an object', 'POST', '/v1/bind', {app: {name: 'x'}, network: 'blue'}],
	['bind: app as a number', 'POST', '/v1/bind', {app: 5, network: 'blue'}],
	['bind: network missing', 'POST', '/v1/bind', {app: 'x'}],
	['bind: network as an array', 'POST', '/v1/bind', {app: 'x', network: ['blue']}],
	['bind: ip as a number', 'POST', '/v1/bind', {app: 'x', network: 'blue', ip: 174981129}],
	['bind: outbound as an object', 'POST', '/v1/bind', {app: 'x', network: 'blue', outbound: {name: 'green'}}],
	['bind: command as a string', 'POST', '/v1/bind', {app: 'x', network: 'blue', command: 'sleep 300'}],
	['bind: command with a number in it', 'POST', '/v1/bind', {app: 'x', network: 'blue', command: ['sleep', 300]}],
	['bind: an empty command', 'POST', '/v1/bind', {app: 'x', network: 'blue', command: []}],
	['bind: dryRun as a string', 'POST', '/v1/bind', {app: 'x', network: 'blue', dryRun: 'no'}],
	['bind: a name of 33 characters', 'POST', '/v1/bind', {app: 'x'.repeat(33), network: 'blue'}],
	['unbind: app as an array', 'POST', '/v1/unbind', {app: ['a']}],
	['unbind: an unknown app', 'POST', '/v1/unbind', {app: 'nosuch'}],
	['outbound: network as an array', 'POST', '/v1/outbound', {app: 'a', network: ['green']}],
	['outbound: app as an object', 'POST', '/v1/outbound', {app: {a: 1}, network: 'green'}],
	['targets: rt as a number', 'POST', '/v1/targets', {network: 'blue', rt: 64512}],
	['targets: remove as the string "false"', 'POST', '/v1/targets', {network: 'blue', rt: '64512:1', remove: 'false'}],
	['targets: a direction that is not one', 'POST', '/v1/targets', {network: 'blue', rt: '64512:1', direction: 'sideways'}],
	['targets: a value one past the 4-byte ASN range', 'POST', '/v1/targets', {network: 'blue', rt: '65536:65536'}],
	['ping: target as an object', 'POST', '/v1/ping', {app: 'a', target: {ip: '10.111.0.2'}}],
	['a JSON array as the body', 'POST', '/v1/bind', '[]'],
	['null as the body', 'POST', '/v1/bind', 'null'],
	['a body that is not JSON', 'POST', '/v1/bind', '{app:'],
	['log: limit 0', 'GET', '/v1/log?limit=0', undefined],
	['log: limit 2001 (one past the largest)', 'GET', '/v1/log?limit=2001', undefined],
	['explain: a /33', 'GET', '/v1/explain?network=blue&prefix=10.0.0.0/33', undefined],
];

describe('bad agent API bodies: HTTP 400, a one-line error, nothing changed', () => {
	it.each(API)('%s', async (_what, method, path, body) => {
		let r: Awaited<ReturnType<Api['get']>> | undefined;
		try {
			await unchanged(async () => void (r = method === 'POST' ? await api.post(path, body) : await api.get(path)));
		} finally {
			// a body that was wrongly served must not leave its app to the next case
			if (r?.status === 200 && path === '/v1/bind') for (const a of (await statusJson(sb)).apps) if (a.name !== 'a') await sb.nsdeck(['unbind', a.name]);
			if (r?.status === 200 && path === '/v1/unbind') await sb.nsdeck(['bind', 'a', '--network', 'blue']);
		}
		expect(r!.status, JSON.stringify(r!.body)).toBe(400);
		expect(typeof r!.body.error).toBe('string');
		expect(r!.body.error).not.toContain('\n');
	});
});
