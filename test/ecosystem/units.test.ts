// The host as systemd units: `nsdeck unit --boot` (reconcile at boot), `nsdeck unit --agent`, and an app's unit.
// What is checked: the printed units say what an operator relies on, systemd-analyze verify accepts them, and the
// hardening they carry still lets nsdeck do its namespace work: nsdeck runs here under the units' own capability
// bounding set and no_new_privs (setpriv, as systemd would apply them) and binds, pings, reconciles and unbinds.
import {spawnSync} from 'node:child_process';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {CLI, ip, ok, ping, sandbox} from '../helpers.js';

const sb = sandbox();
const dir = mkdtempSync(join(tmpdir(), 'nsdeck-units-'));
afterAll(() => {
	sb.cleanup();
	rmSync(dir, {recursive: true, force: true});
});

/** Options that give a service a mount namespace of its own: `ip netns add`'s mounts would never reach the host. */
const MOUNT_NAMESPACE = ['ProtectSystem', 'ProtectHome', 'PrivateTmp', 'PrivateDevices', 'PrivateMounts', 'ReadWritePaths', 'ReadOnlyPaths', 'InaccessiblePaths', 'BindPaths', 'TemporaryFileSystem', 'ProtectKernelTunables', 'ProtectKernelModules', 'ProtectKernelLogs', 'ProtectControlGroups', 'ProtectProc', 'ProcSubset', 'ProtectHostname', 'PrivateUsers', 'MemoryDenyWriteExecute'];

const lines = (unit: string, key: string) => unit.split('\n').filter(l => l.startsWith(`${key}=`)).map(l => l.slice(key.length + 1));
const unit = async (...args: string[]) => (await ok(sb.nsdeck(['unit', ...args]))).stdout;

describe('nsdeck unit --agent, --boot and APP', () => {
	it('--agent: runs `nsdeck agent` on this store, restarts on failure, after the network and the boot reconcile', async () => {
		const u = await unit('--agent');
		expect(lines(u, 'ExecStart')).toEqual([`${process.execPath} ${CLI} agent`]);
		expect(lines(u, 'Restart')).toEqual(['on-failure']);
		expect(lines(u, 'After')).toEqual(['network-online.target nsdeck-boot.service']);
		expect(lines(u, 'Wants')).toEqual(['network-online.target']);
		expect(lines(u, 'Environment')).toEqual([`NSDECK_STATE_DIR=${sb.stateDir}`, `NSDECK_NS_PREFIX=${sb.prefix}`]);
		// apps' daemons the agent started must survive its restarts
		expect(lines(u, 'KillMode')).toEqual(['process']);
		expect(lines(u, 'NoNewPrivileges')).toEqual(['yes']);
		expect(lines(u, 'CapabilityBoundingSet')[0]!.split(' ')).toEqual(expect.arrayContaining(['CAP_NET_ADMIN', 'CAP_SYS_ADMIN']));
		expect(MOUNT_NAMESPACE.filter(k => lines(u, k).length > 0)).toEqual([]);
		expect(lines(u, 'WantedBy')).toEqual(['multi-user.target']);
	});

	it('--agent on a host whose routes go through gobgpd also wants and follows gobgpd.service', async () => {
		await ok(sb.nsdeck(['host', 'set', '--name', 'h1', '--vtep', '192.0.2.10', '--control', 'gobgp', '--gobgp', '127.0.0.1:50051']));
		const u = await unit('--agent');
		expect(lines(u, 'After')).toEqual(['network-online.target nsdeck-boot.service gobgpd.service']);
		expect(lines(u, 'Wants')).toEqual(['network-online.target gobgpd.service']);
		await ok(sb.nsdeck(['host', 'set', '--control', 'local']));
	});

	it('--boot: one reconcile at boot, before the agent, only where a store exists', async () => {
		const u = await unit('--boot');
		expect(lines(u, 'Type')).toEqual(['oneshot']);
		expect(lines(u, 'RemainAfterExit')).toEqual(['yes']);
		expect(lines(u, 'ExecStart')).toEqual([`${process.execPath} ${CLI} reconcile`]);
		expect(lines(u, 'Before')).toEqual(['nsdeck-agent.service']);
		expect(lines(u, 'ConditionPathExists')).toEqual([join(sb.stateDir, 'nsdeck.db')]);
		expect(MOUNT_NAMESPACE.filter(k => lines(u, k).length > 0)).toEqual([]);
	});

	it('an app\'s unit starts after the boot reconcile, and escapes what systemd would expand', async () => {
		const u = await unit('web', '--network', 'blue', '--', '/bin/sh', '-c', 'echo $HOME 100%');
		expect(lines(u, 'After')).toEqual(['network-online.target nsdeck-boot.service']);
		expect(lines(u, 'ExecStart')).toEqual([`/usr/sbin/ip netns exec ${sb.ns('web')} /bin/sh -c "echo $$HOME 100%%"`]);
	});

	it('refuses --agent with --boot, with an app, or with nothing at all (exit 2, one line)', async () => {
		for (const args of [['--agent', '--boot'], ['--agent', 'web'], ['--boot', '--', 'x'], []]) {
			const r = await sb.nsdeck(['unit', ...args]);
			expect([r.code, r.stdout, r.stderr.split('\n').length]).toEqual([2, '', 2]);
		}
	});

	it('systemd-analyze verify accepts the three units', async () => {
		const units = {'nsdeck-agent.service': await unit('--agent'), 'nsdeck-boot.service': await unit('--boot'), 'nsdeck-web.service': await unit('web', '--network', 'blue', '--', '/usr/bin/sleep', '300')};
		for (const [name, text] of Object.entries(units)) writeFileSync(join(dir, name), text);
		const r = spawnSync('systemd-analyze', ['verify', ...Object.keys(units).map(n => join(dir, n))], {encoding: 'utf8'});
		expect([r.status, r.stderr]).toEqual([0, '']);
	});
});

