// Issue 8, seen 7 (the reply path is ignored): reachability is both legs. A client r in red reaches web's inbound
// address (red imports blue), but web's replies leave by its outbound network green, which does not hold r until
// green imports red's target. Previews, `explain APP PEER` and a failed ping must say so, and name the fix.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {ok, ping, sandbox} from '../helpers.js';
import {type Api, startApi, statusJson} from '../trust-helpers.js';

const sb = sandbox();
let api: Api;
afterAll(async () => {
	await api?.close();
	sb.cleanup();
});

let rt: Record<string, string> = {};
const addressOf = async (app: string) => (await statusJson(sb)).apps.find(a => a.name === app)!.ifaces.find(i => i.role === 'in')!.address;

beforeAll(async () => {
	await ok(sb.nsdeck(['net', 'create', 'blue', '--subnet', '10.179.0.0/24']));
	await ok(sb.nsdeck(['net', 'create', 'green', '--subnet', '10.180.0.0/24']));
	await ok(sb.nsdeck(['net', 'create', 'red', '--subnet', '10.181.0.0/24']));
	const s = await statusJson(sb);
	rt = Object.fromEntries(s.networks.map(n => [n.name, n.targets.find(t => t.auto)!.rt]));
	await ok(sb.nsdeck(['rt', 'add', 'blue', rt.red!, '--import-only']));
	await ok(sb.nsdeck(['rt', 'add', 'red', rt.blue!, '--import-only']));
	await ok(sb.nsdeck(['bind', 'r', '--network', 'red']));
	api = await startApi(sb);
});

/** The addresses an app is said to gain in a preview (strings, or objects naming a prefix). */
function gainedBy(preview: {apps: Array<{app: string; gained: unknown[]}>}, app: string): string {
	return JSON.stringify(preview.apps.filter(a => a.app === app).flatMap(a => a.gained));
}

describe('both directions (seen 7; spec 7)', () => {
	it('a bind preview does not count an app as reachable when only the request leg works; the ping agrees', async () => {
		const preview = await api.post('/v1/bind', {app: 'web', network: 'blue', outbound: 'green', dryRun: true});
		expect(preview.status).toBe(200);
		const webIn = preview.body.addresses.in as string;
		await ok(sb.nsdeck(['bind', 'web', '--network', 'blue', '--outbound', 'green']));
		expect(ping(sb.ns('r'), webIn)).toBe(false); // what the operator would see
		expect(gainedBy(preview.body, 'r')).not.toContain(webIn);
	});

	it('`explain r web --json`: the request leg works, the reply leg does not and names the fix; the kernel is asked too', async () => {
		const r = await sb.nsdeck(['explain', 'r', 'web', '--json']);
		expect(r.code, r.stderr).toBe(0);
		const e = JSON.parse(r.stdout);
		expect(e.reachable).toBe(false);
		const request = e.legs.find((l: {direction: string}) => l.direction === 'request');
		const reply = e.legs.find((l: {direction: string}) => l.direction === 'reply');
		expect(request.ok).toBe(true);
		expect(request.vrf).toBe('red');
		expect(reply.ok).toBe(false);
		expect(reply.vrf).toBe('green');
		expect(reply.fix).toMatch(new RegExp(`nsdeck rt add green ${rt.red} --import-only`));
		expect(request.kernel).toBeTruthy();
		expect(reply.kernel).toBeTruthy();
		const text = await ok(sb.nsdeck(['explain', 'r', await addressOf('web')]));
		expect(text.stdout).toMatch(/request/);
		expect(text.stdout).toMatch(/reply/);
		expect(text.stdout).toContain(`nsdeck rt add green ${rt.red} --import-only`);
	});

	it('a failed ping through the agent API carries both legs and a one-line reason', async () => {
		const p = await api.post('/v1/ping', {app: 'r', target: 'web'});
		expect(p.status).toBe(200);
		expect(p.body.ok).toBe(false);
		expect(Array.isArray(p.body.legs)).toBe(true);
		expect(p.body.legs).toHaveLength(2);
		expect(typeof p.body.reason).toBe('string');
		expect(p.body.reason).toMatch(/reply|green/);
		expect(p.body.reason).not.toContain('\n');
	});

	it('with the fix applied: both legs work, explain says reachable, the ping answers, and a preview of the same shape counts it', async () => {
		await ok(sb.nsdeck(['rt', 'add', 'green', rt.red!, '--import-only']));
		expect(ping(sb.ns('r'), await addressOf('web'))).toBe(true);
		const e = JSON.parse((await ok(sb.nsdeck(['explain', 'r', 'web', '--json']))).stdout);
		expect(e.reachable).toBe(true);
		expect(e.legs.every((l: {ok: boolean}) => l.ok)).toBe(true);
		const preview = await api.post('/v1/bind', {app: 'web2', network: 'blue', outbound: 'green', dryRun: true});
		expect(gainedBy(preview.body, 'r')).toContain(preview.body.addresses.in);
		expect((await api.post('/v1/ping', {app: 'r', target: 'web'})).body.ok).toBe(true);
	});
});
