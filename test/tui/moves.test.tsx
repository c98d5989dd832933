// The operator's moves, on hosts in memory (no root): networks created and deleted from the console, `:app NAME`,
// targets completed and picked, lists never cut silently, the flash, ping at once, explain APP PEER, the welcome panel.
import {afterEach, describe, expect, it} from 'vitest';
import {parseRouteTarget} from '../../source/core/rt.js';
import {KEY, type MemoryHarness, openMemoryConsole, rowsOf} from './harness.js';
import {emptyWorld, world} from './memory.js';

let h: MemoryHarness | undefined;
afterEach(() => {
	h?.close();
	h = undefined;
});

const three = () => world({blue: '10.1.0.0/24', green: '10.2.0.0/24', red: '10.3.0.0/24'}, {web: ['blue', 'green'], db: 'blue', cache: 'red'});

describe('networks from the console', () => {
	it('n creates a network: checked as typed, previewed (table, VNI, automatic target), applied on y', async () => {
		h = await openMemoryConsole({h1: three()}, {initial: {id: 'nets'}});
		await h.waitFor('nets [3]');
		await h.press('n');
		await h.waitFor('create a network');
		h.type('blue');
		await h.waitFor("✗ network 'blue' already exists");
		await h.press(KEY.backspace, KEY.backspace, KEY.backspace, KEY.backspace);
		h.type('net10\t10.1.0.0/16');
		await h.waitFor("✗ overlaps network 'blue' (10.1.0.0/24)");
		await h.press(...'10.1.0.0/16'.split('').map(() => KEY.backspace));
		h.type('10.0.0.0/24\t6');
		await h.waitFor(/\d+ known: 64512:8000001  64512:8000002  64512:8000003/); // candidates from the known targets
		await h.press(KEY.backspace, KEY.enter);
		const f = await h.waitFor('create network net10?  (y/n)');
		expect(f).toMatch(/network net10  subnet 10\.0\.0\.0\/24  table 1004  VNI 4004/);
		expect(f).toContain('targets: target:64512:8000004');
		expect(f).toContain('no route changes in any VRF');
		expect(h.backend().applied).toEqual([]);
		await h.press('y');
		await h.waitFor('✓ created network net10 10.0.0.0/24 (table 1004)');
		expect(h.backend().applied).toEqual(['net create net10 10.0.0.0/24']);
		// natural order: net10 after the others
		expect(rowsOf(await h.waitFor('nets [4]')).map(r => r.trim().split(/\s+/)[0]!.replace('▸', ''))).toEqual(['blue', 'green', 'net10', 'red']);
	});

	it('D deletes the network here after its preview; a network in use is refused at once', async () => {
		const w = three();
		w.networks.push({id: 9, name: 'spare', subnet: '10.9.0.0/24', targets: [{rt: parseRouteTarget('64512:9'), auto: false, import: true, export: true}]});
		h = await openMemoryConsole({h1: w}, {initial: {id: 'nets'}});
		await h.waitFor('nets [4]');
		await h.press('g', 'D');
		await h.waitFor(/✗ cannot delete blue: network 'blue' is used by (db, web|web, db); unbind them first/);
		await h.press('G', 'D');
		const f = await h.waitFor('delete network spare?  (y/n)');
		expect(f).toContain('targets: target:64512:9');
		await h.press('n');
		await h.waitFor('cancelled: nothing changed');
		await h.press('D', 'y');
		await h.waitFor('✓ deleted network spare');
		expect(h.backend().applied).toEqual(['net delete spare']);
	});
});

