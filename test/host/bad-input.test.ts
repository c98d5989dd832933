import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {ipJson, ok, sandbox, storeDump} from '../helpers.js';

const sb = sandbox();
afterAll(() => sb.cleanup());

function kernelDump(): string {
	return JSON.stringify([
		sb.namespaces(),
		ipJson(sb.vrouter, 'route', 'show', 'table', 'all', 'proto', '77'),
		ipJson(sb.vrouter, 'rule', 'show'),
		ipJson(sb.vrouter, 'link', 'show').map(l => l.ifname),
	]);
}

const CASES: Array<[string, string[], string]> = [
	['a name with a space', ['net', 'create', 'bad name', '--subnet', '10.120.0.0/24'], "invalid network name 'bad name'"],
	['a name with shell characters', ['net', 'create', 'x;rm -rf /', '--subnet', '10.120.0.0/24'], 'invalid network name'],
	['a command substitution as a name', ['bind', '$(reboot)', '--network', 'blue'], 'invalid app name'],
	['a name with a slash', ['bind', 'a/b', '--network', 'blue'], "invalid app name 'a/b'"],
	['an over-long name', ['bind', 'x'.repeat(33), '--network', 'blue'], 'longer than 32 characters'],
	['an unknown network', ['bind', 'x', '--network', 'nosuch'], "unknown network 'nosuch'"],
	['an unknown network for a target', ['rt', 'add', 'nosuch', '64512:1'], "unknown network 'nosuch'"],
	['a malformed target', ['rt', 'add', 'blue', 'banana'], "invalid route target 'banana'"],
	['an out-of-range 2-byte target', ['rt', 'add', 'blue', '64512:4294967296'], 'with a 2-byte ASN the value must be 0-4294967295'],
	['an out-of-range 4-byte target', ['rt', 'add', 'blue', '4200000000:70000'], 'with a 4-byte ASN the value must be 0-65535'],
	['a target with shell characters', ['net', 'create', 'n2', '--subnet', '10.121.0.0/24', '--rt', '64512:1;reboot'], "value '1;reboot' is not a number"],
	['both direction flags', ['rt', 'add', 'blue', '64512:1', '--import-only', '--export-only'], '--import-only and --export-only exclude each other'],
	['removing a target the network lacks', ['rt', 'del', 'blue', '64512:77'], "network 'blue' has no target target:64512:77"],
	['a /33 prefix', ['net', 'create', 'n3', '--subnet', '10.0.0.0/33'], 'has a length over 32'],
	['a subnet overlapping another network', ['net', 'create', 'n4', '--subnet', '10.0.0.0/8'], "overlaps network 'blue'"],
	['a subnet with host bits', ['net', 'create', 'n5', '--subnet', '10.122.0.5/24'], 'did you mean 10.122.0.0/24?'],
	['a missing subnet', ['net', 'create', 'n6'], '--subnet CIDR is required'],
	['an address outside the subnet', ['bind', 'x', '--network', 'blue', '--ip', '10.200.0.5'], "address 10.200.0.5 is not in the pool of 'blue'"],
	['the gateway address', ['bind', 'x', '--network', 'blue', '--ip', '10.111.0.1'], 'is not in the pool'],
	['an address already leased', ['bind', 'x', '--network', 'blue', '--ip', '10.111.0.2'], 'address 10.111.0.2 is already leased'],
	['a malformed address', ['bind', 'x', '--network', 'blue', '--ip', '10.111.0.256'], "'10.111.0.256' is not an IPv4 address"],
	['an app already bound', ['bind', 'a', '--network', 'blue'], "app 'a' is already bound"],
	['an unknown flag', ['bind', 'x', '--network', 'blue', '--bogus'], "unknown flag '--bogus'"],
	['an unknown flag on a read command', ['net', 'list', '--jsn'], "unknown flag '--jsn'"],
	['a flag without its value', ['bind', 'x', '--network'], 'flag --network needs a value'],
	['a stray argument', ['unbind', 'a', 'b'], "unexpected argument 'b'"],
	['an unknown command', ['frobnicate'], "unknown command 'frobnicate'"],
	['an unknown app', ['unbind', 'nosuch'], "unknown app 'nosuch'"],
	['outbound equal to inbound', ['outbound', 'a', 'blue'], 'outbound network must differ'],
	['outbound with neither a network nor --clear', ['outbound', 'a'], 'give either a network or --clear'],
	['deleting a network in use', ['net', 'delete', 'blue'], "network 'blue' is used by a; unbind it first"],
	['an external route without a target', ['route', 'add', '0.0.0.0/0', '--via', '192.0.2.1'], 'needs at least one --rt'],
	['an external next hop inside a network', ['route', 'add', '0.0.0.0/0', '--rt', '64512:9', '--via', '10.111.0.9'], "inside network 'blue'"],
	['an external route with a bad prefix', ['route', 'add', '10.0.0.0/40', '--rt', '64512:9', '--via', '192.0.2.1'], 'has a length over 32'],
	['attaching a process that does not exist', ['attach', 'x', '--pid', '999999999', '--network', 'blue'], 'no process with pid 999999999'],
	['a non-numeric pid', ['attach', 'x', '--pid', '12;ls', '--network', 'blue'], "invalid pid '12;ls'"],
];

describe('bad input is refused with exit 2, one clear line, and nothing changed (real store and kernel)', () => {
	let store = '';
	let kernel = '';
	beforeAll(async () => {
		await ok(sb.nsdeck(['net', 'create', 'blue', '--subnet', '10.111.0.0/24']));
		await ok(sb.nsdeck(['net', 'create', 'green', '--subnet', '10.112.0.0/24']));
		await ok(sb.nsdeck(['bind', 'a', '--network', 'blue']));
		store = storeDump(sb.stateDir);
		kernel = kernelDump();
	});

	it.each(CASES)('%s', async (_what, args, message) => {
		const r = await sb.nsdeck(args);
		expect(r.code).toBe(2);
		expect(r.stdout).toBe('');
		expect(r.stderr.endsWith('\n')).toBe(true);
		expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
		expect(r.stderr).toMatch(/^nsdeck: /);
		expect(r.stderr).toContain(message);
	});

	it('left the store and the kernel exactly as they were', () => {
		expect(storeDump(sb.stateDir)).toBe(store);
		expect(kernelDump()).toBe(kernel);
	});
});
