// The console over a real lab: two emulated hosts, each with its gobgpd and its agent in its own namespace (lab up
// registers each host's agent, https on its underlay address with its certificate pinned, in the other's store). The
// real console runs on h1 as an operator would there (tmux, inside h1's namespace), switches to h2 through h2's agent
// over TLS and sees h2's apps; a target added on h1 only is marked as a disagreement in the targets view.
import {execFileSync, spawnSync} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {CLI, ok} from '../helpers.js';
import {labSandbox} from '../lab-helpers.js';

const lab = labSandbox('t');
const socket = `nsdeck-lab-${randomBytes(3).toString('hex')}`;
const xdg = mkdtempSync(join(tmpdir(), 'nsdeck-xdg-'));
const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socket, ...args], {encoding: 'utf8'});
afterAll(async () => {
	spawnSync('tmux', ['-L', socket, 'kill-server']);
	rmSync(join(process.env.TMUX_TMPDIR ?? '/tmp', `tmux-${process.getuid?.() ?? 0}`, socket), {force: true});
	rmSync(xdg, {recursive: true, force: true});
	await lab.cleanup();
}, 60_000);

const screen = () => tmux('capture-pane', '-p', '-t', 'lab');
const keys = (...k: string[]) => tmux('send-keys', '-t', 'lab', ...k);
const text = (t: string) => tmux('send-keys', '-t', 'lab', '-l', t);
async function waitScreen(what: string | RegExp, timeout = 15_000): Promise<string> {
	const end = Date.now() + timeout;
	for (;;) {
		const s = screen();
		if (typeof what === 'string' ? s.includes(what) : what.test(s)) return s;
		if (Date.now() > end) throw new Error(`timed out waiting for ${String(what)} on screen:\n${s}`);
		await new Promise(r => setTimeout(r, 50));
	}
}

beforeAll(async () => {
	await ok(lab.nsdeck(['lab', 'up', '--hosts', '2']));
	const h1 = lab.host('h1');
	const env = {NSDECK_NS_PREFIX: h1.prefix, NSDECK_STATE_DIR: h1.stateDir, XDG_CONFIG_HOME: xdg, PS1: 'lab$ ', TERM: 'xterm-256color'};
	// a shell on "h1": inside its underlay namespace, where h2's agent is reachable at its underlay address
	tmux('new-session', '-d', '-s', 'lab', '-x', '150', '-y', '30', ...Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]), 'ip', 'netns', 'exec', h1.underlayNs, 'bash', '--norc', '--noprofile');
	await waitScreen('lab$');
}, 120_000);

describe('the console on h1 of a lab', () => {
	it('lists h2 (https, from lab up), switches to it over TLS and shows h2\'s apps and h1\'s routes there', async () => {
		const h2 = lab.host('h2');
		text(`${process.execPath} ${CLI} --view hosts`);
		keys('Enter');
		let s = await waitScreen(new RegExp(`h2\\s+https://192\\.168\\.100\\.2:${h2.agentPort}\\s+reachable\\s+gobgp\\s+up`), 20_000);
		expect(s).toMatch(/host h1 │ controller gobgp/);
		expect(s).toMatch(/\*\s+h1\s+\(in process\)\s+this host\s+gobgp/);
		keys('j', 'Enter');
		s = await waitScreen('✓ switched to h2');
		expect(s).toContain(`host h2 @ https://192.168.100.2:${h2.agentPort}`);
		expect(s).toMatch(new RegExp(`blue2\\s+${h2.prefix}ns-blue2\\s+blue`));
		expect(s).toMatch(/red2\s+/);
		expect(s).not.toMatch(/blue1\s+/);
		// h2's routes view shows h1's app as a remote route, with host, RD and next hop
		text(':routes blue');
		keys('Enter');
		await waitScreen(/remote\s+host h1 rd 192\.168\.100\.1:\d+ nh 192\.168\.100\.1/);
	}, 60_000);

	it('a target added on h1 only is marked ≠ in the targets view, side by side with h2', async () => {
		await ok(lab.on('h1', ['rt', 'add', 'blue', '64512:4242', '--import-only']));
		keys('4');
		const s = await waitScreen(/blue\s+target:64512:4242\s+I\s+·\s+≠ differ/);
		expect(s).toMatch(/NETWORK\s+TARGET\s+h1\s+\*h2\s+HOSTS/);
		// the targets lab up sets on every host agree; the gateway's target is imported on h1 only (lab up does so)
		expect(s).toMatch(/red\s+target:\S+\s+IE\s+IE\s+same/);
		expect(s).toMatch(/red\s+target:64512:999\s+I\s+·\s+≠ differ/);
		keys('q');
		await waitScreen(/^lab\$\s*$/m);
	}, 30_000);
});
