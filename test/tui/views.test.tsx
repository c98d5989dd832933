// The console's views and keys, against a real store and real namespaces (sandboxed prefix).
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {ok, sandbox} from '../helpers.js';
import {type Harness, KEY, openTestConsole, rowsOf} from './harness.js';

const sb = sandbox();
afterAll(() => sb.cleanup());

let h: Harness | undefined;
afterEach(() => {
	h?.close();
	h = undefined;
});

beforeAll(async () => {
	await ok(sb.nsdeck(['net', 'create', 'blue', '--subnet', '10.91.0.0/24']));
	await ok(sb.nsdeck(['net', 'create', 'green', '--subnet', '10.92.0.0/24']));
	await ok(sb.nsdeck(['net', 'create', 'red', '--subnet', '10.93.0.0/24', '--rt', '64512:100']));
	await ok(sb.nsdeck(['bind', 'web', '--network', 'blue', '--outbound', 'green']));
	await ok(sb.nsdeck(['bind', 'db', '--network', 'blue']));
	await ok(sb.nsdeck(['bind', 'cache', '--network', 'red']));
	// an uplink: the gateway namespace and its veth
	await ok(sb.nsdeck(['route', 'add', '0.0.0.0/0', '--rt', '64512:100', '--via', '203.0.113.1']));
});

