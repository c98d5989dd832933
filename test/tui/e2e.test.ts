// The real built `nsdeck` (node dist/cli.js) in a real terminal (tmux), against real namespaces: an operator binds
// an app, gives it an outbound network, imports the inbound network's routes there after reading the preview, and
// quits. Each change is checked on the screen and in the kernel; then the terminal must be back to a shell.
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {CLI, ip, ok, sandbox, tableRoutes} from '../helpers.js';
import {tmuxTerminal} from './tmux.js';

const sb = sandbox();
const xdg = mkdtempSync(join(tmpdir(), 'nsdeck-xdg-'));
let term: ReturnType<typeof tmuxTerminal> | undefined;
afterAll(() => {
	term?.close();
	sb.cleanup();
	rmSync(xdg, {recursive: true, force: true});
});

const tmux = (...args: string[]) => term!.tmux(...args);
const keys = (...k: string[]) => tmux('send-keys', '-t', 'e2e', ...k);
const text = (t: string) => term!.text(t);
const waitScreen = (what: string | RegExp, timeout?: number) => term!.waitScreen(what, timeout);

let blueRt = '';
let greenTable = '';
beforeAll(async () => {
	await ok(sb.nsdeck(['net', 'create', 'blue', '--subnet', '10.98.0.0/24']));
	await ok(sb.nsdeck(['net', 'create', 'green', '--subnet', '10.99.0.0/24']));
	blueRt = JSON.parse((await ok(sb.nsdeck(['net', 'show', 'blue', '--json']))).stdout).targets[0].rt;
	greenTable = JSON.parse((await ok(sb.nsdeck(['net', 'show', 'green', '--json']))).stdout).table;
	term = tmuxTerminal({NSDECK_NS_PREFIX: sb.prefix, NSDECK_STATE_DIR: sb.stateDir, XDG_CONFIG_HOME: xdg}, {columns: 150, rows: 36});
	await waitScreen('e2e$');
});

describe('nsdeck in a terminal (tmux), end to end', () => {
	it('opens the console full screen on the alternate screen', async () => {
		text(`${process.execPath} ${CLI}`);
		keys('Enter');
		const s = await waitScreen('apps [0]');
		expect(s).toMatch(/nsdeck │ host \S+ │ controller local │ prefix t[0-9a-f]+- │ 2 nets │ 0 apps │ 0 routes/);
		expect(tmux('display', '-p', '-t', 'e2e', '#{alternate_on}').trim()).toBe('1');
	});

	it('binds an app from the console: on screen, then in the kernel', async () => {
		keys('b');
		await waitScreen('bind an app');
		text('web');
		keys('Tab');
		text('blue');
		keys('Enter');
		let s = await waitScreen('bind web?  (y/n)');
		expect(s).toMatch(/\+ 10\.98\.0\.2\/32\s+local web \(inbound\)/);
		keys('y');
		s = await waitScreen('✓ bound web: 10.98.0.2 in blue');
		expect(s).toMatch(/web\s+t[0-9a-f]+-ns-web\s+blue\s+10\.98\.0\.2\s+-\s+-\s+blue/);
		expect(sb.namespaces()).toContain(sb.ns('web'));
		expect(ip(sb.ns('web'), '-4', '-br', 'addr', 'show', 'dev', 'veth0')).toContain('10.98.0.2/32');
		expect(ip(sb.ns('web'), 'route', 'show', 'default').trim()).toBe('default via 169.254.1.1 dev veth0 proto 77 onlink');
	});

	it('gives it an outbound network after the preview: the default route moves to veth1', async () => {
		keys('o');
		await waitScreen(/outbound\s+‹ green ›/);
		keys('Enter');
		let s = await waitScreen('set the outbound network of web to green?  (y/n)');
		expect(s).toContain('default route of web: via its inbound network → via green');
		expect(s).toMatch(/\+ 10\.99\.0\.2\/32\s+local web \(outbound\)/);
		expect(ip(sb.ns('web'), 'route', 'show', 'default').trim()).toBe('default via 169.254.1.1 dev veth0 proto 77 onlink');
		keys('y');
		s = await waitScreen('✓ web: outbound green, default route via green');
		await waitScreen(/web\s+t[0-9a-f]+-ns-web\s+blue\s+10\.98\.0\.2\s+green\s+10\.99\.0\.2\s+green/);
		expect(ip(sb.ns('web'), 'route', 'show', 'default').trim()).toBe('default via 169.254.1.1 dev veth1 proto 77 onlink');
	});

	it('adds an import-only target to the outbound network, previewed first: the route lands in its vrouter table', async () => {
		keys('2');
		await waitScreen('nets [2]');
		keys('j', 'i');
		await waitScreen('import-only targets of green');
		text(blueRt);
		keys('Enter');
		const s = await waitScreen(`add import target ${blueRt} to green?  (y/n)`);
		expect(s).toMatch(/VRF green: \+1 -0/);
		expect(s).toMatch(new RegExp(`\\+ 10\\.98\\.0\\.2/32\\s+from blue \\(web\\) by ${blueRt}`));
		expect(s).toContain('no app changes reachability'); // web's own address: nobody reaches anything new
		expect(tableRoutes(sb.vrouter, greenTable)).not.toContain(`10.98.0.2 dev ${sb.prefix}vi-web`);
		keys('y');
		await waitScreen(`✓ green: added import target ${blueRt} (+1 -0 routes)`);
		await waitScreen(new RegExp(`green\\s+10\\.99\\.0\\.0/24.*${blueRt.replace('target:', '')}\\(i\\)`));
		expect(tableRoutes(sb.vrouter, greenTable)).toContain(`10.98.0.2 dev ${sb.prefix}vi-web`);
		expect(Number(greenTable)).toBeGreaterThan(1000);
		keys('3');
		await waitScreen(/routes\(green\)/);
		await waitScreen(/10\.98\.0\.2\/32\s+imported\s+blue: web \(inbound\)\s+target:\S+\s+yes/);
	});

	it('q quits and gives the terminal back: main screen, cooked mode, cursor shown, exit 0', async () => {
		keys('q');
		await waitScreen(/dist\/cli\.js\s*\ne2e\$/);
		expect(tmux('display', '-p', '-t', 'e2e', '#{alternate_on} #{cursor_flag}').trim()).toBe('0 1');
		text('echo "exit=$?"; stty -a | grep -o -- "-\\?icanon" | head -1; stty -a | grep -o -- "-\\?echo " | head -1');
		keys('Enter');
		const s = await waitScreen(/exit=\d+\n(-?icanon)\n(-?echo) *\n/);
		expect(s).toContain('exit=0');
		expect(s).toMatch(/\nicanon\n/); // line mode is back (raw mode would be -icanon)
		expect(s).toMatch(/\necho *\n/); // and the terminal echoes again
		expect(s).not.toContain('apps [1]'); // the console's screen is gone with the alternate screen
	});
});
