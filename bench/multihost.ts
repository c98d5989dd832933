// Many hosts, measured on a real lab (root, gobgpd installed), at 30 hosts by default:
//  1. lab up: N hosts, 100 networks, each host carrying 10 of them (route-target constraint on), seconds;
//  2. a target edit on h1 until the route is in every importing host's kernel (the other N-1), p50 and p99 per kernel
//     and for the last kernel, timed from starting the CLI on h1 (`ip monitor route` in every vrouter), and what each
//     importing agent spends on it (CPU per change): imported into another network (a VXLAN device made and removed
//     at each edit), then into h1's network itself (routes alone); both applied as lines, without a converge;
//  3. memory per host (gobgpd + agent RSS) and the reflectors';
//  4. idle agents: CPU over 20 s with nothing happening, per agent;
//  5. routes each host holds, with the route-target constraint and without it (a second lab, --no-rtc): the ratio;
//  then the floor: `node -e 0` and one CLI command, in the same run.
// Run: npm run build && npx tsx bench/multihost.ts [hosts] [networks] [per-host] [edits]
import {execFile, spawn, spawnSync, type ChildProcess} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {loadavg, tmpdir} from 'node:os';
import {join, resolve} from 'node:path';
import {median, ms} from './stats.js';

const CLI = resolve(import.meta.dirname, '..', 'dist', 'cli.js');
const HOSTS = Number(process.argv[2] ?? 30);
const NETS = Number(process.argv[3] ?? 100);
const PER = Number(process.argv[4] ?? 10);
const EDITS = Number(process.argv[5] ?? 20);

type LabHost = {name: string; prefix: string; stateDir: string; underlayNs: string; gobgpPid?: number; agentPid?: number};
type Lab = {reflectors: Array<{pid?: number; namespace: string; grpcPort: number}>; hosts: LabHost[]};

function labEnv(tag: string) {
	const dir = join(mkdtempSync(join(tmpdir(), 'nsdeck-bench-')), 'lab');
	return {...process.env, NSDECK_LAB_PREFIX: `b${tag}-`, NSDECK_LAB_DIR: dir, NSDECK_LAB_PORT: String(40_000), NODE_ENV: 'production'};
}

function run(env: NodeJS.ProcessEnv, args: string[], extra: Record<string, string> = {}): Promise<{code: number | null; stdout: string; stderr: string}> {
	return new Promise(done => {
		const child = execFile(process.execPath, [CLI, ...args], {env: {...env, ...extra}, maxBuffer: 64 << 20}, (_e, stdout, stderr) => done({code: child.exitCode, stdout, stderr}));
	});
}

async function must(env: NodeJS.ProcessEnv, args: string[], extra: Record<string, string> = {}) {
	const r = await run(env, args, extra);
	if (r.code !== 0) throw new Error(`nsdeck ${args.join(' ')}: ${r.stderr || r.stdout}`);
	return r;
}

const readLab = (env: NodeJS.ProcessEnv) => JSON.parse(readFileSync(join(env.NSDECK_LAB_DIR!, 'lab.json'), 'utf8')) as Lab;
const on = (h: LabHost) => ({NSDECK_STATE_DIR: h.stateDir, NSDECK_NS_PREFIX: h.prefix});

/** A process's RSS in MiB, or undefined when it is gone (a benchmark must survive its own restarts). */
function rssMiB(pid: number | undefined): number | undefined {
	if (!pid) return undefined;
	try {
		const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find(l => l.startsWith('VmRSS:'));
		return line ? Number(line.split(/\s+/)[1]) / 1024 : undefined;
	} catch {
		return undefined;
	}
}

/** utime + stime of a process in seconds (with `children`, also of the children it waited for: its `ip`s), or undefined when it is gone. */
function cpuSeconds(pid: number | undefined, children = false): number | undefined {
	if (!pid) return undefined;
	try {
		const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
		return (Number(f[11]) + Number(f[12]) + (children ? Number(f[13]) + Number(f[14]) : 0)) / 100;
	} catch {
		return undefined;
	}
}

const load = () => loadavg().map(x => x.toFixed(1)).join(' ');

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)]!;
const status = (h: LabHost) => {
	try {
		return JSON.parse(readFileSync(join(h.stateDir, 'agent.status.json'), 'utf8')) as {remotes: number; inSync: boolean};
	} catch {
		return undefined;
	}
};

