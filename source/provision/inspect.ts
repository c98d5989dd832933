// Read-only looks into namespaces for the console: every interface with its addresses, state, peer and rp_filter;
// the routes inside one app's namespace; a ping from inside an app. One `ip -j -batch` per namespace, never a shell.
import {fail} from '../core/errors.js';
import {parseIpv4} from '../core/ipv4.js';
import {APP_IF, checkName} from '../core/names.js';
import {ipShow} from '../dataplane/ip.js';
import {listNamespaces} from '../dataplane/read.js';
import {run} from '../dataplane/run.js';
import type {Context} from './context.js';
import {explainPeer, type LegView} from './legs.js';

export type InterfaceRow = {
	readonly namespace: string;
	/** the app owning the namespace; undefined for the vrouter and the gateway */
	readonly app?: string;
	readonly name: string;
	/** UP, DOWN, NO-CARRIER..., as the kernel reports it (admin flag first) */
	readonly state: string;
	readonly addresses: readonly string[];
	/** the other end of a veth, as `namespace/ifname`, when nsdeck made it */
	readonly peer: string;
	/** loose, strict or off; '' when the kernel did not say */
	readonly rpFilter: string;
};

export type NamespaceRoute = {readonly dst: string; readonly via?: string; readonly dev?: string};

type JAddr = {ifname: string; flags?: string[]; operstate?: string; addr_info?: Array<{family: string; local: string; prefixlen: number}>};
type JNetconf = {family: string; interface: string; rp_filter?: string};
type JRoute = {dst: string; gateway?: string; dev?: string};

const MAX_PARALLEL = 8;

/** Runs fn over items, at most `limit` at a time, keeping order. */
async function pool<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
	const out: R[] = new Array(items.length);
	let next = 0;
	const worker = async () => {
		while (next < items.length) {
			const i = next++;
			out[i] = await fn(items[i]!);
		}
	};
	await Promise.all(Array.from({length: Math.min(limit, items.length)}, worker));
	return out;
}

function stateOf(a: JAddr): string {
	const flags = a.flags ?? [];
	if (!flags.includes('UP')) return 'DOWN';
	if (flags.includes('NO-CARRIER')) return 'NO-CARRIER';
	return a.operstate === 'UNKNOWN' || a.operstate === undefined ? 'UP' : a.operstate;
}

/** Who is at the other end of each nsdeck veth, from intent: app side `veth0` ↔ vrouter side host interface. */
function peers(ctx: Context): {app: Map<string, string>; vrouter: Map<string, string>} {
	const app = new Map<string, string>();
	const vrouter = new Map<string, string>();
	for (const a of ctx.store.load().apps) {
		const ns = ctx.names.appNamespace(a.name);
		for (const i of a.ifaces) {
			const host = ctx.names.hostIf(a, i.role);
			app.set(`${ns}/${APP_IF[i.role]}`, `${ctx.names.vrouter}/${host}`);
			vrouter.set(host, `${ns}/${APP_IF[i.role]}`);
		}
	}
	// the emulated uplink gateway's veth: gw0 in the vrouter, eth0 in the gateway namespace
	vrouter.set(ctx.names.gatewayIf, `${ctx.names.gateway}/eth0`);
	app.set(`${ctx.names.gateway}/eth0`, `${ctx.names.vrouter}/${ctx.names.gatewayIf}`);
	return {app, vrouter};
}

async function readInterfaces(namespace: string, app: string | undefined, peerOf: (name: string) => string): Promise<InterfaceRow[]> {
	// addr show first: after a `link show` in one batch, iproute2 drops addr_info
	const out = await ipShow(namespace, ['addr show', 'netconf show']);
	if (!out) return [];
	const [addrs, netconf] = out as [JAddr[], JNetconf[]];
	const rp = new Map(netconf.filter(n => n.family === 'inet' && n.rp_filter).map(n => [n.interface, n.rp_filter!]));
	return addrs.map(a => ({
		namespace,
		...(app === undefined ? {} : {app}),
		name: a.ifname,
		state: stateOf(a),
		addresses: (a.addr_info ?? []).filter(i => i.family === 'inet').map(i => `${i.local}/${i.prefixlen}`),
		peer: peerOf(a.ifname),
		rpFilter: rp.get(a.ifname) ?? '',
	}));
}

