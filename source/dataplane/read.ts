import {readdirSync} from 'node:fs';
import {ipShow} from './ip.js';
import {run} from './run.js';
import {type KernelState, type KLink, type KRoute, type KRule, type VrouterState, KERNEL_RULE_PREFS, normalizeDst, TAG} from './kernel.js';

const NETNS_DIR = '/run/netns';

/** Namespace names straight from /run/netns: no process, and it works without root. */
export function listNamespaces(): Set<string> {
	try {
		return new Set(readdirSync(NETNS_DIR));
	} catch {
		return new Set();
	}
}

type JLink = {ifname: string; ifindex: number; group: string; flags?: string[]; operstate?: string; link_netnsid?: number; ifalias?: string};
type JRule = {priority: number; iif?: string; table: string; protocol?: string; src?: string; srclen?: number; dst?: string; dstlen?: number; oif?: string; fwmark?: string};
type JRoute = {type?: string; dst: string; table?: string; dev?: string; gateway?: string; metric?: number; protocol?: string};
type JNsid = {nsid: number; name?: string};
type JNeigh = {dst: string; dev: string; lladdr?: string};
type JFdb = {mac: string; ifname?: string; dev?: string; dst?: string};
type JAddr = {ifname: string; flags?: string[]; operstate?: string; addr_info?: Array<{family: string; local: string; prefixlen: number}>};

/** Reads the whole host back from the vrouter alone: one `ip -j -batch` for links, rules, our routes, peer namespaces. */
export async function readVrouter(vrouter: string, {overlay = false} = {}): Promise<VrouterState | undefined> {
	// addr show must come first: after a `link show` in the same batch, iproute2 prints addresses without addr_info
	const [out, fdbOut] = await Promise.all([
		ipShow(vrouter, ['addr show dev lo', 'link show', 'rule show', 'route show table all', 'netns list-id', 'neigh show nud permanent']),
		overlay ? run('bridge', ['-n', vrouter, '-j', 'fdb', 'show']) : undefined,
	]);
	if (!out) return undefined;
	const [lo, links, rules, routes, nsids, neighs] = out as [JAddr[], JLink[], JRule[], JRoute[], JNsid[], JNeigh[]];
	let fdb: JFdb[] = [];
	try {
		if (fdbOut && fdbOut.exitCode === 0) fdb = JSON.parse(fdbOut.stdout || '[]') as JFdb[];
	} catch {}
	const nsName = new Map(nsids.filter(n => n.name).map(n => [n.nsid, n.name!]));
	const stamp = links.find(l => l.ifname === 'lo')?.ifalias;
	return {
		...(stamp ? {stamp} : {}),
		links: links
			.filter(l => l.ifname !== 'lo')
			.map((l): KLink => ({
				name: l.ifname,
				ifindex: l.ifindex,
				group: String(l.group),
				up: (l.flags ?? []).includes('UP'),
				operUp: l.operstate === 'UP',
				...(l.link_netnsid !== undefined && nsName.has(l.link_netnsid) ? {peerNamespace: nsName.get(l.link_netnsid)!} : {}),
			})),
		rules: rules.filter(r => r.protocol === String(TAG)).map(rule),
		routes: routes.filter(r => r.protocol === String(TAG)).map(route),
		foreignRules: rules.filter(r => r.protocol !== String(TAG) && !KERNEL_RULE_PREFS.has(r.priority)).map(rule),
		foreignRoutes: routes.filter(r => r.protocol !== String(TAG) && r.protocol !== 'kernel' && r.table !== 'local').map(r => ({...route(r), proto: r.protocol ?? 'boot'})),
		loAddresses: (lo[0]?.addr_info ?? []).filter(a => a.family === 'inet').map(a => `${a.local}/${a.prefixlen}`),
		neighs: neighs.filter(x => x.lladdr).map(x => `${x.dev} ${x.dst} ${x.lladdr}`),
		fdb: fdb.filter(f => f.dst && (f.ifname ?? f.dev)).map(f => `${f.ifname ?? f.dev} ${f.mac} ${f.dst}`),
	};
}

function rule(r: JRule): KRule {
	const parts = [
		r.src && r.src !== 'all' ? `from ${r.src}${r.srclen !== undefined ? `/${r.srclen}` : ''}` : '',
		r.dst ? `to ${r.dst}${r.dstlen !== undefined ? `/${r.dstlen}` : ''}` : '',
		r.oif ? `oif ${r.oif}` : '',
		r.fwmark ? `fwmark ${r.fwmark}` : '',
	].filter(Boolean);
	return {pref: r.priority, table: r.table, ...(r.iif ? {iif: r.iif} : {}), ...(r.protocol ? {protocol: r.protocol} : {}), ...(parts.length ? {selector: parts.join(' ')} : {})};
}

function route(r: JRoute): KRoute {
	return {
		table: r.table ?? 'main',
		dst: normalizeDst(r.dst),
		type: r.type === 'unreachable' ? 'unreachable' : 'unicast',
		metric: r.metric ?? 0,
		...(r.dev ? {dev: r.dev} : {}),
		...(r.gateway ? {via: r.gateway} : {}),
	};
}

export async function readKernel(vrouter: string, opts: {overlay?: boolean} = {}): Promise<KernelState> {
	const namespaces = listNamespaces();
	const state = namespaces.has(vrouter) ? await readVrouter(vrouter, opts) : undefined;
	return state ? {namespaces, vrouter: state} : {namespaces};
}