async function settle(lab: Lab, ms = 60_000): Promise<void> {
	const end = Date.now() + ms;
	let last = '';
	let stable = 0;
	while (Date.now() < end) {
		const now = lab.hosts.map(h => `${status(h)?.remotes}/${status(h)?.inSync}`).join(' ');
		stable = now === last && lab.hosts.every(h => status(h)?.inSync) ? stable + 1 : 0;
		last = now;
		if (stable >= 10) return;
		await new Promise(r => setTimeout(r, 300));
	}
}

async function up(env: NodeJS.ProcessEnv, rtc: boolean): Promise<{lab: Lab; seconds: number}> {
	const t0 = performance.now();
	const r = await must(env, ['lab', 'up', '--hosts', String(HOSTS), '--networks', String(NETS), '--host-networks', String(PER), '--apps', '1', ...(rtc ? [] : ['--no-rtc'])]);
	const seconds = (performance.now() - t0) / 1000;
	process.stderr.write(r.stderr.split('\n').filter(l => l.startsWith('lab up')).join('\n') + '\n');
	return {lab: readLab(env), seconds};
}

/** One agent's counters, from the state file it keeps. */
const stats = (h: LabHost) => (status(h) as {stats?: {converges: number; direct: number}} | undefined)?.stats ?? {converges: NaN, direct: NaN};

/** When h1's agent started its first push to gobgpd after `since` (epoch ms), from its log. */
function pushStart(env: NodeJS.ProcessEnv, since: number): number | undefined {
	const lines = readFileSync(join(env.NSDECK_LAB_DIR!, 'h1.agent.log'), 'utf8').split('\n').filter(l => l.includes('event=gobgpd.push'));
	for (const l of lines) {
		const at = Date.parse(/time=(\S+)/.exec(l)?.[1] ?? '');
		const took = Number(/ ms=(\d+)/.exec(l)?.[1] ?? 0);
		if (at - took >= since) return at - took;
	}
	return undefined;
}

/**
 * The importing hosts: `other`, a network of their own (another VNI: every edit makes and removes a VXLAN device for
 * h1's VNI on each of them, and on some the VTEP entries of h1); `same`, h1's network itself (same name, so the same
 * VNI; no automatic target) and a network through which they already hold a route of h1: the edit changes nothing but
 * a route (run after `other`: it takes back the probe networks' import and uses h1's network). The agents apply both
 * as lines, without reading the kernel (provision/remote-routes.ts).
 */
async function importers(env: NodeJS.ProcessEnv, lab: Lab, kind: 'other' | 'same'): Promise<void> {
	const [h1, ...others] = lab.hosts as [LabHost, ...LabHost[]];
	const block = (h: LabHost, b: number) => ['--subnet', `10.${b}.0.0/16`, '--block', `10.${b}.${lab.hosts.indexOf(h)}.0/24`];
	if (kind === 'other') {
		await must(env, ['net', 'create', 'edit', '--subnet', '10.250.0.0/24'], on(h1));
		await must(env, ['bind', 'e1', '--network', 'edit'], on(h1));
		await Promise.all(others.map(async h => {
			await must(env, ['net', 'create', 'probe', ...block(h, 251)], on(h));
			await must(env, ['rt', 'add', 'probe', '64512:7777', '--import-only'], on(h));
		}));
		return;
	}
	await must(env, ['net', 'create', 'keep', ...block(h1, 252)], on(h1));
	await must(env, ['bind', 'k1', '--network', 'keep'], on(h1));
	await Promise.all(others.map(async h => {
		await must(env, ['rt', 'del', 'probe', '64512:7777', '--import-only'], on(h));
		await must(env, ['net', 'create', 'keep', ...block(h, 252)], on(h));
		await must(env, ['net', 'create', 'edit', ...block(h, 250), '--no-auto-rt'], on(h));
		await must(env, ['rt', 'add', 'edit', '64512:7777', '--import-only'], on(h));
	}));
}

