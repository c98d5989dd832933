import {hostname} from 'node:os';
import {parsePrefix, poolRange} from '../core/ipv4.js';
import type {ExternalRoute, Origin, Role, TargetEntry} from '../core/model.js';
import {APP_IF} from '../core/names.js';
import {desiredState, routeKey, tableOf} from '../dataplane/desired.js';
import type {KRoute} from '../dataplane/kernel.js';
import type {Change, Foreign} from '../dataplane/change.js';
import {survey} from './converge.js';
import {ownershipProblem, prefixNamespaces} from './ownership.js';
import type {Context} from './context.js';
import {isRunning} from './process.js';

export type SnapshotIface = {
	readonly role: Role;
	readonly network: string;
	readonly address: string;
	readonly inner: string;
	readonly hostIf: string;
	readonly hostUp: boolean | null;
};

export type SnapshotApp = {
	readonly name: string;
	readonly namespace: string;
	readonly kind: 'netns' | 'attached';
	readonly ifaces: readonly SnapshotIface[];
	/** the network the default route leaves by */
	readonly defaultVia: string;
	/** running: some process lives in the app's namespace (an attached app: the attached process is alive) */
	readonly process: {readonly pid: number | null; readonly running: boolean; readonly pids?: readonly number[]; readonly command?: readonly string[]} | null;
	/** this app's share of the drift, one line each; empty when in sync (or when the kernel was not read) */
	readonly drift: readonly string[];
};

/** One difference between intent and kernel: exactly one change `reconcile` would make. */
export type DriftItem = {readonly op: '+' | '-' | '~'; readonly kind: string; readonly object: string; readonly expected: string; readonly seen: string; readonly detail: string; readonly app?: string; readonly network?: string};
export type ForeignItem = Foreign;

export type SnapshotNetwork = {
	readonly name: string;
	/** null: no subnet yet (binds wait for one) */
	readonly subnet: string | null;
	readonly vni: number;
	readonly block: string | null;
	readonly table: string;
	readonly targets: readonly TargetEntry[];
	readonly apps: readonly string[];
	readonly used: number;
	readonly free: number;
};

export type SnapshotRoute = {
	readonly network: string;
	readonly prefix: string;
	readonly origin: Origin;
	/** in the kernel table as the resolver wants it; null when the kernel could not be read */
	readonly installed: boolean | null;
};

export type Snapshot = {
	readonly host: string;
	readonly controller: string;
	readonly prefix: string;
	readonly vrouter: string;
	readonly takenAt: string;
	/** false when the kernel could not be read (no root, or no vrouter yet) */
	readonly kernelRead: boolean;
	readonly networks: readonly SnapshotNetwork[];
	readonly apps: readonly SnapshotApp[];
	readonly routes: readonly SnapshotRoute[];
	/** routes in our kernel tables that the resolver does not want */
	readonly stray: ReadonlyArray<KRoute & {readonly network?: string}>;
	/** every difference between intent and kernel: what `reconcile` would change (empty when the kernel was not read) */
	readonly drift: readonly DriftItem[];
	/** state in nsdeck's namespaces and tables that nsdeck did not put there: shown, never removed */
	readonly foreign: readonly ForeignItem[];
	/** the store: where, whether it can be written, and why this store may not change this kernel (if so) */
	readonly store: {readonly path: string; readonly state: 'ok' | 'readonly' | 'missing'; readonly problem?: string};
	readonly externals: readonly ExternalRoute[];
	/** this host among many (null on a single host) and how many routes it has learned from the others */
	readonly overlay: {readonly name: string; readonly vtep: string; readonly control: 'local' | 'gobgp'; readonly gobgp: string | null; readonly remoteRoutes: number} | null;
};

/** Addresses this host can hand out: the subnet's pool, within this host's block. */
function blockSize(subnet: string, block: string): number {
	const {first, last} = poolRange(parsePrefix(subnet));
	const b = parsePrefix(block);
	return Math.max(0, Math.min(last, b.address + 2 ** (32 - b.length) - 1) - Math.max(first, b.address) + 1);
}

/** One change as a line of an app's drift: what is wrong, in the operator's words. */
function driftLine(c: Change, app: string): string {
	if (c.detail.startsWith(`${app}: `)) return c.detail.slice(app.length + 2);
	const noun = c.what === 'netns' ? 'namespace' : c.what;
	if (c.op === '+') return `${noun} ${c.object} missing`;
	if (c.op === '-') return `${noun} ${c.object} not wanted (${c.seen || 'present'})`;
	return `${noun} ${c.object}: ${c.seen || 'missing'} (wants ${c.expected || 'none'})`;
}

/**
 * Everything a face shows: intent, and (as root) one read of the host: the vrouter and the inside of every
 * namespace, planned as `reconcile --dry-run` plans, so the drift shown is exactly what reconcile would change.
 */
