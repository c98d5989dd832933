// The console over a real lab: two emulated hosts, each with its gobgpd and its agent (lab up registers each host's
// agent in the other's store). Opened on h1 in process, it switches to h2 through h2's agent and sees h2's apps; a
// target added on h1 only is marked as a disagreement in the targets view.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {ok} from '../helpers.js';
import {labSandbox} from '../lab-helpers.js';
import {type Harness, KEY, openTestConsole, rowsOf} from './harness.js';

const lab = labSandbox('t');
let h: Harness | undefined;
afterAll(async () => {
	h?.close();
	await lab.cleanup();
}, 60_000);

beforeAll(async () => {
	await ok(lab.nsdeck(['lab', 'up', '--hosts', '2']));
}, 120_000);

describe('the console on h1 of a lab', () => {
	it('lists h2 (from lab up), switches to it and shows h2\'s apps', async () => {
		const h1 = lab.host('h1');
		h = await openTestConsole({env: {...lab.env, NSDECK_STATE_DIR: h1.stateDir, NSDECK_NS_PREFIX: h1.prefix} as NodeJS.ProcessEnv}, {initial: {id: 'hosts'}});
		let f = await h.waitFor(x => /h2\s+http:\/\/127\.0\.0\.1:\d+\s+reachable\s+gobgp\s+up/.test(x), 15_000);
		expect(f.split('\n')[0]).toMatch(/host h1 │ controller gobgp/);
		expect(rowsOf(f)[0]).toMatch(/\*\s+h1\s+\(in process\)\s+this host\s+gobgp/);
		await h.press('j', KEY.enter);
		f = await h.waitFor('✓ switched to h2', 10_000);
		expect(f.split('\n')[0]).toContain(`host h2 @ http://127.0.0.1:${lab.host('h2').agentPort}`);
		const rows = rowsOf(f).join('\n');
		expect(rows).toMatch(new RegExp(`blue2\\s+${lab.host('h2').prefix}ns-blue2\\s+blue`));
		expect(rows).toMatch(/red2\s+/);
		expect(rows).not.toMatch(/blue1\s+/);
		// h2's routes view shows h1's app as a remote route, with host, RD and next hop
		h.type(':routes blue\r');
		await h.waitFor(/remote\s+host h1 rd 192\.168\.100\.1:\d+ nh 192\.168\.100\.1/, 10_000);
	}, 60_000);

	it('a target added on h1 only is marked ≠ in the targets view, side by side with h2', async () => {
		await ok(lab.on('h1', ['rt', 'add', 'blue', '64512:4242', '--import-only']));
		await h!.press('4');
		const f = await h!.waitFor(/blue\s+target:64512:4242\s+≠ differ\s+I\s+·/, 10_000);
		expect(f.split('\n')[2]).toMatch(/NETWORK\s+TARGET\s+HOSTS\s+h1\s+\*h2/);
		// the targets lab up sets on every host agree; the gateway's target is imported on h1 only (lab up does so)
		expect(f).toMatch(/red\s+target:\S+\s+same\s+IE\s+IE/);
		expect(f).toMatch(/red\s+target:64512:999\s+≠ differ\s+I\s+·/);
		expect(rowsOf(f).filter(r => r.includes('≠'))).toHaveLength(2);
	}, 30_000);
});
