// Issue 8, seen 5 (reconcile disrupts live apps): a daemon is tracked by its namespace, not only its pid. A forking
// daemon is healthy (reconcile leaves it alone, no audit row, no address re-added) and unbind stops it; the command
// is recorded before it starts (a kill between converge and recording loses nothing); a command that cannot start
// is exit 1 with the reason; reconcile restarts a recorded command that is not running.
import {chmodSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {ok, ping, sandbox, storeDump} from '../helpers.js';
import {alive, dryRunChanges, expectOneLine, markerCommand, pidsIn, pidsRunning, statusJson, waitFor, watchAddresses} from '../trust-helpers.js';

const sb = sandbox();
const daemon = markerCommand(); // `sleep N`, N unique to this file
const [, seconds] = daemon as [string, string];
afterAll(() => {
	for (const ns of sb.namespaces()) for (const pid of pidsIn(ns)) process.kill(pid, 'SIGKILL');
	for (const pid of pidsRunning(daemon)) process.kill(pid, 'SIGKILL');
	sb.cleanup();
});

beforeAll(async () => {
	await ok(sb.nsdeck(['net', 'create', 'blue', '--subnet', '10.176.0.0/24']));
	await ok(sb.nsdeck(['bind', 'peer', '--network', 'blue']));
});

const appOf = async (name: string) => (await statusJson(sb)).apps.find(a => a.name === name);

/** Address events of an app while `during` runs: a healthy app's addresses must not be deleted and re-added. */
async function addressEvents(app: string, during: () => Promise<unknown>): Promise<string> {
	const watch = watchAddresses(sb, app);
	await new Promise(r => setTimeout(r, 100));
	await during();
	return watch.stop();
}

describe('a command that cannot start (seen 5; spec 5)', () => {
	it('bind -- /nonexistent/prog: exit 1, "No such file", the bind undone', async () => {
		const r = await sb.nsdeck(['bind', 'ghost', '--network', 'blue', '--', '/nonexistent/prog']);
		expect(r.code, r.stdout).toBe(1);
		expect(expectOneLine(r)).toMatch(/no such file/i);
		expect(sb.namespaces()).not.toContain(sb.ns('ghost'));
		expect(await appOf('ghost')).toBeUndefined();
	});

	it('bind -- a file that is not executable: exit 1, "not executable", the bind undone', async () => {
		const file = join(sb.stateDir, 'not-a-program');
		writeFileSync(file, '#!/bin/sh\nexit 0\n');
		chmodSync(file, 0o644);
		const r = await sb.nsdeck(['bind', 'noexec', '--network', 'blue', '--', file]);
		expect(r.code, r.stdout).toBe(1);
		expect(expectOneLine(r)).toMatch(/not executable/i);
		expect(sb.namespaces()).not.toContain(sb.ns('noexec'));
		expect(await appOf('noexec')).toBeUndefined();
	});
});

describe('a daemon that forks (seen 5; spec 5)', () => {
	let child = 0;
	let address = '';
	beforeAll(async () => {
		await ok(sb.nsdeck(['bind', 'forker', '--network', 'blue', '--', 'sh', '-c', `sleep ${seconds} & exit 0`]));
		expect(await waitFor(() => pidsIn(sb.ns('forker')).length === 1)).toBe(true);
		child = pidsIn(sb.ns('forker'))[0]!;
		address = (await appOf('forker'))!.ifaces[0]!.address;
	});

	it('is running as far as status can tell: its namespace holds a process', async () => {
		const a = (await appOf('forker'))!;
		expect(a.process?.running).toBe(true);
		expect(a.drift).toEqual([]);
	});

	it('reconcile leaves it alone: in sync, no audit row, no address deleted and added again (twice over)', async () => {
		const store = storeDump(sb.stateDir);
		const events = await addressEvents('forker', async () => {
			expect((await ok(sb.nsdeck(['reconcile']))).stdout.trim()).toBe('in sync: nothing to do');
			expect((await ok(sb.nsdeck(['reconcile']))).stdout.trim()).toBe('in sync: nothing to do');
		});
		expect(events).toBe('');
		expect(storeDump(sb.stateDir)).toBe(store);
		expect(alive(child)).toBe(true);
	});

	it('unbind stops the forked daemon; its address goes to the next bind, and reaches that app', async () => {
		await ok(sb.nsdeck(['unbind', 'forker']));
		expect(await waitFor(() => !alive(child))).toBe(true);
		await ok(sb.nsdeck(['bind', 'next', '--network', 'blue']));
		expect((await appOf('next'))!.ifaces[0]!.address).toBe(address);
		expect(ping(sb.ns('peer'), address)).toBe(true);
		expect(ping(sb.ns('next'), (await appOf('peer'))!.ifaces[0]!.address)).toBe(true);
		expect(pidsRunning(daemon)).toEqual([]);
	});

	it('unbind stops a daemon\'s children too (sh waiting on its child), not only the recorded pid', async () => {
		await ok(sb.nsdeck(['bind', 'parent', '--network', 'blue', '--', 'sh', '-c', `sleep ${seconds} & wait`]));
		expect(await waitFor(() => pidsIn(sb.ns('parent')).length === 2)).toBe(true);
		const all = pidsIn(sb.ns('parent'));
		await ok(sb.nsdeck(['unbind', 'parent']));
		expect(await waitFor(() => all.every(p => !alive(p)))).toBe(true);
		expect(pidsRunning(daemon)).toEqual([]);
	});
});

describe('the command is intent: recorded before it starts, restarted when gone (seen 5; spec 5)', () => {
	it('SIGKILL between converge and recording the pid (NSDECK_FAULT=started): the command is kept, reconcile starts it', async () => {
		const r = await sb.nsdeck(['bind', 'late', '--network', 'blue', '--', ...daemon], {NSDECK_FAULT: 'started'});
		expect(r.signal).toBe('SIGKILL');
		expect((await appOf('late'))?.process?.command).toEqual(daemon);
		await ok(sb.nsdeck(['reconcile']));
		expect(await waitFor(() => pidsIn(sb.ns('late')).length === 1)).toBe(true);
		expect(pidsRunning(daemon).length).toBe(1);
		const a = (await appOf('late'))!;
		expect(a.process).toMatchObject({running: true, command: daemon});
		expect(await dryRunChanges(sb)).toEqual([]);
		await ok(sb.nsdeck(['unbind', 'late']));
		expect(await waitFor(() => pidsRunning(daemon).length === 0)).toBe(true);
	});

	it('a recorded command that is not running: drift, `reconcile --dry-run` says it would start it, reconcile does (a new pid)', async () => {
		const bound = JSON.parse((await ok(sb.nsdeck(['bind', 'web', '--network', 'blue', '--json', '--', ...daemon]))).stdout);
		const old = bound.pid as number;
		expect(alive(old)).toBe(true);
		process.kill(old, 'SIGKILL');
		expect(await waitFor(() => !alive(old))).toBe(true);
		const a = (await appOf('web'))!;
		expect(a.process?.running).toBe(false);
		expect(a.drift.join(' ')).toMatch(new RegExp(`process|command|${seconds}`));
		const planned = await dryRunChanges(sb);
		expect(planned.some(c => /process|command/.test(`${c.what} ${c.detail}`) && `${c.what} ${c.detail}`.includes('web'))).toBe(true);
		const events = await addressEvents('web', () => ok(sb.nsdeck(['reconcile'])));
		expect(events).toBe('');
		expect(await waitFor(() => pidsIn(sb.ns('web')).length === 1)).toBe(true);
		const now = (await appOf('web'))!.process!;
		expect(now.running).toBe(true);
		expect(now.pid).not.toBe(old);
		expect((await ok(sb.nsdeck(['reconcile']))).stdout.trim()).toBe('in sync: nothing to do');
		await ok(sb.nsdeck(['unbind', 'web']));
		expect(await waitFor(() => pidsRunning(daemon).length === 0)).toBe(true);
	});
});