async function editBench(env: NodeJS.ProcessEnv, lab: Lab, kind: 'other' | 'same'): Promise<void> {
	const [h1, ...others] = lab.hosts as [LabHost, ...LabHost[]];
	await importers(env, lab, kind);
	await settle(lab);
	const monitors: ChildProcess[] = [];
	const seen = new Map<string, (line: string) => void>();
	for (const h of others) {
		// links too: a route over a VXLAN device deleted with it goes without a `Deleted` route line of its own
		const m = spawn('ip', ['-n', `${h.prefix}nsdeck-vr`, 'monitor', 'route', 'link'], {stdio: ['ignore', 'pipe', 'ignore']});
		let buf = '';
		m.stdout!.on('data', (b: Buffer) => {
			buf += b.toString();
			let nl;
			while ((nl = buf.indexOf('\n')) >= 0) {
				seen.get(h.name)?.(buf.slice(0, nl));
				buf = buf.slice(nl + 1);
			}
		});
		monitors.push(m);
	}
	await new Promise(r => setTimeout(r, 300));
	// one edit first, not measured: the networks just made are a change of intent on every importing host, and an
	// agent's first apply after one is a full converge (its direct path trusts only a kernel it applied itself)
	for (const verb of ['add', 'del']) {
		await must(env, ['rt', verb, 'edit', '64512:7777', '--export-only'], on(h1));
		await settle(lab);
	}
	// what one remote-route change costs each importing agent: its CPU and its `ip`s' over the edits
	const cpu0 = others.map(h => cpuSeconds(h.agentPid, true));
	const gcpu0 = others.map(h => cpuSeconds(h.gobgpPid));
	const stats0 = others.map(stats);
	const load0 = load();
	const perKernel: number[] = [];
	const lastKernel: number[] = [];
	const dels: number[] = [];
	const cli: number[] = [];
	const pushed: number[] = [];
	/** the device each host's route went over, by host */
	const device = new Map<string, string>();
	const gone = (h: LabHost, line: string) => (line.startsWith('Deleted 10.250.0.') && line.includes(' via ')) || /^Deleted \d+: ([^@:]+)/.exec(line)?.[1] === device.get(h.name);
	try {
		for (let i = 0; i < EDITS; i++) {
			for (const remove of [false, true]) {
				const t0 = performance.now();
				const wall0 = Date.now();
				const arrived = others.map(h => new Promise<number>(res => {
					seen.set(h.name, line => {
						if (remove ? gone(h, line) : line.startsWith('10.250.0.') && line.includes(' via ')) res(performance.now() - t0);
						if (!remove && line.startsWith('10.250.0.')) device.set(h.name, / dev (\S+)/.exec(line)?.[1] ?? '');
					});
				}));
				const p = must(env, ['rt', remove ? 'del' : 'add', 'edit', '64512:7777', '--export-only'], on(h1)).then(() => cli.push(performance.now() - t0));
				const times = await Promise.race([Promise.all(arrived), new Promise<number[]>(r => setTimeout(() => r([]), 15_000))]);
				await p;
				if (times.length === 0) throw new Error('an edit did not reach every kernel in 15 s');
				if (remove) dels.push(Math.max(...times));
				else {
					perKernel.push(...times);
					lastKernel.push(Math.max(...times));
					const push = pushStart(env, wall0);
					if (push !== undefined) pushed.push(push - wall0);
				}
				await new Promise(r => setTimeout(r, 100));
			}
		}
	} finally {
		for (const m of monitors) m.kill();
	}
	const load1 = load();
	const changes = EDITS * 2;
	const perChange = (before: Array<number | undefined>, read: (h: LabHost) => number | undefined) =>
		others.map((h, k) => ((read(h) ?? NaN) - (before[k] ?? NaN)) / changes).filter(x => !Number.isNaN(x)).map(x => x * 1000);
	const agentCpu = perChange(cpu0, h => cpuSeconds(h.agentPid, true));
	const gobgpCpu = perChange(gcpu0, h => cpuSeconds(h.gobgpPid));
	const stats1 = others.map(stats);
	const applies = stats1.reduce((a, s, k) => a + s.converges - stats0[k]!.converges, 0);
	const direct = stats1.reduce((a, s, k) => a + s.direct - stats0[k]!.direct, 0);
	const what = kind === 'other' ? 'into a network of their own (another VNI)' : "into h1's network itself (the same VNI), already holding a route of h1";
	console.log(`target edit on h1 (rt add|del edit 64512:7777 --export-only), imported by the ${others.length} other hosts ${what}; ${EDITS} edits, from starting the CLI:`);
	console.log(`  per kernel: p50 ${ms(pct(perKernel, 50))}, p99 ${ms(pct(perKernel, 99))} (${perKernel.length} samples)`);
	console.log(`  last kernel of each edit: p50 ${ms(pct(lastKernel, 50))}, p99 ${ms(pct(lastKernel, 99))}; removal, last kernel: p50 ${ms(pct(dels, 50))}`);
	console.log(`  the CLI command itself (process start to exit): median ${ms(median(cli))}; h1's agent starts pushing to gobgpd at median ${ms(median(pushed))}`);
	console.log(`  the agents applied ${applies} times, ${direct} of them as lines alone (the others a full converge)`);
	console.log(`  CPU per remote-route change (${changes} changes) on each importing host: agent with its ip processes median ${ms(median(agentCpu))} (max ${ms(Math.max(...agentCpu))}), gobgpd ${ms(median(gobgpCpu))}; all ${others.length} agents ${ms(agentCpu.reduce((a, b) => a + b, 0))}`);
	console.log(`  load average (1, 5, 15 min) before the edits ${load0}, after ${load1} (a shared machine: other people's work counts in)`);
}