export async function snapshot(ctx: Context): Promise<Snapshot> {
	const sv = process.getuid?.() === 0 ? await survey(ctx, {full: true}) : undefined;
	const intent = sv?.intent ?? ctx.store.load();
	const resolution = sv?.resolution ?? ctx.control.routes(intent);
	const desired = sv?.desired ?? desiredState(intent, resolution, ctx.names);
	const kernel = sv?.seen.kernel;
	const problem = kernel ? ownershipProblem({intent, names: ctx.names, namespaces: kernel.namespaces, stamp: kernel.vrouter?.stamp, storeId: ctx.store.id(), storePath: ctx.store.path}) : undefined;
	// a store that may not change this kernel has no drift over it: what is there is not its own
	const plan = problem ? undefined : sv?.plan;
	const changes = plan?.changes ?? [];
	const foreign: ForeignItem[] = plan?.foreign ?? (kernel ? prefixNamespaces(ctx.names, kernel.namespaces).map(ns => ({kind: 'netns' as const, namespace: ns, object: ns, detail: `namespace ${ns} is not named by the store at ${ctx.store.path}`})) : []);
	const vr = kernel?.vrouter;
	const read = kernel !== undefined;
	const links = new Map((vr?.links ?? []).map(l => [l.name, l]));
	const kroutes = new Map((vr?.routes ?? []).map(r => [routeKey(r), r]));
	const netTable = new Map(intent.networks.map(n => [n.name, tableOf(n.id)]));
	const tableNet = new Map(intent.networks.map(n => [tableOf(n.id), n.name]));

	const apps = intent.apps.map((app): SnapshotApp => {
		const namespace = ctx.names.appNamespace(app.name);
		const ifaces = app.ifaces.map((i): SnapshotIface => {
			const hostIf = ctx.names.hostIf(app, i.role);
			return {role: i.role, network: i.network, address: i.address, inner: APP_IF[i.role], hostIf, hostUp: read ? (links.get(hostIf)?.up ?? false) : null};
		});
		const out = app.ifaces.find(i => i.role === 'out') ?? app.ifaces.find(i => i.role === 'in')!;
		const pids = app.kind === 'netns' ? sv?.seen.inside.get(namespace)?.pids : undefined;
		const running = pids !== undefined ? pids.length > 0 : app.pid !== undefined && isRunning(app.pid, app.pidStart);
		const process = app.pid === undefined && !app.command ? null : {pid: app.pid ?? null, running, ...(pids ? {pids} : {}), ...(app.command ? {command: app.command} : {})};
		return {name: app.name, namespace, kind: app.kind, ifaces, defaultVia: out.network, process, drift: changes.filter(c => c.app === app.name).map(c => driftLine(c, app.name))};
	});

	const networks = intent.networks.map((n): SnapshotNetwork => {
		const members = apps.filter(a => a.ifaces.some(i => i.network === n.name)).map(a => a.name);
		const used = intent.apps.reduce((c, a) => c + a.ifaces.filter(i => i.network === n.name).length, 0);
		return {name: n.name, subnet: n.subnet, vni: n.vni, block: n.block, table: tableOf(n.id), targets: n.targets, apps: members, used, free: n.subnet && n.block ? blockSize(n.subnet, n.block) - used : 0};
	});

	const routes: SnapshotRoute[] = [];
	for (const [network, list] of resolution) {
		for (const r of list) {
			const key = routeKey({table: netTable.get(network)!, dst: r.prefix, metric: 0});
			const d = desired.routes.get(key);
			const k = kroutes.get(key);
			routes.push({network, prefix: r.prefix, origin: r.origin, installed: read ? Boolean(d && k && (k.dev ?? '') === (d.dev ?? '') && (k.via ?? '') === (d.via ?? '')) : null});
		}
	}
	const stray = [...kroutes.values()]
		.filter(r => !desired.routes.has(routeKey(r)))
		.map(r => (tableNet.has(r.table) ? {...r, network: tableNet.get(r.table)!} : r));
	return {
		host: intent.host?.name ?? hostname(),
		controller: intent.host?.control ?? ctx.control.name,
		prefix: ctx.names.prefix,
		vrouter: ctx.names.vrouter,
		takenAt: new Date().toISOString(),
		kernelRead: read,
		networks,
		apps,
		routes,
		stray,
		drift: changes.map(c => ({op: c.op, kind: c.what, object: c.object, expected: c.expected, seen: c.seen, detail: c.detail, ...(c.app ? {app: c.app} : {}), ...(c.network ? {network: c.network} : {})})),
		foreign,
		store: {path: ctx.store.path, state: ctx.store.state, ...(problem ? {problem} : {})},
		externals: intent.externals,
		overlay: intent.host ? {name: intent.host.name, vtep: intent.host.vtep, control: intent.host.control, gobgp: intent.host.gobgp ?? null, remoteRoutes: intent.remotes.length} : null,
	};
}