describe('opening, completing and picking', () => {
	it(':app NAME opens that app; :app alone opens the app under the cursor', async () => {
		h = await openMemoryConsole({h1: three()});
		await h.waitFor('apps [3]');
		h.type(':app db\r');
		let f = await h.waitFor('app(db) ‹ apps');
		expect(f).toMatch(/blue\s+inbound\s+10\.1\.0\.3\/32\s+local\s+db \(inbound\)/);
		await h.press(KEY.esc, 'G');
		h.type(':app\r');
		f = await h.waitFor('app(web) ‹ apps');
	});

	it('adding a target completes from every known target (external routes included); removing picks from the network\'s own', async () => {
		const w = three();
		w.externals.push({prefix: '0.0.0.0/0', via: '203.0.113.1', targets: [parseRouteTarget('64512:900')]});
		h = await openMemoryConsole({h1: w}, {initial: {id: 'nets'}});
		await h.waitFor('nets [3]');
		await h.press('j', 'i'); // green
		let f = await h.waitFor('import-only targets of green');
		h.type('64512:9');
		f = await h.waitFor(/4 known: 64512:900  64512:8000001  64512:8000002  64512:8000003/);
		h.type('0');
		await h.press(KEY.tab);
		await h.waitFor(/route target\s+64512:900\s+✓/);
		await h.press(KEY.enter);
		f = await h.waitFor('add import target target:64512:900 to green?  (y/n)');
		expect(f).toMatch(/\+ 0\.0\.0\.0\/0\s+external via 203\.0\.113\.1/);
		expect(f).toMatch(/web \(outbound green\): \+1 reachable \(0\.0\.0\.0\/0\)/);
		await h.press('y');
		await h.waitFor('✓ green: added import target target:64512:900 (+1 -0 routes)');
		// remove: the field becomes a pick among green's own imports, in natural order
		await h.press('i', KEY.tab, KEY.right, KEY.up);
		f = await h.waitFor(/route target\s+‹ 64512:900 ›\s+64512:900 \| 64512:8000002/);
		await h.press(KEY.right, KEY.left, KEY.enter);
		f = await h.waitFor('remove import target target:64512:900 from green?  (y/n)');
		await h.press('y');
		await h.waitFor('✓ green: removed import target target:64512:900 (+0 -1 routes)');
		expect(h.backend().applied).toEqual(['rt add green target:64512:900 import', 'rt del green target:64512:900 import']);
	});

	it('i on a matrix cell starts from that cell: its target suggested, or picked for removal when the network has it', async () => {
		h = await openMemoryConsole({h1: three()}, {initial: {id: 'targets'}});
		await h.waitFor('targets [3]');
		await h.press('l', 'i'); // blue × 8000002 (green's): blue does not import it
		let f = await h.waitFor('import-only targets of blue');
		expect(f).toMatch(/route target\s+64512:8000002\s/);
		expect(f).toMatch(/action\s+‹ add ›/);
		await h.press(KEY.esc, 'h', 'e'); // blue × 8000001: blue's own, export
		f = await h.waitFor('export targets of blue');
		expect(f).toMatch(/route target\s+‹ 64512:8000001 ›/);
		expect(f).toMatch(/action\s+‹ remove ›/);
	});
});

describe('what is shown', () => {
	it('no column hides a target: a long list shows what fits and +N; Enter shows them all above the routes', async () => {
		const w = three();
		for (let i = 1; i <= 12; i++) w.networks[1]!.targets.push({rt: parseRouteTarget(`64512:${100 + i}`), auto: false, import: true, export: false});
		h = await openMemoryConsole({h1: w}, {initial: {id: 'nets'}, size: {columns: 100, rows: 30}});
		let f = await h.waitFor('nets [3]');
		const green = rowsOf(f).find(r => r.includes('green'))!;
		expect(green).toMatch(/64512:101\(i\), .* \+\d+/);
		expect(green.length).toBeLessThanOrEqual(100);
		await h.press('j', KEY.enter);
		f = await h.waitFor('routes(green) ‹ nets');
		for (let i = 1; i <= 12; i++) expect(f).toContain(`target:64512:${100 + i} (import-only)`);
	});

	it('the flash clears when the view changes', async () => {
		h = await openMemoryConsole({h1: three()});
		await h.waitFor('apps [3]');
		await h.press('r');
		await h.waitFor('✓ refreshed: 3 apps, 3 networks');
		await h.press('2');
		await h.waitFor(f => f.includes('nets [3]') && !f.includes('refreshed:'));
		await h.press('x');
		await h.waitFor("'x' (explain) works in routes, app, apps");
		await h.press(KEY.enter);
		await h.waitFor(f => f.includes('routes(blue) ‹ nets') && !f.includes('works in'));
	});

	it('names sort naturally everywhere: net2 before net10, h2 before h10, 10.1.0.9 before 10.1.0.10', async () => {
		const nets: Record<string, string> = {};
		for (const i of [10, 2, 1, 20]) nets[`net${i}`] = `10.${i}.0.0/24`;
		const apps: Record<string, string> = {};
		for (let i = 1; i <= 11; i++) apps[`a${i}`] = 'net1';
		h = await openMemoryConsole({h1: world(nets, apps)}, {initial: {id: 'nets'}});
		let f = await h.waitFor('nets [4]');
		expect(rowsOf(f).map(r => r.replace('▸', '').trim().split(/\s+/)[0])).toEqual(['net1', 'net2', 'net10', 'net20']);
		await h.press('1');
		f = await h.waitFor('apps [11]');
		expect(rowsOf(f).map(r => r.replace('▸', '').trim().split(/\s+/)[0])).toEqual(['a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7', 'a8', 'a9', 'a10', 'a11']);
		h.type(':routes net1\r');
		f = await h.waitFor('routes(net1)');
		const prefixes = rowsOf(f).map(r => r.replace('▸', '').trim().split(/\s+/)[0]);
		expect(prefixes.indexOf('10.1.0.9/32')).toBeLessThan(prefixes.indexOf('10.1.0.10/32'));
	});

	it('long peer names do not break the app panel: its columns stay aligned', async () => {
		const long = 'a-very-long-application-name-x';
		h = await openMemoryConsole({h1: world({blue: '10.1.0.0/24', green: '10.2.0.0/24'}, {[long]: ['blue', 'green']})});
		await h.waitFor('apps [1]');
		await h.press(KEY.enter);
		const f = await h.waitFor(`app(${long})`);
		const rows = f.split('\n').filter(l => /^\s+veth\d/.test(l));
		expect(rows).toHaveLength(2);
		expect(new Set(rows.map(r => r.indexOf('rp_filter'))).size).toBe(1);
		expect(rows.every(r => r.length <= 150)).toBe(true);
	});
});

