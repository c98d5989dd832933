// Issue 8, seen 1 (host takeover) and the attach safety rails: attach refuses the host's own namespace, nsdeck's
// vrouter and gateway, another app's namespace, and any namespace with a default route or addresses beyond lo;
// exit 2, one line, nothing changed.
//
// The host's own namespace is tried twice. First on an emulated host: nsdeck runs with its network namespace switched
// (nsenter --net, same mounts) into a namespace of the sandbox that has a default route, so "the host" it runs on is
// that namespace; on code that does not refuse, only the sandbox is taken over. Only when that emulated host was
// refused is the real host tried (a process in this machine's own namespace): code that would take the machine over
// is never run against it.
import {execFile, spawnSync} from 'node:child_process';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {CLI, ip, ok, type Run, sandbox, storeDump} from '../helpers.js';
import {expectOneLine, kernelView, Tracked, waitFor} from '../trust-helpers.js';

const sb = sandbox();
const procs = new Tracked();
afterAll(() => {
	procs.killAll();
	sb.cleanup();
});

const hostlike = `${sb.prefix}hostlike`;
let emulatedRefused = false;

/** nsdeck run as if `namespace` were the host's own network namespace. */
function nsdeckInside(namespace: string, args: readonly string[]): Promise<Run> {
	return new Promise(done => {
		const child = execFile('nsenter', [`--net=/run/netns/${namespace}`, process.execPath, CLI, ...args], {env: sb.env}, (_e, stdout, stderr) => {
			done({code: child.exitCode, signal: child.signalCode, stdout, stderr});
		});
	});
}

/** A veth pair inside a namespace, one end addressed, and a default route through it: what a real host has. */
function hostLikeNetwork(run: (...args: string[]) => void): void {
	run('link', 'set', 'lo', 'up');
	run('link', 'add', 'h0', 'type', 'veth', 'peer', 'name', 'h1');
	run('addr', 'add', '198.51.100.2/24', 'dev', 'h0');
	run('link', 'set', 'h0', 'up');
	run('link', 'set', 'h1', 'up');
	run('route', 'add', 'default', 'via', '198.51.100.1', 'dev', 'h0');
}

const defaultIn = (ns: string) => ip(ns, 'route', 'show', 'default').trim();

async function expectRefused(args: string[], message: RegExp, via?: (a: string[]) => Promise<Run>) {
	const store = storeDump(sb.stateDir);
	const kernel = kernelView(sb);
	const r = await (via ?? sb.nsdeck)(args);
	expect(r.code, r.stderr).toBe(2);
	expect(expectOneLine(r)).toMatch(message);
	expect(storeDump(sb.stateDir)).toBe(store);
	expect(kernelView(sb)).toBe(kernel);
	expect(sb.namespaces()).not.toContain(sb.ns(args[1]!));
}

