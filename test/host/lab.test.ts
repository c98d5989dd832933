// A lab of two emulated hosts, two route reflectors and BIRD as the site's gateway router (not nsdeck): routes both
// ways with labels and targets, ping and TCP through the VXLAN overlay, import-only on and off, withdrawal, an
// unknown label; each host's agent over HTTPS with a pinned certificate, its metrics; and nothing left after lab down.
import {execFileSync} from 'node:child_process';
import {appendFileSync, existsSync, readFileSync, statSync} from 'node:fs';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {ok, ping} from '../helpers.js';
import {type LabInfo, labPids, labSandbox, pidAlive, routesOf, within} from '../lab-helpers.js';

const lab = labSandbox();
afterAll(() => lab.cleanup(), 60_000);

function rootLinks(): string[] {
	return (JSON.parse(execFileSync('ip', ['-j', 'link', 'show'], {encoding: 'utf8'})) as Array<{ifname: string}>).map(l => l.ifname);
}

/** One TCP connection from an app's namespace: the first line the server sends, or '' when it cannot connect. */
function tcp(namespace: string, address: string, port: number): string {
	const r = lab.inNs(namespace, ['timeout', '2', 'bash', '-c', `exec 3<>/dev/tcp/${address}/${port} && head -1 <&3`]);
	return r.status === 0 ? r.stdout.trim() : '';
}

const birdc = (command: string) => execFileSync('birdc', ['-s', lab.lab().gateway!.control, ...command.split(' ')], {encoding: 'utf8'});

/** An HTTPS request from inside a namespace, trusting nothing: status and body. */
function httpsIn(namespace: string, url: string, token: string | null): {status: number; body: string} {
	const script = `const https=require('node:https');const r=https.request(process.argv[1],{rejectUnauthorized:false,headers:${token === null ? '{}' : `{authorization:'Bearer '+process.argv[2]}`}},s=>{let b='';s.on('data',d=>b+=d);s.on('end',()=>{console.log(JSON.stringify({status:s.statusCode,body:b}))})});r.on('error',e=>console.log(JSON.stringify({status:0,body:e.code})));r.end();`;
	return JSON.parse(lab.inNs(namespace, [process.execPath, '-e', script, url, token ?? '']).stdout) as {status: number; body: string};
}

let info: LabInfo;
const linksBefore = rootLinks();
beforeAll(async () => {
	const r = await ok(lab.nsdeck(['lab', 'up', '--hosts', '2', '--gateway', 'bird']));
	expect(r.stderr).toContain('[lab 1/6]');
	info = lab.lab();
}, 120_000);

