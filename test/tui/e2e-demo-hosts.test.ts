// `nsdeck demo --hosts 3` in a real terminal (tmux): a lab of three hosts (gobgpd and an agent each in its own
// namespace), web on h1, the client on h2; the console runs on h1 (inside its namespace); every step done (Enter) and
// proven on the kernel across hosts (HTTP through the VXLAN overlay); the hosts and targets views over the other
// hosts' real agents (https, pinned); `:host h2` through h2's agent with h1's route learned over BGP; quitting removes
// the scenario and the lab: no namespace, process or state is left. (The steps by keys are the single-host test's;
// this also covers what the lab console test did.)
import {existsSync} from 'node:fs';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {CLI} from '../helpers.js';
import {labPids, labSandbox, pidAlive} from '../lab-helpers.js';
import {tmuxTerminal} from './tmux.js';

const lab = labSandbox('t');
let term: ReturnType<typeof tmuxTerminal> | undefined;
let pids: number[] = [];

beforeAll(async () => {
	const {NSDECK_LAB_PREFIX, NSDECK_LAB_DIR, NSDECK_LAB_PORT, NSDECK_STATE_DIR} = lab.env;
	term = tmuxTerminal({NSDECK_LAB_PREFIX: NSDECK_LAB_PREFIX!, NSDECK_LAB_DIR: NSDECK_LAB_DIR!, NSDECK_LAB_PORT: NSDECK_LAB_PORT!, NSDECK_STATE_DIR: NSDECK_STATE_DIR!, NSDECK_NS_PREFIX: `${NSDECK_LAB_PREFIX}`});
	await term.waitScreen('e2e$');
});
afterAll(async () => {
	term?.close();
	await lab.cleanup();
}, 60_000);

async function proveStep(step: number, read?: string): Promise<string[]> {
	await term!.waitScreen(`demo ${step}/5:`, 15_000);
	await term!.keys('Enter'); // do it for me
	if (read) {
		// a step that shows something is proven once it was read and closed
		await term!.waitScreen(read, 15_000);
		await term!.keys('Escape');
	}
	const s = await term!.waitScreen(new RegExp(`demo ${step}/5: (NOT )?proven`), 20_000);
	expect(s).toContain(`demo ${step}/5: proven`);
	return s.split('\n').filter(l => /^ {3}[✓✗] /.test(l)).map(l => l.trim());
}

describe('the demo across three lab hosts', () => {
	it('builds the lab and the scenario, then opens the console on h1 at step 1', async () => {
		term!.text(`${process.execPath} ${CLI} demo --hosts 3`);
		await term!.keys('Enter');
		const s = await term!.waitScreen('demo 1/5: an app with its own outbound network', 90_000);
		expect(s.split('\n')[0]).toMatch(/host h1 │ controller gobgp .* 3 hosts DEMO 1\/5/);
		pids = labPids(lab.lab());
		expect(pids.every(pidAlive)).toBe(true);
	}, 120_000);

	it('every step is proven on the kernel, across hosts', async () => {
		expect(await proveStep(1)).toHaveLength(2);
		await term!.keys('Enter');
		const lost = await proveStep(2, 'explain web 10.63.');
		expect(lost).toEqual([expect.stringMatching(/^✓ client → web: HTTP 10\.61\.0\.2 gets no answer/), expect.stringMatching(/^✓ client → web: ping 10\.61\.0\.2 gets no reply/)]);
		await term!.keys('Enter');
		const imported = await proveStep(3);
		expect(imported[0]).toMatch(/^✓ client → web: HTTP 10\.61\.0\.2 answers .*\[200 hello from web\]/);
		expect(imported.every(p => p.startsWith('✓'))).toBe(true);
		await term!.keys('Enter');
		expect((await proveStep(4)).every(p => p.startsWith('✓'))).toBe(true);
	}, 120_000);

	it('the hosts view shows h2 and h3 through their agents; the targets view marks web-out\'s imports on h1 only', async () => {
		await term!.keys('Enter', 'Escape', '7');
		// the console runs inside h1's namespace; the others' agents answer https on their underlay addresses, pinned
		let s = await term!.waitScreen(x => /h2\s+https:\/\/192\.168\.100\.2:\d+\s+reachable\s+gobgp\s+up/.test(x) && /h3\s+https:\/\/192\.168\.100\.3:\d+\s+reachable\s+gobgp\s+up/.test(x), 15_000);
		expect(s).toMatch(/\*\s+h1\s+\(in process\)\s+this host\s+gobgp/);
		await term!.keys('4');
		s = await term!.waitScreen(x => x.includes('≠ differ') && !/\s…\s/.test(x), 15_000);
		expect(s).toMatch(/web-out\s+target:64512:900\s+≠ differ\s+I\s+·\s+·/);
		expect(s).toMatch(/web-out\s+target:64512:\d+\s+≠ differ\s+I\s+·\s+·/);
	}, 60_000);

	it(':host h2 switches to h2 through its agent: the client, and web\'s route learned over BGP from h1', async () => {
		term!.text(':host h2');
		await term!.keys('Enter');
		await term!.waitScreen('✓ switched to h2', 15_000);
		await term!.keys('1');
		let s = await term!.waitScreen(/client\s+\S+ns-client\s+office\s+10\.63\.1\.\d+/);
		expect(s.split('\n')[0]).toMatch(/host h2 @ https:\/\/192\.168\.100\.2:\d+ │ controller gobgp/);
		term!.text(':routes office');
		await term!.keys('Enter');
		s = await term!.waitScreen(/10\.61\.0\.2\/32\s+remote\s+host h1 rd 192\.168\.100\.1:\d+ nh 192\.168\.100\.1/, 15_000);
	}, 60_000);

	it('quitting removes the scenario and the lab: no namespace, process or state left', async () => {
		await term!.keys('q');
		await term!.waitScreen(/demo --hosts 3\s*\n(.*\n)*e2e\$\s*$/, 60_000);
		expect(lab.namespaces()).toEqual([]);
		expect(pids.filter(pidAlive)).toEqual([]);
		expect(existsSync(lab.dir)).toBe(false);
	}, 90_000);
});