describe('attach refuses namespaces that are not an app\'s to take (seen 1; spec 1)', () => {
	beforeAll(async () => {
		await ok(sb.nsdeck(['net', 'create', 'blue', '--subnet', '10.161.0.0/24']));
		await ok(sb.nsdeck(['bind', 'a', '--network', 'blue']));
		await ok(sb.nsdeck(['route', 'add', '0.0.0.0/0', '--rt', '64512:900', '--via', '203.0.113.1']));
		spawnSync('ip', ['netns', 'add', hostlike]);
		hostLikeNetwork((...args) => void spawnSync('ip', ['-n', hostlike, ...args]));
	});

	it('the host\'s own namespace (emulated: nsdeck runs inside a namespace with a default route): exit 2, its default route untouched', async () => {
		const pid = procs.start('ip', ['netns', 'exec', hostlike, 'sleep', '300']);
		await waitFor(() => spawnSync('readlink', [`/proc/${pid}/exe`], {encoding: 'utf8'}).stdout.includes('sleep'));
		const before = defaultIn(hostlike);
		expect(before).toBe('default via 198.51.100.1 dev h0');
		const r = await nsdeckInside(hostlike, ['attach', 'sleeper', '--pid', String(pid), '--network', 'blue']);
		expect(defaultIn(hostlike)).toBe(before);
		expect(ip(hostlike, 'link', 'show', 'veth0')).toBe('');
		expect(r.code, r.stderr).toBe(2);
		expect(expectOneLine(r)).toMatch(/host's own network namespace|refusing/);
		expect(sb.namespaces()).not.toContain(sb.ns('sleeper'));
		emulatedRefused = true;
	});

	it('the host\'s own namespace (this machine\'s, only once the emulated host was refused): exit 2, "host\'s own network namespace"', async () => {
		if (!emulatedRefused) throw new Error('not run: the emulated host was not refused, so attaching this machine\'s namespace would take it over');
		const pid = procs.start('sleep', ['300']);
		const links = ip(undefined, '-o', 'link', 'show').split('\n').map(l => l.split(':')[1]).join();
		const route = ip(undefined, 'route', 'show', 'default');
		await expectRefused(['attach', 'sleeper', '--pid', String(pid), '--network', 'blue'], /host's own network namespace/);
		expect(ip(undefined, 'route', 'show', 'default')).toBe(route);
		expect(ip(undefined, '-o', 'link', 'show').split('\n').map(l => l.split(':')[1]).join()).toBe(links);
	});

	it('a namespace holding a default route and addresses (a container\'s, say): exit 2, "refusing"', async () => {
		const pid = procs.start('unshare', ['--net', 'sh', '-c', 'ip link set lo up; ip link add h0 type veth peer name h1; ip addr add 198.51.100.2/24 dev h0; ip link set h0 up; ip link set h1 up; ip route add default via 198.51.100.1 dev h0; exec sleep 300']);
		expect(await waitFor(() => spawnSync('nsenter', [`--net=/proc/${pid}/ns/net`, 'ip', 'route', 'show', 'default'], {encoding: 'utf8'}).stdout.includes('198.51.100.1'))).toBe(true);
		await expectRefused(['attach', 'ctr', '--pid', String(pid), '--network', 'blue'], /(default route|addresses).*refusing|refusing.*(default route|addresses)/);
		expect(spawnSync('nsenter', [`--net=/proc/${pid}/ns/net`, 'ip', 'route', 'show', 'default'], {encoding: 'utf8'}).stdout.trim()).toBe('default via 198.51.100.1 dev h0');
	});

	it('nsdeck\'s vrouter namespace: exit 2, names it', async () => {
		const pid = procs.start('ip', ['netns', 'exec', sb.vrouter, 'sleep', '300']);
		await waitFor(() => spawnSync('readlink', [`/proc/${pid}/exe`], {encoding: 'utf8'}).stdout.includes('sleep'));
		await expectRefused(['attach', 'inv', '--pid', String(pid), '--network', 'blue'], new RegExp(`vrouter.*${sb.vrouter}|${sb.vrouter}.*vrouter`));
	});

	it('nsdeck\'s gateway namespace: exit 2, names it', async () => {
		const gw = `${sb.prefix}nsdeck-gw`;
		expect(sb.namespaces()).toContain(gw);
		const pid = procs.start('ip', ['netns', 'exec', gw, 'sleep', '300']);
		await waitFor(() => spawnSync('readlink', [`/proc/${pid}/exe`], {encoding: 'utf8'}).stdout.includes('sleep'));
		await expectRefused(['attach', 'ing', '--pid', String(pid), '--network', 'blue'], new RegExp(`gateway.*${gw}|${gw}.*gateway`));
	});

	it('another app\'s namespace: exit 2, "app \'a\'"', async () => {
		const pid = procs.start('ip', ['netns', 'exec', sb.ns('a'), 'sleep', '300']);
		await waitFor(() => spawnSync('readlink', [`/proc/${pid}/exe`], {encoding: 'utf8'}).stdout.includes('sleep'));
		await expectRefused(['attach', 'twin', '--pid', String(pid), '--network', 'blue'], /app 'a'/);
	});

	it('a namespace of its own with only lo is still attached (the rails do not refuse the normal case)', async () => {
		const pid = procs.start('unshare', ['--net', 'sleep', '300']);
		await waitFor(() => spawnSync('readlink', [`/proc/${pid}/exe`], {encoding: 'utf8'}).stdout.includes('sleep'));
		await ok(sb.nsdeck(['attach', 'box', '--pid', String(pid), '--network', 'blue']));
		expect(sb.namespaces()).toContain(sb.ns('box'));
		await ok(sb.nsdeck(['unbind', 'box']));
	});
});