describe('nsdeck lab up --gateway bird', () => {
	it('runs two hosts, two route reflectors, BIRD and its forwarding plane, and the apps talk across hosts', async () => {
		expect(info.hosts.map(h => h.name)).toEqual(['h1', 'h2']);
		expect(info.reflectors.map(r => r.address)).toEqual(['192.168.100.253', '192.168.100.254']);
		for (const pid of labPids(info)) expect(pidAlive(pid)).toBe(true);
		const blue = lab.table('h1', 'blue');
		await within(15_000, 'blue2 (h2) in h1\'s blue table', () => routesOf(lab.vrouter('h1'), blue).some(x => x.includes('via 192.168.100.2')));
		const s2 = JSON.parse((await ok(lab.on('h2', ['status', '--json']))).stdout) as {apps: Array<{name: string; ifaces: Array<{address: string}>}>};
		const blue2 = s2.apps.find(a => a.name === 'blue2')!.ifaces[0]!.address;
		expect(ping(lab.appNs('h1', 'blue1'), blue2)).toBe(true);
		// the underlay carries a full 1500-byte overlay packet (MTU 1550)
		expect(lab.inNs(lab.appNs('h1', 'blue1'), ['ping', '-c', '1', '-W', '1', '-s', '1472', '-M', 'do', blue2]).status).toBe(0);
	});

	it('BIRD holds the hosts\' routes with their labels (VNIs) and targets; the hosts hold BIRD\'s once they import its target', async () => {
		const s1 = JSON.parse((await ok(lab.on('h1', ['net', 'show', 'blue', '--json']))).stdout) as {vni: number; targets: Array<{rt: string; auto: boolean}>};
		const table = birdc('show route table vpntab4 all');
		const blue1 = new RegExp(`192\\.168\\.100\\.1:\\d+ 10\\.10\\.0\\.\\d+/32[^]*?via 192\\.168\\.100\\.1 on ul0 mpls ${s1.vni}[^]*?BGP\\.ext_community: \\(rt, 64512, ${s1.targets.find(t => t.auto)!.rt.split(':')[2]}\\)`);
		expect(table).toMatch(blue1);
		// h2's red does not import the uplink target: none of BIRD's routes are held there (route-target constraint)
		const show = JSON.parse((await ok(lab.on('h2', ['host', 'show', '--json']))).stdout) as {remotes: Array<{prefix: string}>};
		expect(show.remotes.map(r => r.prefix)).not.toContain('198.51.100.0/24');
	});

	it('import-only 64512:900 on h2\'s red: ping and TCP to the gateway\'s internet; blue cannot; removing it cuts within a second', async () => {
		const red2 = lab.appNs('h2', 'red2');
		const blue2 = lab.appNs('h2', 'blue2');
		expect(ping(red2, '198.51.100.1')).toBe(false);
		await ok(lab.on('h2', ['rt', 'add', 'red', '64512:900', '--import-only']));
		const red = lab.table('h2', 'red');
		await within(2_000, 'the gateway\'s routes in h2\'s red table', () => routesOf(lab.vrouter('h2'), red).some(x => x.startsWith('198.51.100.0/24 via 192.168.100.200')));
		expect(ping(red2, '198.51.100.1')).toBe(true);
		expect(tcp(red2, '198.51.100.1', 80)).toBe('gw1 198.51.100.1');
		expect(ping(red2, '198.18.0.1')).toBe(true);
		expect(tcp(red2, '198.18.0.1', 80)).toBe('gw1 198.18.0.1');
		expect(ping(blue2, '198.51.100.1')).toBe(false);
		expect(tcp(blue2, '198.51.100.1', 80)).toBe('');
		// named by the router in every face: routes, host show, explain
		const routes = (await ok(lab.on('h2', ['routes', 'red']))).stdout;
		expect(routes).toMatch(/198\.51\.100\.0\/24\s+remote from gateway gw1 \(rd 192\.168\.100\.200:900, next hop 192\.168\.100\.200, label 900 = VNI 9000\) by target:64512:900\s+installed/);
		expect((await ok(lab.on('h2', ['host', 'show']))).stdout).toMatch(/198\.18\.0\.0\/24\s+gateway gw1\s+192\.168\.100\.200:900\s+192\.168\.100\.200\s+900\s+9000\s+target:64512:900/);
		expect((await ok(lab.on('h2', ['explain', 'red', '198.51.100.7']))).stdout).toContain('traffic to 198.51.100.7/32 in red would follow 198.51.100.0/24 (remote via 192.168.100.200)');
		expect((await ok(lab.on('h2', ['explain', 'red', '198.51.100.0/24']))).stdout).toContain('198.51.100.0/24 comes from gateway gw1 (RD 192.168.100.200:900, next hop 192.168.100.200, label 900 = VNI 9000), announced with target:64512:900, imported by target:64512:900');
		const t0 = Date.now();
		await ok(lab.on('h2', ['rt', 'del', 'red', '64512:900', '--import-only']));
		await within(1_000, 'the gateway cut off', () => !ping(red2, '198.51.100.1'));
		expect(Date.now() - t0).toBeLessThan(2_000);
		expect(tcp(red2, '198.51.100.1', 80)).toBe('');
	});

	it('BIRD withdraws its routes: gone from every kernel; announced again: back', async () => {
		for (const h of ['h1', 'h2']) await ok(lab.on(h, ['rt', 'add', 'blue', '64512:900', '--import-only']));
		const has = (h: string) => routesOf(lab.vrouter(h), lab.table(h, 'blue')).some(x => x.startsWith('default via 192.168.100.200'));
		await within(3_000, 'the gateway\'s default route on both hosts', () => has('h1') && has('h2'));
		birdc('disable gw1_uplink');
		await within(3_000, 'withdrawn from both hosts', () => !has('h1') && !has('h2'));
		birdc('enable gw1_uplink');
		await within(5_000, 'back on both hosts', () => has('h1') && has('h2'));
		expect(ping(lab.appNs('h1', 'blue1'), '198.51.100.1')).toBe(true);
	});

	it('a label the gateway maps to no VNI is held and shown, never installed: no device made, no traffic black-holed', async () => {
		const g = lab.lab().gateway!;
		appendFileSync(g.config, `protocol static gw1_probe {\n\tvpn4 { table vpntab4; };\n\troute ${g.address}:777 203.0.113.0/24 via ${g.address}%ul0 mpls 777 onlink { bgp_ext_community.add((rt, 64512, 900)); };\n}\n`);
		birdc('configure');
		await within(5_000, 'the probe route learned on h1', () => readFileSync(join(lab.host('h1').stateDir, 'agent.status.json'), 'utf8') !== '' && JSON.parse(execFileSync(process.execPath, [join(import.meta.dirname, '..', '..', 'dist', 'cli.js'), 'host', 'show', '--json'], {env: {...lab.env, NSDECK_STATE_DIR: lab.host('h1').stateDir, NSDECK_NS_PREFIX: lab.host('h1').prefix}, encoding: 'utf8'})).remotes.some((r: {prefix: string}) => r.prefix === '203.0.113.0/24'));
		const routes = (await ok(lab.on('h1', ['routes', 'blue']))).stdout;
		expect(routes).toMatch(/203\.0\.113\.0\/24\s+remote from gateway gw1 .*label 777, no VNI.*not installed: label 777 of gateway gw1 has no VNI \(nsdeck host set --gateway-vni gw1=777:VNI\)\)\s+not installed/);
		expect(routesOf(lab.vrouter('h1'), lab.table('h1', 'blue')).some(x => x.startsWith('203.0.113.0/24'))).toBe(false);
		const links = (JSON.parse(execFileSync('ip', ['-n', lab.vrouter('h1'), '-j', 'link', 'show'], {encoding: 'utf8'})) as Array<{ifname: string}>).map(l => l.ifname);
		expect(links.filter(l => l.includes('vx777'))).toEqual([]);
		// traffic to it follows the default route to the gateway, which does exist
		expect(routesOf(lab.vrouter('h1'), lab.table('h1', 'blue')).some(x => x.startsWith('default via 192.168.100.200'))).toBe(true);
		expect((await ok(lab.on('h1', ['explain', 'blue', '203.0.113.0/24']))).stdout).toContain('not installed: label 777 of gateway gw1 has no VNI');
		// a drift-free host: reconcile has nothing to do about it
		expect((await ok(lab.on('h1', ['reconcile', '--dry-run']))).stdout).not.toContain('203.0.113');
	});
});

