// Many hosts from one console: this host (a sandbox) and another host's real agent API (a second sandbox served by
// the agent's HTTP server in process), plus a host whose agent does not answer. Checked on the screen, and on the
// other host's store and kernel.
import {existsSync} from 'node:fs';
import {createServer, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {join} from 'node:path';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {serveApi} from '../../source/agent/api.js';
import {openContext, type Context} from '../../source/provision/context.js';
import {ok, sandbox} from '../helpers.js';
import {type Harness, KEY, openTestConsole, rowsOf} from './harness.js';

const sb1 = sandbox();
const sb2 = sandbox();
let ctx2: Context | undefined;
let server: Server | undefined;
let url2 = '';
let url3 = '';
afterAll(async () => {
	await new Promise<void>(r => (server ? server.close(() => r()) : r()));
	ctx2?.close();
	sb1.cleanup();
	sb2.cleanup();
});

let h: Harness | undefined;
afterEach(() => {
	h?.close();
	h = undefined;
});

beforeAll(async () => {
	await ok(sb2.nsdeck(['host', 'set', '--name', 'h2', '--vtep', '192.168.100.2']));
	await ok(sb2.nsdeck(['net', 'create', 'blue', '--subnet', '10.71.0.0/24']));
	await ok(sb2.nsdeck(['bind', 'b2', '--network', 'blue']));
	await ok(sb2.nsdeck(['rt', 'add', 'blue', '64512:555', '--import-only']));
	ctx2 = openContext(sb2.env);
	server = await serveApi(ctx2, {port: 0, health: () => ({gobgp: false}), log: () => {}});
	const address = server.address();
	url2 = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
	const token = join(sb2.stateDir, 'agent.token');
	// h3: a port where nothing listens (taken, then let go)
	const probe = createServer();
	await new Promise<void>(r => probe.listen(0, '127.0.0.1', () => r()));
	url3 = `http://127.0.0.1:${(probe.address() as AddressInfo).port}`;
	await new Promise<void>(r => probe.close(() => r()));
	await ok(sb1.nsdeck(['host', 'set', '--name', 'h1', '--vtep', '192.168.100.1', '--agent', `h2=${url2}`, '--agent-token', `h2=${token}`, '--agent', `h3=${url3}`, '--agent-token', `h3=${token}`]));
	await ok(sb1.nsdeck(['net', 'create', 'blue', '--subnet', '10.71.0.0/24']));
	await ok(sb1.nsdeck(['bind', 'a1', '--network', 'blue']));
});

describe('a console over several hosts', () => {
	it('7 lists this host and the known hosts: address, reachable or not, controller, counts', async () => {
		h = await openTestConsole(sb1);
		let f = await h.waitFor('apps [1]');
		expect(f.split('\n')[0]).toMatch(/host h1 │ .*│ 3 hosts/);
		await h.press('7');
		f = await h.waitFor(x => x.includes('hosts [3]') && !x.includes('…  '));
		const rows = rowsOf(f);
		expect(rows[0]).toMatch(/\*\s+h1\s+\(in process\)\s+this host\s+local\s+-\s+1\s+1\s+1\s+0/);
		expect(rows[1]).toMatch(new RegExp(`h2\\s+${url2.replace(/\./g, '\\.')}\\s+reachable\\s+local\\s+down\\s+1\\s+1\\s+1`));
		expect(rows[2]).toMatch(new RegExp(`h3\\s+${url3.replace(/\./g, '\\.')}\\s+unreachable \\(connection refused\\)`));
		expect(rows[2]).toMatch(/-\s+-\s+-\s+-\s+-\s+-$/);
		expect(f.split('\n').at(-1)).toContain('Enter switch host');
	});

	it('Enter on a host switches to it: the header names it, its apps show; an unreachable one is flashed and nothing switches', async () => {
		h = await openTestConsole(sb1, {initial: {id: 'hosts'}});
		await h.waitFor(x => x.includes('hosts [3]') && x.includes('reachable'));
		await h.press('j', KEY.enter);
		let f = await h.waitFor('✓ switched to h2');
		expect(f.split('\n')[0]).toContain(`host h2 @ ${url2}`);
		expect(f).toContain('apps [1]');
		expect(f).toMatch(new RegExp(`b2\\s+${sb2.prefix}ns-b2\\s+blue`));
		expect(f).not.toMatch(/a1\s+/);
		// :host with Tab completion lists the hosts; an unreachable host is refused with the reason
		await h.press(':', 'h', 'o', 's', 't', ' ', 'h');
		await h.waitFor('host h1  host h2  host h3');
		h.type('3\r');
		f = await h.waitFor(`✗ cannot switch to h3: host h3 unreachable (${url3}: connection refused)`);
		expect(f.split('\n')[0]).toContain('host h2 @');
		h.type(':host h1\r');
		f = await h.waitFor('✓ switched to h1 (this host)');
		expect(f).toMatch(/a1\s+/);
	});

	it('binds an app on the other host through its agent: preview first, then applied there', async () => {
		h = await openTestConsole(sb1, {host: 'h2'});
		await h.waitFor('apps [1]');
		h.type('bc2\tblue\r');
		const f = await h.waitFor('bind c2 on h2?  (y/n)');
		expect(f).toContain(`namespace ${sb2.ns('c2')}`);
		expect(f).toMatch(/VRF blue: \+1 -0/);
		expect(existsSync(`/run/netns/${sb2.ns('c2')}`)).toBe(false);
		await h.press('y');
		await h.waitFor('✓ bound c2: 10.71.0.3 in blue');
		await h.waitFor('apps [2]');
		expect(existsSync(`/run/netns/${sb2.ns('c2')}`)).toBe(true);
		expect(existsSync(`/run/netns/${sb1.ns('c2')}`)).toBe(false);
		// networks are not created through another host's agent: said in one line, nothing changes
		await h.press('n', 'x', KEY.tab);
		h.type('10.72.0.0/24\r');
		await h.waitFor("✗ h2's agent does not create or delete networks: run 'nsdeck net create' or 'nsdeck net delete' on h2");
	});

	it('the targets view shows each host side by side and marks where they differ; an unreachable host shows ?', async () => {
		h = await openTestConsole(sb1, {initial: {id: 'targets'}});
		const f = await h.waitFor(x => /targets \[\d+\]/.test(x) && x.includes('≠'));
		expect(f.split('\n')[2]).toMatch(/NETWORK\s+TARGET\s+HOSTS\s+\*h1\s+h2\s+h3/);
		// the rows where hosts differ come first
		expect(rowsOf(f)[0]).toMatch(/blue\s+target:64512:555\s+≠ differ\s+·\s+I\s+\?/);
		expect(f).toMatch(/blue\s+target:\S+\s+\? unknown\s+IE\s+IE\s+\?/);
	});

	it('a target edit on the other host is previewed by its agent (dry run), then applied there', async () => {
		h = await openTestConsole(sb1, {host: 'h2', initial: {id: 'nets'}});
		await h.waitFor('nets [1]');
		await h.press('i');
		await h.waitFor('import-only targets of blue');
		h.type('64512:556\r');
		const f = await h.waitFor('add import target target:64512:556 to blue on h2?  (y/n)');
		expect(f).toContain('no route changes in any VRF');
		await h.press('y');
		await h.waitFor('✓ blue: added import target target:64512:556 on h2');
		const blue = JSON.parse((await ok(sb2.nsdeck(['net', 'show', 'blue', '--json']))).stdout) as {targets: Array<{rt: string; import: boolean; export: boolean}>};
		expect(blue.targets.find(t => t.rt === 'target:64512:556')).toMatchObject({import: true, export: false});
		const here = JSON.parse((await ok(sb1.nsdeck(['net', 'show', 'blue', '--json']))).stdout) as {targets: Array<{rt: string}>};
		expect(here.targets.some(t => t.rt === 'target:64512:556')).toBe(false);
	});

	it('--host refuses a host it does not know (one line, exit 2) and accepts a known one', async () => {
		let r = await sb1.nsdeck(['--host', 'h9']);
		expect(r.code).toBe(2);
		expect(r.stderr).toBe("nsdeck: unknown host 'h9' (known: h1, h2, h3; add one with 'nsdeck host set --agent NAME=URL --agent-token NAME=FILE')\n");
		r = await sb1.nsdeck(['--host', 'h2']);
		expect(r.code).toBe(2);
		expect(r.stderr).toContain('the console needs a terminal');
	});

	it('a shown host that stops answering keeps its last data, marked unreachable in the header and the flash', async () => {
		h = await openTestConsole(sb1, {host: 'h2'});
		await h.waitFor('apps [2]');
		// h2's agent goes away (the last test here that needs it)
		await new Promise<void>(r => {
			server!.close(() => r());
			server!.closeAllConnections();
		});
		server = undefined;
		await h.press('r');
		// the agent's keep-alive connection is closed under the request, or the next one is refused
		const f = await h.waitFor(x => x.includes(`✗ refresh failed: host h2 unreachable (${url2}: connection refused)`) || x.includes(`✗ refresh failed: host h2 unreachable (${url2}: connection closed)`));
		expect(f.split('\n')[0]).toMatch(/host h2 @ \S+ │ ✗ unreachable │/);
		expect(f).toMatch(/b2\s+/); // the last data stays on screen
	});

	it('a route learned from another host shows its host, RD and next hop in the routes view', async () => {
		// last in this file: the store holds a remote route from now on, and nothing here converges this host again
		const ctx = openContext(sb1.env);
		const rt = ctx.store.load().networks.find(n => n.name === 'blue')!.targets.find(t => t.auto)!.rt;
		ctx.store.setRemotes([{prefix: '10.71.9.9/32', rd: '192.168.100.9:3', nexthop: '192.168.100.9', label: 77, targets: [rt], host: 'h9'}]);
		ctx.close();
		h = await openTestConsole(sb1);
		await h.waitFor('apps [1]');
		h.type(':routes blue\r');
		const f = await h.waitFor('10.71.9.9/32');
		expect(f).toMatch(new RegExp(`10\\.71\\.9\\.9/32\\s+remote\\s+host h9 rd 192\\.168\\.100\\.9:3 nh 192\\.168\\.100\\.9\\s+${rt}`));
	});
});
