// `nsdeck demo [--hosts N]` and `nsdeck demo clean`. One host: the console builds the demo itself (`:demo`). Several
// hosts: a lab of N hosts first (lab.ts's public functions, gobgpd and an agent each), the scenario spread over them
// (web on h1, the client on h2), then the console runs on h1 (inside h1's namespace, where the other hosts' agents
// are reachable) and walks through the same steps. `demo clean` removes either.
import {existsSync} from 'node:fs';
import {fail} from '../core/errors.js';
import {labDown, labEnv, labUp, readLab, hostEnv, type LabEnv} from '../lab/lab.js';
import {openContext} from '../provision/context.js';
import {buildDemo, cleanDemo, demoContext, demoEnv, type DemoPlace} from '../provision/demo.js';
import {parseArgs} from './args.js';

export const DEMO_USAGE = 'nsdeck demo [--hosts N] | nsdeck demo clean';

/** The demo's lab: its own prefix, directory, addresses and ports, so it never meets `nsdeck lab up`'s. */
export function demoLabEnv(env: NodeJS.ProcessEnv = process.env): LabEnv {
	const e = demoEnv(env);
	return labEnv({...env, NSDECK_LAB_PREFIX: env.NSDECK_LAB_PREFIX ?? 'dlab-', NSDECK_LAB_DIR: env.NSDECK_LAB_DIR ?? `${e.dir}-lab`, NSDECK_LAB_PORT: env.NSDECK_LAB_PORT ?? '51100'});
}

export type PreparedDemo = {readonly place: DemoPlace; readonly clean: () => Promise<void>; readonly where: string; /** the namespace the console runs in: h1's */ readonly consoleNs: string};

/** `--hosts N` (2-9): 0 when not given. */
export function demoHosts(argv: readonly string[]): number {
	const p = parseArgs(argv, {usage: DEMO_USAGE, flags: {hosts: {kind: 'value'}}});
	const t = p.flags.hosts as string | undefined;
	if (t === undefined) return 0;
	if (!/^\d$/.test(t) || Number(t) < 2) fail(`invalid --hosts '${t}': expected 2-9 (one host needs no lab: nsdeck demo)`);
	return Number(t);
}

/** A lab of `hosts` hosts with the scenario spread over it; its clean removes the scenario, then the lab. */
export async function prepareDemoHosts(hosts: number, cli: string, progress: (line: string) => void): Promise<PreparedDemo> {
	const e = demoLabEnv();
	if (readLab(e.dir)) {
		progress(`[demo] removing an earlier demo lab in ${e.dir}`);
		await cleanDemoLab(e, progress);
	}
	await labUp(e, {hosts, reflectors: 1, rtc: true, networks: 1, apps: 1, empty: true, cli, progress, wait: true});
	const prepared = attachDemoHosts();
	try {
		await buildDemo(prepared.place, line => progress(`[demo] ${line}`));
	} catch (err) {
		await prepared.clean();
		throw err;
	}
	return prepared;
}

/** The demo lab that is up: its hosts' stores, web on h1 and the client on h2, and how to remove it all. */
export function attachDemoHosts(): PreparedDemo {
	const e = demoLabEnv();
	const lab = readLab(e.dir);
	if (!lab) fail(`no demo lab in ${e.dir} (start one with 'nsdeck demo --hosts N')`);
	const all = lab.hosts.map(h => openContext(hostEnv(h)));
	const place: DemoPlace = {web: all[0]!, client: all[1]!, all};
	const clean = async () => {
		await cleanDemo(all, {removeDirs: false}).catch(() => {});
		await labDown(e, () => {});
	};
	return {place, clean, where: `a lab of ${lab.hosts.length} hosts (prefix ${e.prefix}, ${e.dir}): web on h1, the client on h2`, consoleNs: lab.hosts[0]!.underlayNs};
}

/** Whether the demo lab is still up (after its console ended: it removes it on quit, unless it died). */
export function demoLabUp(): boolean {
	return readLab(demoLabEnv().dir) !== undefined;
}

export async function cleanDemoHosts(progress: (line: string) => void): Promise<string[]> {
	return cleanDemoLab(demoLabEnv(), progress);
}

async function cleanDemoLab(e: LabEnv, progress: (line: string) => void): Promise<string[]> {
	const lab = readLab(e.dir);
	const gone = lab ? await cleanDemo(lab.hosts.filter(h => existsSync(h.stateDir)).map(h => openContext(hostEnv(h))), {removeDirs: false}).catch(() => []) : [];
	const n = await labDown(e, progress);
	return n > 0 ? [...gone, `${n} lab namespaces`] : gone;
}

/** `nsdeck demo clean`: the single-host demo and the demo lab, whichever exist. */
export async function demoClean(progress: (line: string) => void): Promise<string[]> {
	const gone = await cleanDemo([demoContext()]);
	const e = demoLabEnv();
	if (readLab(e.dir) || existsSync(e.dir)) gone.push(...(await cleanDemoLab(e, progress)));
	return gone;
}
