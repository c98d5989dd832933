// Actions from the console, each through its form, its preview and its confirmation, checked on the screen and in
// the kernel (real namespaces under the sandbox's prefix).
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {existsSync} from 'node:fs';
import {ip, ok, sandbox, tableRoutes} from '../helpers.js';
import {type Harness, KEY, openTestConsole} from './harness.js';

const sb = sandbox();
afterAll(() => sb.cleanup());

let h: Harness | undefined;
afterEach(() => {
	h?.close();
	h = undefined;
});

let blueRt = '';
let blueTable = '';
beforeAll(async () => {
	await ok(sb.nsdeck(['net', 'create', 'blue', '--subnet', '10.95.0.0/24']));
	await ok(sb.nsdeck(['net', 'create', 'green', '--subnet', '10.96.0.0/24']));
	const blue = JSON.parse((await ok(sb.nsdeck(['net', 'show', 'blue', '--json']))).stdout);
	blueRt = blue.targets[0].rt;
	blueTable = blue.table;
});

const defaultRoute = (app: string) => ip(sb.ns(app), 'route', 'show', 'default').trim();
const greenTable = async () => JSON.parse((await ok(sb.nsdeck(['net', 'show', 'green', '--json']))).stdout).table as string;

describe('actions from the console', () => {
	it('b binds an app: the form validates as you type, Enter previews its routes, y applies', async () => {
		h = await openTestConsole(sb);
		await h.waitFor('apps [0]');
		await h.press('b');
		await h.waitFor('bind an app');
		// a bad name is flagged at once, before Enter
		h.type('-bad');
		let f = await h.waitFor("✗ invalid app name '-bad'");
		await h.press(KEY.backspace, KEY.backspace, KEY.backspace, KEY.backspace);
		h.type('web');
		f = await h.waitFor(/name\s+web\s+✓/);
		// an unknown network is flagged in its field; Enter refuses the form and says why
		await h.press(KEY.tab);
		h.type('nope');
		await h.waitFor("✗ no network 'nope'");
		await h.press(KEY.enter);
		f = await h.waitFor("inbound network: no network 'nope'");
		expect(h.controller.state.mode.kind).toBe('form');
		expect(existsSync(`/run/netns/${sb.ns('web')}`)).toBe(false);
		await h.press(KEY.backspace, KEY.backspace, KEY.backspace, KEY.backspace, 'b', KEY.tab); // Tab completes "b" to "blue"
		f = await h.waitFor(/inbound network\s+blue/);
		await h.press(KEY.enter);
		f = await h.waitFor('bind web?  (y/n)');
		expect(f).toContain(`namespace ${sb.ns('web')}`);
		expect(f).toMatch(/veth0 10\.95\.0\.2 on blue \(inbound\), default route/);
		expect(f).toMatch(/VRF blue: \+1 -0/);
		expect(f).toMatch(/\+ 10\.95\.0\.2\/32\s+local web \(inbound\)/);
		expect(existsSync(`/run/netns/${sb.ns('web')}`)).toBe(false); // nothing yet
		await h.press('y');
		f = await h.waitFor('✓ bound web: 10.95.0.2 in blue');
		await h.waitFor(/▸web\s+\S+ns-web\s+blue\s+10\.95\.0\.2/);
		expect(existsSync(`/run/netns/${sb.ns('web')}`)).toBe(true);
		expect(defaultRoute('web')).toBe('default via 169.254.1.1 dev veth0 proto 77 onlink');
		expect(tableRoutes(sb.vrouter, blueTable)).toContain(`10.95.0.2 dev ${sb.prefix}vi-web`);
	});

	it('n at a confirmation, or Esc in a form, changes nothing', async () => {
		h = await openTestConsole(sb);
		await h.waitFor('apps [1]');
		h.type('bdb\tblue\r');
		await h.waitFor('bind db?  (y/n)');
		await h.press('n');
		await h.waitFor('cancelled: nothing changed');
		expect(existsSync(`/run/netns/${sb.ns('db')}`)).toBe(false);
		await h.press('b');
		await h.waitFor('bind an app');
		await h.press(KEY.esc);
		await h.waitFor(f => f.includes('apps [1]') && !f.includes('bind an app'));
	});

	it('o previews the outbound change (routes gained, default route moves) and y moves the default route to veth1', async () => {
		h = await openTestConsole(sb);
		await h.waitFor(/▸web/);
		await h.press('o');
		let f = await h.waitFor('outbound network of web');
		expect(f).toMatch(/outbound\s+‹ green ›\s+green \| \(none\)/);
		await h.press(KEY.enter);
		f = await h.waitFor('set the outbound network of web to green?  (y/n)');
		expect(f).toContain('default route of web: via its inbound network → via green');
		expect(f).toMatch(/VRF green: \+1 -0/);
		expect(f).toMatch(/\+ 10\.96\.0\.2\/32\s+local web \(outbound\)/);
		expect(defaultRoute('web')).toBe('default via 169.254.1.1 dev veth0 proto 77 onlink');
		await h.press('y');
		await h.waitFor('✓ web: outbound green, default route via green');
		f = await h.waitFor(/web\s+\S+\s+blue\s+10\.95\.0\.2\s+green\s+10\.96\.0\.2\s+green/);
		expect(defaultRoute('web')).toBe('default via 169.254.1.1 dev veth1 proto 77 onlink');
	});

	it('i previews the routes an import-only target brings into a VRF and y installs them in its kernel table', async () => {
		h = await openTestConsole(sb, {initial: {id: 'nets'}});
		await h.waitFor('nets [2]');
		await h.press('j');
		expect(h.selected()).toMatch(/^green/);
		await h.press('i');
		let f = await h.waitFor('import-only targets of green');
		expect(f).toContain('import-only now: none');
		h.type('x');
		await h.waitFor("✗ invalid route target 'x'");
		await h.press(KEY.backspace);
		h.type(blueRt.replace('target:', ''));
		await h.waitFor(/route target\s+64512:\d+\s+✓/);
		await h.press(KEY.enter);
		f = await h.waitFor(`add import target ${blueRt} to green?  (y/n)`);
		expect(f).toMatch(/VRF green: \+1 -0/);
		expect(f).toMatch(new RegExp(`\\+ 10\\.95\\.0\\.2/32\\s+from blue \\(web\\) by ${blueRt}`));
		// green gains web's own inbound address: no app reaches anything new (both legs counted)
		expect(f).toContain('no app changes reachability');
		const table = await greenTable();
		expect(tableRoutes(sb.vrouter, table)).not.toContain(`10.95.0.2 dev ${sb.prefix}vi-web`);
		await h.press('y');
		await h.waitFor(`✓ green: added import target ${blueRt} (+1 -0 routes)`);
		f = await h.waitFor(new RegExp(`green\\s+10\\.96\\.0\\.0/24.*${blueRt.replace('target:', '')}\\(i\\)`));
		expect(tableRoutes(sb.vrouter, table)).toContain(`10.95.0.2 dev ${sb.prefix}vi-web`);
		await h.press('4');
		await h.waitFor(/green\s+·\s+IE\s+·|green\s+I\s+IE/);
	});

	it('x explains the selected route: why the VRF holds it', async () => {
		h = await openTestConsole(sb, {initial: {id: 'routes', arg: 'green'}});
		await h.waitFor('routes(green)');
		await h.waitFor(/▸10\.95\.0\.2\/32\s+imported\s+blue: web/);
		await h.press('x');
		const f = await h.waitFor('why 10.95.0.2/32 is in green');
		expect(f).toContain(`10.95.0.2/32 (app web in blue) is imported: blue exports ${blueRt}, which green imports`);
		await h.press(KEY.esc);
		await h.waitFor(x => !x.includes('why 10.95.0.2/32'));
	});

	it('p pings at once from the selected app to another app and shows the reply (db → web: the reply comes back through green)', async () => {
		await ok(sb.nsdeck(['bind', 'db', '--network', 'blue']));
		h = await openTestConsole(sb);
		await h.waitFor('apps [2]');
		await h.press('g');
		expect(h.selected()).toMatch(/^db/);
		h.type('pw\t');
		await h.waitFor(/to\s+web\s+✓/);
		await h.press(KEY.enter); // no confirmation: a ping changes nothing
		const f = await h.waitFor(x => x.includes('ping 10.95.0.2 from db') && x.includes('reachable'), 10_000);
		expect(f).toMatch(/ping 10\.95\.0\.2 from db: reply from 10\.95\.0\.2 in [\d.]+ ms/);
		expect(f).not.toContain('NOT reachable');
	});

	it('e adds an export target after its preview, and i then removes the import-only target by picking it', async () => {
		h = await openTestConsole(sb, {initial: {id: 'nets'}});
		await h.waitFor(/▸blue/);
		h.type('e64512:777\r');
		let f = await h.waitFor('add export target target:64512:777 to blue?  (y/n)');
		expect(f).toContain('no route changes in any VRF'); // nobody imports 64512:777 yet
		await h.press('y');
		await h.waitFor('✓ blue: added export target target:64512:777');
		await h.waitFor(/blue\s+10\.95\.0\.0\/24.*64512:777\(e\)/);
		await h.press('j', 'i', KEY.tab, KEY.right);
		f = await h.waitFor(/action\s+‹ remove ›/);
		expect(f).toContain(`import-only now: ${blueRt.replace('target:', '')}`);
		// removing picks from green's own imports (its automatic target and blue's), first in natural order
		await h.press(KEY.up);
		f = await h.waitFor(new RegExp(`route target\\s+‹ ${blueRt.replace('target:', '')} ›`));
		expect(f).toMatch(/64512:\d+ \| 64512:\d+/);
		await h.press(KEY.enter);
		f = await h.waitFor(`remove import target ${blueRt} from green?  (y/n)`);
		expect(f).toMatch(/- 10\.95\.0\.2\/32\s+from blue \(web\)/);
		expect(f).toMatch(/- 10\.95\.0\.3\/32\s+from blue \(db\)/);
		await h.press('y');
		await h.waitFor(`✓ green: removed import target ${blueRt} (+0 -2 routes)`);
		expect(tableRoutes(sb.vrouter, await greenTable())).not.toContain(`10.95.0.2 dev ${sb.prefix}vi-web`);
	});

	it('o with (none) clears the outbound network: the default route goes back to veth0', async () => {
		h = await openTestConsole(sb);
		await h.waitFor('apps [2]');
		await h.press('G', 'o');
		await h.waitFor(/outbound\s+‹ \(none\) ›/);
		await h.press(KEY.enter);
		const f = await h.waitFor('clear the outbound network of web?  (y/n)');
		expect(f).toMatch(/- 10\.96\.0\.2\/32\s+local web \(outbound\)/);
		await h.press('y');
		await h.waitFor('✓ web: outbound cleared');
		expect(defaultRoute('web')).toBe('default via 169.254.1.1 dev veth0 proto 77 onlink');
	});

	it('a failure is shown as a flash and the console keeps running (the app was unbound elsewhere meanwhile)', async () => {
		h = await openTestConsole(sb);
		await h.waitFor('apps [2]');
		await h.press('g');
		expect(h.selected()).toMatch(/^db/);
		await h.press('u');
		await h.waitFor('unbind db?  (y/n)');
		await ok(sb.nsdeck(['unbind', 'db'])); // another operator was quicker
		await h.press('y');
		await h.waitFor("✗ unbind db failed: unknown app 'db'");
		await h.waitFor('apps [1]'); // refreshed, still running
		await h.press('j');
		expect(h.controller.state.quit).toBe(false);
		// a preview refused by the core (another writer bound the name meanwhile) lands in the flash; the form stays
		h.type('bzz\tblue');
		await h.waitFor(/inbound network\s+blue\s+✓/);
		await ok(sb.nsdeck(['bind', 'zz', '--network', 'green']));
		await h.press(KEY.enter);
		await h.waitFor("✗ app 'zz' is already bound (unbind it first)");
		expect(h.controller.state.mode.kind).toBe('form');
		await h.press(KEY.esc);
		await ok(sb.nsdeck(['unbind', 'zz']));
	});

	it('n creates a network after its preview (its table in the vrouter), D deletes it after its own', async () => {
		h = await openTestConsole(sb, {initial: {id: 'nets'}});
		await h.waitFor('nets [2]');
		await h.press('n');
		await h.waitFor('create a network');
		h.type('red\t10.96.1.0/24');
		await h.waitFor(/subnet\s+10\.96\.1\.0\/24\s+✓/);
		await h.press(KEY.enter);
		let f = await h.waitFor('create network red?  (y/n)');
		const table = /table (\d+)/.exec(f)![1]!;
		expect(f).toMatch(new RegExp(`network red  subnet 10\\.96\\.1\\.0/24  table ${table}  VNI \\d+`));
		expect(f).toMatch(/targets: target:64512:\d+/);
		expect(ip(sb.vrouter, 'route', 'show', 'table', table)).toBe('');
		await h.press('y');
		await h.waitFor(`✓ created network red 10.96.1.0/24 (table ${table})`);
		await h.waitFor(/▸red\s+10\.96\.1\.0\/24/);
		expect(ip(sb.vrouter, 'route', 'show', 'table', table)).toContain('unreachable default');
		await h.press('D');
		f = await h.waitFor('delete network red?  (y/n)');
		expect(f).toContain(`its VRF (table ${table}) and its rules go`);
		await h.press('y');
		await h.waitFor('✓ deleted network red');
		await h.waitFor('nets [2]');
		expect(ip(sb.vrouter, 'route', 'show', 'table', table)).toBe('');
		// a network in use is refused at the preview, and nothing changes
		await h.press('g', 'D');
		await h.waitFor(/✗ cannot delete blue: network 'blue' is used by/);
	});

	it('u unbinds the selected app after its confirmation: the namespace is gone', async () => {
		h = await openTestConsole(sb);
		await h.waitFor('apps [1]');
		await h.press('u');
		const f = await h.waitFor('unbind web?  (y/n)');
		expect(f).toContain(`namespace ${sb.ns('web')} is deleted`);
		expect(f).toMatch(/veth0 10\.95\.0\.2 on blue/);
		await h.press('y');
		await h.waitFor('✓ unbound web');
		await h.waitFor('apps [0]');
		expect(existsSync(`/run/netns/${sb.ns('web')}`)).toBe(false);
		expect(tableRoutes(sb.vrouter, blueTable)).toEqual([]);
	});
});
