import {spawnSync} from 'node:child_process';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {ip, ok, ping, sandbox, storeDump} from '../helpers.js';

const sb = sandbox();
afterAll(() => {
	spawnSync('pkill', ['-f', `sleep 3${sb.prefix.slice(1, 4).replace(/\D/g, '1')}`]);
	sb.cleanup();
});

const key = (d: {op: string; kind?: string; what?: string; object: string}) => `${d.op} ${d.kind ?? d.what} ${d.object}`;
const status = async () => JSON.parse((await ok(sb.nsdeck(['status', '--json']))).stdout);
const dryRun = async () => JSON.parse((await ok(sb.nsdeck(['reconcile', '--dry-run', '--json']))).stdout).changes as Array<{op: string; what: string; object: string}>;
const sysctl = (ns: string, key: string, value?: string) =>
	spawnSync('ip', ['netns', 'exec', ns, 'sysctl', ...(value === undefined ? ['-n', key] : ['-qw', `${key}=${value}`])], {encoding: 'utf8'}).stdout.trim();

describe('drift is every difference, and exactly what reconcile would change (real namespaces)', () => {
	const sleeper = `sleep 3${sb.prefix.slice(1, 4).replace(/\D/g, '1')}`;
	let blueTable = '';
	let greenTable = '';
	beforeAll(async () => {
		await ok(sb.nsdeck(['net', 'create', 'blue', '--subnet', '10.111.0.0/24']));
		await ok(sb.nsdeck(['net', 'create', 'green', '--subnet', '10.112.0.0/24']));
		const rt = (s: {networks: Array<{name: string; table: string; targets: Array<{rt: string}>}>}, n: string) => s.networks.find(x => x.name === n)!;
		const s = await status();
		blueTable = rt(s, 'blue').table;
		greenTable = rt(s, 'green').table;
		await ok(sb.nsdeck(['rt', 'add', 'green', rt(s, 'blue').targets[0]!.rt, '--import-only']));
		await ok(sb.nsdeck(['rt', 'add', 'blue', rt(s, 'green').targets[0]!.rt, '--import-only']));
		await ok(sb.nsdeck(['bind', 'a', '--network', 'blue']));
		await ok(sb.nsdeck(['bind', 'b', '--network', 'blue', '--outbound', 'green']));
		await ok(sb.nsdeck(['bind', 'c', '--network', 'green', '--', 'sh', '-c', `exec ${sleeper.split(' ')[0]} ${sleeper.split(' ')[1]}`]));
		await ok(sb.nsdeck(['bind', 'd', '--network', 'green']));
	});

	it('a healthy host has no drift, and reconcile (run twice) has nothing to do', async () => {
		const s = await status();
		expect(s.drift).toEqual([]);
		expect(s.foreign).toEqual([]);
		expect(await dryRun()).toEqual([]);
		expect((await ok(sb.nsdeck(['reconcile']))).stdout.trim()).toBe('in sync: nothing to do');
		expect((await ok(sb.nsdeck(['reconcile']))).stdout.trim()).toBe('in sync: nothing to do');
	});

	it('fifteen faults by hand: status shows each one, equal to reconcile --dry-run; reconcile repairs all and keeps foreign state', async () => {
		const vr = sb.vrouter;
		ip(vr, 'route', 'del', '10.111.0.2/32', 'table', blueTable); // a's own route
		ip(vr, 'route', 'del', '10.111.0.2/32', 'table', greenTable); // a's route leaked into green
		ip(vr, 'rule', 'del', 'iif', `${sb.prefix}vi-d`, 'lookup', greenTable, 'pref', '100');
		ip(vr, 'link', 'set', `${sb.prefix}vo-b`, 'down');
		ip(vr, 'addr', 'del', '169.254.1.1/32', 'dev', 'lo');
		sysctl(vr, 'net.ipv4.conf.all.rp_filter', '1');
		ip(sb.ns('a'), 'link', 'set', 'lo', 'down');
		ip(sb.ns('a'), 'route', 'del', 'default');
		ip(sb.ns('b'), 'addr', 'del', '10.111.0.3/32', 'dev', 'veth0');
		ip(sb.ns('b'), 'route', 'del', '10.111.0.0/24');
		sysctl(sb.ns('b'), 'net.ipv4.conf.veth0.rp_filter', '0');
		const dAddr = (await status()).apps.find((a: {name: string}) => a.name === 'd').ifaces[0].address as string;
		ip(sb.ns('d'), 'addr', 'del', `${dAddr}/32`, 'dev', 'veth0');
		ip(sb.ns('d'), 'addr', 'add', '10.112.0.99/32', 'dev', 'veth0'); // a wrong lease: nsdeck's subnet, not its address
		ip(sb.ns('d'), 'route', 'replace', 'default', 'via', '169.254.1.1', 'dev', 'veth0', 'onlink', 'proto', 'static');
		spawnSync('pkill', ['-f', sleeper]); // c's recorded command no longer runs
		// foreign: an untagged route in a VRF table, an address someone added inside an app
		ip(vr, 'route', 'add', '192.0.2.77/32', 'dev', 'lo', 'table', blueTable);
		ip(sb.ns('a'), 'addr', 'add', '198.51.100.7/32', 'dev', 'lo');
		await new Promise(r => setTimeout(r, 300));

		const s = await status();
		const changes = await dryRun();
		expect(s.drift.map(key).sort()).toEqual(changes.map(key).sort());
		const seen = changes.map(key).join('\n');
		for (const expected of [
			`+ route table ${blueTable} 10.111.0.2/32`,
			`+ route table ${greenTable} 10.111.0.2/32`,
			`+ rule ${vr} iif ${sb.prefix}vi-d`,
			`~ link ${vr}/${sb.prefix}vo-b`,
			`+ address ${vr}/lo`,
			`~ sysctl ${vr}/all rp_filter`,
			`~ link ${sb.ns('a')}/lo`,
			`+ route ${sb.ns('a')}/0.0.0.0/0`,
			`+ address ${sb.ns('b')}/veth0`,
			`+ route ${sb.ns('b')}/10.111.0.0/24`,
			`~ sysctl ${sb.ns('b')}/veth0 rp_filter`,
			`+ address ${sb.ns('d')}/veth0`,
			`- address ${sb.ns('d')}/veth0`,
			`~ route ${sb.ns('d')}/0.0.0.0/0`,
			`+ process ${sb.ns('c')}`,
		]) expect(seen).toContain(expected);
		expect(changes.length).toBeGreaterThanOrEqual(15); // a link set down also takes the kernel's routes over it
		// each app's share, as the apps view shows it
		const drift = (app: string) => s.apps.find((a: {name: string}) => a.name === app).drift.join('; ');
		expect(drift('a')).toContain('lo down');
		expect(drift('a')).toContain('route table');
		expect(drift('b')).toContain('veth0 lacks 10.111.0.3/32');
		expect(drift('c')).toContain(sleeper);
		expect(s.foreign.map((f: {kind: string; object: string}) => `${f.kind} ${f.object}`).sort()).toEqual([`address lo 198.51.100.7/32`, `route table ${blueTable} 192.0.2.77/32`]);
		expect((await ok(sb.nsdeck(['status']))).stdout).toContain(`drift ${changes.length}  foreign 2`);

		await ok(sb.nsdeck(['reconcile']));
		expect(ping(sb.ns('a'), '10.111.0.3')).toBe(true);
		expect(ping(sb.ns('d'), '10.112.0.3')).toBe(true);
		expect(ping(sb.ns('b'), dAddr)).toBe(true);
		const after = await status();
		expect(after.drift).toEqual([]);
		expect(after.apps.find((a: {name: string}) => a.name === 'c').process.running).toBe(true);
		expect(after.foreign).toHaveLength(2); // never removed unless asked
		expect(ip(vr, 'route', 'show', 'table', blueTable)).toContain('192.0.2.77');
		expect(sysctl(vr, 'net.ipv4.conf.all.rp_filter')).toBe('0');
		expect((await ok(sb.nsdeck(['reconcile']))).stdout.trim()).toBe('in sync: nothing to do');
	});

	it('a healthy namespace whose recorded pid exited (a daemon that forked) is left alone: no restart, no re-added address, no audit row', async () => {
		await ok(sb.nsdeck(['bind', 'fork', '--network', 'blue', '--', 'sh', '-c', `${sleeper.split(' ')[0]} ${sleeper.split(' ')[1]} & exit 0`]));
		await new Promise(r => setTimeout(r, 200));
		const s = await status();
		const fork = s.apps.find((a: {name: string}) => a.name === 'fork');
		expect(fork.process.running).toBe(true); // its child lives in the namespace
		expect(fork.drift).toEqual([]);
		const audit = () => (JSON.parse(storeDump(sb.stateDir)) as Array<[string, unknown[]]>).find(([t]) => t === 'audit')![1].length;
		const rows = audit();
		expect((await ok(sb.nsdeck(['reconcile']))).stdout.trim()).toBe('in sync: nothing to do');
		expect(audit()).toBe(rows);
		await ok(sb.nsdeck(['unbind', 'fork']));
		await new Promise(r => setTimeout(r, 200));
		expect(spawnSync('pgrep', ['-f', sleeper]).stdout.toString().trim().split('\n').filter(Boolean)).toHaveLength(1); // c's only
	});
});
