import {execFileSync} from 'node:child_process';
import {existsSync, readFileSync, statSync} from 'node:fs';
import {join} from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {ok, ping} from '../helpers.js';
import {type LabInfo, labSandbox, pidAlive, routesOf, within} from '../lab-helpers.js';

const lab = labSandbox();
afterAll(() => lab.cleanup(), 60_000);

function rootLinks(): string[] {
	return (JSON.parse(execFileSync('ip', ['-j', 'link', 'show'], {encoding: 'utf8'})) as Array<{ifname: string}>).map(l => l.ifname);
}

describe('nsdeck lab up / lab down', () => {
	let info: LabInfo;
	const linksBefore = rootLinks();

	it('builds two emulated hosts with networks, apps and a gateway, reports progress, and the apps talk across hosts', async () => {
		const r = await ok(lab.nsdeck(['lab', 'up', '--hosts', '2']));
		expect(r.stderr).toContain('[lab 1/6]');
		expect(r.stderr).toContain('lab up in');
		expect(r.stdout).toContain('h1: NSDECK_STATE_DIR=');
		info = lab.lab();
		expect(info.hosts.map(h => h.name)).toEqual(['h1', 'h2']);
		for (const pid of [info.rr.pid, ...info.hosts.flatMap(h => [h.gobgpPid, h.agentPid])]) expect(pidAlive(pid)).toBe(true);
		const blue = lab.table('h1', 'blue');
		await within(15_000, 'blue2 (h2) in h1\'s blue table', () => routesOf(lab.vrouter('h1'), blue).some(x => x.includes('via 192.168.100.2')));
		const s2 = JSON.parse((await ok(lab.on('h2', ['status', '--json']))).stdout) as {apps: Array<{name: string; ifaces: Array<{address: string}>}>};
		const blue2 = s2.apps.find(a => a.name === 'blue2')!.ifaces[0]!.address;
		expect(ping(lab.appNs('h1', 'blue1'), blue2)).toBe(true);
		// the underlay carries a full 1500-byte overlay packet (MTU 1550)
		expect(execFileSyncOk(['ip', 'netns', 'exec', lab.appNs('h1', 'blue1'), 'ping', '-c', '1', '-W', '1', '-s', '1472', '-M', 'do', blue2])).toBe(true);
	});

	it('h1\'s gateway route crosses to h2 by target: an import-only target on h2 lets its app out through h1\'s gateway', async () => {
		const red2 = lab.appNs('h2', 'red2');
		expect(ping(red2, '203.0.113.1')).toBe(false);
		await ok(lab.on('h2', ['rt', 'add', 'red', '64512:999', '--import-only']));
		const red = lab.table('h2', 'red');
		await within(5_000, 'the default route from h1 in h2\'s red table', () => routesOf(lab.vrouter('h2'), red).some(x => x.startsWith('default via 192.168.100.1')));
		expect(ping(red2, '203.0.113.1')).toBe(true);
		expect(ping(lab.appNs('h2', 'blue2'), '203.0.113.1')).toBe(false);
		await ok(lab.on('h2', ['rt', 'del', 'red', '64512:999', '--import-only']));
		expect(ping(red2, '203.0.113.1')).toBe(false);
	});

	it('serves each host over an authenticated loopback API (token file 0600, refused without it)', async () => {
		const h1 = info.hosts[0]!;
		const tokenFile = join(h1.stateDir, 'agent.token');
		// lab up told each host where the other's agent is, so a console on h2 can switch to h1
		const shown = JSON.parse((await ok(lab.on('h2', ['host', 'show', '--json']))).stdout) as {host: {agents: Record<string, unknown>}};
		expect(shown.host.agents).toEqual({h1: {url: `http://127.0.0.1:${h1.agentPort}`, tokenFile}});
		expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
		const url = `http://127.0.0.1:${h1.agentPort}/v1/snapshot`;
		expect((await fetch(url)).status).toBe(401);
		expect((await fetch(url, {headers: {authorization: 'Bearer wrong'}})).status).toBe(401);
		const res = await fetch(url, {headers: {authorization: `Bearer ${readFileSync(tokenFile, 'utf8').trim()}`}});
		expect(res.status).toBe(200);
		const snap = (await res.json()) as {routes: Array<{origin: {kind: string; rd?: string; nexthop?: string; host?: string}}>; host: string; controller: string};
		expect(snap.host).toBe('h1');
		expect(snap.controller).toBe('gobgp');
		const remote = snap.routes.find(r => r.origin.kind === 'remote');
		expect(remote?.origin.host).toBe('h2');
		expect(remote?.origin.nexthop).toBe('192.168.100.2');
		expect(remote?.origin.rd).toMatch(/^192\.168\.100\.2:\d+$/);
		// an operation through the API: a target edit on h1, as a console on another host would send it
		const auth = {authorization: `Bearer ${readFileSync(tokenFile, 'utf8').trim()}`, 'content-type': 'application/json'};
		const post = (body: unknown) => fetch(`http://127.0.0.1:${h1.agentPort}/v1/targets`, {method: 'POST', headers: auth, body: JSON.stringify(body)});
		// a dry run answers what `rt add --dry-run --json` prints, and changes nothing
		const dry = await post({network: 'blue', rt: '64512:777', direction: 'import', dryRun: true});
		expect(dry.status).toBe(200);
		expect(await dry.json()).toMatchObject({applied: false, rt: 'target:64512:777', vrfs: expect.any(Array), apps: expect.any(Array)});
		const before = JSON.parse((await ok(lab.on('h1', ['net', 'show', 'blue', '--json']))).stdout) as {targets: Array<{rt: string}>};
		expect(before.targets.some(t => t.rt === 'target:64512:777')).toBe(false);
		expect((await post({network: 'blue', rt: '64512:777', direction: 'import'})).status).toBe(200);
		const blue = JSON.parse((await ok(lab.on('h1', ['net', 'show', 'blue', '--json']))).stdout) as {targets: Array<{rt: string; import: boolean; export: boolean}>};
		expect(blue.targets.find(t => t.rt === 'target:64512:777')).toMatchObject({import: true, export: false});
		const bad = await post({network: 'blue', rt: 'banana'});
		expect(bad.status).toBe(400);
		expect(((await bad.json()) as {error: string}).error).toContain("invalid route target 'banana'");
		expect((await fetch(`http://127.0.0.1:${h1.agentPort}/v1/targets`, {method: 'POST', body: '{}'})).status).toBe(401);
	});

	it('lab down leaves no namespace, link, process or file behind', async () => {
		await ok(lab.nsdeck(['lab', 'down']));
		expect(lab.namespaces()).toEqual([]);
		for (const pid of [info.rr.pid, ...info.hosts.flatMap(h => [h.gobgpPid, h.agentPid])]) expect(pidAlive(pid)).toBe(false);
		expect(existsSync(lab.dir)).toBe(false);
		expect(rootLinks().filter(l => !linksBefore.includes(l))).toEqual([]);
		// and a second lab down is harmless
		await ok(lab.nsdeck(['lab', 'down']));
	});
});

function execFileSyncOk(argv: string[]): boolean {
	try {
		execFileSync(argv[0]!, argv.slice(1), {stdio: 'ignore'});
		return true;
	} catch {
		return false;
	}
}
