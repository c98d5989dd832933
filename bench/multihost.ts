// Multi-host benchmarks with a real lab (root, gobgpd installed): (1) a target edit on h1 until the route is in
// h2's kernel table; (2) 3 hosts, 200 networks, 10 apps each: time from `lab up` finishing its binds until every
// kernel table is right, and gobgpd's RSS per host.
// Run: npm run build && npx tsx bench/multihost.ts [edit|scale|all] [networks] [apps]
import {execFile, execFileSync, spawnSync} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';
import {median, ms} from './stats.js';

const CLI = resolve(import.meta.dirname, '..', 'dist', 'cli.js');
const what = process.argv[2] ?? 'all';
const NETS = Number(process.argv[3] ?? 200);
const APPS = Number(process.argv[4] ?? 10);

type LabHost = {name: string; prefix: string; stateDir: string; gobgpPid: number; agentPid: number};
type Lab = {rr: {pid: number}; hosts: LabHost[]};

function labEnv(tag: string, net: number) {
	const dir = join(mkdtempSync(join(tmpdir(), 'nsdeck-bench-')), 'lab');
	return {...process.env, NSDECK_LAB_PREFIX: `b${tag}-`, NSDECK_LAB_DIR: dir, NSDECK_LAB_NET: String(net), NSDECK_LAB_PORT: String(20_000 + net * 150), NODE_ENV: 'production'};
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

/** daemons the benchmark started itself (a restarted gobgpd), killed at the end */
const extra = new Set<number>();
const readLab = (env: NodeJS.ProcessEnv) => JSON.parse(readFileSync(join(env.NSDECK_LAB_DIR!, 'lab.json'), 'utf8')) as Lab;
const on = (h: LabHost) => ({NSDECK_STATE_DIR: h.stateDir, NSDECK_NS_PREFIX: h.prefix});

function routes(vrouter: string): Array<{dst: string; table?: string; gateway?: string; dev?: string; type?: string}> {
	const r = spawnSync('ip', ['-n', vrouter, '-j', 'route', 'show', 'table', 'all', 'proto', '77'], {encoding: 'utf8', maxBuffer: 64 << 20});
	return JSON.parse(r.stdout || '[]');
}

function rss(pid: number): string {
	const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find(l => l.startsWith('VmRSS:'));
	return line ? `${(Number(line.split(/\s+/)[1]) / 1024).toFixed(1)} MiB` : '?';
}

async function editBench(): Promise<void> {
	const env = labEnv('e', 201);
	try {
		await must(env, ['lab', 'up', '--hosts', '2', '--empty']);
		const [h1, h2] = readLab(env).hosts as [LabHost, LabHost];
		await must(env, ['net', 'create', 'blue', '--subnet', '10.50.0.0/16', '--block', '10.50.0.0/24'], on(h1));
		await must(env, ['net', 'create', 'red', '--subnet', '10.60.0.0/16', '--block', '10.60.1.0/24'], on(h2));
		await must(env, ['bind', 'a1', '--network', 'blue'], on(h1));
		await must(env, ['bind', 'r2', '--network', 'red'], on(h2));
		await must(env, ['rt', 'add', 'red', '64512:5000', '--import-only'], on(h2));
		const table = (JSON.parse((await must(env, ['net', 'show', 'red', '--json'], on(h2))).stdout) as {table: string}).table;
		const vr2 = `${h2.prefix}nsdeck-vr`;
		const present = () => routes(vr2).some(r => r.table === table && r.dst === '10.50.0.2' && r.dev?.includes('vx'));
		const wait = async (want: boolean) => {
			const t0 = performance.now();
			while (present() !== want) {
				if (performance.now() - t0 > 10_000) throw new Error('timed out');
				await new Promise(r => setTimeout(r, 2));
			}
		};
		const adds: number[] = [];
		const dels: number[] = [];
		const cli: number[] = [];
		for (let i = 0; i < 15; i++) {
			let t0 = performance.now();
			const p = must(env, ['rt', 'add', 'blue', '64512:5000', '--export-only'], on(h1)).then(() => cli.push(performance.now() - t0));
			await wait(true);
			adds.push(performance.now() - t0);
			await p;
			t0 = performance.now();
			const q = must(env, ['rt', 'del', 'blue', '64512:5000', '--export-only'], on(h1));
			await wait(false);
			dels.push(performance.now() - t0);
			await q;
		}
		console.log(`target edit on h1 -> route in h2's kernel table (15 runs, from starting the CLI on h1):`);
		console.log(`  rt add --export-only: median ${ms(median(adds))} (min ${ms(Math.min(...adds))}, max ${ms(Math.max(...adds))})`);
		console.log(`  rt del --export-only: median ${ms(median(dels))} (min ${ms(Math.min(...dels))}, max ${ms(Math.max(...dels))})`);
		console.log(`  (the CLI command itself, process start to exit: median ${ms(median(cli))})`);
	} finally {
		await run(env, ['lab', 'down']);
		rmSync(resolve(env.NSDECK_LAB_DIR!, '..'), {recursive: true, force: true});
	}
}

async function scaleBench(): Promise<void> {
	const env = labEnv('s', 202);
	try {
		const t0 = performance.now();
		const up = await must(env, ['lab', 'up', '--hosts', '3', '--networks', String(NETS), '--apps', String(APPS), '--no-wait']);
		const bound = performance.now();
		process.stderr.write(up.stderr);
		const lab = readLab(env);
		const expected = NETS * APPS;
		const count = (h: LabHost) => {
			const rs = routes(`${h.prefix}nsdeck-vr`).filter(r => r.type !== 'unreachable' && r.table !== '999');
			return rs.length;
		};
		let counts: number[] = [];
		for (;;) {
			counts = lab.hosts.map(count);
			if (counts.every(c => c === expected)) break;
			if (performance.now() - bound > 120_000) break;
			await new Promise(r => setTimeout(r, 50));
		}
		const converged = performance.now() - bound;
		// then check contents, not only counts: each network's table on each host holds exactly that network's apps
		const members = new Map<string, Set<string>>();
		const tables: Array<Map<string, string>> = [];
		for (const h of lab.hosts) {
			const s = JSON.parse((await must(env, ['status', '--json'], on(h))).stdout) as {apps: Array<{ifaces: Array<{network: string; address: string}>}>; networks: Array<{name: string; table: string}>};
			for (const a of s.apps) for (const i of a.ifaces) members.set(i.network, (members.get(i.network) ?? new Set()).add(`${i.address}/32`));
			tables.push(new Map(s.networks.map(n => [n.table, n.name])));
		}
		let wrong = 0;
		lab.hosts.forEach((h, k) => {
			const byTable = new Map<string, Set<string>>();
			for (const r of routes(`${h.prefix}nsdeck-vr`)) {
				if (r.type === 'unreachable' || !tables[k]!.has(r.table ?? '')) continue;
				byTable.set(r.table!, (byTable.get(r.table!) ?? new Set()).add(r.dst.includes('/') ? r.dst : `${r.dst}/32`));
			}
			for (const [table, net] of tables[k]!) {
				const want = members.get(net) ?? new Set();
				const have = byTable.get(table) ?? new Set();
				if (want.size !== have.size || [...want].some(x => !have.has(x))) wrong++;
			}
		});
		console.log(`3 hosts, ${NETS} networks, ${APPS} apps each (${NETS * APPS} apps in all, spread over the hosts):`);
		console.log(`  lab up (networks, binds, no BGP wait): ${(bound - t0) / 1000 < 0 ? '?' : ((bound - t0) / 1000).toFixed(1)} s`);
		console.log(`  every kernel table right (${expected} app routes per host): ${counts.every(c => c === expected) ? `${ms(converged)} after lab up returned` : `NOT reached in 120 s (${counts.join('/')})`}`);
		console.log(`  contents checked: ${wrong === 0 ? `all ${NETS * lab.hosts.length} tables hold exactly their network's apps` : `${wrong} tables differ`}`);
		// a gobgpd restart at this size: h1's daemon killed, the others drop its routes, a new one started; the agent
		// replays h1's paths and every table is right again (includes BGP session set-up, about 4-9 s)
		const h1 = lab.hosts[0]!;
		process.kill(h1.gobgpPid, 'SIGKILL');
		const others = lab.hosts.slice(1);
		const t1 = performance.now();
		while (others.some(h => count(h) === expected) && performance.now() - t1 < 30_000) await new Promise(r => setTimeout(r, 20));
		const dropped = performance.now() - t1;
		const {spawn} = await import('node:child_process');
		const t2 = performance.now();
		const again = spawn('gobgpd', ['-f', join(env.NSDECK_LAB_DIR!, 'h1.toml'), '--api-hosts', `127.0.0.1:${Number(env.NSDECK_LAB_PORT) + 1}`, '--pprof-disable', '-p'], {detached: true, stdio: 'ignore'});
		again.unref();
		extra.add(again.pid!);
		while (!lab.hosts.every(h => count(h) === expected) && performance.now() - t2 < 60_000) await new Promise(r => setTimeout(r, 20));
		console.log(`  h1's gobgpd killed: its routes gone from h2 and h3 in ${ms(dropped)}; restarted: every table right again ${ms(performance.now() - t2)} later (BGP session set-up included)`);
		const vsz = lab.hosts.map(h => `${h.name} ${rss(h.gobgpPid)}`).join(', ');
		console.log(`  gobgpd RSS: ${vsz}, route reflector ${rss(lab.rr.pid)}`);
		const paths = execFileSync('gobgp', ['-p', String(Number(env.NSDECK_LAB_PORT)), 'global', 'rib', '-a', 'vpnv4', 'summary'], {encoding: 'utf8'}).trim();
		console.log(`  route reflector: ${paths.replace(/\s+/g, ' ')}`);
	} finally {
		await run(env, ['lab', 'down']);
		for (const pid of extra) {
			try {
				process.kill(pid, 'SIGKILL');
			} catch {}
		}
		rmSync(resolve(env.NSDECK_LAB_DIR!, '..'), {recursive: true, force: true});
	}
}

if (what === 'edit' || what === 'all') await editBench();
if (what === 'scale' || what === 'all') await scaleBench();
