// The whole guided demo in a real terminal (tmux), on the real kernel: an empty store opens on the welcome panel,
// `:demo` builds the scenario in a prefix and store of its own, every step is completed by keys and proven on the
// kernel (HTTP and ping from inside the namespaces, shown on screen and checked here again), and quitting leaves
// nothing: no namespace, link, process or state of the demo.
import {spawnSync} from 'node:child_process';
import {existsSync, mkdtempSync, readdirSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {CLI, ping, sandbox} from '../helpers.js';
import {tmuxTerminal} from './tmux.js';

const sb = sandbox();
const demoPrefix = `${sb.prefix}d-`;
const demoDir = `${sb.stateDir}-demo`;
const xdg = mkdtempSync(join(tmpdir(), 'nsdeck-xdg-'));
let term: ReturnType<typeof tmuxTerminal>;
let webPid = 0;

beforeAll(async () => {
	term = tmuxTerminal({NSDECK_NS_PREFIX: sb.prefix, NSDECK_STATE_DIR: sb.stateDir, XDG_CONFIG_HOME: xdg});
	await term.waitScreen('e2e$');
});
afterAll(() => {
	term?.close();
	// whatever a failed run left: the demo's namespaces carry the sandbox's prefix, its state sits beside the sandbox's
	spawnSync(process.execPath, [CLI, 'demo', 'clean'], {env: sb.env});
	sb.cleanup();
	rmSync(demoDir, {recursive: true, force: true});
	rmSync(xdg, {recursive: true, force: true});
});

const demoNamespaces = () => (existsSync('/run/netns') ? readdirSync('/run/netns').filter(n => n.startsWith(demoPrefix)) : []);
const ns = (app: string) => `${demoPrefix}ns-${app}`;

/** Waits for a step's proof card and returns its ✓ / ✗ lines. */
async function proven(step: number): Promise<string[]> {
	const s = await term.waitScreen(new RegExp(`demo ${step}/5: (NOT )?proven`), 15_000);
	expect(s).toContain(`demo ${step}/5: proven`);
	return s.split('\n').filter(l => /^ {3}[✓✗] /.test(l)).map(l => l.trim());
}

describe('the guided demo, end to end in a terminal', () => {
	it('an empty store opens on the welcome panel', async () => {
		term.text(`${process.execPath} ${CLI}`);
		await term.keys('Enter');
		const s = await term.waitScreen('Welcome to nsdeck');
		expect(s).toMatch(/:demo\s+the guided demo/);
	});

	it(':demo builds the scenario in a prefix and store of its own and shows step 1', async () => {
		term.text(':demo');
		await term.keys('Enter');
		const s = await term.waitScreen('demo 1/5: an app with its own outbound network', 20_000);
		expect(s.split('\n')[0]).toMatch(new RegExp(`host demo \\(on \\S+\\) │ controller local │ prefix ${demoPrefix} │ 3 nets │ 2 apps .* DEMO 1/5`));
		expect(demoNamespaces().sort()).toEqual([ns('client'), ns('web'), `${demoPrefix}nsdeck-gw`, `${demoPrefix}nsdeck-vr`].sort());
		expect(sb.namespaces().filter(n => !n.startsWith(demoPrefix))).toEqual([]); // nothing in the host's own prefix
	});

	it('step 1 by keys: web\'s namespace; proven: its default route leaves by web-out, its daemon answers HTTP', async () => {
		await term.keys('Escape', 'G', 'Enter');
		const proofs = await proven(1);
		expect(proofs).toEqual([expect.stringMatching(/^✓ web's default route leaves by veth1 \(web-out\)\s+\[default via 169\.254\.1\.1 dev veth1 (proto 77 )?onlink\]/), expect.stringMatching(/^✓ web's daemon answers HTTP on 10\.61\.0\.2:80\s+\[200 hello from web\]/)]);
		webPid = Number(/process (\d+) running/.exec(term.screen())![1]);
		expect(existsSync(`/proc/${webPid}`)).toBe(true);
	});

	it('step 2 by keys: x on the client, peer web; proven: the request arrives, the reply is lost', async () => {
		await term.keys('Enter');
		await term.waitScreen('demo 2/5: the request arrives, the reply is lost');
		await term.keys('Escape', '1', 'g', 'x');
		await term.waitScreen('explain client and a peer');
		term.text('web');
		await term.keys('Enter');
		const s = await term.waitScreen('explain client web');
		expect(s).toMatch(/reply\s+web 10\.61\.0\.2 → client 10\.63\.0\.2\s+VRF web-out: MISSING/);
		expect(s).toMatch(/kernel\s+\S+nsdeck-vr: ip route get 10\.63\.0\.2 from 10\.61\.0\.2 iif \S+ → No route to host/);
		expect(s).toMatch(/fix\s+nsdeck rt add web-out target:64512:\d+ --import-only/);
		await term.keys('Escape');
		const proofs = await proven(2);
		expect(proofs).toHaveLength(2);
		expect(proofs.every(p => p.startsWith('✓'))).toBe(true);
		expect(ping(ns('client'), '10.61.0.2')).toBe(false);
	});

	it('step 3 by keys: web-out imports office\'s routes, import-only, after the preview; proven both ways', async () => {
		await term.keys('Enter');
		const card = await term.waitScreen('demo 3/5: web-out imports office\'s routes, import-only');
		const target = /type (64512:\d+) \(Tab completes\)/.exec(card)![1]!;
		await term.keys('Escape', '2', 'G', 'i');
		await term.waitScreen('import-only targets of web-out');
		term.text(target);
		await term.keys('Enter');
		const s = await term.waitScreen(`add import target target:${target} to web-out?  (y/n)`);
		// both legs counted: the client now reaches web (request by office, reply by web-out)
		expect(s).toMatch(/client \(inbound office\): \+1 reachable \(10\.61\.0\.2\/32\)/);
		await term.keys('y');
		const proofs = await proven(3);
		expect(proofs).toEqual([
			expect.stringMatching(/^✓ client → web: HTTP 10\.61\.0\.2 answers .*\[200 hello from web\]/),
			expect.stringMatching(/^✓ client → web: ping 10\.61\.0\.2 answers/),
			expect.stringMatching(/^✓ web → client: ping 10\.63\.0\.2 from web's outbound address 10\.62\.0\.2 gets no reply \(import-only/),
		]);
		expect(ping(ns('client'), '10.61.0.2')).toBe(true);
	});

	it('step 4 by keys: web-out imports the uplink; proven: web reaches it, the client does not', async () => {
		await term.keys('Enter');
		await term.waitScreen("demo 4/5: web's outbound traffic leaves by the uplink");
		await term.keys('Escape', 'i');
		await term.waitScreen('import-only targets of web-out');
		term.text('64512:900');
		await term.keys('Enter');
		await term.waitScreen('add import target target:64512:900 to web-out?  (y/n)');
		await term.keys('y');
		const proofs = await proven(4);
		expect(proofs).toEqual([expect.stringMatching(/^✓ web → uplink: ping 203\.0\.113\.1 answers/), expect.stringMatching(/^✓ client → uplink: ping 203\.0\.113\.1 fails/)]);
		expect(ping(ns('web'), '203.0.113.1')).toBe(true);
		expect(ping(ns('client'), '203.0.113.1')).toBe(false);
	});

	it('quitting removes the demo: no namespace, link, process or state is left, and the terminal is a shell again', async () => {
		await term.keys('Enter');
		await term.waitScreen('demo 5/5: done: every step proven on the kernel');
		await term.keys('Escape', 'q');
		await term.waitScreen(/dist\/cli\.js\s*\ne2e\$/, 20_000);
		term.text('echo "exit=$?"');
		await term.keys('Enter');
		await term.waitScreen('exit=0');
		expect(demoNamespaces()).toEqual([]);
		expect(spawnSync('ip', ['-o', 'link', 'show'], {encoding: 'utf8'}).stdout).not.toContain(demoPrefix);
		expect(existsSync(`/proc/${webPid}`)).toBe(false);
		expect(existsSync(demoDir)).toBe(false);
	});

	it('a terminal closed under a running demo still removes it (nsdeck demo clean, started on the hang-up)', async () => {
		term.text(`${process.execPath} ${CLI} demo`);
		await term.keys('Enter');
		await term.waitScreen('demo 1/5:', 20_000);
		expect(demoNamespaces().length).toBe(4);
		term.close(); // the terminal goes: SIGHUP
		// the clean runs in a process of its own, after the console is gone: allow for a loaded machine
		const end = Date.now() + 60_000;
		while ((demoNamespaces().length > 0 || existsSync(demoDir)) && Date.now() < end) await new Promise(r => setTimeout(r, 100));
		expect(demoNamespaces()).toEqual([]);
		expect(existsSync(demoDir)).toBe(false);
	});
});