describe('reachability from the console', () => {
	it('p pings at once (no confirmation); a failed ping shows both legs and the target that would fix the missing one', async () => {
		const w = world({front: '10.61.0.0/24', out: '10.62.0.0/24', office: '10.63.0.0/24'}, {web: ['front', 'out'], client: 'office'});
		// office reaches front; nothing brings office's routes into web's outbound network
		w.networks[2]!.targets.push({rt: w.networks[0]!.targets[0]!.rt, auto: false, import: true, export: false});
		h = await openMemoryConsole({h1: w});
		await h.waitFor('apps [2]');
		await h.press('g'); // client
		h.type('pweb\r');
		let f = await h.waitFor('ping web from client');
		expect(f).toContain('NOT reachable');
		expect(f).toMatch(/request\s+client 10\.63\.0\.2 → web 10\.61\.0\.2\s+VRF office: ok/);
		expect(f).toMatch(/reply\s+web 10\.61\.0\.2 → client 10\.63\.0\.2\s+VRF out: MISSING/);
		expect(f).toMatch(/fix\s+nsdeck rt add out target:64512:8000003 --import-only/);
		expect(f).toContain('✗ ping 10.61.0.2 from client: no reply');
		expect(h.backend().pings).toBe(1);
	});

	it('x on an app asks for a peer and shows explain APP PEER: both legs, each with its VRF and route', async () => {
		const w = world({front: '10.61.0.0/24', out: '10.62.0.0/24', office: '10.63.0.0/24'}, {web: ['front', 'out'], client: 'office'});
		w.networks[2]!.targets.push({rt: w.networks[0]!.targets[0]!.rt, auto: false, import: true, export: false});
		w.networks[1]!.targets.push({rt: w.networks[2]!.targets[0]!.rt, auto: false, import: true, export: false});
		h = await openMemoryConsole({h1: w});
		await h.waitFor('apps [2]');
		await h.press('g', 'x');
		await h.waitFor('explain client and a peer');
		h.type('w\t\r');
		const f = await h.waitFor('explain client web');
		expect(f).toContain('client ↔ web (10.61.0.2): reachable both ways');
		expect(f).toMatch(/request\s+client 10\.63\.0\.2 → web 10\.61\.0\.2\s+VRF office: ok/);
		expect(f).toMatch(/route\s+10\.61\.0\.2\/32 \(imported\)/);
		expect(f).toMatch(/reply\s+web 10\.61\.0\.2 → client 10\.63\.0\.2\s+VRF out: ok/);
	});
});

describe('first start', () => {
	it('an empty store opens on the welcome panel: what nsdeck is and the next moves; n starts from there', async () => {
		h = await openMemoryConsole({h1: emptyWorld()});
		let f = await h.waitFor('Welcome to nsdeck');
		expect(f).toContain('has no network and no app yet');
		expect(f).toMatch(/n\s+create a network/);
		expect(f).toMatch(/:demo\s+the guided demo/);
		expect(f).toMatch(/README: /);
		expect(f.split('\n').at(-1)).toMatch(/n new net/);
		await h.press('n');
		await h.waitFor('create a network');
		h.type('blue\t10.1.0.0/24\r');
		await h.waitFor('create network blue?');
		await h.press('y');
		f = await h.waitFor('✓ created network blue');
		expect(f).not.toContain('Welcome to nsdeck');
	});

	it('a read-only console on an empty store says how to get further', async () => {
		h = await openMemoryConsole({h1: emptyWorld()}, {readonly: true});
		const f = await h.waitFor('Welcome to nsdeck');
		expect(f).toContain('read-only console: start without --readonly');
		await h.press('n');
		await h.waitFor("read-only console: 'n' is disabled");
	});
});