describe('the units\' hardening leaves nsdeck its namespace work', () => {
	/** nsdeck as systemd would start it from the unit: this bounding set, no_new_privs, root. */
	function confined(caps: readonly string[], args: readonly string[]) {
		const bounding = ['-all', ...caps.map(c => `+${c.replace(/^CAP_/, '').toLowerCase()}`)].join(',');
		const r = spawnSync('setpriv', ['--no-new-privs', `--bounding-set=${bounding}`, process.execPath, CLI, ...args], {encoding: 'utf8', env: sb.env});
		return {code: r.status, stdout: r.stdout, stderr: r.stderr};
	}

	it('under the agent unit\'s bounding set and no_new_privs: bind with a daemon, ping both ways, reconcile, unbind', async () => {
		const caps = lines(await unit('--agent'), 'CapabilityBoundingSet')[0]!.split(' ');
		const run = async (...args: string[]) => {
			const r = confined(caps, args);
			if (r.code !== 0) throw new Error(`nsdeck ${args.join(' ')} under ${caps.join(' ')}: exit ${r.code}: ${r.stderr}`);
			return r.stdout;
		};
		await run('net', 'create', 'blue', '--subnet', '10.95.0.0/24');
		await run('bind', 'web', '--network', 'blue', '--', 'sleep', '300');
		await run('bind', 'client', '--network', 'blue');
		expect(ping(sb.ns('client'), '10.95.0.2')).toBe(true);
		expect(ping(sb.ns('web'), '10.95.0.3')).toBe(true);
		// a route deleted by hand comes back through a confined reconcile
		const table = JSON.parse(await run('net', 'show', 'blue', '--json')).table as number;
		ip(sb.vrouter, 'route', 'del', '10.95.0.3/32', 'table', String(table));
		await run('reconcile');
		expect(ping(sb.ns('web'), '10.95.0.3')).toBe(true);
		const status = JSON.parse(await run('status', '--json'));
		expect(status.apps.find((a: {name: string}) => a.name === 'web').process).toMatchObject({running: true});
		await run('unbind', 'web');
		await run('unbind', 'client');
		expect(sb.namespaces().filter(n => n.includes('ns-'))).toEqual([]);
	});

	it('without CAP_SYS_ADMIN the same bind fails: the check above can fail', async () => {
		const caps = lines(await unit('--agent'), 'CapabilityBoundingSet')[0]!.split(' ').filter(c => c !== 'CAP_SYS_ADMIN');
		const r = confined(caps, ['bind', 'api', '--network', 'blue']);
		expect(r.code).toBe(1);
		expect(r.stderr).toContain('Operation not permitted');
		expect(sb.namespaces()).not.toContain(sb.ns('api'));
	});
});
