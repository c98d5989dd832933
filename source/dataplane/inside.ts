// What a namespace holds inside (links, addresses, routes, rp_filter, the processes living in it), for many
// namespaces at once. One Python process reads them all (inside-py.ts); where python3 is missing, one `ip` process
// per namespace does (slower, same answer: a test compares the two).
import {readdirSync, readlinkSync, statSync} from 'node:fs';
import {ipShow} from './ip.js';
import {pool} from './pool.js';
import {run} from './run.js';
import {INSIDE_PY} from './inside-py.js';

export type InsideLink = {readonly name: string; readonly up: boolean; readonly carrier: boolean; readonly addresses: readonly string[]};
/** A route as the kernel has it. proto and type are rtnetlink's numbers (proto 2 = kernel, 77 = nsdeck; type 1 = unicast). */
export type InsideRoute = {readonly dst: string; readonly table: number; readonly proto: number; readonly type: number; readonly dev?: string; readonly via?: string; readonly metric?: number; readonly onlink?: boolean};

export type InsideState = {
	readonly links: ReadonlyMap<string, InsideLink>;
	readonly routes: readonly InsideRoute[];
	/** per interface, and `all` and `default` */
	readonly rpFilter: ReadonlyMap<string, number>;
	/** net.ipv4.ip_forward */
	readonly forward: number;
	/** the namespace's identity (nsfs inode) */
	readonly inode: number;
	/** processes living in it (when asked) */
	readonly pids?: readonly number[];
};

export const PROTO_KERNEL = 2;
export const RTN_UNICAST = 1;
export const MAIN_TABLE = 254;

type Raw = {path: string; error?: string; inode?: number; links?: InsideLink[]; routes?: InsideRoute[]; rpFilter?: Record<string, number>; forward?: number; pids?: number[]};

function toState(r: Raw): InsideState | undefined {
	if (r.error !== undefined || r.inode === undefined) return undefined;
	return {
		links: new Map((r.links ?? []).map(l => [l.name, l])),
		routes: r.routes ?? [],
		rpFilter: new Map(Object.entries(r.rpFilter ?? {})),
		forward: r.forward ?? 0,
		inode: r.inode,
		...(r.pids ? {pids: r.pids.sort((a, b) => a - b)} : {}),
	};
}

const PYTHON = '/usr/bin/python3';
let python: boolean | undefined;

function hasPython(): boolean {
	if (python === undefined) {
		try {
			python = process.env.NSDECK_INSIDE_READER !== 'ip' && statSync(PYTHON).isFile();
		} catch {
			python = false;
		}
	}
	return python;
}

/**
 * Reads the inside of every namespace file given (`/run/netns/NAME` or `/proc/PID/ns/net`); undefined for one that
 * cannot be read (gone, or not a namespace). `procs` also lists the processes living in each.
 */
export async function readInside(paths: readonly string[], {procs = false, reader}: {procs?: boolean; reader?: 'python' | 'ip'} = {}): Promise<Map<string, InsideState | undefined>> {
	const out = new Map<string, InsideState | undefined>();
	if (paths.length === 0) return out;
	if (reader === 'python' || (reader === undefined && hasPython())) {
		// two processes for many namespaces: the host has at least two cores, and the reads are independent
		const halves = paths.length >= 64 ? [paths.slice(0, paths.length >> 1), paths.slice(paths.length >> 1)] : [paths];
		const runs = await Promise.all(halves.map(part => run(PYTHON, ['-I', '-S', '-c', INSIDE_PY, ...(procs ? ['--procs'] : []), ...part])));
		if (runs.every(r => r.exitCode === 0)) {
			for (const r of runs) for (const line of r.stdout.split('\n')) if (line) {
				const raw = JSON.parse(line) as Raw;
				out.set(raw.path, toState(raw));
			}
			return out;
		}
	}
	await pool(paths, 4, async path => void out.set(path, await readWithIp(path)));
	if (procs) addProcesses(out);
	return out;
}

type JAddr = {ifname: string; flags?: string[]; addr_info?: Array<{family: string; local: string; prefixlen: number}>};
type JRoute = {dst: string; table?: string; protocol?: string; type?: string; dev?: string; gateway?: string; metric?: number; flags?: string[]};
type JNetconf = {family: string; interface: string; rp_filter?: string; forwarding?: boolean};

