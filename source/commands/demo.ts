// `nsdeck demo [--hosts N]` and `nsdeck demo clean`. One host: the console builds the demo itself (`:demo`). Several
// hosts: a lab of N hosts first (lab.ts's public functions, gobgpd and an agent each), the scenario spread over them
// (web on h1, the client on h2), then the console on h1 walks through the same steps. `demo clean` removes either.
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
	return labEnv({...env, NSDECK_LAB_PREFIX: env.NSDECK_LAB_PREFIX ?? 'dlab-', NSDECK_LAB_DIR: env.NSDECK_LAB_DIR ?? `${e.dir}-lab`, NSDECK_LAB_NET: env.NSDECK_LAB_NET ?? '200', NSDECK_LAB_PORT: env.NSDECK_LAB_PORT ?? '51100'});
}

export type PreparedDemo = {readonly place: DemoPlace; readonly clean: () => Promise<void>; readonly where: string};

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
	const lab = await labUp(e, {hosts, networks: 1, apps: 1, empty: true, cli, progress, wait: true});
	const all = lab.hosts.map(h => openContext(hostEnv(h)));
	const place: DemoPlace = {web: all[0]!, client: all[1]!, all};
	const clean = async () => {
		await cleanDemo(all, {removeDirs: false}).catch(() => {});
		await labDown(e, () => {});
	};
	try {
		await buildDemo(place, line => progress(`[demo] ${line}`));
	} catch (err) {
		await clean();
		throw err;
	}
	return {place, clean, where: `a lab of ${hosts} hosts (prefix ${e.prefix}, ${e.dir}): web on h1, the client on h2`};
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
