// Issue 8, seen 9 (smaller): `status --json | true` prints no stack trace; a route from a BGP speaker that is not an
// nsdeck host is named by the router, not `remote ?`. (The agent's bodies are in trust-agent, teardown in
// trust-store.)
import {spawnSync} from 'node:child_process';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {CLI, ok, sandbox} from '../helpers.js';
import {labSandbox, within} from '../lab-helpers.js';
import {titled} from '../trust-helpers.js';

describe('a closed pipe (seen 9)', () => {
	const sb = sandbox();
	afterAll(() => sb.cleanup());
	beforeAll(async () => {
		await ok(sb.nsdeck(['net', 'create', 'blue', '--subnet', '10.188.0.0/24']));
		for (const a of ['a', 'b', 'c']) await ok(sb.nsdeck(['bind', a, '--network', 'blue']));
	});

	it.each(titled([['status', '--json'], ['status'], ['net', 'list', '--json'], ['reconcile', '--dry-run']]))('`nsdeck %s | true` writes no stack trace', (_title, args) => {
		// as written in the report: the reader is gone before nsdeck writes
		const r = spawnSync('sh', ['-c', `"$0" "$1" ${args.map((_, i) => `"$${i + 2}"`).join(' ')} | true`, process.execPath, CLI, ...args], {env: sb.env, encoding: 'utf8'});
		expect(r.stderr).not.toMatch(/^\s+at /m);
		expect(r.stderr).not.toMatch(/EPIPE|Error/);
	});
});

describe('a route from a BGP speaker that is not an nsdeck host (seen 9)', () => {
	const lab = labSandbox('n');
	afterAll(() => lab.cleanup(), 60_000);
	beforeAll(async () => {
		await ok(lab.nsdeck(['lab', 'up', '--hosts', '1', '--empty']));
		await ok(lab.on('h1', ['net', 'create', 'blue', '--subnet', '10.51.0.0/16']));
		await ok(lab.on('h1', ['rt', 'add', 'blue', '64512:977', '--import-only']));
	}, 90_000);

	it('is named by the router (its next hop or router id), not `?` or "an unnamed host"', async () => {
		// the route reflector's gobgpd stands for a data-centre gateway: it originates a VPNv4 route itself
		const rr = lab.lab().reflectors[0]!;
		const add = spawnSync('ip', ['netns', 'exec', rr.namespace, 'gobgp', '-p', String(rr.grpcPort), 'global', 'rib', 'add', '-a', 'vpnv4', '10.97.0.0/24', 'label', '5000', 'rd', '65000:7', 'rt', '64512:977', 'nexthop', '192.168.100.250'], {encoding: 'utf8'});
		expect(add.status, add.stderr).toBe(0);
		let line = '';
		await within(15_000, '10.97.0.0/24 in h1\'s routes of blue', () => {
			const r = spawnSync(process.execPath, [CLI, 'routes', 'blue'], {env: {...lab.env, NSDECK_STATE_DIR: lab.host('h1').stateDir, NSDECK_NS_PREFIX: lab.host('h1').prefix}, encoding: 'utf8'});
			line = r.stdout.split('\n').find(l => l.startsWith('10.97.0.0/24')) ?? '';
			return line !== '';
		});
		expect(line).not.toMatch(/unnamed|host \?|\?\s/);
		expect(line).toMatch(/192\.168\.100\.250|router/);
		// and `host show` names it too (as a host, or by whom it was announced)
		const show = JSON.parse((await ok(lab.on('h1', ['host', 'show', '--json']))).stdout) as {remotes: Array<{prefix: string; host?: string; by?: {kind: string; name: string}}>};
		const remote = show.remotes.find(r => r.prefix === '10.97.0.0/24');
		expect(remote?.host || remote?.by?.name || '').not.toBe('');
		expect((await ok(lab.on('h1', ['host', 'show']))).stdout.split('\n').find(l => l.startsWith('10.97.0.0/24'))).not.toMatch(/\s\?\s/);
	}, 30_000);
});