function memory(lab: Lab): void {
	const per = lab.hosts.map(h => ({gobgpd: rssMiB(h.gobgpPid), agent: rssMiB(h.agentPid)})).filter(x => x.gobgpd !== undefined && x.agent !== undefined) as Array<{gobgpd: number; agent: number}>;
	const sum = per.map(x => x.gobgpd + x.agent);
	const rr = lab.reflectors.map(r => rssMiB(r.pid)).filter((x): x is number => x !== undefined);
	console.log(`memory per host (RSS, ${per.length} hosts): gobgpd + agent median ${median(sum).toFixed(1)} MiB (gobgpd ${median(per.map(x => x.gobgpd)).toFixed(1)}, agent ${median(per.map(x => x.agent)).toFixed(1)}), max ${Math.max(...sum).toFixed(1)} MiB; reflectors ${rr.map(x => x.toFixed(1)).join(' and ')} MiB`);
}

async function idle(lab: Lab, seconds = 20): Promise<void> {
	await settle(lab);
	const before = lab.hosts.map(h => cpuSeconds(h.agentPid));
	const g0 = lab.hosts.map(h => cpuSeconds(h.gobgpPid));
	await new Promise(r => setTimeout(r, seconds * 1000));
	const used = lab.hosts.map((h, k) => (cpuSeconds(h.agentPid) ?? NaN) - (before[k] ?? NaN)).filter(x => !Number.isNaN(x));
	const gused = lab.hosts.map((h, k) => (cpuSeconds(h.gobgpPid) ?? NaN) - (g0[k] ?? NaN)).filter(x => !Number.isNaN(x));
	const share = (x: number) => `${((x / seconds) * 100).toFixed(2)}%`;
	console.log(`idle agents over ${seconds} s: median ${share(median(used))} of a core each, max ${share(Math.max(...used))}, all ${used.length} together ${share(used.reduce((a, b) => a + b, 0))} (gobgpd: median ${share(median(gused))} each)`);
}

function held(lab: Lab): number[] {
	return lab.hosts.map(h => status(h)?.remotes ?? NaN);
}

function floor(): void {
	const times = (argv: string[], n = 5) => Array.from({length: n}, () => {
		const t0 = performance.now();
		spawnSync(process.execPath, argv, {stdio: 'ignore'});
		return performance.now() - t0;
	});
	const node = median(times(['-e', '0']));
	const version = median(times([CLI, 'host', 'show'], 5));
	console.log(`floor: node -e 0 ${ms(node)}; nsdeck host show ${ms(version)} (${(version / node).toFixed(2)}x)`);
}

const results: string[] = [];
const envRtc = labEnv('r');
let withRtc: number[] = [];
try {
	const {lab, seconds} = await up(envRtc, true);
	console.log(`${HOSTS} hosts, ${NETS} networks, ${PER} per host, 1 app each, 2 route reflectors, route-target constraint: lab up ${seconds.toFixed(1)} s`);
	await settle(lab);
	withRtc = held(lab);
	memory(lab);
	await idle(lab);
	await editBench(envRtc, lab, 'other');
	await editBench(envRtc, lab, 'same');
	memory(lab);
} finally {
	await run(envRtc, ['lab', 'down']);
	rmSync(resolve(envRtc.NSDECK_LAB_DIR!, '..'), {recursive: true, force: true});
}
const envAll = labEnv('n');
try {
	const {lab, seconds} = await up(envAll, false);
	await settle(lab);
	const without = held(lab);
	console.log(`without the route-target constraint (lab up ${seconds.toFixed(1)} s): routes held per host median ${median(without)} (min ${Math.min(...without)}, max ${Math.max(...without)})`);
	console.log(`with it: median ${median(withRtc)} (min ${Math.min(...withRtc)}, max ${Math.max(...withRtc)}): ${((median(withRtc) / median(without)) * 100).toFixed(1)}% of without`);
} finally {
	await run(envAll, ['lab', 'down']);
	rmSync(resolve(envAll.NSDECK_LAB_DIR!, '..'), {recursive: true, force: true});
}
floor();
for (const r of results) console.log(r);
