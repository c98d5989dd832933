// Issue 8, seen 4 (interface-name collision): long names were cut and given a 16-bit hash, so `collide-00108` and
// `collide-00245` both got the same host interface, and the first app's route pointed into the second app's
// namespace. Names must map to interface names injectively: every app its own interfaces, under any prefix length.
import {createHash} from 'node:crypto';
import {afterAll, describe, expect, it} from 'vitest';
import {ipJson, ok, ping, sandbox, type Sandbox} from '../helpers.js';
import {dryRunChanges, statusJson} from '../trust-helpers.js';

const boxes: Sandbox[] = [];
afterAll(() => boxes.forEach(b => b.cleanup()));

/** The namespace at the far end of a host interface in the vrouter, as the kernel says. */
function peerNamespace(sb: Sandbox, hostIf: string): string | undefined {
	const ids = new Map(ipJson<Array<{nsid: number; name?: string}>>(sb.vrouter, 'netns', 'list-id').map(n => [n.nsid, n.name]));
	const link = ipJson<Array<{link_netnsid?: number}>>(sb.vrouter, 'link', 'show', 'dev', hostIf)[0];
	return link?.link_netnsid === undefined ? undefined : ids.get(link.link_netnsid);
}

/** The device of the app's /32 in a kernel table of the vrouter. */
function routeDev(sb: Sandbox, table: string, address: string): string | undefined {
	return ipJson<Array<{dst: string; dev?: string}>>(sb.vrouter, 'route', 'show', 'table', table).find(r => r.dst === address)?.dev;
}

/** Binds every name, then checks what an operator relies on: own interfaces, routes into the right namespace, pings, no drift. */
async function bindAndCheck(sb: Sandbox, subnet: string, apps: readonly string[]) {
	await ok(sb.nsdeck(['net', 'create', 'blue', '--subnet', subnet]));
	await ok(sb.nsdeck(['bind', 'peer', '--network', 'blue']));
	for (const app of apps) {
		const r = await sb.nsdeck(['bind', app, '--network', 'blue']);
		expect(r.code, `bind ${app}: ${r.stderr}`).toBe(0);
	}
	const s = await statusJson(sb);
	const table = s.networks.find(n => n.name === 'blue')!.table;
	const hostIfs = s.apps.map(a => a.ifaces[0]!.hostIf);
	expect(new Set(hostIfs).size).toBe(hostIfs.length);
	for (const h of hostIfs) expect(Buffer.byteLength(h)).toBeLessThanOrEqual(15);
	const peerAddress = s.apps.find(a => a.name === 'peer')!.ifaces[0]!.address;
	for (const app of apps) {
		const a = s.apps.find(x => x.name === app)!;
		const {address, hostIf} = a.ifaces[0]!;
		expect(routeDev(sb, table, address), `${app}'s route`).toBe(hostIf);
		expect(peerNamespace(sb, hostIf), `${app}'s host interface leads into`).toBe(sb.ns(app));
		expect(ping(sb.ns('peer'), address), `peer -> ${app}`).toBe(true);
		expect(ping(sb.ns(app), peerAddress), `${app} -> peer`).toBe(true);
		expect(a.drift, app).toEqual([]);
	}
	expect(await dryRunChanges(sb)).toEqual([]);
	expect((await ok(sb.nsdeck(['reconcile']))).stdout.trim()).toBe('in sync: nothing to do');
}

describe('interface names are injective (seen 4; spec 4)', () => {
	it('the names of the report: `collide-00108` and `collide-00245` each get their own interface, route, ping; no drift, in sync', async () => {
		const sb = sandbox();
		boxes.push(sb);
		// the precondition of the report: under a 16-bit hash of the name these two are one interface
		const h = (n: string) => createHash('sha256').update(n).digest('hex').slice(0, 4);
		expect(h('collide-00108')).toBe(h('collide-00245'));
		await bindAndCheck(sb, '10.173.0.0/24', ['collide-00108', 'collide-00245']);
	});

	it('the longest prefix (8) and names of 32 characters differing only in the last one; a name that fits beside them', async () => {
		const sb = sandbox({long: true});
		boxes.push(sb);
		expect(sb.prefix).toHaveLength(8);
		const stem = 'n'.repeat(31);
		await bindAndCheck(sb, '10.174.0.0/24', [`${stem}1`, `${stem}2`, `${stem}3`, 'c', 'c1', 'collide-00108', 'collide-00245']);
	});

	it('unbinding and binding again never hands one app\'s interface name to another while both exist', async () => {
		const sb = sandbox();
		boxes.push(sb);
		const stem = 'reused-'.repeat(4);
		await bindAndCheck(sb, '10.175.0.0/24', [`${stem}a`, `${stem}b`]);
		await ok(sb.nsdeck(['unbind', `${stem}a`]));
		await ok(sb.nsdeck(['bind', `${stem}c`, '--network', 'blue']));
		await ok(sb.nsdeck(['bind', `${stem}a`, '--network', 'blue']));
		const s = await statusJson(sb);
		const hostIfs = s.apps.map(a => a.ifaces[0]!.hostIf);
		expect(new Set(hostIfs).size).toBe(hostIfs.length);
		for (const a of s.apps) {
			expect(peerNamespace(sb, a.ifaces[0]!.hostIf)).toBe(sb.ns(a.name));
			expect(a.drift).toEqual([]);
		}
		expect(await dryRunChanges(sb)).toEqual([]);
	});
});