/**
 * Every interface of every app namespace (and of the vrouter unless `apps` narrows it): one `ip` process per
 * namespace, a few at a time. Namespaces that are missing are skipped; drift is the snapshot's business.
 */
export async function inspectInterfaces(ctx: Context, opts: {apps?: readonly string[]; vrouter?: boolean} = {}): Promise<InterfaceRow[]> {
	const present = listNamespaces();
	const p = peers(ctx);
	const names = opts.apps ?? ctx.store.load().apps.map(a => a.name);
	const targets: Array<{namespace: string; app?: string}> = [];
	if (opts.vrouter ?? opts.apps === undefined) targets.push({namespace: ctx.names.vrouter}, {namespace: ctx.names.gateway});
	for (const app of names) targets.push({namespace: ctx.names.appNamespace(app), app});
	const rows = await pool(targets.filter(t => present.has(t.namespace)), MAX_PARALLEL, t =>
		readInterfaces(t.namespace, t.app, name => (t.namespace === ctx.names.vrouter ? p.vrouter.get(name) : p.app.get(`${t.namespace}/${name}`)) ?? ''),
	);
	return rows.flat();
}

/** The routing table inside one app's namespace, as the kernel has it. */
export async function namespaceRoutes(ctx: Context, app: string): Promise<NamespaceRoute[]> {
	checkName('app', app);
	const out = await ipShow(ctx.names.appNamespace(app), ['route show']);
	if (!out) return [];
	return (out[0] as JRoute[]).map(r => ({dst: r.dst, ...(r.gateway ? {via: r.gateway} : {}), ...(r.dev ? {dev: r.dev} : {})}));
}

export type PingResult = {
	readonly app: string;
	readonly address: string;
	readonly ok: boolean;
	readonly rttMs?: number;
	readonly detail: string;
	/** when it failed: why, in one line (the first leg that breaks, or that both legs are routed) */
	readonly reason?: string;
	/** when it failed: both legs, as `explain APP PEER` shows them */
	readonly legs?: readonly LegView[];
};

/**
 * One ICMP echo from inside an app's namespace, one second to answer. The target is an IPv4 address or another
 * app's name (its inbound address).
 */
export async function pingFrom(ctx: Context, app: string, target: string): Promise<PingResult> {
	checkName('app', app);
	const intent = ctx.store.load();
	if (!intent.apps.some(a => a.name === app)) fail(`unknown app '${app}'`);
	let address = target.trim();
	if (!/^\d+\.\d+\.\d+\.\d+$/.test(address)) {
		const other = intent.apps.find(a => a.name === address);
		if (!other) fail(`'${target}' is neither an IPv4 address nor a bound app`);
		address = other.ifaces.find(i => i.role === 'in')!.address;
	}
	parseIpv4(address);
	const r = await run('ip', ['netns', 'exec', ctx.names.appNamespace(app), 'ping', '-n', '-c', '1', '-W', '1', address]);
	const rtt = /time=([\d.]+) ms/.exec(r.stdout);
	const ok = r.exitCode === 0;
	const detail = ok
		? `reply from ${address}${rtt ? ` in ${rtt[1]} ms` : ''}`
		: (r.stderr.trim().split('\n')[0] || (/(\d+)% packet loss/.test(r.stdout) ? `no reply from ${address} within 1 s` : `ping failed (exit ${r.exitCode})`));
	if (ok) return {app, address, ok, ...(rtt ? {rttMs: Number(rtt[1])} : {}), detail};
	const why = await explainPeer(ctx, app, address);
	const broken = why.legs.find(l => !l.ok);
	const disagree = why.legs.flatMap(l => l.kernel).find(k => !k.agrees);
	const reason = broken
		? `${broken.direction} leg: ${broken.text.replace(/^\w+: /, '')}`
		: disagree
			? `the kernel disagrees in ${disagree.where}: ${disagree.answer} (expected ${disagree.expected}): drift, run 'nsdeck reconcile'`
			: 'both legs are routed: the peer does not answer (down, or filtering)';
	return {app, address, ok, detail, reason, legs: why.legs};
}
