import {spawn, spawnSync} from 'node:child_process';
import {chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {ok, ping, sandbox} from '../helpers.js';

const sb = sandbox();
const children: number[] = [];
const bin = mkdtempSync(join(tmpdir(), 'nsdeck-fakebin-'));
afterAll(() => {
	for (const pid of children) {
		try {
			process.kill(pid, 'SIGKILL');
		} catch {}
	}
	rmSync(bin, {recursive: true, force: true});
	sb.cleanup();
});

/** Running, not merely waiting to be reaped (PID 1 here reaps slowly: a stopped daemon lingers as a zombie). */
const alive = (pid: number) => {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
	} catch {
		return false;
	}
};
const netnsOf = (pid: number) => spawnSync('readlink', [`/proc/${pid}/ns/net`], {encoding: 'utf8'}).stdout.trim();

/** A process in a network namespace of its own, as a container runtime would leave it. */
function isolatedSleeper(): number {
	const child = spawn('unshare', ['--net', 'sleep', '300'], {stdio: 'ignore', detached: true});
	children.push(child.pid!);
	return child.pid!;
}

describe('daemons started, attached and stopped (real processes and namespaces)', () => {
	beforeAll(async () => {
		await ok(sb.nsdeck(['net', 'create', 'blue', '--subnet', '10.141.0.0/24']));
		await ok(sb.nsdeck(['bind', 'peer', '--network', 'blue']));
	});

	it('bind -- COMMAND starts the daemon inside the namespace, records its pid, and unbind stops it', async () => {
		const r = await ok(sb.nsdeck(['bind', 'web', '--network', 'blue', '--json', '--', 'sleep', '300']));
		const pid = JSON.parse(r.stdout).pid as number;
		expect(alive(pid)).toBe(true);
		expect(netnsOf(pid)).toBe(spawnSync('ip', ['netns', 'exec', sb.ns('web'), 'readlink', '/proc/self/ns/net'], {encoding: 'utf8'}).stdout.trim());
		const status = JSON.parse((await ok(sb.nsdeck(['status', '--json']))).stdout);
		expect(status.apps.find((a: {name: string}) => a.name === 'web').process).toMatchObject({pid, running: true, command: ['sleep', '300']});
		await ok(sb.nsdeck(['unbind', 'web']));
		await new Promise(r => setTimeout(r, 100));
		expect(alive(pid)).toBe(false);
	});

	it('attach --pid links a running process\'s namespace under /run/netns and wires it', async () => {
		const pid = isolatedSleeper();
		await new Promise(r => setTimeout(r, 100));
		await ok(sb.nsdeck(['attach', 'box', '--pid', String(pid), '--network', 'blue']));
		expect(spawnSync('readlink', [`/run/netns/${sb.ns('box')}`], {encoding: 'utf8'}).stdout.trim()).toBe(`/proc/${pid}/ns/net`);
		expect(ping(sb.ns('box'), '10.141.0.2')).toBe(true);
		await ok(sb.nsdeck(['unbind', 'box']));
		expect(sb.namespaces()).not.toContain(sb.ns('box'));
		expect(alive(pid)).toBe(true); // an attached process is not ours to stop
		expect(spawnSync('nsenter', [`--net=/proc/${pid}/ns/net`, 'ip', 'link', 'show', 'veth0']).status).not.toBe(0);
	});

	it('attach --container reads the pid from docker inspect (faithful fake of the docker CLI)', async () => {
		const pid = isolatedSleeper();
		const log = join(bin, 'calls');
		// prints what `docker inspect -f {{.State.Pid}} ID` prints for a running container
		writeFileSync(join(bin, 'docker'), `#!/bin/sh\necho "$@" >> ${log}\n[ "$4" = "c0ffee" ] || { echo "Error: No such object: $4" >&2; exit 1; }\necho ${pid}\n`);
		chmodSync(join(bin, 'docker'), 0o755);
		const path = `${bin}:${process.env.PATH}`;
		await ok(sb.nsdeck(['attach', 'ctr', '--container', 'c0ffee', '--network', 'blue'], {PATH: path}));
		expect(readFileSync(log, 'utf8').trim()).toBe('inspect -f {{.State.Pid}} c0ffee');
		expect(ping(sb.ns('ctr'), '10.141.0.2')).toBe(true);
		const missing = await sb.nsdeck(['attach', 'ctr2', '--container', 'nope', '--network', 'blue'], {PATH: path});
		expect(missing.code).toBe(2);
		expect(missing.stderr.trim()).toBe('nsdeck: docker inspect nope: Error: No such object: nope');
	});

	it('an attached process that exits shows as drift, and reconcile reports it instead of failing', async () => {
		const pid = Number(JSON.parse((await ok(sb.nsdeck(['status', '--json']))).stdout).apps.find((a: {name: string}) => a.name === 'ctr').process.pid);
		process.kill(pid, 'SIGKILL');
		await new Promise(r => setTimeout(r, 300));
		const status = JSON.parse((await ok(sb.nsdeck(['status', '--json']))).stdout);
		expect(status.apps.find((a: {name: string}) => a.name === 'ctr').drift.join('; ')).toContain(`process ${pid} is gone`);
		const r = await ok(sb.nsdeck(['reconcile']));
		expect(r.stdout).toContain(`ctr: process ${pid} is gone`);
		await ok(sb.nsdeck(['unbind', 'ctr']));
		expect(sb.namespaces()).not.toContain(sb.ns('ctr'));
	});

	it('unit prints a systemd unit that binds before start and unbinds after stop', async () => {
		const r = await ok(sb.nsdeck(['unit', 'web', '--network', 'blue', '--', '/usr/sbin/nginx', '-g', 'daemon off;']));
		expect(r.stdout).toContain(`ExecStart=/usr/sbin/ip netns exec ${sb.ns('web')} /usr/sbin/nginx -g "daemon off;"`);
		expect(r.stdout).toMatch(/ExecStartPre=\S+ \S+ bind web --network blue/);
		expect(r.stdout).toMatch(/ExecStopPost=\S+ \S+ unbind web/);
		expect(r.stdout).toContain(`Environment=NSDECK_NS_PREFIX=${sb.prefix}`);
	});
});