const PROTOS: Record<string, number> = {redirect: 1, kernel: 2, boot: 3, static: 4, ra: 9, dhcp: 16};
const TYPES: Record<string, number> = {unicast: 1, local: 2, broadcast: 3, anycast: 4, multicast: 5, blackhole: 6, unreachable: 7, prohibit: 8, throw: 9};
const TABLES: Record<string, number> = {main: 254, local: 255, default: 253};
const RP: Record<string, number> = {off: 0, strict: 1, loose: 2};

/** The same reading through `ip -n` (a namespace name is needed: /proc paths go through nsenter's view of it). */
async function readWithIp(path: string): Promise<InsideState | undefined> {
	let inode: number;
	try {
		inode = statSync(path).ino;
	} catch {
		return undefined;
	}
	const name = path.startsWith('/run/netns/') ? path.slice('/run/netns/'.length) : undefined;
	const commands = ['addr show', 'route show table all', 'netconf show'];
	const out = name ? await ipShow(name, commands) : await nsenterShow(path, commands);
	if (!out) return undefined;
	const [addrs, routes, netconf] = out as [JAddr[], JRoute[], JNetconf[]];
	const links = new Map(addrs.map(a => {
		const flags = a.flags ?? [];
		return [a.ifname, {name: a.ifname, up: flags.includes('UP'), carrier: flags.includes('LOWER_UP'), addresses: (a.addr_info ?? []).filter(i => i.family === 'inet').map(i => `${i.local}/${i.prefixlen}`)}];
	}));
	const rpFilter = new Map(netconf.filter(n => n.family === 'inet' && n.rp_filter !== undefined).map(n => [n.interface, RP[n.rp_filter!] ?? Number(n.rp_filter)]));
	const num = (v: string | undefined, names: Record<string, number>, d: number) => (v === undefined ? d : (names[v] ?? (Number.isFinite(Number(v)) ? Number(v) : d)));
	return {
		links,
		routes: routes
			.map(r => ({table: num(r.table, TABLES, MAIN_TABLE), r}))
			.filter(({table, r}) => table !== TABLES.local && !r.dst.includes(':'))
			.map(({table, r}): InsideRoute => ({
				dst: r.dst === 'default' ? '0.0.0.0/0' : r.dst.includes('/') ? r.dst : `${r.dst}/32`,
				table,
				proto: num(r.protocol, PROTOS, 3),
				type: num(r.type, TYPES, RTN_UNICAST),
				...(r.dev ? {dev: r.dev} : {}),
				...(r.gateway ? {via: r.gateway} : {}),
				...(r.metric ? {metric: r.metric} : {}),
				...((r.flags ?? []).includes('onlink') ? {onlink: true} : {}),
			})),
		rpFilter,
		forward: netconf.find(n => n.family === 'inet' && n.interface === 'all')?.forwarding ? 1 : 0,
		inode,
	};
}

async function nsenterShow(path: string, commands: readonly string[]): Promise<unknown[][] | undefined> {
	const r = await run('nsenter', [`--net=${path}`, '--', 'ip', '-j', '-batch', '-'], {input: commands.join('\n') + '\n'});
	if (r.exitCode !== 0) return undefined;
	const lines = r.stdout.split('\n').filter(l => l.trim());
	return lines.length === commands.length ? lines.map(l => JSON.parse(l) as unknown[]) : undefined;
}

/** Which processes live in each namespace read: one pass over /proc. */
function addProcesses(states: Map<string, InsideState | undefined>): void {
	const byInode = new Map<number, number[]>();
	for (const s of states.values()) if (s) byInode.set(s.inode, []);
	for (const p of readdirSync('/proc')) {
		if (!/^\d+$/.test(p) || Number(p) === process.pid) continue;
		try {
			const m = /^net:\[(\d+)\]$/.exec(readlinkSync(`/proc/${p}/ns/net`));
			if (m) byInode.get(Number(m[1]))?.push(Number(p));
		} catch {}
	}
	for (const [k, s] of states) if (s) states.set(k, {...s, pids: byInode.get(s.inode) ?? []});
}
