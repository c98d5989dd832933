// `nsdeck --host NAME` in a real terminal (tmux): the built console opens on another host through its agent's API
// (a second sandbox served by the agent's HTTP server), shows that host's apps, lists both hosts, switches back to
// this one, and quits with the terminal given back.
import {mkdtempSync, rmSync} from 'node:fs';
import type {Server} from 'node:http';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {serveApi} from '../../source/agent/api.js';
import {openContext, type Context} from '../../source/provision/context.js';
import {CLI, ok, sandbox} from '../helpers.js';
import {tmuxTerminal} from './tmux.js';

const sb1 = sandbox();
const sb2 = sandbox();
const xdg = mkdtempSync(join(tmpdir(), 'nsdeck-xdg-'));
let ctx2: Context | undefined;
let server: Server | undefined;
let url2 = '';
let term: ReturnType<typeof tmuxTerminal> | undefined;

beforeAll(async () => {
	await ok(sb2.nsdeck(['host', 'set', '--name', 'h2', '--vtep', '192.168.100.2']));
	await ok(sb2.nsdeck(['net', 'create', 'blue', '--subnet', '10.74.0.0/24']));
	await ok(sb2.nsdeck(['bind', 'far', '--network', 'blue']));
	ctx2 = openContext(sb2.env);
	server = await serveApi(ctx2, {port: 0, health: () => ({gobgp: false}), log: () => {}});
	const address = server.address();
	url2 = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
	await ok(sb1.nsdeck(['host', 'set', '--name', 'h1', '--vtep', '192.168.100.1', '--agent', `h2=${url2}`, '--agent-token', `h2=${join(sb2.stateDir, 'agent.token')}`]));
	await ok(sb1.nsdeck(['net', 'create', 'blue', '--subnet', '10.74.0.0/24']));
	await ok(sb1.nsdeck(['bind', 'near', '--network', 'blue']));
	term = tmuxTerminal({NSDECK_NS_PREFIX: sb1.prefix, NSDECK_STATE_DIR: sb1.stateDir, XDG_CONFIG_HOME: xdg});
	await term.waitScreen('e2e$');
});
afterAll(async () => {
	term?.close();
	await new Promise<void>(r => (server ? server.close(() => r()) : r()));
	ctx2?.close();
	sb1.cleanup();
	sb2.cleanup();
	rmSync(xdg, {recursive: true, force: true});
});

describe('nsdeck --host in a terminal', () => {
	it('opens on the other host through its agent: its header, its apps', async () => {
		term!.text(`${process.execPath} ${CLI} --host h2`);
		await term!.keys('Enter');
		const s = await term!.waitScreen('apps [1]');
		expect(s.split('\n')[0]).toContain(`host h2 @ ${url2} │ controller local │ prefix ${sb2.prefix}`);
		expect(s).toMatch(new RegExp(`far\\s+${sb2.prefix}ns-far\\s+blue\\s+10\\.74\\.0\\.2`));
		expect(s).not.toMatch(/near\s+/);
	});

	it('7 lists both hosts; Enter on h1 switches back to this host and its apps', async () => {
		await term!.keys('7');
		let s = await term!.waitScreen(x => x.includes('hosts [2]') && x.includes('this host'));
		expect(s).toMatch(/h1\s+\(in process\)\s+this host/);
		expect(s).toMatch(new RegExp(`\\*\\s+h2\\s+${url2.replace(/\./g, '\\.')}\\s+reachable`));
		await term!.keys('g', 'Enter');
		s = await term!.waitScreen('✓ switched to h1 (this host)');
		expect(s).toMatch(new RegExp(`near\\s+${sb1.prefix}ns-near\\s+blue`));
	});

	it('q gives the terminal back with exit 0', async () => {
		await term!.keys('q');
		await term!.waitScreen(/--host h2\s*\ne2e\$/);
		term!.text('echo "exit=$?"');
		await term!.keys('Enter');
		await term!.waitScreen('exit=0');
	});
});