describe('each host\'s agent between machines', () => {
	it('h2 reaches h1\'s agent over HTTPS on its underlay address, certificate pinned: BGP sessions and sync state', async () => {
		const r = await ok(lab.onHost('h2', ['host', 'check', '--json']));
		const [h1] = JSON.parse(r.stdout) as Array<{host: string; url: string; ok: boolean; health: {sessions: Array<{address: string; state: string}>; sync: {inSync: boolean; connected: boolean}}}>;
		expect(h1!.url).toBe(`https://192.168.100.1:${lab.host('h1').agentPort}`);
		expect(h1!.ok).toBe(true);
		expect(h1!.health.sessions.map(s => [s.address, s.state])).toEqual([['192.168.100.253', 'ESTABLISHED'], ['192.168.100.254', 'ESTABLISHED']]);
		expect(h1!.health.sync.connected).toBe(true);
	});

	it('a changed certificate is refused before the token is sent; plain http:// off loopback is refused', async () => {
		const other = `SHA256:${'AB:'.repeat(31)}AB`;
		const h1 = lab.host('h1');
		await ok(lab.on('h2', ['host', 'set', '--agent-fingerprint', `h1=${other}`]));
		const r = await lab.onHost('h2', ['host', 'check', 'h1']);
		expect(r.code).toBe(1);
		expect(r.stderr).toMatch(/^nsdeck: host h1: the agent at https:\/\/192\.168\.100\.1:\d+ presents certificate SHA256:[0-9A-F:]{95}, not the pinned SHA256:AB:AB.*refusing to send the token/);
		// learning it again from the agent is refused too while another one is pinned
		const again = await lab.onHost('h2', ['host', 'set', '--agent', `h1=https://192.168.100.1:${h1.agentPort}`]);
		expect(again.code).toBe(1);
		expect(again.stderr).toContain('not the pinned SHA256:AB:AB');
		const plain = await lab.onHost('h2', ['host', 'set', '--agent', `h1=http://192.168.100.1:${h1.agentPort}`]);
		expect(plain.code).toBe(2);
		expect(plain.stderr.trim()).toBe(`nsdeck: refusing plain http:// for agent h1 at 192.168.100.1:${h1.agentPort}: the token would leave this host unencrypted; use https://192.168.100.1:${h1.agentPort}`);
		// forgotten and registered again: the certificate is learned and shown
		await ok(lab.on('h2', ['host', 'set', '--agent', 'h1=']));
		const learned = await ok(lab.onHost('h2', ['host', 'set', '--agent', `h1=https://192.168.100.1:${h1.agentPort}`, '--agent-token', `h1=${join(h1.stateDir, 'agent.token')}`]));
		const mine = (await ok(lab.on('h1', ['host', 'show']))).stdout.match(/agent certificate (SHA256:\S+)/)![1];
		expect(learned.stdout).toContain(`agent h1 https://192.168.100.1:${h1.agentPort} token ${join(h1.stateDir, 'agent.token')} certificate ${mine}`);
		await ok(lab.onHost('h2', ['host', 'check', 'h1']));
	});

	it('the API answers nobody without the token (401) and serves it over TLS; the token file is 0600', () => {
		const h1 = lab.host('h1');
		const url = `https://192.168.100.1:${h1.agentPort}/v1/snapshot`;
		expect(httpsIn(h1.underlayNs.replace('u1', 'u2'), url, null).status).toBe(401);
		expect(httpsIn(h1.underlayNs.replace('u1', 'u2'), url, 'wrong').status).toBe(401);
		const tokenFile = join(h1.stateDir, 'agent.token');
		expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
		const res = httpsIn(h1.underlayNs.replace('u1', 'u2'), url, readFileSync(tokenFile, 'utf8').trim());
		expect(res.status).toBe(200);
		const snap = JSON.parse(res.body) as {host: string; routes: Array<{origin: {kind: string; host?: string; by?: {kind: string; name: string}}}>};
		expect(snap.host).toBe('h1');
		expect(snap.routes.find(r => r.origin.kind === 'remote' && r.origin.by?.kind === 'host')?.origin.by?.name).toBe('h2');
	});

	it('serves Prometheus metrics on its own loopback port that match the host\'s state', async () => {
		const h1 = lab.host('h1');
		const text = lab.inNs(h1.underlayNs, [process.execPath, '-e', `fetch('http://127.0.0.1:${h1.metricsPort}/metrics').then(r=>r.text()).then(t=>process.stdout.write(t))`]).stdout;
		const value = (line: string) => Number(new RegExp(`^${line.replace(/[{}"]/g, c => `\\${c}`)} (\\S+)$`, 'm').exec(text)?.[1]);
		const s = JSON.parse((await ok(lab.on('h1', ['status', '--json']))).stdout) as {apps: unknown[]; routes: Array<{network: string; origin: {kind: string}}>};
		expect(value('nsdeck_apps')).toBe(s.apps.length);
		for (const origin of ['local', 'imported', 'remote']) {
			expect(value(`nsdeck_vrf_routes{network="blue",origin="${origin}"}`)).toBe(s.routes.filter(r => r.network === 'blue' && r.origin.kind === origin).length);
		}
		expect(value('nsdeck_bgp_session_up{peer="192.168.100.253"}')).toBe(1);
		expect(value('nsdeck_bgp_session_up{peer="192.168.100.254"}')).toBe(1);
		expect(value('nsdeck_bgp_routes_received{peer="192.168.100.253"}')).toBeGreaterThan(0);
		expect(value('nsdeck_gobgpd_connected')).toBe(1);
		expect(value('nsdeck_last_converge_timestamp_seconds')).toBeGreaterThan(Date.now() / 1000 - 600);
		expect(value('nsdeck_api_requests_total{status="401"}')).toBeGreaterThanOrEqual(2);
		expect(value('nsdeck_api_requests_total{status="200"}')).toBeGreaterThanOrEqual(1);
		expect(text).not.toMatch(/token|Bearer/i);
	});
});

describe('nsdeck lab down', () => {
	it('leaves no namespace, link, process or file behind', async () => {
		await ok(lab.nsdeck(['lab', 'down']));
		expect(lab.namespaces()).toEqual([]);
		for (const pid of labPids(info)) expect(pidAlive(pid)).toBe(false);
		expect(existsSync(lab.dir)).toBe(false);
		expect(rootLinks().filter(l => !linksBefore.includes(l))).toEqual([]);
		await ok(lab.nsdeck(['lab', 'down']));
	});
});
