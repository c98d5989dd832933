import {execFileSync, spawn} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {CLI, ok, ping} from '../helpers.js';
import {labSandbox, routesOf, within} from '../lab-helpers.js';

const lab = labSandbox();
afterAll(() => lab.cleanup(), 60_000);

type Net = {name: string; vni: number; targets: Array<{rt: string; auto: boolean}>; table: string};
async function net(host: string, name: string): Promise<Net> {
	return JSON.parse((await ok(lab.on(host, ['net', 'show', name, '--json']))).stdout) as Net;
}
async function address(host: string, app: string): Promise<string> {
	const s = JSON.parse((await ok(lab.on(host, ['status', '--json']))).stdout) as {apps: Array<{name: string; ifaces: Array<{address: string}>}>};
	return s.apps.find(a => a.name === app)!.ifaces[0]!.address;
}

describe('two emulated hosts over BGP (real gobgpd, two route reflectors, route-target constraint, VXLAN)', () => {
	let a1 = '';
	let a2 = '';
	let blueRt = '';
	let restarted = 0;
	let extraRr = 0;
	beforeAll(async () => {
		await ok(lab.nsdeck(['lab', 'up', '--hosts', '2', '--empty']));
		for (const [h, i] of [['h1', 0], ['h2', 1]] as const) {
			await ok(lab.on(h, ['net', 'create', 'blue', '--subnet', '10.50.0.0/16', '--block', `10.50.${i}.0/24`]));
		}
		await ok(lab.on('h1', ['bind', 'a1', '--network', 'blue']));
		await ok(lab.on('h2', ['bind', 'a2', '--network', 'blue']));
		a1 = await address('h1', 'a1');
		a2 = await address('h2', 'a2');
		blueRt = (await net('h1', 'blue')).targets.find(t => t.auto)!.rt;
	}, 90_000);

	it('gives the same network the same VNI and automatic target on both hosts, and addresses from each host\'s block', async () => {
		const [b1, b2] = [await net('h1', 'blue'), await net('h2', 'blue')];
		expect(b1.vni).toBe(b2.vni);
		expect(b2.targets.find(t => t.auto)!.rt).toBe(blueRt);
		expect(a1.startsWith('10.50.0.')).toBe(true);
		expect(a2.startsWith('10.50.1.')).toBe(true);
	});

	it('an app on h1 pings an app on h2', async () => {
		const t1 = (await net('h1', 'blue')).table;
		await within(15_000, `a2 in h1's blue table`, () => routesOf(lab.vrouter('h1'), t1).some(r => r.startsWith(`${a2} via 192.168.100.2`)));
		await within(5_000, `a1 in h2's blue table`, () => routesOf(lab.vrouter('h2'), lab.table('h2', 'blue')).some(r => r.startsWith(`${a1} via 192.168.100.1`)));
		expect(ping(lab.appNs('h1', 'a1'), a2)).toBe(true);
		expect(ping(lab.appNs('h2', 'a2'), a1)).toBe(true);
	});

	it('an import-only target on h2 brings h1\'s route into h2\'s table quickly; removing it takes it away; ping follows', async () => {
		await ok(lab.on('h2', ['net', 'create', 'red', '--subnet', '10.60.0.0/16', '--block', '10.60.1.0/24']));
		await ok(lab.on('h2', ['bind', 'r2', '--network', 'red']));
		const r2 = await address('h2', 'r2');
		const red = await net('h2', 'red');
		const redRt = red.targets.find(t => t.auto)!.rt;
		// the way back: h1's blue imports red's target (a route that h2 originates)
		await ok(lab.on('h1', ['rt', 'add', 'blue', redRt, '--import-only']));
		await within(5_000, `r2 in h1's blue table`, () => routesOf(lab.vrouter('h1'), lab.table('h1', 'blue')).some(r => r.startsWith(`${r2} via`)));
		expect(routesOf(lab.vrouter('h2'), red.table).some(r => r.startsWith(a1))).toBe(false);
		expect(ping(lab.appNs('h2', 'r2'), a1)).toBe(false);

		const t0 = Date.now();
		await ok(lab.on('h2', ['rt', 'add', 'red', blueRt, '--import-only']));
		const took = await within(3_000, `a1 in h2's red table`, () => routesOf(lab.vrouter('h2'), red.table).some(r => r.startsWith(`${a1} via 192.168.100.1`)));
		expect(Date.now() - t0).toBeLessThan(3_000);
		expect(took).toBeLessThan(1_000);
		expect(ping(lab.appNs('h2', 'r2'), a1)).toBe(true);

		await ok(lab.on('h2', ['rt', 'del', 'red', blueRt, '--import-only']));
		await within(3_000, `a1 gone from h2's red table`, () => !routesOf(lab.vrouter('h2'), red.table).some(r => r.startsWith(a1)));
		expect(ping(lab.appNs('h2', 'r2'), a1)).toBe(false);
	});

	it('an export-target edit on h1 reaches h2\'s kernel without losing the route (replace, no withdraw)', async () => {
		await ok(lab.on('h2', ['rt', 'add', 'red', '64512:4242', '--import-only']));
		// watch h2's kernel the whole time: a1 must never leave h2's blue table (an implicit replace, not a withdraw)
		const blue2 = lab.table('h2', 'blue');
		const monitor = spawn('ip', ['-n', lab.vrouter('h2'), 'monitor', 'route'], {stdio: ['ignore', 'pipe', 'ignore']});
		let seen = '';
		monitor.stdout.on('data', (b: Buffer) => (seen += b.toString()));
		await new Promise(r => setTimeout(r, 100));
		await ok(lab.on('h1', ['rt', 'add', 'blue', '64512:4242', '--export-only']));
		const red = lab.table('h2', 'red');
		await within(3_000, `a1 in h2's red table by 64512:4242`, () => routesOf(lab.vrouter('h2'), red).some(r => r.startsWith(`${a1} via`)));
		// blue on h2 keeps a1 throughout (its auto target is still exported)
		expect(routesOf(lab.vrouter('h2'), lab.table('h2', 'blue')).some(r => r.startsWith(`${a1} via`))).toBe(true);
		await ok(lab.on('h1', ['rt', 'del', 'blue', '64512:4242', '--export-only']));
		await within(3_000, `a1 gone from h2's red table`, () => !routesOf(lab.vrouter('h2'), red).some(r => r.startsWith(a1)));
		expect(routesOf(lab.vrouter('h2'), blue2).some(r => r.startsWith(`${a1} via`))).toBe(true);
		monitor.kill();
		const lines = seen.split('\n');
		expect(lines.some(l => l.startsWith(`${a1} via`) && l.includes(`table ${red}`))).toBe(true);
		expect(lines.filter(l => l.startsWith('Deleted') && l.includes(a1) && l.includes(`table ${blue2}`))).toEqual([]);
	});

	it('binds on both hosts at once never collide (address blocks)', async () => {
		const binds = [1, 2, 3, 4, 5, 6].flatMap(i => [lab.on('h1', ['bind', `c1x${i}`, '--network', 'blue']), lab.on('h2', ['bind', `c2x${i}`, '--network', 'blue'])]);
		for (const r of await Promise.all(binds)) expect(r.code, r.stderr).toBe(0);
		const addrs = [
			...(await Promise.all([1, 2, 3, 4, 5, 6].map(i => address('h1', `c1x${i}`)))),
			...(await Promise.all([1, 2, 3, 4, 5, 6].map(i => address('h2', `c2x${i}`)))),
			a1,
			a2,
		];
		expect(new Set(addrs).size).toBe(addrs.length);
		const t1 = lab.table('h1', 'blue');
		await within(10_000, 'every h2 app in h1\'s blue table', () => {
			const routes = routesOf(lab.vrouter('h1'), t1);
			return addrs.every(a => routes.some(r => r.startsWith(`${a} `)));
		});
	});

	it('gobgpd on h1 killed and restarted: its routes come back on h2 without operator action', async () => {
		const blue2 = lab.table('h2', 'blue');
		const has = () => routesOf(lab.vrouter('h2'), blue2).some(r => r.startsWith(`${a1} via`));
		expect(has()).toBe(true);
		process.kill(lab.host('h1').gobgpPid!, 'SIGKILL');
		await within(10_000, 'a1 withdrawn from h2 after h1\'s gobgpd died', () => !has());
		// h1 keeps its own kernel state meanwhile: its view of h2 is not torn down by its own daemon's crash
		expect(routesOf(lab.vrouter('h1'), lab.table('h1', 'blue')).some(r => r.startsWith(`${a2} via`))).toBe(true);
		restarted = lab.restartGobgpd('h1');
		await within(30_000, 'a1 back on h2 after the restart', has);
		expect(ping(lab.appNs('h2', 'a2'), a1)).toBe(true);
	}, 60_000);

	it('a route reflector killed: no route leaves any kernel and the apps still talk; its sessions show down', async () => {
		const rr1 = lab.lab().reflectors[0]!;
		// both reflectors carry each host's routes first (after the restart above, a session may still be coming up)
		const paths = (h: string, address: string) => Object.entries(lab.gobgp<Record<string, unknown[]>>(h, 'global', 'rib', '-a', 'vpnv4') ?? {}).find(([k]) => k.endsWith(`:${address}/32`))?.[1].length ?? 0;
		await within(20_000, 'a1 and a2 through both reflectors', () => paths('h2', a1) === 2 && paths('h1', a2) === 2);
		const blue1 = lab.table('h1', 'blue');
		const blue2 = lab.table('h2', 'blue');
		const monitor = spawn('ip', ['-n', lab.vrouter('h2'), 'monitor', 'route'], {stdio: ['ignore', 'pipe', 'ignore']});
		let seen = '';
		monitor.stdout.on('data', (b: Buffer) => (seen += b.toString()));
		await new Promise(r => setTimeout(r, 100));
		process.kill(rr1.pid!, 'SIGKILL');
		await within(5_000, 'h2 sees rr1 down', () => {
			const s = JSON.parse(readFileSync(join(lab.host('h2').stateDir, 'agent.status.json'), 'utf8')) as {sessions: Array<{address: string; state: string}>};
			return s.sessions.some(x => x.address === rr1.address && x.state !== 'ESTABLISHED');
		});
		await new Promise(r => setTimeout(r, 500));
		monitor.kill();
		expect(seen.split('\n').filter(l => l.startsWith('Deleted') && (l.includes(a1) || l.includes(a2)))).toEqual([]);
		expect(routesOf(lab.vrouter('h2'), blue2).some(r => r.startsWith(`${a1} via`))).toBe(true);
		expect(routesOf(lab.vrouter('h1'), blue1).some(r => r.startsWith(`${a2} via`))).toBe(true);
		expect(ping(lab.appNs('h2', 'a2'), a1)).toBe(true);
		// a route added while rr1 is down still reaches the other host, through rr2
		await ok(lab.on('h1', ['bind', 'late', '--network', 'blue']));
		const late = await address('h1', 'late');
		await within(3_000, 'the new app on h2 through rr2', () => routesOf(lab.vrouter('h2'), blue2).some(r => r.startsWith(`${late} via`)));
		extraRr = lab.restartGobgpd('rr1');
	}, 30_000);

	it('route-target constraint: a host that imports nothing of a network holds none of its routes, and gets them within a second of an import', async () => {
		await ok(lab.on('h1', ['net', 'create', 'only1', '--subnet', '10.70.0.0/16', '--block', '10.70.0.0/24']));
		await ok(lab.on('h1', ['bind', 'o1', '--network', 'only1']));
		const o1 = await address('h1', 'o1');
		const only1 = (await net('h1', 'only1')).targets.find(t => t.auto)!.rt;
		// h1's gobgpd has the route; h2 (importing nothing of only1) never gets it, not even in its gobgpd
		await new Promise(r => setTimeout(r, 500));
		const rib2 = () => JSON.stringify(lab.gobgp('h2', 'global', 'rib', '-a', 'vpnv4'));
		expect(rib2()).not.toContain(o1);
		const show = () => JSON.parse(execFileSync(process.execPath, [CLI, 'host', 'show', '--json'], {env: {...lab.env, NSDECK_STATE_DIR: lab.host('h2').stateDir, NSDECK_NS_PREFIX: lab.host('h2').prefix}, encoding: 'utf8'})) as {remotes: Array<{prefix: string}>};
		expect(show().remotes.map(r => r.prefix)).not.toContain(`${o1}/32`);
		const t0 = Date.now();
		await ok(lab.on('h2', ['rt', 'add', 'blue', only1, '--import-only']));
		await within(2_000, 'o1 in h2\'s blue table', () => routesOf(lab.vrouter('h2'), lab.table('h2', 'blue')).some(r => r.startsWith(`${o1} via`)));
		expect(Date.now() - t0).toBeLessThan(2_000);
		await ok(lab.on('h2', ['rt', 'del', 'blue', only1, '--import-only']));
		await within(3_000, 'o1 gone from h2 and from its gobgpd', () => !rib2().includes(o1));
		// an export target removed where it was h2's only way in: h2 gets a withdrawal (gobgpd would send the replace
		// only to members of the remaining targets, so the old path would stay on h2 for ever); an unbind likewise
		const has = () => routesOf(lab.vrouter('h2'), lab.table('h2', 'blue')).some(r => r.startsWith(`${o1} via`));
		await ok(lab.on('h2', ['rt', 'add', 'blue', '64512:7070', '--import-only']));
		await ok(lab.on('h1', ['rt', 'add', 'only1', '64512:7070', '--export-only']));
		await within(2_000, 'o1 on h2 by 64512:7070', has);
		await ok(lab.on('h1', ['rt', 'del', 'only1', '64512:7070', '--export-only']));
		await within(2_000, 'o1 withdrawn from h2', () => !has() && !rib2().includes(o1));
		await ok(lab.on('h1', ['rt', 'add', 'only1', '64512:7070', '--export-only']));
		await within(2_000, 'o1 back on h2', has);
		await ok(lab.on('h1', ['unbind', 'o1']));
		await within(2_000, 'o1 withdrawn from h2 after its unbind', () => !has() && !rib2().includes(o1));
	});

	it('a host that goes away (gobgpd and agent killed) has its routes withdrawn from the others', async () => {
		const blue2 = lab.table('h2', 'blue');
		const h1 = lab.host('h1');
		process.kill(h1.agentPid!, 'SIGKILL');
		// the gobgpd restarted by the previous test (or the lab's own, if that test did not run)
		for (const pid of [restarted, h1.gobgpPid!]) {
			try {
				if (pid) process.kill(pid, 'SIGKILL');
			} catch {}
		}
		await within(10_000, 'every h1 route gone from h2', () => !routesOf(lab.vrouter('h2'), blue2).some(r => r.includes('via 192.168.100.1')));
		const show = JSON.parse((await ok(lab.on('h2', ['host', 'show', '--json']))).stdout) as {remotes: Array<{nexthop: string}>};
		expect(show.remotes.filter(r => r.nexthop === '192.168.100.1')).toEqual([]);
	}, 30_000);
});