describe('the console shows the host', () => {
	it('opens on the apps view with host, controller, counts and the age of the data in the header', async () => {
		h = await openTestConsole(sb);
		const f = await h.waitFor('apps [3]');
		const header = f.split('\n')[0]!;
		expect(header).toMatch(/host \S+/);
		expect(header).toContain('controller local');
		expect(header).toContain(`prefix ${sb.prefix}`);
		expect(header).toContain('3 nets');
		expect(header).toContain('3 apps');
		expect(header).toMatch(/\d+ routes/);
		expect(header).toMatch(/refreshed \d+s ago/);
		expect(header).not.toContain('READONLY');
		expect(f).toMatch(/APP\s+NAMESPACE\s+INBOUND\s+IN-ADDR\s+OUTBOUND\s+OUT-ADDR\s+DEFAULT-VIA\s+PROCESS\s+DRIFT/);
		expect(f).toMatch(new RegExp(`web\\s+${sb.prefix}ns-web\\s+blue\\s+10\\.91\\.0\\.2\\s+green\\s+10\\.92\\.0\\.2\\s+green\\s+-\\s+ok`));
		// the footer lists the keys that work here, the actions among them
		expect(f.split('\n').at(-1)).toMatch(/b bind.*u unbind.*o outbound.*p ping.*\/ filter.*\? help.*q quit/);
	});

	it('number keys switch views: 2 networks, 3 routes, 4 targets matrix, 5 interfaces, 6 audit log, 7 hosts (this one alone), 1 apps', async () => {
		h = await openTestConsole(sb);
		await h.waitFor('apps [3]');
		await h.press('2');
		let f = await h.waitFor('nets [3]');
		expect(f).toMatch(/NETWORK\s+SUBNET\s+TABLE\s+USED\s+FREE\s+IMPORT\s+EXPORT\s+APPS/);
		expect(f).toMatch(/blue\s+10\.91\.0\.0\/24\s+\d+\s+2\s+251\s+64512:\d+\s+64512:\d+\s+db, web/);
		expect(f).toMatch(/red\s+10\.93\.0\.0\/24.*64512:100/);

		await h.press('3');
		f = await h.waitFor(/routes\(blue\)/);
		expect(f).toMatch(/PREFIX\s+ORIGIN\s+FROM\s+TARGET\s+INSTALLED/);
		expect(f).toMatch(/10\.91\.0\.2\/32\s+local\s+web \(inbound\)\s+-\s+yes/);

		await h.press('4');
		f = await h.waitFor('targets [3]');
		// narrow numbered columns, their full names in the legend under the matrix
		expect(f.split('\n')[2]!).toMatch(/NETWORK\s+1\s+2\s+3\s+4/);
		expect(f).toMatch(/columns 1–4 of 4/);
		expect(f).toMatch(/4=64512:100/);
		expect(f).toMatch(/red\s+(·\s+)*IE\s+(·\s+)*IE/);
		expect(f).toMatch(/blue\s+IE\s+·\s+·\s+·/);

		await h.press('5');
		f = await h.waitFor(/ifaces \[[1-9]\d*\]/);
		expect(f).toMatch(/NAMESPACE\s+APP\s+IFACE\s+STATE\s+ADDRESSES\s+PEER\s+RP_FILTER/);
		expect(f).toMatch(new RegExp(`${sb.prefix}ns-db\\s+db\\s+veth0\\s+UP\\s+10\\.91\\.0\\.3/32\\s+${sb.prefix}nsdeck-vr/${sb.prefix}vi-db\\s+loose`));
		expect(f).toMatch(new RegExp(`${sb.prefix}ns-web\\s+web\\s+veth1\\s+UP\\s+10\\.92\\.0\\.2/32\\s+${sb.prefix}nsdeck-vr/${sb.prefix}vo-web\\s+off`));
		expect(f).toMatch(new RegExp(`${sb.prefix}nsdeck-vr\\s+\\(vrouter\\)\\s+${sb.prefix}vi-db\\s+UP`));
		// the uplink gateway's veth shows its peer, both ways
		expect(f).toMatch(new RegExp(`${sb.prefix}nsdeck-vr\\s+\\(vrouter\\)\\s+${sb.prefix}gw0\\s+UP\\s+-\\s+${sb.prefix}nsdeck-gw/eth0`));
		expect(f).toMatch(new RegExp(`${sb.prefix}nsdeck-gw\\s+\\(gateway\\)\\s+eth0\\s+UP\\s+-\\s+${sb.prefix}nsdeck-vr/${sb.prefix}gw0`));

		await h.press('6');
		f = await h.waitFor(/log \[\d+\]/);
		expect(f).toMatch(/ID\s+TIME\s+USER\s+OP\s+ARGS\s+RESULT/);
		const rows = rowsOf(f);
		// newest first: the last CLI commands were binding cache, then the uplink route
		expect(rows[0]).toMatch(/route add\s+.*0\.0\.0\.0\/0/);
		expect(rows[1]).toMatch(/bind\s+.*cache.*ok/);
		expect(rows.at(-1)).toMatch(/net create/);

		await h.press('7');
		f = await h.waitFor('hosts [1]');
		expect(rowsOf(f)[0]).toMatch(/\*\s+\S+\s+\(in process\)\s+this host\s+local\s+-\s+3\s+3\s+\d+\s+-/);

		await h.press('1');
		await h.waitFor('apps [3]');
	});

	it('`:` opens views by name with Tab completion, and `:routes NET` shows one VRF', async () => {
		h = await openTestConsole(sb);
		await h.waitFor('apps [3]');
		await h.press(':', 'r', 'o');
		let f = await h.waitFor(' :ro');
		expect(f).toMatch(/ :ro.utes/); // the completion is shown greyed after the cursor
		await h.press(KEY.tab);
		await h.waitFor(' :routes ');
		await h.press('r', KEY.tab);
		await h.waitFor(' :routes red');
		await h.press(KEY.enter);
		f = await h.waitFor('routes(red)');
		expect(f).toMatch(/10\.93\.0\.2\/32\s+local\s+cache \(inbound\)/);
		await h.press(':', 't', 'a', 'r', KEY.tab, KEY.enter);
		await h.waitFor('targets [3]');
		for (const [cmd, title] of [['nets', 'nets [3]'], ['ifaces', 'ifaces ['], ['log', 'log ['], ['apps', 'apps [3]']] as const) {
			h.type(`:${cmd}\r`);
			await h.waitFor(title);
		}
		h.type(':nosuch\r');
		f = await h.waitFor("unknown command ':nosuch'");
		expect(f).toContain('apps [3]');
	});

	it('Enter on an app shows its interfaces (rp_filter, peer) and the routes it sees; Esc goes back', async () => {
		h = await openTestConsole(sb);
		await h.waitFor('apps [3]');
		await h.press('G'); // web is last
		expect(h.selected()).toMatch(/^web/);
		await h.press(KEY.enter);
		const f = await h.waitFor(/veth1\s+UP/);
		expect(f).toContain('app(web) ‹ apps');
		expect(f).toMatch(/default via green \[169\.254\.1\.1 dev veth1\]/);
		// the state column is whatever the kernel says (see the report: veth0 of an app with an outbound network shows NO-CARRIER)
		expect(f).toMatch(new RegExp(`veth0\\s+\\S+\\s+10\\.91\\.0\\.2/32\\s+peer ${sb.prefix}nsdeck-vr/${sb.prefix}vi-web\\s+rp_filter loose`));
		expect(f).toMatch(new RegExp(`veth1\\s+UP\\s+10\\.92\\.0\\.2/32\\s+peer ${sb.prefix}nsdeck-vr/${sb.prefix}vo-web\\s+rp_filter off`));
		expect(f).toMatch(/VRF\s+ROLE\s+PREFIX\s+ORIGIN/);
		expect(f).toMatch(/blue\s+inbound\s+10\.91\.0\.3\/32\s+local\s+db \(inbound\)/);
		expect(f).toMatch(/green\s+outbound\s+10\.92\.0\.2\/32\s+local\s+web \(outbound\)/);
		await h.press(KEY.esc);
		await h.waitFor(f2 => f2.includes('apps [3]') && !f2.includes('app(web)'));
		expect(h.selected()).toMatch(/^web/);
	});

	it('Enter on a network shows its routes; Esc comes back to the networks', async () => {
		h = await openTestConsole(sb, {initial: {id: 'nets'}});
		await h.waitFor('nets [3]');
		await h.press('j', 'j');
		expect(h.selected()).toMatch(/^red/);
		await h.press(KEY.enter);
		const f = await h.waitFor('routes(red) ‹ nets');
		expect(f).toMatch(/10\.93\.0\.2\/32\s+local\s+cache/);
		await h.press(KEY.esc);
		await h.waitFor(x => x.includes('nets [3]') && !x.includes('routes(red)'));
		expect(h.selected()).toMatch(/^red/);
	});

	it('j/k, arrows, g/G and PgDn/PgUp move the selection, a page at a time for PgDn/PgUp', async () => {
		// a short terminal, so the audit log is longer than a page
		h = await openTestConsole(sb, {initial: {id: 'log'}, size: {columns: 150, rows: 10}});
		await h.waitFor(/log \[\d+\]/);
		const total = Number(/log \[(\d+)\]/.exec(h.frame())![1]);
		const page = h.controller.pageSize;
		expect(total).toBeGreaterThan(page);
		const id = () => Number(h!.selected().split(/\s+/)[0]);
		const newest = id();
		await h.press('j');
		expect(id()).toBe(newest - 1);
		await h.press(KEY.down);
		expect(id()).toBe(newest - 2);
		await h.press('k');
		expect(id()).toBe(newest - 1);
		await h.press(KEY.up);
		expect(id()).toBe(newest);
		await h.press('G');
		expect(id()).toBe(newest - total + 1);
		expect(rowsOf(h.frame()).length).toBeLessThanOrEqual(page);
		await h.press('g');
		expect(id()).toBe(newest);
		await h.press(KEY.pgdn);
		expect(id()).toBe(newest - page);
		await h.press(KEY.pgup);
		expect(id()).toBe(newest);
	});

	it('/ filters the view live as you type; Enter keeps the filter; Esc clears it', async () => {
		h = await openTestConsole(sb);
		await h.waitFor('apps [3]');
		await h.press('/', 'g');
		let f = await h.waitFor('apps [1/3]');
		expect(rowsOf(f).join('\n')).toContain('web'); // only web mentions green
		await h.press(KEY.backspace, 'b', 'l', 'u');
		f = await h.waitFor('apps [2/3]');
		expect(f).not.toMatch(/^.cache/m);
		await h.press(KEY.enter);
		f = await h.waitFor(x => x.includes('/blu') && x.includes('Esc back'));
		await h.press('j');
		expect(h.selected()).toMatch(/^web/);
		await h.press(KEY.esc);
		await h.waitFor('apps [3]');
	});

	it('keys sent as one chunk behave as typed one by one: "jjj" moves three rows, "/blue\\r" filters', async () => {
		h = await openTestConsole(sb, {initial: {id: 'ifaces'}});
		await h.waitFor(/ifaces \[[1-9]\d*\]/);
		const rows = rowsOf(h.frame());
		const before = h.controller.keysHandled;
		h.type('jjj');
		await h.waitFor(() => h!.controller.keysHandled === before + 3);
		await h.waitFor(() => h!.selected() === rows[3]!.slice(1).trim());
		h.type(':apps\r/blue\r');
		const f = await h.waitFor('apps [2/3]');
		expect(f).not.toContain(' /blue'.padEnd(7) + '█'); // the filter prompt closed on \r
		expect(h.controller.state.mode.kind).toBe('normal');
		h.type('\x1bjk\x1b');
		await h.waitFor('apps [3]');
	});

	it(':app NAME opens that app (its namespace read from the kernel); an unknown name is refused', async () => {
		h = await openTestConsole(sb);
		await h.waitFor('apps [3]');
		h.type(':app db\r');
		const f = await h.waitFor(/veth0\s+UP/);
		expect(f).toContain('app(db) ‹ apps');
		expect(f).toMatch(new RegExp(`veth0\\s+UP\\s+10\\.91\\.0\\.3/32\\s+peer ${sb.prefix}nsdeck-vr/${sb.prefix}vi-db\\s+rp_filter loose`));
		h.type(':app nosuch\r');
		await h.waitFor("✗ unknown app 'nosuch'");
	});

	it('r refreshes at once and shows a change made from the CLI; the selection stays on the same app', async () => {
		h = await openTestConsole(sb);
		await h.waitFor('apps [3]');
		await h.press('G');
		expect(h.selected()).toMatch(/^web/);
		await ok(sb.nsdeck(['bind', 'aaa', '--network', 'green']));
		await h.press('r');
		const f = await h.waitFor('apps [4]');
		expect(f).toMatch(/refreshed: 4 apps/);
		expect(rowsOf(f)[0]).toMatch(/aaa/);
		expect(h.selected()).toMatch(/^web/); // by key, not by position: aaa came in above
		await ok(sb.nsdeck(['unbind', 'aaa']));
	});

	it('refreshes on its own at the configured interval and keeps the selected row', async () => {
		h = await openTestConsole(sb, {refreshMs: 300});
		await h.waitFor('apps [3]');
		await h.press('j');
		expect(h.selected()).toMatch(/^db/);
		await ok(sb.nsdeck(['bind', 'aab', '--network', 'green']));
		await h.waitFor('apps [4]', 5000);
		expect(h.selected()).toMatch(/^db/);
		await ok(sb.nsdeck(['unbind', 'aab']));
		await h.waitFor('apps [3]', 5000);
		expect(h.selected()).toMatch(/^db/);
	});

	it('q quits, and so does Ctrl-C', async () => {
		h = await openTestConsole(sb);
		await h.waitFor('apps [3]');
		await h.press('q');
		expect(h.quitCalls()).toBe(1);
		expect(h.controller.state.quit).toBe(true);
		h.close();
		h = await openTestConsole(sb);
		await h.waitFor('apps [3]');
		await h.press(KEY.ctrlC);
		expect(h.quitCalls()).toBe(1);
	});
});
